"""Attribution suggestions on real sentences from the samples and on written ones.

Spans are asserted exactly: the GUI pre-fills SOURCE, CUE and CONTENT spans from them,
so an off-by-one shows up as a wrong highlight in front of the annotator.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from spacy.tokens import Doc

from annotator.core.text import normalise_newlines
from annotator.nlp.attribution import (
    AttributionSuggestion,
    Quote,
    find_quotes,
    suggest_attributions,
)
from annotator.nlp.model import load_model

DATA = Path(__file__).resolve().parents[2] / "data" / "attribution"
NATIONAL = "the-national-coalition-talks.txt"
FASSEL = "al-fassel-commission-review.txt"
DAWN = "dawn-coalition-committee.txt"
KINDS = set(
    "official spokesperson expert media state_media wire_agency document eyewitness "
    "participant other".split()
)


def _text(name: str) -> str:
    return normalise_newlines((DATA / "texts" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[str, list[AttributionSuggestion]]]:
    """Every test text parsed once: {file: (text, suggestions)}."""
    nlp = load_model().nlp
    names = sorted(p.name for p in (DATA / "texts").glob("*.txt"))
    texts = [_text(n) for n in names]
    return {
        name: (text, suggest_attributions(doc))
        for name, text, doc in zip(names, texts, nlp.pipe(texts), strict=True)
    }


def _one(
    parsed: dict[str, tuple[str, list[AttributionSuggestion]]],
    name: str,
    content_start: str,
) -> tuple[str, AttributionSuggestion]:
    """The suggestion whose content starts with ``content_start`` (must be unique)."""
    text, suggestions = parsed[name]
    hits = [s for s in suggestions if text[s.content[0] :].startswith(content_start)]
    assert len(hits) == 1, [text[s.content[0] : s.content[1]][:60] for s in suggestions]
    return text, hits[0]


def _span(text: str, ref: tuple[int, int] | None) -> str | None:
    return None if ref is None else text[ref[0] : ref[1]]


def _suggest(sentence: str) -> list[AttributionSuggestion]:
    return suggest_attributions(load_model().nlp(sentence))


# --- the National sample ------------------------------------------------------------


def test_nested_report_source_is_the_minister(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, NATIONAL, '"The Iraqi-American Higher')
    start = text.index("Defence Minister Thabet Al Abbasi")
    assert s.source == (start, start + len("Defence Minister Thabet Al Abbasi"))
    assert _span(text, s.cue) == "quoted"
    assert _span(text, s.content) == (
        '"The Iraqi-American Higher Military Committee will resume dialogue in the coming days,"'
    )
    evidence = s.attrs.pop("evidence")
    assert s.attrs == {
        "naming": "named",
        "kind": "official",
        "quote_type": "direct",
        "intermediary": "Iraqi state media",
    }
    assert {"form:quoted_as_saying", "content:quote", "nested"} <= set(evidence)
    assert s.rule.startswith("quoted_as_saying")


def test_unnamed_diplomat_source_stops_before_the_relative_clause(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, NATIONAL, "Iraqi forces are not yet ready")
    assert _span(text, s.source) == "a senior western diplomat"
    assert s.source == (text.index("a senior western diplomat"), text.index(", whose"))
    assert _span(text, s.cue) == "told"
    assert _span(text, s.content) == (
        "Iraqi forces are not yet ready to suppress the terror group without more training"
    )
    assert (s.attrs["naming"], s.attrs["kind"], s.attrs["quote_type"]) == (
        "unnamed",
        "official",
        "indirect",
    )


def test_statement_marker_and_full_title(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, NATIONAL, "discussions would take place")
    assert _span(text, s.source) == "US Defence Secretary Lloyd Austin"
    assert s.rule.endswith("+statement")
    assert s.attrs["quote_type"] == "mixed"
    assert _span(text, s.content).endswith("between Iraq and the United States”")


def test_pronoun_takes_naming_and_kind_from_antecedent(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, NATIONAL, "the Iraqi armed forces")
    assert _span(text, s.source) == "He"
    assert _span(text, s.cue) == "added"
    assert (s.attrs["naming"], s.attrs["kind"], s.attrs["quote_type"]) == (
        "named",
        "official",
        "mixed",
    )
    assert _span(text, s.content) == (
        'the Iraqi armed forces "are fully prepared for the withdrawal of the coalition forces '
        'and to take full control of security in the country"'
    )


def test_curly_quote_over_two_sentences_then_continuations(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, NATIONAL, "“If the Iraqis insist")
    assert _span(text, s.source) == "the diplomat"
    assert _span(text, s.content).endswith("if that happens too quickly,”")
    assert s.attrs["quote_type"] == "direct"
    for start in ("“Western countries want", "“The Iraqi army is stronger"):
        _, cont = _one(parsed, NATIONAL, start)
        assert cont.source == s.source
        assert cont.cue is None
        assert cont.rule == "continuation/quote"
        assert cont.attrs["quote_type"] == "direct"
    # The open-ended paragraph quote runs to the end of its paragraph.
    _, open_ended = _one(parsed, NATIONAL, "“Western countries want")
    assert _span(text, open_ended.content).endswith("mistakes of 2010-2014.")


def test_coordinated_cue_inherits_the_reporting_subject(parsed) -> None:  # type: ignore[no-untyped-def]
    text, said = _one(parsed, NATIONAL, "his country would accept")
    assert _span(text, said.content).endswith("bilateral security arrangements")
    _, cautioned = _one(parsed, NATIONAL, "making decisions too quickly")
    assert _span(text, cautioned.cue) == "cautioned"
    assert cautioned.source == said.source
    assert _span(text, said.source) == "The diplomat"


def test_photo_credit_is_not_an_attribution(parsed) -> None:  # type: ignore[no-untyped-def]
    text, suggestions = parsed[NATIONAL]
    assert all(_span(text, s.source) != "AFP" for s in suggestions)
    # "reportedly" in the same (repeated) caption is a sourceless, vague report.
    caption = [s for s in suggestions if s.rule == "hearsay/clause"]
    assert caption and all(s.source is None and s.attrs["naming"] == "vague" for s in caption)


# --- Al-Fassel and Dawn -------------------------------------------------------------


def test_straight_quote_before_inverted_cue(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, FASSEL, '"Iraq needs the United States')
    assert _span(text, s.source) == "political analyst Tariq al-Shammari"
    assert _span(text, s.content) == (
        '"Iraq needs the United States and the international coalition in general to stay,"'
    )
    assert (s.attrs["naming"], s.attrs["kind"], s.attrs["quote_type"]) == (
        "named",
        "expert",
        "direct",
    )


def test_surname_keeps_the_kind_and_that_is_left_out(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, FASSEL, '"the Iraqi negotiator')
    assert _span(text, s.source) == "Al-Shammari"
    assert _span(text, s.cue) == "stressed"
    assert (s.attrs["naming"], s.attrs["kind"], s.attrs["quote_type"]) == (
        "named",
        "expert",
        "direct",
    )
    text, s = _one(parsed, FASSEL, "Iran is directing")
    assert _span(text, s.source) == "He"


def test_cue_before_content_after_a_comma(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, FASSEL, 'ISIS "has failed')
    assert _span(text, s.source) == "international coalition commander Gen. Matthew MacFarlane"
    assert _span(text, s.content).endswith("compared to 2022")
    assert s.attrs["quote_type"] == "mixed"


def test_clause_running_into_a_quote_takes_it_in(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, FASSEL, "This will be done on a timeline")
    assert _span(text, s.source) == "Austin"
    assert _span(text, s.content).endswith('capability levels,"')
    assert s.attrs["kind"] == "official"


def test_vague_officials(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, DAWN, "the process is expected")
    assert _span(text, s.source) == "US and Iraqi officials"
    assert (s.attrs["naming"], s.attrs["kind"]) == ("vague", "official")


def test_dateline_is_not_the_source(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, DAWN, "Baghdad and Washington have agreed")
    assert _span(text, s.source) == "Iraq’s foreign ministry"
    assert (s.attrs["naming"], s.attrs["kind"]) == ("named", "official")


def test_confirmed_takes_an_object_content(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, DAWN, "meetings “in the coming days”")
    assert _span(text, s.cue) == "confirmed"
    assert _span(text, s.source) == "US Secretary of Defence Lloyd Austin"
    assert _span(text, s.content).endswith("between the two countries in August")
    assert s.rule == "cue_subject/object+statement"


def test_document_source(parsed) -> None:  # type: ignore[no-untyped-def]
    text, s = _one(parsed, DAWN, "The meetings would")
    assert _span(text, s.source) == "the statement"
    assert (s.attrs["naming"], s.attrs["kind"]) == ("named", "document")


# --- written sentences ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "source", "naming", "kind"),
    [
        ("According to AFP, the convoy was hit by two drones.", "AFP", "named", "wire_agency"),
        ("The base was evacuated, according to Reuters.", "Reuters", "named", "wire_agency"),
        ("Officials say the attack killed at least 12 people.", "Officials", "vague", "official"),
        ("Sources said the deal was signed on Tuesday.", "Sources", "vague", "other"),
        (
            "State media said the border would reopen on Monday.",
            "State media",
            "unnamed",
            "state_media",
        ),
        (
            "A ministry spokesperson told reporters that the airport would reopen.",
            "A ministry spokesperson",
            "unnamed",
            "spokesperson",
        ),
        (
            "Professor Jane Smith, a historian at Baghdad University, warned that cuts would hurt.",
            "Professor Jane Smith",
            "named",
            "expert",
        ),
        (
            "Kurdish witnesses said the strikes hit a school.",
            "Kurdish witnesses",
            "vague",
            "eyewitness",
        ),
    ],
)
def test_naming_and_kind(sentence: str, source: str, naming: str, kind: str) -> None:
    (s,) = _suggest(sentence)
    assert _span(sentence, s.source) == source
    assert (s.attrs["naming"], s.attrs["kind"]) == (naming, kind)


def test_quoted_as_saying_with_colon_and_curly_quotes() -> None:
    sentence = (
        "State television quoted President Ebrahim Raisi as saying: “Our response will be firm.”"
    )
    (s,) = _suggest(sentence)
    assert _span(sentence, s.source) == "President Ebrahim Raisi"
    assert _span(sentence, s.content) == "“Our response will be firm.”"
    assert s.attrs["intermediary"] == "State television"


def test_citing_makes_the_cited_party_the_source() -> None:
    sentence = "Reuters, citing two security sources, reported that the base had been evacuated."
    (s,) = _suggest(sentence)
    assert _span(sentence, s.source) == "two security sources"
    assert s.attrs["intermediary"] == "Reuters"
    assert s.attrs["naming"] == "vague"
    assert _span(sentence, s.content) == "the base had been evacuated"


def test_agentless_passive_has_no_source() -> None:
    sentence = "It was reported that dozens of fighters had crossed the border."
    (s,) = _suggest(sentence)
    assert s.source is None
    assert s.attrs["naming"] == "vague"
    assert _span(sentence, s.content) == "dozens of fighters had crossed the border"


def test_straight_quote_after_cue_and_warned() -> None:
    sentence = 'The minister warned: "We will not wait forever."'
    (s,) = _suggest(sentence)
    assert _span(sentence, s.source) == "The minister"
    assert _span(sentence, s.content) == '"We will not wait forever."'
    assert s.attrs["quote_type"] == "direct"


@pytest.mark.parametrize(
    "sentence",
    [
        "A spokesman for the European Commission declined to comment.",
        "The ministry's statement did not say how many people had been detained.",
        "It would have been better if the summit had announced practical measures.",
    ],
)
def test_no_attribution_without_asserted_content(sentence: str) -> None:
    assert _suggest(sentence) == []


def test_blank_pipeline_gives_no_attributions() -> None:
    nlp = load_model("blank:en").nlp
    assert suggest_attributions(nlp("Officials said the talks failed.")) == []
    assert suggest_attributions(Doc(nlp.vocab, words=[])) == []


# --- quotations -------------------------------------------------------------------------


def test_find_quotes() -> None:
    text = (
        'He said "yes," and then “no”.\n\n'
        "“An open quote runs on\n\n"
        "A 'sustainable relationship,' said Iraq’s envoy, isn't 'it?"
    )
    quotes = find_quotes(text)
    got = [(text[q.start : q.end], q.open_ended) for q in quotes]
    assert got == [
        ('"yes,"', False),
        ("“no”", False),
        ("“An open quote runs on", True),
        ("'sustainable relationship,'", False),
    ]
    assert all(isinstance(q, Quote) for q in quotes)


# --- the labelled set ------------------------------------------------------------------


def test_gold_file_is_consistent() -> None:
    records = [json.loads(line) for line in (DATA / "gold.jsonl").read_text("utf-8").splitlines()]
    assert 40 <= len(records) <= 120
    for rec in records:
        text = _text(rec["doc"])
        for part in ("source", "content"):
            span = rec[part]
            assert text[span["start"] : span["end"]] == span["text"], rec
        assert rec["naming"] in ("named", "unnamed", "vague")
        assert rec["kind"] in KINDS
        assert rec["quote_type"] in ("direct", "indirect", "mixed")
        assert rec["split"] in ("samples", "own", "heldout", "heldout2")


def test_quality_on_the_labelled_set_does_not_regress() -> None:
    """Floors a bit under the measured figures (see tests/bench/bench_attribution.py)."""
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_attribution.py"
    spec = importlib.util.spec_from_file_location("bench_attribution", path)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up there
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    results = bench.evaluate()
    total = results["all"]
    assert total.found / total.gold >= 0.9
    assert total.exact_source / total.gold >= 0.85
    assert total.naming / total.found >= 0.9
    assert total.kind / total.found >= 0.9
    assert total.predicted_matched / total.predicted >= 0.9
