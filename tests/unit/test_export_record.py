"""Export records, metrics, splits, Prodigy tasks and token offsets (the real tokenizer)."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
import spacy

from annotator.core import schema as schema_mod
from annotator.core.errors import InputError
from annotator.core.export_record import (
    build_record,
    compute_metrics,
    format_time,
    parse_record,
    parse_time,
    record_meta,
    to_prodigy,
)
from annotator.core.model import RelationData, SpanData
from annotator.core.split import assign, parse_split
from annotator.core.text import sha256
from annotator.nlp.tokens import TokenIndex
from annotator.paths import resources_dir

SCHEMA = json.loads((resources_dir() / "export_record.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
TEXT = ("Breaking 🔴 Live\n\nقال المتحدث إن الوضع هادئ.\n\n"
        "The ministry said the talks “went well”, Reuters reported. Officials, who asked "
        "not to be named, disputed it.\n")


@pytest.fixture(scope="module")
def tokens() -> TokenIndex:
    return TokenIndex()


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    return spacy.blank("en").tokenizer


def _find(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def _labels() -> tuple[list[SpanData], list[RelationData]]:
    spans = []
    for uid, label, piece, attrs in [
        ("s1", "SOURCE", "The ministry", {"naming": "named", "kind": "official"}),
        ("c1", "CUE", "said", {}),
        ("k1", "CLAIM", "the talks “went well”", {"checkworthy": "yes"}),
        ("s2", "SOURCE", "Reuters", {"naming": "named", "kind": "wire_agency"}),
        ("s3", "SOURCE", "Officials, who asked not to be named", {"naming": "unnamed"}),
        ("k2", "CLAIM", "disputed it", {}),
        ("s4", "SOURCE", "الم", {}),  # a SOURCE with no naming: not anonymous
    ]:
        start, end = _find(TEXT, piece)
        spans.append(SpanData(uid, label, start, end, attrs))
    relations = [RelationData("r1", "ATTRIBUTION", "s1", "k1", "c1", {"quote_type": "direct"}),
                 RelationData("r2", "ATTRIBUTION", "s2", "k1", None, {"quote_type": "indirect"})]
    return spans, relations


def _record_args(tokens: TokenIndex) -> dict:
    from annotator.core.blocks import segment

    spans, relations = _labels()
    blocks = [(b.start, b.end) for b in segment(TEXT)]
    return dict(
        doc_id=sha256(TEXT), text=TEXT, meta=record_meta("A title", "wire.txt", {"url": "u"}),
        annotator="alice", status="done", updated_at=datetime(2025, 3, 1, 12, 30, 5, 123456),
        blocks=blocks, block_labels={0: "navigation", 2: "content"}, spans=spans,
        token_spans=tokens.span_tokens(TEXT, [(s.start, s.end) for s in spans]),
        relations=relations, doc_labels={"sourcing": "partly_sourced"},
        boilerplate=schema_mod.default().boilerplate_names,
    )


def _record(tokens: TokenIndex) -> dict:
    return build_record(**_record_args(tokens))


# -- token offsets ----------------------------------------------------------------------------
def _reference(tokenizer, text: str) -> tuple[list[int], list[int]]:  # type: ignore[no-untyped-def]
    doc = tokenizer(text)
    return [t.idx for t in doc], [t.idx + len(t) for t in doc]


def test_token_bounds_equal_the_spacy_tokenizer_on_news(tokens, tokenizer, samples) -> None:  # type: ignore[no-untyped-def]
    for path in samples:
        text = path.read_text(encoding="utf-8")
        assert tokens.bounds(text) == _reference(tokenizer, text), path.name
    for text in [TEXT, "  leading spaces\tand\ttabs  ", "\n\nMr. Smith's U.S. co. 10a.m. x",
                 "emoji 👍🏽 then ZWJ 👨‍👩‍👧 and e\u0301 combining", "a  b   c\u00a0d\u2009e",
                 "said: (Reuters) — “quoted” ... can't won't", " ", "x"]:
        assert tokens.bounds(text) == _reference(tokenizer, text), repr(text)


def test_token_bounds_equal_the_tokenizer_on_fuzzed_special_cases(tokens, tokenizer) -> None:  # type: ignore[no-untyped-def]
    """Emoticons and abbreviations next to spaces are where the chunk cache could differ
    from whole-text tokenization; the risk check must send those texts the slow way."""
    rng = random.Random(7)
    pieces = list("ab .,:;()!?'\"-\n\t\u00a0") + [
        " ", "  ", ":)", ": )", "(:", "):", "😀", "مرحبا", "e.g.", "U.S.", "don't", "Mr.",
        "http://x.com", "10km", "$5", "...", "—", "<3", "^_^", "8)", "x", "D", "'s", "a.m.",
        "said", "the", "Dec.", "o.O", "=)", ":-)", "’s",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        assert tokens.bounds(text) == _reference(tokenizer, text), repr(text)


def test_span_tokens_expand_to_overlapping_tokens(tokens, tokenizer) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    texts = [TEXT, "Mr. Smith's  claim:\n\n“It’s over” 👍🏽 he said.", "a" * 5 + " b"]
    for text in texts:
        starts, ends = _reference(tokenizer, text)
        for _ in range(300):
            start = rng.randrange(len(text))
            end = rng.randint(start + 1, len(text))
            first = next((i for i, e in enumerate(ends) if e > start), len(starts))
            last = max((i for i, s in enumerate(starts) if s < end), default=-1)
            assert tokens.span_tokens(text, [(start, end)]) == [(first, last)]
    doc = tokenizer(TEXT)
    start, end = _find(TEXT, "the talks “went well”")
    [(first, last)] = tokens.span_tokens(TEXT, [(start, end)])
    span = doc.char_span(start, end)
    assert (first, last) == (span.start, span.end - 1)


def test_cache_reset_keeps_results(tokenizer) -> None:  # type: ignore[no-untyped-def]
    small = TokenIndex(cache_limit=5)
    for text in [TEXT, TEXT.upper(), "one two three four five six seven", TEXT]:
        assert small.bounds(text) == _reference(tokenizer, text)
    assert len(small._cache) <= 40


# -- metrics ----------------------------------------------------------------------------------
def test_metrics_follow_their_definitions() -> None:
    spans, relations = _labels()
    blocks = [(0, 10), (10, 40), (40, 100)]
    metrics = compute_metrics(blocks, {0: "navigation", 1: "content"}, spans, relations, TEXT,
                              {"navigation", "caption"})
    assert metrics == {
        "attributed_claim_share": 0.5,  # k1 attributed, k2 not
        "anonymous_source_share": 0.25,  # s3 unnamed of 4 sources (s4 has no naming)
        "direct_quote_share": 0.5,
        "distinct_sources": 4,
        "boilerplate_char_share": 0.1,  # 10 of 100 characters
    }


def test_metrics_of_nothing_are_null_not_zero() -> None:
    metrics = compute_metrics([], {}, [], [], "x", set())
    assert metrics == {"attributed_claim_share": None, "anonymous_source_share": None,
                       "direct_quote_share": None, "distinct_sources": 0,
                       "boilerplate_char_share": None}


def test_distinct_sources_fold_case_and_spaces() -> None:
    text = "The Ministry said. the  ministry said. Reuters said."
    spans = [SpanData(str(i), "SOURCE", *_find(text, piece)) for i, piece in
             enumerate(["The Ministry", "the  ministry", "Reuters"])]
    assert compute_metrics([], {}, spans, [], text, set())["distinct_sources"] == 2


# -- the record -------------------------------------------------------------------------------
def test_record_matches_the_design_and_the_json_schema(tokens) -> None:  # type: ignore[no-untyped-def]
    record = _record(tokens)
    VALIDATOR.validate(record)
    assert list(record) == ["id", "text", "meta", "annotator", "status", "updated_at", "blocks",
                            "spans", "relations", "doc_labels", "metrics"]
    assert record["updated_at"] == "2025-03-01T12:30:05.123456Z"
    assert record["meta"] == {"source": "wire.txt", "title": "A title", "url": "u"}
    # Done: the unmarked block 1 is content, as in the DocBin and the agreement figures.
    assert [b["label"] for b in record["blocks"]][:3] == ["navigation", "content", "content"]
    claim = next(s for s in record["spans"] if s["id"] == "k1")
    assert claim["text"] == "the talks “went well”"
    doc = spacy.blank("en")(TEXT)
    assert doc[claim["token_start"] : claim["token_end"] + 1].text == claim["text"]
    assert record["relations"][0] == {"id": "r1", "head": "s1", "child": "k1", "cue": "c1",
                                      "label": "ATTRIBUTION", "attrs": {"quote_type": "direct"}}


def test_unmarked_blocks_are_null_only_while_the_document_is_not_done(tokens) -> None:  # type: ignore[no-untyped-def]
    done = _record(tokens)
    for status in ("todo", "in_progress", "skipped", None):
        record = build_record(**{**_record_args(tokens), "status": status})
        VALIDATOR.validate(record)
        labels = [b["label"] for b in record["blocks"]]
        assert labels[:3] == ["navigation", None, "content"]
        assert labels.count(None) == len(labels) - 2
    assert None not in [b["label"] for b in done["blocks"]]


def test_parse_record_reads_back_what_build_record_wrote(tokens) -> None:  # type: ignore[no-untyped-def]
    record = _record(tokens)
    parsed = parse_record(json.loads(json.dumps(record)), schema_mod.default())
    spans, relations = _labels()
    assert parsed.labels.spans == spans
    assert parsed.labels.relations == relations
    assert parsed.labels.updated_at == datetime(2025, 3, 1, 12, 30, 5, 123456)
    assert (*parsed.document.blocks[0], parsed.labels.blocks[0]) == (
        record["blocks"][0]["start"], record["blocks"][0]["end"], "navigation")
    assert parsed.labels.doc_labels == {"sourcing": "partly_sourced"}


def _broken(tokens: TokenIndex, change) -> dict:  # type: ignore[no-untyped-def]
    record = json.loads(json.dumps(_record(tokens)))
    change(record)
    return record


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["spans"][0].update(end=10_000),
         "span s1 [45, 10000) falls outside the text (length 155)"),
        (lambda r: r["spans"][0].update(start=-1), "span s1 [-1,"),
        (lambda r: r["spans"][0].update(text="The Minister"),
         "span s1 text 'The Minister' does not match the text at"),
        (lambda r: r.update(text=r["text"] + "!"), '"id" is not the SHA-256 of "text"'),
        (lambda r: r.update(id="abc"), '"id" must be the 64-digit SHA-256'),
        (lambda r: r["relations"][0].update(head="nope"), "relation r1 head 'nope' is not a span"),
        (lambda r: r["spans"][1].update(label="QUOTE"), "label 'QUOTE' is not in this project"),
        (lambda r: r["relations"][0].update(child="s2"), "relation r1 child must be CLAIM or "
         "CONTENT, not SOURCE"),
        (lambda r: r["blocks"][1].update(start=0), "block 1 [0, "),
        (lambda r: r.update(updated_at="yesterday"), "not an ISO 8601 time"),
        (lambda r: r.update(status="finished"), "\"status\" 'finished' is not one of"),
        (lambda r: r["doc_labels"].update(sourcing="great"), "'great' is not a value of"),
        (lambda r: r.update(annotator=""), '"annotator" must be a non-empty name'),
    ],
)
def test_parse_record_refuses_with_one_clear_line(tokens, change, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        parse_record(_broken(tokens, change), schema_mod.default())
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_offsets_count_code_points_after_emoji_and_arabic(tokens) -> None:  # type: ignore[no-untyped-def]
    record = _record(tokens)
    source = next(s for s in record["spans"] if s["id"] == "s4")
    assert TEXT[source["start"] : source["end"]] == "الم" == source["text"]
    assert source["start"] == TEXT.index("الم")  # code points, not UTF-16 or bytes


def test_times_are_utc_iso_8601() -> None:
    assert parse_time("2025-03-01T13:30:05+01:00") == datetime(2025, 3, 1, 12, 30, 5)
    assert parse_time("2025-03-01T12:30:05Z") == datetime(2025, 3, 1, 12, 30, 5)
    assert format_time(datetime(2025, 3, 1, 12, 30, 5)) == "2025-03-01T12:30:05Z"
    assert format_time(None) is None


# -- Prodigy ----------------------------------------------------------------------------------
def test_prodigy_task_uses_token_indices_and_inclusive_ends(tokens) -> None:  # type: ignore[no-untyped-def]
    record = _record(tokens)
    task = to_prodigy(record, *tokens.bounds(TEXT))
    doc = spacy.blank("en")(TEXT)
    assert [t["text"] for t in task["tokens"]] == [t.text for t in doc]
    assert [t["ws"] for t in task["tokens"]] == [bool(t.whitespace_) for t in doc]
    relation = task["relations"][0]
    claim = next(s for s in record["spans"] if s["id"] == "k1")
    assert relation["child"] == claim["token_end"] == relation["child_span"]["token_end"]
    assert relation["head_span"]["label"] == "SOURCE"
    assert task["answer"] == "accept" and task["_annotator_id"] == "alice"
    assert task["spans"][0]["token_start"] <= task["spans"][0]["token_end"]
    assert task["accept"] == ["partly_sourced"]
    assert isinstance(task["_input_hash"], int) and -(2**31) <= task["_task_hash"] < 2**31


# -- splits -----------------------------------------------------------------------------------
def test_split_is_deterministic_by_document_and_near_its_fractions() -> None:
    split = parse_split("train=0.8,dev=0.1,test=0.1")
    ids = [sha256(str(i)) for i in range(10_000)]
    first = [assign(d, split, seed=1) for d in ids]
    assert first == [assign(d, split, seed=1) for d in ids]
    assert first != [assign(d, split, seed=2) for d in ids]
    assert [assign(d, split, 1) for d in reversed(ids)] == list(reversed(first))
    counts = {name: first.count(name) / len(ids) for name in split}
    assert counts["train"] == pytest.approx(0.8, abs=0.02)
    assert counts["dev"] == pytest.approx(0.1, abs=0.02)


@pytest.mark.parametrize(
    ("spec", "message"),
    [("train=0.8,dev=0.1", "add up to 0.9"), ("train", "not NAME=FRACTION"),
     ("train=x,dev=1", "'x' is not a number"), ("a/b=1", "may only use"),
     ("train=0.5,train=0.5", "given twice"), ("train=-1,dev=2", "must be 0 or more")],
)
def test_split_spec_errors(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_split(spec)


def test_schema_file_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert Path(resources_dir() / "export_record.schema.json").is_file()
