"""Cohen's kappa, Fleiss' kappa and Gwet's AC1 against published examples and libraries."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from annotator.core.agreement.alpha import reliability_counts
from annotator.core.agreement.chance import (
    cohen_kappa,
    cohen_kappa_labels,
    fleiss_kappa,
    fleiss_kappa_per_category,
    gwet_ac1,
    percent_agreement,
)

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
# Bulletin 76(5), 378-382, Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses
# (depression, personality disorder, schizophrenia, neurosis, other), as rater counts.
# Published: P-bar = .556, P-bar_e = .220, kappa = .430.
FLEISS_1971 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
]  # fmt: skip

# The Wikipedia "Fleiss' kappa" worked example: 10 subjects, 14 raters, 5 categories.
# Published there: P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip

# Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
# Psychological Measurement 20(1), 37-46. p. 45: two judges, 200 subjects, 3 categories
# (proportions .44 .07 .09 / .05 .20 .05 / .01 .03 .06). Published: p_o = .70,
# p_c = .41, kappa = .492.
COHEN_1960_P45 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
# p. 37: the table with p_o = .29 and p_c = .35 (chance beats the judges).
COHEN_1960_P37 = [[25, 12, 3], [13, 2, 15], [12, 16, 2]]

# Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., as reproduced by the
# author's R package irrCAC (README / vignette "overview", Gwet):
# cont3x3abstractors: Cohen's kappa 0.7964094, Gwet's AC1 0.8493305, percent 0.89.
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
# distrib.6raters (15 patients x 5 categories, 6 raters): AC1 0.4448007 (pa 0.5511111,
# pe 0.1914815); Fleiss' kappa 0.4139265 (pe 0.2340741).
DISTRIB_6RATERS = FLEISS_1971[:15]
# cac.raw4raters (Krippendorff's 4 x 12 data, the lone value of unit 12 given to rater 3):
# AC1 0.77544, pa 0.8181818, pe 0.1903212.
RAW_4RATERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _table_to_counts(table: list[list[int]]) -> np.ndarray:
    """One row per subject with the two raters' categories counted."""
    rows = []
    size = len(table)
    for first in range(size):
        for second in range(size):
            row = np.zeros(size)
            row[first] += 1
            row[second] += 1
            rows.extend([row] * table[first][second])
    return np.array(rows)


def test_fleiss_1971() -> None:
    result = fleiss_kappa(FLEISS_1971)
    assert result.value == pytest.approx(0.430, abs=5e-4)
    assert result.observed == pytest.approx(0.556, abs=5e-4)
    assert result.expected == pytest.approx(0.220, abs=5e-4)
    assert result.n_units == 30


def test_fleiss_1971_per_category() -> None:
    # Category kappas as transcribed by DKPro Agreement's Fleiss1971Test (tolerance .005).
    published = [0.248, 0.248, 0.517, 0.470, 0.565]
    assert fleiss_kappa_per_category(FLEISS_1971) == pytest.approx(published, abs=5e-3)


def test_wikipedia_fleiss_example() -> None:
    result = fleiss_kappa(WIKIPEDIA_FLEISS)
    assert result.value == pytest.approx(0.210, abs=5e-4)
    assert result.observed == pytest.approx(0.378, abs=5e-4)
    assert result.expected == pytest.approx(0.213, abs=5e-4)


def test_cohen_1960() -> None:
    result = cohen_kappa(COHEN_1960_P45)
    assert result.value == pytest.approx(0.492, abs=5e-4)
    assert (result.observed, result.expected) == pytest.approx((0.70, 0.41))
    first = cohen_kappa(COHEN_1960_P37)
    assert (first.observed, first.expected) == pytest.approx((0.29, 0.35))
    assert first.value == pytest.approx((0.29 - 0.35) / 0.65)


def test_gwet_irrcac_contingency_table() -> None:
    assert cohen_kappa(ABSTRACTORS).value == pytest.approx(0.7964094, abs=1e-7)
    counts = _table_to_counts(ABSTRACTORS)
    ac1 = gwet_ac1(counts)
    assert ac1.value == pytest.approx(0.8493305, abs=1e-7)
    assert ac1.observed == pytest.approx(0.89)
    assert percent_agreement(counts).value == pytest.approx(0.89)


def test_gwet_irrcac_distribution_of_raters() -> None:
    ac1 = gwet_ac1(DISTRIB_6RATERS)
    assert ac1.value == pytest.approx(0.4448007, abs=1e-7)
    assert ac1.observed == pytest.approx(0.5511111, abs=1e-7)
    assert ac1.expected == pytest.approx(0.1914815, abs=1e-7)
    fleiss = fleiss_kappa(DISTRIB_6RATERS)
    assert fleiss.value == pytest.approx(0.4139265, abs=1e-7)
    assert fleiss.expected == pytest.approx(0.2340741, abs=1e-7)


def test_gwet_irrcac_raw_ratings_with_missing_values() -> None:
    counts, _ = reliability_counts(RAW_4RATERS)
    ac1 = gwet_ac1(counts)
    assert ac1.value == pytest.approx(0.77544, abs=5e-6)
    assert ac1.observed == pytest.approx(0.8181818, abs=1e-7)
    assert ac1.expected == pytest.approx(0.1903212, abs=1e-7)
    assert ac1.n_units == 11


def _ac1_by_loops(ratings: list[list[int | None]], categories: int) -> float:
    """Gwet's AC1 written out subject by subject, rater pair by rater pair."""
    subjects = [
        [value for value in column if value is not None] for column in zip(*ratings, strict=True)
    ]
    agreeing = []
    for values in subjects:
        if len(values) < 2:
            continue
        pairs = [(a, b) for i, a in enumerate(values) for j, b in enumerate(values) if i != j]
        agreeing.append(sum(a == b for a, b in pairs) / len(pairs))
    p_a = sum(agreeing) / len(agreeing)
    judged = [values for values in subjects if values]
    shares = [
        sum(values.count(category) / len(values) for values in judged) / len(judged)
        for category in range(categories)
    ]
    p_e = sum(share * (1 - share) for share in shares) / (categories - 1)
    return (p_a - p_e) / (1 - p_e)


@pytest.mark.parametrize("seed", range(8))
def test_ac1_matches_a_loop_implementation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    raters, subjects, categories = rng.integers(2, 6), rng.integers(5, 40), rng.integers(2, 6)
    ratings: list[list[int | None]] = [
        [None if rng.random() < 0.2 else int(rng.integers(categories)) for _ in range(subjects)]
        for _ in range(raters)
    ]
    counts = np.zeros((subjects, categories))
    for row in ratings:
        for subject, value in enumerate(row):
            if value is not None:
                counts[subject, value] += 1
    if not np.any(counts.sum(axis=1) >= 2):
        pytest.skip("no pairable subject drawn")
    got = gwet_ac1(counts, n_categories=int(categories)).value
    assert got == pytest.approx(_ac1_by_loops(ratings, int(categories)))


@pytest.mark.parametrize("seed", range(8))
def test_cohen_matches_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(20, 200))
    first = rng.integers(0, 4, size).tolist()
    second = [a if rng.random() < 0.6 else int(rng.integers(0, 4)) for a in first]
    got = cohen_kappa_labels(first, second).value
    assert got == pytest.approx(cohen_kappa_score(first, second))


@pytest.mark.parametrize("seed", range(8))
def test_fleiss_matches_statsmodels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    raters, subjects, categories = int(rng.integers(2, 8)), int(rng.integers(5, 50)), 4
    table = np.array(
        [
            np.bincount(rng.integers(0, categories, raters), minlength=categories)
            for _ in range(subjects)
        ]
    )
    assert fleiss_kappa(table).value == pytest.approx(statsmodels_fleiss(table))


def test_undefined_figures_are_none() -> None:
    assert cohen_kappa([[5, 0], [0, 0]]).value is None  # one category: p_e = 1
    assert cohen_kappa([[0, 0], [0, 0]]).n_units == 0
    assert gwet_ac1([[1, 0], [0, 1]]).value is None  # nobody rated twice
    assert gwet_ac1([[2]]).value is None  # a single category
    assert fleiss_kappa(np.zeros((0, 3))).value is None
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[2, 1], [1, 1]])
