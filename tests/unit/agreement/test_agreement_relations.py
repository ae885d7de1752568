"""Relation F1, strict and through the span matching."""

from __future__ import annotations

import pytest

from annotator.core.agreement.relations import relation_f1_matched, relation_f1_strict

SOURCE_A = (0, 10, "SOURCE")
CLAIM_A = (20, 60, "CLAIM")
SOURCE_B = (0, 12, "SOURCE")  # the same source, one boundary off


def test_strict_needs_identical_spans() -> None:
    first = [(SOURCE_A, CLAIM_A, "ATTRIBUTION")]
    assert relation_f1_strict(first, [(SOURCE_A, CLAIM_A, "ATTRIBUTION")]).value == 1.0
    shifted = relation_f1_strict(first, [(SOURCE_B, CLAIM_A, "ATTRIBUTION")])
    assert (shifted.matches, shifted.value) == (0, 0.0)


def test_matched_forgives_boundaries_through_the_span_pairing() -> None:
    # First annotator's spans 0 (source) and 1 (claim) were paired with the second's 5 and 7.
    result = relation_f1_matched([(0, 1, "ATTRIBUTION")], [(5, 7, "ATTRIBUTION")], {0: 5, 1: 7})
    assert (result.matches, result.value) == (1, 1.0)


def test_matched_needs_both_ends_paired_direction_and_label() -> None:
    pairing = {0: 5, 1: 7}
    assert relation_f1_matched([(0, 1, "ATTRIBUTION")], [(7, 5, "ATTRIBUTION")], pairing).value == 0
    assert relation_f1_matched([(0, 1, "ATTRIBUTION")], [(5, 7, "OTHER")], pairing).value == 0
    unpaired = relation_f1_matched([(0, 2, "ATTRIBUTION")], [(5, 7, "ATTRIBUTION")], pairing)
    assert (unpaired.n_first, unpaired.n_second, unpaired.value) == (1, 1, 0.0)


def test_relations_match_one_to_one() -> None:
    twice = [(SOURCE_A, CLAIM_A, "ATTRIBUTION")] * 2
    once = [(SOURCE_A, CLAIM_A, "ATTRIBUTION")]
    result = relation_f1_strict(twice, once)
    assert result.matches == 1
    assert result.value == pytest.approx(2 / 3)


def test_no_relations_is_undefined() -> None:
    assert relation_f1_strict([], []).value is None
    assert relation_f1_matched([], [], {}).value is None
