"""Span F1 (exact, overlap, one-to-one) and Krippendorff's unitizing alpha."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching

from annotator.core.agreement._vec import as_int
from annotator.core.agreement.spans import (
    UnitizingInput,
    match_spans,
    span_f1,
    unitizing_alpha,
    unitizing_components,
)

# --- F1 ------------------------------------------------------------------------------------


def test_exact_needs_identical_offsets_overlap_one_character() -> None:
    first = [(0, 10, "CLAIM"), (20, 30, "CLAIM"), (40, 50, "SOURCE")]
    second = [(0, 10, "CLAIM"), (25, 35, "CLAIM"), (49, 60, "SOURCE")]
    exact = span_f1(first, second, "exact")
    assert (exact.matches, exact.n_units) == (1, 6)
    assert exact.value == pytest.approx(2 * 1 / 6)
    overlap = span_f1(first, second, "overlap")
    assert overlap.matches == 3
    assert overlap.value == pytest.approx(1.0)


def test_touching_spans_do_not_overlap() -> None:
    assert span_f1([(0, 10, "CLAIM")], [(10, 20, "CLAIM")], "overlap").matches == 0


def test_labels_must_agree() -> None:
    result = span_f1([(0, 10, "CLAIM")], [(0, 10, "SOURCE")], "overlap")
    assert (result.matches, result.value) == (0, 0.0)


def test_one_long_span_cannot_match_two_short_ones() -> None:
    long = [(0, 100)]
    short = [(0, 40), (60, 100)]
    assert len(match_spans(long, short, "overlap")) == 1
    result = span_f1([(0, 100, "CLAIM")], [(0, 40, "CLAIM"), (60, 100, "CLAIM")], "overlap")
    assert result.value == pytest.approx(2 * 1 / 3)


def test_matching_is_maximum_not_greedy() -> None:
    # A0 overlaps B0 (the larger overlap) and B1; A1 overlaps B0 only. Greedy on overlap
    # size would pair A0-B0 and leave A1 alone; the maximum matching pairs both.
    first = [(0, 50), (45, 52)]
    second = [(5, 50), (0, 3)]
    assert match_spans(first, second, "overlap") == [(0, 1), (1, 0)]


def test_identical_spans_are_preferred_partners() -> None:
    first = [(10, 20)]
    second = [(0, 30), (10, 20)]
    assert match_spans(first, second, "overlap") == [(0, 1)]


def test_duplicates_match_once_each() -> None:
    assert len(match_spans([(0, 5), (0, 5)], [(0, 5)], "exact")) == 1
    assert len(match_spans([(0, 5), (0, 5)], [(0, 5), (0, 5)], "exact")) == 2


def test_nothing_marked_is_undefined() -> None:
    assert span_f1([], [], "exact").value is None
    assert span_f1([(0, 3, "CLAIM")], [], "exact").value == 0.0


@pytest.mark.parametrize("seed", range(20))
def test_matching_size_equals_scipy_maximum_matching(seed: int) -> None:
    rng = np.random.default_rng(seed)

    def spans() -> list[tuple[int, int]]:
        starts = rng.integers(0, 60, rng.integers(0, 9))
        return [(int(s), int(s + rng.integers(1, 25))) for s in starts]

    first, second = spans(), spans()
    pairs = match_spans(first, second, "overlap")
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    assert all(min(first[i][1], second[j][1]) > max(first[i][0], second[j][0]) for i, j in pairs)
    if not first or not second:
        assert pairs == []
        return
    graph = np.array([[float(min(a[1], b[1]) > max(a[0], b[0])) for b in second] for a in first])
    matched = maximum_bipartite_matching(csr_array(graph), perm_type="column")
    assert len(pairs) == int(np.count_nonzero(matched >= 0))


# --- unitizing alpha: published examples ---------------------------------------------------

# Krippendorff, K. (2004). Content Analysis, 2nd ed., p. 254 (worked example of alpha_u),
# as encoded in DKPro Agreement's unitizing Krippendorff2004Test: continuum [150, 450),
# two observers, categories c and k, units as (observer, start, end, category).
KRIPPENDORFF_2004 = [
    (0, 225, 295, "c"), (0, 370, 400, "c"),
    (1, 220, 300, "c"), (1, 355, 375, "c"), (1, 400, 420, "c"),
    (0, 180, 240, "k"), (0, 300, 350, "k"),
    (1, 180, 240, "k"), (1, 300, 350, "k"),
]  # fmt: skip


def test_krippendorff_2004_unitizing_example() -> None:
    result = unitizing_alpha(KRIPPENDORFF_2004, length=300, begin=150)
    c, k = result.categories["c"], result.categories["k"]
    # Expected figures of DKPro's test: D_o(c) .0144, D_e(c) .0532, alpha(c) .7286;
    # D_o(k) 0, D_e(k) .0490, alpha(k) 1; pooled alpha .8591 (their tolerance .0005).
    assert c.observed == pytest.approx(0.0144, abs=5e-5)
    assert c.expected == pytest.approx(0.0532, abs=5e-5)
    assert c.alpha == pytest.approx(0.7286, abs=5e-5)
    assert k.observed == 0.0
    assert k.expected == pytest.approx(0.0490, abs=5e-5)
    assert k.alpha == pytest.approx(1.0)
    assert result.alpha == pytest.approx(0.8591, abs=5e-4)
    assert result.alpha == pytest.approx(0.859, abs=5e-4)
    # The observed disagreement on c decomposes into the squared boundary differences the
    # book tabulates: 50 (225+70 vs 220+80), 850 (370+30 vs 355+20), 400 (the unit 400+20
    # inside the other observer's gap): D_o = 2 * 1300 / (2 * 1 * 300^2).
    assert c.observed * 300**2 == pytest.approx(1300)


def _krippendorff_1995(stretch: int) -> list[tuple[int, int, int, str]]:
    """Krippendorff (1995: 57) four two-coder examples A-D, as in DKPro's Krippendorff1995Test.

    Rows are (offset, length, coder, category) on a continuum of 24, scaled by ``stretch``.
    """
    rows = [
        (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
        (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
        (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
        (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"),
        (0, 2, 1, "C"), (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
        (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
        (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
    ]  # fmt: skip
    return [
        (coder, offset * stretch, (offset + length) * stretch, category)
        for offset, length, coder, category in rows
    ]


def test_krippendorff_1995_observed_disagreement() -> None:
    result = unitizing_alpha(_krippendorff_1995(1), length=24)
    observed = {name: item.observed for name, item in result.categories.items()}
    assert observed == pytest.approx(
        {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}, abs=1e-5
    )


def test_krippendorff_1995_alpha_within_published_rounding() -> None:
    # The 1995 paper gives alpha for a practically continuous scale; DKPro reproduces it
    # with a continuum stretched to 1.2 million and a tolerance of .02, noting an error in
    # the paper's expected disagreement. We hold to the same tolerance, no tighter.
    result = unitizing_alpha(_krippendorff_1995(50_000), length=24 * 50_000)
    alphas = {name: item.alpha for name, item in result.categories.items()}
    assert alphas == pytest.approx({"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}, abs=0.02)
    expected = {name: item.expected for name, item in result.categories.items()}
    assert expected == pytest.approx(
        {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}, abs=5e-3
    )


# --- unitizing alpha: a loop-based reference -----------------------------------------------


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _sections(length: int, units: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Units and the gaps between them, covering [0, length)."""
    sections, cursor = [], 0
    for start, end in units:
        if start > cursor:
            sections.append((cursor, start, False))
        sections.append((start, end, True))
        cursor = end
    if cursor < length:
        sections.append((cursor, length, False))
    return sections


def _delta(first: tuple[int, int, bool], second: tuple[int, int, bool]) -> float:
    """Krippendorff's squared distance between two co-occurring sections."""
    (b1, e1, unit1), (b2, e2, unit2) = first, second
    if unit1 and unit2:
        return float((b1 - b2) ** 2 + (e1 - e2) ** 2)
    if unit1 and not unit2 and b2 <= b1 and e1 <= e2:
        return float((e1 - b1) ** 2)
    if unit2 and not unit1 and b1 <= b2 and e2 <= e1:
        return float((e2 - b2) ** 2)
    return 0.0


def reference_alpha_u(
    docs: list[tuple[int, dict[int, list[tuple[int, int]]]]],
) -> tuple[float | None, float, float]:
    """Alpha_u of one category by brute force: every pair of co-occurring sections.

    ``docs`` lists (length, {rater: units}) with only the raters who judged that document.
    """
    observed = pair_length = total_length = rater_length = 0.0
    units: list[int] = []
    gaps: list[int] = []
    for length, by_rater in docs:
        raters = sorted(by_rater)
        if len(raters) < 2:
            continue
        m = len(raters)
        total_length += length
        pair_length += m * (m - 1) * length
        rater_length += m * length
        sections = {r: _sections(length, _merge(by_rater[r])) for r in raters}
        for first, second in itertools.combinations(raters, 2):
            for a in sections[first]:
                for b in sections[second]:
                    if a[0] < b[1] and b[0] < a[1]:
                        observed += _delta(a, b)
        for r in raters:
            units += [end - start for start, end, is_unit in sections[r] if is_unit]
            gaps += [end - start for start, end, is_unit in sections[r] if not is_unit]
    n_c = len(units)
    expected_sum = sum(
        (n_c - 1) / 3 * (2 * u**3 - 3 * u**2 + u) + u**2 * sum(g - u + 1 for g in gaps if g >= u)
        for u in units
    )
    d_o = 2 * observed / (pair_length * total_length)
    d_e = (
        2
        / total_length
        * expected_sum
        / (rater_length * (rater_length - 1) - sum(u * (u - 1) for u in units))
    )
    return (None if d_e == 0 else 1 - d_o / d_e), d_o, d_e


def _random_units(
    rng: np.random.Generator, length: int, overlapping: bool
) -> list[tuple[int, int]]:
    units, cursor = [], int(rng.integers(0, 6))
    while cursor < length - 1 and len(units) < 6:
        width = int(rng.integers(1, 15))
        if cursor + width > length:
            break
        units.append((cursor, cursor + width))
        step = int(rng.integers(-5 if overlapping else 0, 20))
        cursor = max(cursor + 1, cursor + width + step)
    return units


@pytest.mark.parametrize("seed", range(25))
def test_unitizing_matches_brute_force_on_one_continuum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    length, raters = int(rng.integers(20, 90)), int(rng.integers(2, 5))
    rows = []
    by_category: dict[str, dict[int, list[tuple[int, int]]]] = {"X": {}, "Y": {}}
    for rater in range(raters):
        for category in by_category:
            units = _random_units(rng, length, overlapping=seed % 3 == 0)
            by_category[category][rater] = units
            rows += [(rater, start, end, category) for start, end in units]
    result = unitizing_alpha(rows, length=length, raters=list(range(raters)))
    for category, by_rater in by_category.items():
        alpha, d_o, d_e = reference_alpha_u([(length, by_rater)])
        if category not in result.categories:
            assert all(not units for units in by_rater.values())
            continue
        got = result.categories[category]
        assert got.observed == pytest.approx(d_o)
        assert got.expected == pytest.approx(d_e)
        assert got.alpha == pytest.approx(alpha)


@pytest.mark.parametrize("seed", range(15))
def test_unitizing_over_documents_with_missing_raters(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n_docs, raters = int(rng.integers(1, 5)), 3
    lengths = [int(rng.integers(15, 60)) for _ in range(n_docs)]
    coverage = rng.random((n_docs, raters)) < 0.8
    rows = []
    docs = []
    for doc, length in enumerate(lengths):
        by_rater = {}
        for rater in range(raters):
            if coverage[doc, rater]:
                units = _random_units(rng, length, overlapping=True)
                by_rater[rater] = units
                rows += [(doc, rater, start, end) for start, end in units]
        docs.append((length, by_rater))
    table = np.array(rows, dtype=np.int64).reshape(-1, 4)
    data = UnitizingInput(
        doc_length=as_int(lengths),
        coverage=coverage,
        doc=table[:, 0],
        rater=table[:, 1],
        category=np.zeros(len(table), dtype=np.int64),
        start=table[:, 2],
        end=table[:, 3],
        n_categories=1,
    )
    (got,), _, _ = unitizing_components(data)
    if not any(len(by_rater) >= 2 and any(by_rater.values()) for _, by_rater in docs):
        assert got.alpha is None
        return
    alpha, d_o, d_e = reference_alpha_u(docs)
    assert got.observed == pytest.approx(d_o)
    assert got.expected == pytest.approx(d_e)
    assert got.alpha == pytest.approx(alpha)


def test_unitizing_edge_cases() -> None:
    empty = unitizing_alpha([], length=10)
    assert (empty.alpha, empty.n_units) == (None, 0)
    identical = unitizing_alpha([(0, 2, 5, "X"), (1, 2, 5, "X")], length=10)
    assert identical.alpha == pytest.approx(1.0)
    with pytest.raises(ValueError, match="outside"):
        unitizing_alpha([(0, 5, 12, "X")], length=10)


def test_identical_spans_are_paired_even_after_an_earlier_overlapping_one() -> None:
    # (15, 21) starts before the identical (17, 22) and overlaps the other side's only
    # span; the identical pair must win, since relation matching follows this pairing.
    first = [(10, 11), (17, 22), (4, 8), (15, 21)]
    second = [(17, 22)]
    assert match_spans(first, second, "overlap") == [(1, 0)]


def test_identical_pairs_give_way_only_for_more_pairs() -> None:
    # A=(0, 10) is identical to X=(0, 10), but B=(2, 3) can only pair with X and
    # Y=(5, 6) only with A: the maximum matching (2 pairs) needs A-Y and B-X.
    assert match_spans([(0, 10), (2, 3)], [(0, 10), (5, 6)], "overlap") == [(0, 1), (1, 0)]
