"""Export reads and merge writes against a real SQLite file; the export service on top."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest

from annotator.core.errors import InputError
from annotator.core.model import Annotations, DocumentData, NewSuggestion, RelationData, SpanData
from annotator.core.text import sha256
from annotator.paths import resources_dir
from annotator.services.annotation import AnnotationService
from annotator.services.export import ExportOptions, export, iter_records
from annotator.services.importing import import_paths
from annotator.store import export_queries as q
from annotator.store.documents import list_documents
from annotator.store.suggestions import replace_for_document

VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((resources_dir() / "export_record.schema.json").read_text(encoding="utf-8"))
)


def _docs(n: int) -> list[q.BulkDocument]:
    items = []
    for i in range(n):
        text = f"Headline number {i}\n\nThe ministry said talks went well, officials said {i}."
        start = text.index("The ministry")

        def labels(who: str, i: int = i, start: int = start) -> Annotations:
            return Annotations(
                blocks={0: "metadata", 1: "content"},
                spans=[SpanData(f"{who}s{i}", "SOURCE", start, start + 12, {"naming": "named"}),
                       SpanData(f"{who}c{i}", "CLAIM", start + 18, start + 33, {})],
                relations=[RelationData(f"{who}r{i}", "ATTRIBUTION", f"{who}s{i}", f"{who}c{i}",
                                        None, {"quote_type": "indirect"})],
                doc_labels={"sourcing": "poorly_sourced"},
                status="done" if i % 3 else "in_progress",
                updated_at=datetime(2025, 1, 1, 0, 0, i % 60),
            )

        items.append(q.BulkDocument(
            DocumentData(sha256(text), text, f"Headline number {i}", "bench", {"n": i},
                        [(0, len(f"Headline number {i}")), (start, len(text))]),
            {"alice": labels("a"), "bob": labels("b")} if i % 2 else {"alice": labels("a")},
        ))
    return items


@pytest.fixture
def filled(project):  # type: ignore[no-untyped-def]
    with project.session() as session:
        q.bulk_insert(session, _docs(12))
    return project


def test_pages_yield_every_pair_once_in_document_order(filled) -> None:  # type: ignore[no-untyped-def]
    with filled.sessions() as session:
        ids = q.annotators(session)
        chosen = {ids["alice"]: "alice", ids["bob"]: "bob"}
        paged = [(i.document.id, i.annotator) for i in
                 q.iter_items(session, chosen, ("done",), page=2)]
        whole = [(i.document.id, i.annotator) for i in q.iter_items(session, chosen, ("done",))]
        assert paged == whole
        assert len(whole) == q.count_items(session, list(chosen), ("done",)) == 12
        assert whole == sorted(whole)
        anything = list(q.iter_items(session, chosen, None, page=5))
        assert len(anything) == 18
        item = anything[0]
        assert item.labels.blocks == {0: "metadata", 1: "content"}
        assert item.labels.relations[0].head == item.labels.spans[0].uid


def test_replace_labels_keeps_the_records_time(filled) -> None:  # type: ignore[no-untyped-def]
    when = datetime(2024, 5, 6, 7, 8, 9, 10)
    with filled.session() as session:
        ids = q.annotators(session)
        doc_id = q.document_ids(session, [sha256(
            "Headline number 1\n\nThe ministry said talks went well, officials said 1."
        )]).popitem()[1]
        labels = Annotations(blocks={1: "promo"}, spans=[SpanData("new", "CLAIM", 0, 8, {})],
                             status="skipped")
        q.replace_labels(session, doc_id, ids["alice"], labels, when)
    from annotator.store import annotations as db

    with filled.sessions() as session:
        stored = db.load(session, doc_id, ids["alice"])
        assert stored.blocks == {1: "promo"} and stored.status == "skipped"
        assert [s.uid for s in stored.spans] == ["new"] and stored.relations == []
        assert stored.updated_at == when
        assert db.load(session, doc_id, ids["bob"]).spans[0].uid == "bs1"  # bob untouched
        assert q.foreign_uids(session, ["new", "bs1"], ["br1"], doc_id, ids["alice"]) == {
            "bs1", "br1"}


def test_jsonl_export_validates_and_reports_progress(filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    summary = export(filled, ExportOptions(all_annotators=True), tmp_path / "all.jsonl",
                     progress=lambda done, total, _stage: seen.append((done, total)))
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert summary.records == len(lines) == 12 and summary.documents == 8
    assert seen[-1] == (12, 12)
    for line in lines:
        record = json.loads(line)
        VALIDATOR.validate(record)
        assert record["status"] == "done"
        assert record["metrics"]["attributed_claim_share"] == 1.0
        assert record["metrics"]["boilerplate_char_share"] == pytest.approx(
            record["blocks"][0]["end"] / sum(b["end"] - b["start"] for b in record["blocks"]),
            abs=1e-4)
    assert not list(tmp_path.glob(".*.part"))


def test_split_writes_one_file_per_part_by_document(filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    options = ExportOptions(all_annotators=True, statuses=None,
                            split={"train": 0.5, "dev": 0.25, "test": 0.25}, seed=4)
    summary = export(filled, options, tmp_path / "corpus")
    parts = {name: [json.loads(x) for x in (tmp_path / "corpus" / f"{name}.jsonl").open()]
             for name in ("train", "dev", "test")}
    assert sum(map(len, parts.values())) == summary.records == 18
    where = {}
    for name, records in parts.items():
        for record in records:
            assert where.setdefault(record["id"], name) == name  # both annotators, one part
    again = export(filled, options, tmp_path / "again")
    assert again.files == {str(tmp_path / "again" / f"{n}.jsonl"): len(parts[n]) for n in parts}


def test_cancelled_export_leaves_no_file(filled, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("annotator.services.export.PROGRESS_EVERY", 2)
    stop = threading.Event()
    stop.set()
    summary = export(filled, ExportOptions(all_annotators=True), tmp_path / "x.jsonl",
                     cancel=stop)
    assert summary.cancelled and "no file written" in summary.line()
    assert not list(tmp_path.glob("x.jsonl*"))
    assert not list(tmp_path.glob(".x.jsonl*"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ExportOptions(), "choose whose labels"),
        (ExportOptions(annotators=("carol",)), "no annotator 'carol' in this project "
         "(annotators: alice, bob)"),
        (ExportOptions(gold=True), "no gold labels yet"),
        (ExportOptions(format="spacy", annotators=("alice",)), "give --out FILE.spacy"),
        (ExportOptions(format="conll", annotators=("alice",)), "unknown format 'conll'"),
        (ExportOptions(annotators=("alice",), split={"train": 1.0}), "--split needs --out"),
    ],
)
def test_export_usage_errors(filled, options: ExportOptions, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        export(filled, options, None)


def test_suggestions_export_as_their_own_record(project, samples) -> None:  # type: ignore[no-untyped-def]
    import_paths(project, samples[:1])
    doc = list_documents(project.sessions())[0]
    with project.sessions() as session:
        from annotator.store.documents import document_blocks, get_document

        text = get_document(session, doc.id).text
        blocks = document_blocks(session, doc.id)
    source, cue, content = (text.index("Iraqi Prime Minister"),), (0,), (0,)
    src = (source[0], source[0] + len("Iraqi Prime Minister"))
    said = text.index(" said", src[1])
    cue = (said + 1, said + 5)
    content = (said + 6, said + 30)
    items = [
        NewSuggestion("block", "caption", blocks[0][1], blocks[0][2], 0.9, "rule-x",
                      {"block_index": 0}),
        NewSuggestion("claim", "CLAIM", content[0], content[1], 0.7, "claims",
                      {"checkworthy": "yes"}),
        NewSuggestion("entity", "PERSON", src[0] + 6, src[1], 0.99, "ner", {}),
        NewSuggestion("attribution", "ATTRIBUTION", src[0], content[1], 0.8, "verb",
                      {"source": list(src), "cue": list(cue), "content": list(content),
                       "naming": "named", "kind": "official", "quote_type": "indirect"}),
    ]
    with project.session() as session:
        replace_for_document(session, doc.id, "m1", items)
    [record] = iter_records(project, ExportOptions(suggestions=True))
    VALIDATOR.validate(record)
    assert record["annotator"] == "suggestions" and record["status"] is None
    assert record["blocks"][0]["label"] == "caption"
    labels = sorted(s["label"] for s in record["spans"])
    assert labels == ["CLAIM", "CONTENT", "CUE", "SOURCE"]  # no entity unless asked for
    source_span = next(s for s in record["spans"] if s["label"] == "SOURCE")
    assert source_span["attrs"]["naming"] == "named" and source_span["attrs"]["score"] == 0.8
    [relation] = record["relations"]
    assert relation["head"] == source_span["id"] and relation["attrs"] == {"quote_type": "indirect"}
    [with_entities] = iter_records(project, ExportOptions(suggestions=True, entities=True))
    assert "PERSON" in {s["label"] for s in with_entities["spans"]}


def test_bulk_insert_matches_what_the_services_write(project) -> None:  # type: ignore[no-untyped-def]
    """The benchmark's bulk path must produce the same export as the service path."""
    [item] = _docs(2)[1:]
    with project.session() as session:
        q.bulk_insert(session, [item])
    via_bulk = list(iter_records(project, ExportOptions(annotators=("alice",))))
    text = item.document.text
    from annotator.store import open_project

    second = open_project(Path(project.path).with_name("second.sqlite"))
    try:
        import_paths(second, [_write(Path(project.path).parent / "doc.txt", text)])
        svc = AnnotationService(second, "alice")
        doc_id = list_documents(second.sessions())[0].id
        labels = item.labels["alice"]
        svc.set_block_labels(doc_id, dict(labels.blocks))
        for span in labels.spans:
            svc.put_span(doc_id, span)
        for rel in labels.relations:
            svc.put_relation(doc_id, rel)
        svc.set_doc_label(doc_id, "sourcing", "poorly_sourced")
        svc.set_status(doc_id, "done")
        via_services = list(iter_records(second, ExportOptions(annotators=("alice",))))
    finally:
        second.close()
    for record in via_bulk + via_services:
        record.pop("updated_at")
        record["meta"] = {}
    assert via_bulk == via_services


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_worker_processes_write_the_same_bytes(filled, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Large exports run in worker processes; order and content must not change."""
    monkeypatch.setattr("annotator.services.export.HELP_WHILE_STARTING", False)
    monkeypatch.setattr("annotator.store.export_queries.PAGE", 3)  # pages in flight at once
    options = ExportOptions(all_annotators=True, statuses=None, split={"a": 0.5, "b": 0.5})
    one = export(filled, ExportOptions(**{**vars(options), "workers": 0}), tmp_path / "one")
    two = export(filled, ExportOptions(**{**vars(options), "workers": 2}), tmp_path / "two")
    assert (one.records, one.documents) == (two.records, two.documents) == (18, 12)
    for name in ("a.jsonl", "b.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
