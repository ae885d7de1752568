"""The attribution evaluation set (tests/data/attribution_set): 40 written news articles
labelled as gold export records before any suggester ran on them.

Checks that the file is a valid, self-consistent set of export records, that its split
is the fixed one (articles 1-30 train, 31-40 test) and that a real project takes the
whole file in as gold labels without refusing anything.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from annotator.core import schema as schema_mod
from annotator.core.export_record import parse_record
from annotator.core.text import sha256
from annotator.nlp.tokens import TokenIndex
from annotator.paths import resources_dir
from annotator.services.export import ExportOptions, iter_records
from annotator.services.importing import import_paths

SET = Path(__file__).resolve().parents[1] / "data" / "attribution_set" / "articles.jsonl"
SCHEMA = json.loads((resources_dir() / "export_record.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
LABEL_SCHEMA = schema_mod.default()
_SOURCE_ATTRS = next(s.attrs for s in LABEL_SCHEMA.spans if s.name == "SOURCE")
NAMING = set(_SOURCE_ATTRS["naming"])
KINDS = set(_SOURCE_ATTRS["kind"])
QUOTE_TYPES = set(next(r.attrs for r in LABEL_SCHEMA.relations
                       if r.name == "ATTRIBUTION")["quote_type"])


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    lines = SET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _spans(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in record["spans"]}


def test_every_record_validates_against_the_export_schema(records) -> None:  # type: ignore[no-untyped-def]
    for record in records:
        errors = [e.message for e in VALIDATOR.iter_errors(record)]
        assert not errors, (record["meta"]["title"], errors)


def test_ids_are_the_sha256_of_the_text(records) -> None:  # type: ignore[no-untyped-def]
    for record in records:
        assert record["id"] == sha256(record["text"]), record["meta"]["title"]
    assert len({r["id"] for r in records}) == len(records)


def test_records_are_gold_and_done(records) -> None:  # type: ignore[no-untyped-def]
    for record in records:
        assert record["annotator"] == "gold"
        assert record["status"] == "done"
        assert record["blocks"] == [] and record["doc_labels"] == {}
        assert {"source", "title", "split", "style"} <= set(record["meta"])
        assert record["text"].startswith(record["meta"]["title"] + "\n")


def test_span_texts_and_token_offsets_match_the_text(records) -> None:  # type: ignore[no-untyped-def]
    tokens = TokenIndex()
    for record in records:
        text = record["text"]
        spans = record["spans"]
        assert len({s["id"] for s in spans}) == len(spans)
        for span in spans:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert span["text"] == text[span["start"] : span["end"]], span
            assert span["text"] == span["text"].strip(), span
            assert span["label"] in {"SOURCE", "CUE", "CONTENT"}, span
        expected = tokens.span_tokens(text, [(s["start"], s["end"]) for s in spans])
        got = [(s["token_start"], s["token_end"]) for s in spans]
        assert got == expected, record["meta"]["title"]


def test_relations_link_source_content_and_cue(records) -> None:  # type: ignore[no-untyped-def]
    for record in records:
        spans = _spans(record)
        assert len({r["id"] for r in record["relations"]}) == len(record["relations"])
        linked = set()
        for rel in record["relations"]:
            assert rel["label"] == "ATTRIBUTION"
            assert spans[rel["head"]]["label"] == "SOURCE", rel
            assert spans[rel["child"]]["label"] == "CONTENT", rel
            assert rel["cue"] is None or spans[rel["cue"]]["label"] == "CUE", rel
            assert rel["attrs"]["quote_type"] in QUOTE_TYPES, rel
            linked.update(x for x in (rel["head"], rel["child"], rel["cue"]) if x)
        # no stray span: every span takes part in an attribution
        assert linked == set(spans), record["meta"]["title"]


def test_source_attributes(records) -> None:  # type: ignore[no-untyped-def]
    for record in records:
        flat = " ".join(record["text"].split())
        for span in record["spans"]:
            if span["label"] != "SOURCE":
                assert span["attrs"] == {}, span
                continue
            attrs = span["attrs"]
            assert attrs["naming"] in NAMING and attrs["kind"] in KINDS, span
            assert set(attrs) <= {"naming", "kind", "resolved"}, span
            if "resolved" in attrs:
                # the antecedent is written out in the article, as first mentioned
                assert " ".join(attrs["resolved"].split()) in flat, span


def test_records_parse_against_the_default_label_schema(records) -> None:  # type: ignore[no-untyped-def]
    for record in records:
        parsed = parse_record(record, LABEL_SCHEMA)
        assert len(parsed.labels.relations) == len(record["relations"])


def test_fixed_split_and_size(records) -> None:  # type: ignore[no-untyped-def]
    assert len(records) == 40
    splits = Counter(r["meta"]["split"] for r in records)
    assert splits == {"train": 30, "test": 10}
    for number, record in enumerate(records, start=1):
        assert record["meta"]["number"] == number
        assert record["meta"]["split"] == ("train" if number <= 30 else "test")
    # every style of the test part also occurs in the train part
    styles = {s: {r["meta"]["style"] for r in records if r["meta"]["split"] == s}
              for s in ("train", "test")}
    assert styles["test"] <= styles["train"]
    assert sum(len(r["relations"]) for r in records) >= 300
    assert min(len(r["relations"]) for r in records) >= 8
    for record in records:
        assert 150 <= len(record["text"].split()) <= 450, record["meta"]["title"]


def test_whole_file_imports_into_a_project_as_gold(project, records) -> None:  # type: ignore[no-untyped-def]
    summary = import_paths(project, [SET])
    assert summary.refused == []
    assert summary.merged == 40
    assert summary.imported == 40
    assert (summary.duplicates, summary.older) == (0, 0)

    exported = {r["id"]: r for r in iter_records(project, ExportOptions(gold=True))}
    assert len(exported) == 40
    for record in records:
        back = exported[record["id"]]
        assert back["text"] == record["text"]
        assert back["status"] == "done"

        def spans(rec: dict[str, Any]) -> set[tuple[Any, ...]]:
            return {(s["label"], s["start"], s["end"], s["token_start"], s["token_end"],
                     json.dumps(s["attrs"], sort_keys=True)) for s in rec["spans"]}

        def relations(rec: dict[str, Any]) -> set[tuple[Any, ...]]:
            where = {s["id"]: (s["label"], s["start"], s["end"]) for s in rec["spans"]}
            return {(r["label"], where[r["head"]], where[r["child"]],
                     where[r["cue"]] if r["cue"] else None,
                     json.dumps(r["attrs"], sort_keys=True)) for r in rec["relations"]}

        assert spans(back) == spans(record), record["meta"]["title"]
        assert relations(back) == relations(record), record["meta"]["title"]

    again = import_paths(project, [SET])
    assert again.refused == [] and again.merged == 0 and again.unchanged == 40
