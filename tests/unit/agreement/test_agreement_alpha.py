"""Krippendorff's alpha against Krippendorff (2011) and the `krippendorff` package."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from annotator.core.agreement.alpha import (
    alpha_from_counts,
    coincidence_matrix,
    krippendorff_alpha,
    one_vs_rest_counts,
    reliability_counts,
)

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, section C: 4 observers x 12 units, values 1-5,
# with missing values. Published: nominal .743, ordinal .815, interval .849, ratio .797.
OBSERVERS_4X12 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Same paper, section A: two coders, binary data, ten units. Published alpha = .095.
BINARY_2X10 = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]


@pytest.mark.parametrize(
    ("metric", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_four_observers(metric: str, published: float) -> None:
    result = krippendorff_alpha(OBSERVERS_4X12, metric)  # type: ignore[arg-type]
    assert result.value == pytest.approx(published, abs=5e-4)
    # Unit 12 has a single value: not pairable. The paper counts n.. = 40 pairable values.
    assert result.n_units == 11
    assert result.n_values == 40


def test_krippendorff_2011_coincidence_matrix() -> None:
    counts, domain = reliability_counts(OBSERVERS_4X12)
    assert domain == [1, 2, 3, 4, 5]
    coincidences = coincidence_matrix(counts)
    # Published nominal coincidences: o_11 = 7, o_12 = 4/3, o_13 = o_14 = 1/3, o_55 = 3 ...
    assert coincidences[0] == pytest.approx([7, 4 / 3, 1 / 3, 1 / 3, 0])
    assert coincidences[4] == pytest.approx([0, 0, 0, 0, 3])
    # ... and marginals n_c = 9, 13, 10, 5, 3 (n.. = 40).
    assert coincidences.sum(axis=1) == pytest.approx([9, 13, 10, 5, 3])
    assert np.allclose(coincidences, coincidences.T)


def test_krippendorff_2011_binary_two_coders() -> None:
    result = krippendorff_alpha(BINARY_2X10, "nominal")
    assert result.value == pytest.approx(0.095, abs=5e-4)
    assert (result.n_units, result.n_values) == (10, 20)


@pytest.mark.parametrize("metric", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", range(6))
def test_matches_krippendorff_package_on_random_data(metric: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    coders, units = rng.integers(2, 6), rng.integers(5, 60)
    data = rng.integers(1, 7, size=(coders, units)).astype(float)
    data[rng.random(data.shape) < 0.25] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=metric)
    ours = krippendorff_alpha(data, metric)  # type: ignore[arg-type]
    assert ours.value == pytest.approx(expected, abs=1e-9)


def test_ordinal_follows_the_given_scale_order() -> None:
    scale = ["poor", "partly", "well"]
    data = [["poor", "partly", "well", "well", None], ["poor", "well", "well", "partly", "poor"]]
    ranks = [[None if v is None else scale.index(v) for v in row] for row in data]
    reference = krippendorff.alpha(
        reliability_data=np.array(ranks, dtype=float),
        level_of_measurement="ordinal",
        value_domain=[0, 1, 2],
    )
    assert krippendorff_alpha(data, "ordinal", scale).value == pytest.approx(reference)
    with pytest.raises(ValueError, match="value_domain"):
        krippendorff_alpha(data, "ordinal", ["poor", "well"])


def test_one_vs_rest_equals_alpha_on_binarised_data() -> None:
    rng = np.random.default_rng(3)
    data = rng.integers(0, 4, size=(3, 40)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    counts, domain = reliability_counts(data)
    for column, value in enumerate(domain):
        binary = np.where(np.isnan(data), np.nan, (data == value).astype(float))
        expected = krippendorff.alpha(reliability_data=binary, level_of_measurement="nominal")
        got = alpha_from_counts(one_vs_rest_counts(counts, column)).value
        assert got == pytest.approx(expected)


def test_undefined_alpha_is_none_with_its_count() -> None:
    single_value = krippendorff_alpha([[1, 1, 1], [1, 1, None]])
    assert single_value.value is None
    assert single_value.n_units == 2
    nothing_pairable = krippendorff_alpha([[1, None], [None, 2]])
    assert nothing_pairable.value is None
    assert nothing_pairable.n_units == 0
    assert alpha_from_counts(np.zeros((0, 3))).value is None


def test_perfect_agreement_is_one() -> None:
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 3]]).value == pytest.approx(1.0)


def test_interval_needs_numbers() -> None:
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], "interval")
