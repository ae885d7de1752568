"""The shared value types: one definition each, one key order, one way in and out of
export records."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

import annotator
from annotator.core import merge_majority
from annotator.core.agreement import relations as agreement_relations
from annotator.core.blocks import segment
from annotator.core.errors import InputError
from annotator.core.export_record import build_record, parse_record
from annotator.core.model import (
    Annotations,
    Block,
    DocumentData,
    RelationData,
    SpanData,
    relation_key,
)
from annotator.core.text import sha256
from annotator.core.vocabulary import Status

PACKAGE = Path(annotator.__file__).parent
TEXT = "Officials said the bridge would reopen. “It is safe,” the mayor told reporters."

# Classes that are core.model's, and the old copies that must not come back.
MODEL_TYPES = {"SpanData", "RelationData", "Annotations", "SuggestionRow", "NewSuggestion",
               "DocumentData"}
FOLDED = {"MSpan", "MRelation", "ExportSpan", "ExportRelation", "ExportLabels", "RecordSpan",
          "RecordRelation", "SpanLike", "RelationLike", "NewDocument", "ExportDocument"}
KEY_ALIASES = {"SpanKey", "RelationKey"}


def _span(uid: str, label: str, piece: str, attrs: dict[str, str] | None = None) -> SpanData:
    start = TEXT.index(piece)
    return SpanData(uid, label, start, start + len(piece), attrs or {})


def _labels() -> tuple[list[SpanData], list[RelationData]]:
    spans = [
        _span("s1", "SOURCE", "Officials", {"naming": "vague", "kind": "official"}),
        _span("c1", "CUE", "said"),
        _span("k1", "CLAIM", "the bridge would reopen", {"checkworthy": "yes"}),
        _span("s2", "SOURCE", "the mayor", {"naming": "named"}),
        _span("k2", "CONTENT", "It is safe,"),
    ]
    relations = [
        RelationData("r1", "ATTRIBUTION", "s1", "k1", "c1", {"quote_type": "indirect"}),
        RelationData("r2", "ATTRIBUTION", "s2", "k2", None, {"quote_type": "direct"}),
    ]
    return spans, relations


def _record(spans: list[SpanData], relations: list[RelationData], *,
            blocks: list[tuple[int, int]] | None = None, block_labels: dict[int, str] | None = None,
            status: Status = Status.DONE) -> dict[str, Any]:
    return build_record(
        doc_id=sha256(TEXT), text=TEXT, meta={"source": "test", "title": "Bridge"},
        annotator="alice", status=status, updated_at=None, blocks=blocks or [(0, len(TEXT))],
        block_labels=block_labels or {}, spans=spans,
        token_spans=[(i, i) for i in range(len(spans))], relations=relations,
        doc_labels={"sourcing": "partly_sourced"}, boilerplate=(),
    )


def test_spans_and_relations_survive_an_export_record_written_as_json() -> None:
    spans, relations = _labels()
    line = json.dumps(_record(spans, relations), ensure_ascii=False)
    back = parse_record(json.loads(line))
    assert back.labels.spans == spans
    assert back.labels.relations == relations
    written = json.loads(line)
    assert written["spans"][2] == {
        "id": "k1", "start": spans[2].start, "end": spans[2].end, "label": "CLAIM",
        "text": "the bridge would reopen", "token_start": 2, "token_end": 2,
        "attrs": {"checkworthy": "yes"},
    }
    assert written["relations"][1] == {"id": "r2", "head": "s2", "child": "k2", "cue": None,
                                       "label": "ATTRIBUTION", "attrs": {"quote_type": "direct"}}


def test_one_value_to_and_from_its_record_item() -> None:
    span = _span("s1", "SOURCE", "the mayor", {"naming": "named"})
    item = span.to_record(TEXT, 9, 10)
    assert list(item) == ["id", "start", "end", "label", "text", "token_start", "token_end",
                          "attrs"]
    assert item["text"] == "the mayor"
    assert SpanData.from_record(item) == span
    item["attrs"]["naming"] = "vague"  # the record holds a copy, not the span's dict
    assert span.attrs == {"naming": "named"}
    relation = RelationData("r1", "ATTRIBUTION", "s1", "k1", "c1", {"quote_type": "mixed"})
    assert list(relation.to_record()) == ["id", "head", "child", "cue", "label", "attrs"]
    assert RelationData.from_record(relation.to_record()) == relation


def test_a_record_reads_back_as_the_document_and_the_work_it_was_written_from() -> None:
    spans, relations = _labels()
    quote = TEXT.index("“")
    blocks = [(0, quote - 1), (quote, len(TEXT))]
    record = _record(spans, relations, blocks=blocks, block_labels={1: "content"},
                     status=Status.IN_PROGRESS)
    back = parse_record(json.loads(json.dumps(record, ensure_ascii=False)))
    # title and source come back out of "meta", where the export put them
    assert back.document == DocumentData(sha256(TEXT), TEXT, "Bridge", "test",
                                         {"source": "test", "title": "Bridge"}, blocks)
    assert back.annotator == "alice"
    # an unmarked block of unfinished work is absent; labels index the record's blocks
    assert back.labels == Annotations(blocks={1: "content"}, spans=spans, relations=relations,
                                      doc_labels={"sourcing": "partly_sourced"},
                                      status=Status.IN_PROGRESS)


def test_a_record_without_status_or_title_is_untitled_work_to_do() -> None:
    record = json.loads(json.dumps(_record(*_labels())))
    record["status"] = None
    del record["meta"]["title"]
    back = parse_record(record)
    assert back.labels.status == Status.TODO
    assert (back.document.title, back.document.source) == ("", "test")


def test_a_record_relation_without_an_id_reads_with_an_empty_uid() -> None:
    spans, relations = _labels()
    record = _record(spans, relations)
    for item in record["relations"]:
        del item["id"]
    back = parse_record(json.loads(json.dumps(record)))
    assert [r.uid for r in back.labels.relations] == ["", ""]
    assert [(r.head, r.child, r.cue) for r in back.labels.relations] == [
        ("s1", "k1", "c1"), ("s2", "k2", None)]


def test_a_record_item_that_does_not_match_its_text_is_refused_before_it_becomes_a_value(
) -> None:
    spans, relations = _labels()
    record = json.loads(json.dumps(_record(spans, relations)))
    record["spans"][0]["text"] = "Someone"
    with pytest.raises(InputError, match="span s1 text 'Someone' does not match"):
        parse_record(record)


def test_keys_are_label_start_end_everywhere() -> None:
    spans, relations = _labels()
    claim = spans[2]
    assert claim.key == ("CLAIM", claim.start, claim.end)
    keys = {s.uid: s.key for s in spans}
    assert relation_key(relations[0], keys) == (spans[0].key, spans[2].key, "ATTRIBUTION")
    assert relation_key(RelationData("r9", "ATTRIBUTION", "s1", "gone"), keys) is None
    # The merge and the agreement measures compare with the same keys.
    work = {name: Annotations(spans=spans, relations=relations, status=Status.DONE)
            for name in ("alice", "bob")}
    merged = merge_majority.merge(work, min_annotators=2, min_share=0.5)
    assert [s.key for s in merged.spans] == sorted((s.key for s in spans),
                                                   key=lambda k: (k[1], k[2], k[0]))
    assert {r.key for r in merged.relations} == {relation_key(r, keys) for r in relations}
    relation_keys = [key for r in relations if (key := relation_key(r, keys)) is not None]
    strict = agreement_relations.relation_f1_strict(relation_keys, list(relation_keys))
    assert strict.matches == 2 and strict.value == 1.0


def test_annotations_start_as_an_untouched_document() -> None:
    fresh = Annotations()
    assert fresh.status == "todo" and fresh.blocks == {} and fresh.spans == []
    other = Annotations()
    other.spans.append(_span("s1", "SOURCE", "Officials"))
    assert fresh.spans == []  # no list shared between instances


def _definitions() -> dict[str, list[str]]:
    """Every class and every module-level alias defined in the package, by name."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(PACKAGE.parent))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                found.setdefault(node.name, []).append(where)
        for node in tree.body:
            targets = (node.targets if isinstance(node, ast.Assign)
                       else [node.target] if isinstance(node, ast.AnnAssign) else [])
            for target in targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(where)
    return found


def test_each_value_type_and_key_is_defined_once_in_core_model() -> None:
    found = _definitions()
    for name in MODEL_TYPES | KEY_ALIASES:
        assert found.get(name) == ["annotator/core/model.py"], name
    assert {name: found[name] for name in FOLDED if name in found} == {}
    # A block's value, and beside it only the store's table that holds blocks.
    assert found.get("Block") == ["annotator/core/model.py", "annotator/store/models.py"]
    assert {type(block) for block in segment("One.\n\nTwo.")} == {Block}
