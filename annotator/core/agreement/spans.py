"""Span agreement: pairwise F1 (exact and overlap) and Krippendorff's unitizing alpha.

F1 follows the usual span-evaluation practice: two annotators' spans of the same label
are paired one-to-one, and ``F1 = 2 * matches / (n_a + n_b)`` (symmetric, so it does not
matter who is "gold"). *Exact* pairs need identical offsets; *overlap* pairs need any
shared character, and a maximum one-to-one matching keeps one long span from being
credited against two short ones.

Unitizing alpha is the 1995/2004 form of Krippendorff ("On the reliability of unitizing
contiguous data", 1995; *Content Analysis*, 2nd ed., 2004, pp. 251-256) in the shape
DKPro Agreement implements it (``KrippendorffAlphaUnitizingAgreement``), per category:

    D_o = 2 / (R (R - 1) L^2) * sum over rater pairs i < j of
            sum over overlapping units g of i, h of j: (b_g - b_h)^2 + (e_g - e_h)^2
          + sum over units of either rater lying wholly in the other's gap: l^2
    D_e = 2 / L * sum over units g [ (N_c - 1) / 3 * (2 l^3 - 3 l^2 + l)
                                     + l^2 * sum over gaps k with l_k >= l: (l_k - l + 1) ]
          / (R L (R L - 1) - sum over units l (l - 1))
    alpha_c = 1 - D_o / D_e;  pooled alpha = 1 - mean_c D_o / mean_c D_e

with R raters, continuum length L, N_c units of the category, gaps the stretches between
one rater's units of that category. A rater's own overlapping units of one category are
merged first: the model has each position either inside a unit of the category or not.

Several documents are several continua: each keeps its own gaps (a unit can never cross a
document boundary), and each is judged only by the annotators who finished it. With ``m_d``
raters on a document of length ``L_d`` the normalisers generalise as
``R (R - 1) L^2 -> L * sum_d m_d (m_d - 1) L_d`` and ``R L -> sum_d m_d L_d``; on a single
document judged by everyone this is exactly DKPro's figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement._vec import IntArray, as_int, cross_pairs, max_matching
from annotator.core.agreement.coefficient import clean, ratio

MatchMode = Literal["exact", "overlap"]


@dataclass(frozen=True, slots=True)
class F1:
    """Pairwise span F1 with the counts behind it."""

    value: float | None
    matches: int
    n_first: int
    n_second: int

    @property
    def n_units(self) -> int:
        return self.n_first + self.n_second


def f1_score(matches: float, n_first: float, n_second: float) -> float | None:
    """``2 * matches / (n_first + n_second)``; ``None`` when neither side marked anything."""
    return ratio(2.0 * matches, n_first + n_second)


def f1_figures(compared: float, **matches: float) -> dict[str, Any]:
    """F1 of each kind of matching over the ``compared`` items of both sides, then the
    counts behind it: ``f1_KIND`` per kind, ``n_compared``, ``n_matches_KIND`` per kind.

    Spans (exact, overlap) and relations (strict, matched) report their two matchings
    in the same form, overall, per label and per pair."""
    figures: dict[str, Any] = {f"f1_{kind}": f1_score(n, compared, 0)
                               for kind, n in matches.items()}
    figures["n_compared"] = int(compared)
    figures.update((f"n_matches_{kind}", int(n)) for kind, n in matches.items())
    return figures


def _overlap(first: tuple[int, int], second: tuple[int, int]) -> int:
    return min(first[1], second[1]) - max(first[0], second[0])


def match_spans(
    first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]], mode: MatchMode
) -> list[tuple[int, int]]:
    """Pair two annotators' spans of one label one-to-one, as many pairs as possible.

    ``exact`` pairs identical ``(start, end)``; ``overlap`` pairs spans sharing at least one
    character. The matching is always maximum; identical spans, then larger overlaps, are
    preferred, so the pairing shown to a lead is the one a person would draw. (This is
    a preference, not an optimum: in 10 of 20,000 random cases an equally large matching
    with one more identical pair exists.)
    Returns sorted ``(index in first, index in second)`` pairs.
    """
    if mode not in ("exact", "overlap"):
        raise ValueError(f"unknown match mode {mode!r}")
    # Spans with an identical partner go first: the augmenting-path matching keeps a
    # matched span matched, so identical pairs seed the matching and are re-routed only
    # when that raises the number of pairs.
    identical = set(second)
    order = sorted(range(len(first)),
                   key=lambda index: (first[index] not in identical, first[index], index))
    adjacency: list[list[int]] = []
    for index in order:
        span = first[index]
        if mode == "exact":
            candidates = [j for j, other in enumerate(second) if other == span]
        else:
            candidates = [j for j, other in enumerate(second) if _overlap(span, other) > 0]
            candidates.sort(
                key=lambda j: (second[j] != span, -_overlap(span, second[j]), second[j], j)
            )
        adjacency.append(candidates)
    matched = max_matching(len(order), adjacency)
    return sorted((order[left], right) for left, right in enumerate(matched) if right >= 0)


def span_f1(
    first: Iterable[tuple[int, int, str]], second: Iterable[tuple[int, int, str]], mode: MatchMode
) -> F1:
    """F1 between two annotators' ``(start, end, label)`` spans; labels must agree."""
    by_label_first: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_label_second: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for start, end, label in first:
        by_label_first[label].append((start, end))
    for start, end, label in second:
        by_label_second[label].append((start, end))
    matches = sum(
        len(match_spans(spans, by_label_second.get(label, []), mode))
        for label, spans in by_label_first.items()
    )
    n_first = sum(map(len, by_label_first.values()))
    n_second = sum(map(len, by_label_second.values()))
    return F1(f1_score(matches, n_first, n_second), matches, n_first, n_second)


# --- unitizing alpha -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitizingCategory:
    """Unitizing alpha for one category, with its observed and expected disagreement."""

    alpha: float | None
    observed: float | None
    expected: float | None
    n_units: int


@dataclass(frozen=True, slots=True)
class UnitizingResult:
    """Per-category and pooled unitizing alpha over a continuum (or several)."""

    alpha: float | None
    observed: float | None
    expected: float | None
    n_units: int
    length: int
    categories: dict[str, UnitizingCategory]


def _merge_units(
    group: IntArray, start: IntArray, end: IntArray
) -> tuple[IntArray, IntArray, IntArray, int]:
    """Merge overlapping intervals within each group; input sorted by (group, start).

    Returns the merged (group, start, end) and how many units disappeared in merging.
    """
    if len(group) == 0:
        return group, start, end, 0
    span = int(end.max()) + 1
    running = np.maximum.accumulate(group * span + end) - group * span
    fresh = np.ones(len(group), dtype=bool)
    fresh[1:] = (group[1:] != group[:-1]) | (start[1:] >= running[:-1])
    heads = np.flatnonzero(fresh)
    merged_end = np.maximum.reduceat(end, heads)
    return group[heads], start[heads], merged_end, int(len(group) - len(heads))


@dataclass(frozen=True, slots=True)
class UnitizingInput:
    """Units of several documents, rated by annotators with per-document coverage.

    ``coverage[d, r]`` says rater ``r`` judged document ``d`` (a finished document with no
    units is a judgement too: "nothing here"). Unit arrays are parallel; ``end`` exclusive.
    """

    doc_length: IntArray
    coverage: NDArray[np.bool_]
    doc: IntArray
    rater: IntArray
    category: IntArray
    start: IntArray
    end: IntArray
    n_categories: int


def unitizing_components(
    data: UnitizingInput, raters: Sequence[int] | None = None
) -> tuple[list[UnitizingCategory], int, int]:
    """Unitizing alpha per category for ``raters`` (default all) over ``data``.

    Only documents judged by two or more of those raters count, as only they carry
    pairable judgements. Returns the categories, the continuum length and the number of
    units merged because one rater's units of one category overlapped.
    """
    chosen = list(range(data.coverage.shape[1])) if raters is None else list(raters)
    n_docs = data.coverage.shape[0]
    categories = data.n_categories
    coverage = np.zeros_like(data.coverage)
    coverage[:, chosen] = data.coverage[:, chosen]
    per_doc = coverage.sum(axis=1)
    counted = per_doc >= 2
    coverage &= counted[:, None]
    lengths = data.doc_length.astype(np.float64)
    total_length = float(lengths[counted].sum())
    pair_length = float((per_doc * (per_doc - 1) * lengths)[counted].sum())
    rater_length = float((per_doc * lengths)[counted].sum())

    keep = coverage[data.doc, data.rater] if len(data.doc) else np.zeros(0, dtype=bool)
    n_raters = data.coverage.shape[1]
    group = (data.category[keep] * n_docs + data.doc[keep]) * n_raters + data.rater[keep]
    order = np.lexsort((data.start[keep], group))
    group, start, end, n_merged = _merge_units(
        group[order], data.start[keep][order], data.end[keep][order]
    )
    rater = group % n_raters
    doc = (group // n_raters) % n_docs
    category = group // (n_raters * n_docs)
    length = (end - start).astype(np.float64)

    observed_sum = np.zeros(categories, dtype=np.float64)
    for position, first in enumerate(chosen):
        for second in chosen[position + 1 :]:
            observed_sum += _pair_observed(
                coverage, doc, rater, category, start, end, first, second, categories, n_docs
            )

    # Gaps: the stretches between one rater's units of a category, document by document.
    same_group = np.zeros(len(group), dtype=bool)
    same_group[1:] = group[1:] == group[:-1]
    previous_end = np.where(same_group, np.roll(end, 1), 0)
    before = start - previous_end
    last = np.ones(len(group), dtype=bool)
    last[:-1] = group[1:] != group[:-1]
    after = data.doc_length[doc[last]] - end[last]
    gap_length = np.concatenate([before, after]).astype(np.float64)
    gap_category = np.concatenate([category, category[last]])
    has_units = np.zeros((categories, n_docs, n_raters), dtype=bool)
    has_units[category, doc, rater] = True
    covered_doc, covered_rater = np.nonzero(coverage)

    results: list[UnitizingCategory] = []
    for index in range(categories):
        in_category = category == index
        units = length[in_category]
        n_units = len(units)
        empty = ~has_units[index, covered_doc, covered_rater]
        gaps = np.concatenate(
            [
                gap_length[gap_category == index],
                lengths[covered_doc[empty]],
            ]
        )
        gaps = np.sort(gaps[gaps > 0])
        expected_sum = _expected_sum(units, gaps)
        denominator = rater_length * (rater_length - 1.0) - float((units * (units - 1.0)).sum())
        observed = (
            2.0 * observed_sum[index] / (pair_length * total_length) if pair_length > 0 else None
        )
        expected = (
            2.0 / total_length * expected_sum / denominator
            if total_length > 0 and denominator > 0
            else None
        )
        if n_units == 0 or observed is None or expected is None or expected <= 0:
            results.append(UnitizingCategory(None, clean(observed), clean(expected), n_units))
            continue
        results.append(
            UnitizingCategory(
                clean(1.0 - observed / expected), clean(observed), clean(expected), n_units
            )
        )
    return results, int(total_length), n_merged


def _pair_observed(
    coverage: NDArray[np.bool_],
    doc: IntArray,
    rater: IntArray,
    category: IntArray,
    start: IntArray,
    end: IntArray,
    first: int,
    second: int,
    categories: int,
    n_docs: int,
) -> NDArray[np.float64]:
    """Sum of squared boundary differences between two raters, per category."""
    both = coverage[:, first] & coverage[:, second]
    side_a = np.flatnonzero((rater == first) & both[doc])
    side_b = np.flatnonzero((rater == second) & both[doc])
    key_a = category[side_a] * n_docs + doc[side_a]
    key_b = category[side_b] * n_docs + doc[side_b]
    left, right = cross_pairs(key_a, key_b)
    a, b = side_a[left], side_b[right]
    overlapping = (start[a] < end[b]) & (start[b] < end[a])
    a, b = a[overlapping], b[overlapping]
    squared = (start[a] - start[b]).astype(np.float64) ** 2 + (end[a] - end[b]).astype(
        np.float64
    ) ** 2
    total = np.zeros(categories, dtype=np.float64)
    total += np.bincount(category[a], weights=squared, minlength=categories)
    for side, hit in ((side_a, a), (side_b, b)):
        alone = side[~np.isin(side, hit)]
        unit_length = (end[alone] - start[alone]).astype(np.float64)
        total += np.bincount(category[alone], weights=unit_length**2, minlength=categories)
    return total


def _expected_sum(units: NDArray[np.float64], gaps: NDArray[np.float64]) -> float:
    """``sum_g [(N_c-1)/3 (2l^3-3l^2+l) + l^2 sum_{gap k >= l} (l_k - l + 1)]``.

    Sorted gaps and suffix sums make the inner sum a binary search per unit.
    """
    if len(units) == 0:
        return 0.0
    within = (len(units) - 1.0) / 3.0 * (2.0 * units**3 - 3.0 * units**2 + units)
    suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
    first_fit = np.searchsorted(gaps, units, side="left")
    fitting = len(gaps) - first_fit
    placements = suffix[first_fit] - (units - 1.0) * fitting
    return float((within + units**2 * placements).sum())


def pooled(
    categories: Iterable[UnitizingCategory],
) -> tuple[float | None, float | None, float | None]:
    """DKPro's overall alpha_u: ``1 - mean D_o / mean D_e`` over categories with units."""
    used = [item for item in categories if item.n_units > 0 and item.expected is not None]
    if not used or any(item.observed is None for item in used):
        return None, None, None
    observed = float(np.mean([item.observed for item in used]))
    expected = float(np.mean([item.expected for item in used]))
    if expected <= 0:
        return None, observed, expected
    return clean(1.0 - observed / expected), observed, expected


def unitizing_alpha(
    units: Iterable[tuple[Hashable, int, int, str]],
    *,
    length: int,
    begin: int = 0,
    raters: Sequence[Hashable] | None = None,
) -> UnitizingResult:
    """Unitizing alpha over one continuum ``[begin, begin + length)`` that every rater
    judged in full. ``units`` are ``(rater, start, end, category)``, ``end`` exclusive.

    Give ``raters`` when a rater marked nothing at all: they still judged the continuum.
    """
    rows = list(units)
    if not rows:
        return UnitizingResult(None, None, None, 0, length, {})
    names = list(raters) if raters is not None else []
    for rater, _, _, _ in rows:
        if rater not in names:
            if raters is not None:
                raise ValueError(f"unit by unknown rater {rater!r}")
            names.append(rater)
    labels = sorted({row[3] for row in rows})
    for _, start, end, _ in rows:
        if not begin <= start < end <= begin + length:
            raise ValueError(f"unit [{start}, {end}) is empty or outside the continuum")
    rater_index = {name: index for index, name in enumerate(names)}
    label_index = {name: index for index, name in enumerate(labels)}
    data = UnitizingInput(
        doc_length=as_int([length]),
        coverage=np.ones((1, len(names)), dtype=bool),
        doc=as_int([0] * len(rows)),
        rater=as_int([rater_index[row[0]] for row in rows]),
        category=as_int([label_index[row[3]] for row in rows]),
        start=as_int([row[1] - begin for row in rows]),
        end=as_int([row[2] - begin for row in rows]),
        n_categories=len(labels),
    )
    per_category, continuum, _ = unitizing_components(data)
    alpha, observed, expected = pooled(per_category)
    return UnitizingResult(
        alpha=alpha,
        observed=observed,
        expected=expected,
        n_units=sum(item.n_units for item in per_category),
        length=continuum,
        categories=dict(zip(labels, per_category, strict=True)),
    )
