"""Claim suggestions: which sentences are suggested, their spans, scores and labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.text import normalise_newlines
from annotator.nlp.claims import (
    CHECKWORTHY_THRESHOLD,
    EMIT_THRESHOLD,
    ClaimSuggestion,
    score_sentence,
    suggest_claims,
)
from annotator.nlp.model import load_model

DATA = Path(__file__).resolve().parents[2] / "data" / "attribution" / "texts"
SAMPLES = (
    "al-fassel-commission-review.txt",
    "dawn-coalition-committee.txt",
    "the-national-coalition-talks.txt",
)


@pytest.fixture(scope="module")
def claims() -> dict[str, tuple[str, list[ClaimSuggestion]]]:
    nlp = load_model().nlp
    texts = [normalise_newlines((DATA / n).read_text(encoding="utf-8")) for n in SAMPLES]
    return {
        name: (text, suggest_claims(doc))
        for name, text, doc in zip(SAMPLES, texts, nlp.pipe(texts), strict=True)
    }


def _suggested(claims, name: str) -> dict[str, ClaimSuggestion]:  # type: ignore[no-untyped-def]
    text, found = claims[name]
    return {text[c.start : c.end]: c for c in found}


def test_figure_and_actor_sentence_is_checkworthy(claims) -> None:  # type: ignore[no-untyped-def]
    text, _ = claims["the-national-coalition-talks.txt"]
    by_text = _suggested(claims, "the-national-coalition-talks.txt")
    sentence = "The US leads a multinational mission of about 3,000 troops."
    claim = by_text[sentence]
    assert (claim.start, claim.end) == (text.index(sentence), text.index(sentence) + len(sentence))
    assert claim.attrs == {"checkworthy": "yes"}
    assert claim.score >= CHECKWORTHY_THRESHOLD
    assert "figure" in claim.rule and "actor" in claim.rule


def test_dates_and_numbers(claims) -> None:  # type: ignore[no-untyped-def]
    by_text = _suggested(claims, "dawn-coalition-committee.txt")
    claim = next(c for t, c in by_text.items() if t.startswith("The United States has 2,500"))
    assert claim.attrs["checkworthy"] == "yes"
    assert "date" in claim.rule and "figure" in claim.rule


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("al-fassel-commission-review.txt", "Do you like this article?"),  # question
        ("the-national-coalition-talks.txt", "Live updates: Follow the latest news on Israel-Gaza"),
        ("the-national-coalition-talks.txt", "Engine: 3.0-litre six-cylinder turbo"),  # fragment
        ("the-national-coalition-talks.txt", "Text the following numbers:"),
        (
            "dawn-coalition-committee.txt",
            "CT cooperation should be pursued instead of having foreign forces here.",
        ),  # normative opinion
    ],
)
def test_not_suggested(claims, name: str, sentence: str) -> None:  # type: ignore[no-untyped-def]
    text, found = claims[name]
    start = text.index(sentence)
    assert not any(c.start <= start < c.end for c in found)


def test_counterfactual_opinion_is_excluded(claims) -> None:  # type: ignore[no-untyped-def]
    text, found = claims["dawn-coalition-committee.txt"]
    start = text.index("It would've been better")
    assert not any(c.start <= start < c.end for c in found)


def test_spans_scores_and_labels_are_consistent(claims) -> None:  # type: ignore[no-untyped-def]
    for text, found in claims.values():
        assert found == sorted(found, key=lambda c: c.start)
        for claim in found:
            span = text[claim.start : claim.end]
            assert span and span == span.strip() and not span.startswith("•")
            assert EMIT_THRESHOLD <= claim.score <= 1.0
            expected = "yes" if claim.score >= CHECKWORTHY_THRESHOLD else "no"
            assert claim.attrs == {"checkworthy": expected}
            assert claim.rule.startswith("claim")


def test_first_person_opinion_and_question_are_excluded() -> None:
    nlp = load_model().nlp
    doc = nlp(
        "I think the government has done a great job with 5 new schools in 2023. "
        "Did the ministry spend $40 million on the project in 2022? "
        "The ministry spent $40 million on the project in 2022."
    )
    found = suggest_claims(doc)
    assert [doc.text[c.start : c.end] for c in found] == [
        "The ministry spent $40 million on the project in 2022."
    ]
    assert found[0].attrs["checkworthy"] == "yes"
    sents = list(doc.sents)
    assert score_sentence(sents[0]) is None and score_sentence(sents[1]) is None


def test_threshold_is_a_parameter() -> None:
    doc = load_model().nlp("The sustained presence has led to calls for the Americans to leave.")
    assert suggest_claims(doc, threshold=1.01) == []
    assert len(suggest_claims(doc, threshold=0.0)) == 1


def test_blank_pipeline_still_suggests_from_token_shapes() -> None:
    nlp = load_model("blank:en").nlp
    doc = nlp(
        "The United States has 2,500 troops in Iraq since 2014.\n\n"
        "ISIS sleeper cells continue to pose a threat to them."
    )
    found = suggest_claims(doc)
    assert [doc.text[c.start : c.end] for c in found][0].startswith("The United States has 2,500")
    assert "figure" in found[0].rule and "date" in found[0].rule
