"""The bulk reader behind the agreement report, checked against the per-document reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import Annotations, DocumentData, RelationData, SpanData
from annotator.core.text import sha256
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from annotator.store import Project
from annotator.store import agreement_queries as q
from annotator.store import annotations as db
from annotator.store.documents import document_ids, get_document

TEXTS = [
    "Council votes on the budget\n\nThe council said it would vote on Tuesday.",
    "Floods hit the valley 🌊🌊\n\nقال المسؤولون إن المياه ارتفعت. Officials said the water rose.",
    "Ferry strike ends\n\nThe union said the strike was over.",
    "Nobody touched this one\n\nIt has two blocks.",
]


@pytest.fixture
def annotated(project: Project, tmp_path: Path) -> Project:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    import_paths(project, [folder])
    with project.sessions() as session:
        ids = document_ids(session)
    alice = AnnotationService(project, "alice")
    bob = AnnotationService(project, "bob")
    gold = AnnotationService(project, "gold", allow_reserved=True)
    for service, shift in ((alice, 0), (bob, 1)):
        text = TEXTS[1]
        start = text.index("Officials")
        source = service.add_span(ids[1], "SOURCE", start, start + 9 + shift)
        cue = service.add_span(ids[1], "CUE", start + 10, start + 14)
        content = service.add_span(ids[1], "CONTENT", start + 15, len(text) - 1)
        service.link(ids[1], source.uid, content.uid, cue=cue.uid)
        service.set_block_labels(ids[1], {0: "metadata"})
        service.set_doc_label(ids[1], "sourcing", "partly_sourced")
        service.set_status(ids[1], "done")
    alice.set_block_labels(ids[0], {1: "promo"})  # in progress, never finished
    bob.set_status(ids[2], "skipped")
    gold.set_block_labels(ids[1], {0: "caption"})
    return project


def _by_sha(project: Project, annotators: dict[int, str], **kwargs) -> dict:
    with project.sessions() as session:
        return {doc.doc_id: doc for doc in q.iter_doc_annotations(session, annotators, **kwargs)}


def test_stream_equals_the_per_document_reader(annotated: Project) -> None:
    with annotated.sessions() as session:
        chosen = q.select_annotators(session, None)
        assert sorted(chosen.values()) == ["alice", "bob"]  # gold is not a person
        ids = document_ids(session)
        expected = {}
        for doc_id in ids:
            doc = get_document(session, doc_id)
            works = {}
            for annotator_id, name in chosen.items():
                data = db.load(session, doc_id, annotator_id)
                has_row = name in q.works_of(session, doc_id)
                if has_row or data.blocks or data.spans or data.doc_labels:
                    works[name] = data
            expected[doc.sha256] = (doc.title, len(doc.text), len(doc.blocks), works)
    streamed = _by_sha(annotated, chosen)
    assert list(streamed) == list(expected)  # every document, in id order
    for sha, doc in streamed.items():
        title, length, n_blocks, works = expected[sha]
        assert (doc.title, doc.text_length, doc.n_blocks) == (title, length, n_blocks)
        assert set(doc.annotators) == set(works)
        for name, data in works.items():
            work = doc.annotators[name]
            assert work.status == data.status
            assert work.block_labels == data.blocks
            assert work.doc_labels == data.doc_labels
            assert sorted((s.uid, s.start, s.end, s.label) for s in work.spans) == sorted(
                (s.uid, s.start, s.end, s.label) for s in data.spans)
            assert sorted((r.head_uid, r.child_uid, r.label, r.cue_uid) for r in work.relations) \
                == sorted((r.head, r.child, r.label, r.cue) for r in data.relations)
    floods = streamed[sha256(TEXTS[1])]
    assert floods.text_length == len(TEXTS[1])  # code points, emoji and Arabic included
    assert floods.annotators["alice"].relations[0].cue_uid is not None
    assert streamed[sha256(TEXTS[0])].annotators["alice"].status == "in_progress"
    assert streamed[sha256(TEXTS[2])].annotators["bob"].status == "skipped"
    assert streamed[sha256(TEXTS[3])].annotators == {}


def test_pages_progress_cancel_and_status_only(annotated: Project) -> None:
    with annotated.sessions() as session:
        everyone = q.select_annotators(session, None)
        alice = q.select_annotators(session, ["alice"])
        gold = q.select_annotators(session, ["gold", "nobody"])
    assert list(gold.values()) == ["gold"]  # named reserved annotators are allowed
    calls: list[tuple[int, int]] = []
    whole = _by_sha(annotated, everyone)
    paged = _by_sha(annotated, everyone, page=1, progress=lambda d, t: calls.append((d, t)))
    assert paged == whole
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]

    stop = iter([False, False, True])
    partial = _by_sha(annotated, everyone, page=1, cancelled=lambda: next(stop))
    assert len(partial) == 2

    bob_id = next(i for i, n in everyone.items() if n == "bob")
    counted = _by_sha(annotated, alice, status_only={bob_id: "bob"})
    floods = counted[sha256(TEXTS[1])]
    assert floods.annotators["bob"].status == "done" and not floods.annotators["bob"].spans
    assert floods.annotators["alice"].spans


def test_insert_annotated_round_trips_and_delete_labels_leaves_no_trace(project: Project) -> None:
    text = "Headline here today\n\nA body paragraph with a claim in it."
    doc = DocumentData(sha256(text), text, "Headline here today", "test", {}, [(0, 19), (21, 57)])
    work = Annotations(
        blocks={0: "metadata"},
        spans=[SpanData("s1", "SOURCE", 21, 27, {"naming": "vague"}),
               SpanData("s2", "CLAIM", 28, 56)],
        relations=[RelationData("r1", "ATTRIBUTION", "s1", "s2", None, {"quote_type": "direct"})],
        doc_labels={"sourcing": "poorly_sourced"},
        status="done",
    )
    with project.session() as session:
        assert q.insert_annotated(session, [doc], [{"carol": work}]) == 1
    with project.sessions() as session:
        doc_id = document_ids(session)[0]
        carol = q.annotator_ids(session)["carol"]
        stored = db.load(session, doc_id, carol)
    assert (stored.blocks, stored.spans, stored.relations, stored.doc_labels, stored.status) == (
        work.blocks, work.spans, work.relations, work.doc_labels, "done")
    with project.session() as session:
        q.delete_labels(session, doc_id, carol)
    with project.sessions() as session:
        assert q.works_of(session, doc_id) == {}
        empty = db.load(session, doc_id, carol)
    assert not (empty.blocks or empty.spans or empty.relations or empty.doc_labels)
