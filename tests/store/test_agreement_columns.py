"""The column reader behind ``annotator agreement`` gives the report the object reader gives.

A real project with the awkward cases: labels outside the schema, a block label past the
last block, a span outside the text, a relation between two annotators' spans, work
without a progress row, work not done, someone left out of the comparison, and pages of
one document.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from annotator.core.agreement.report import build
from annotator.core.model import Annotations, DocumentData, RelationData, SpanData
from annotator.core.text import sha256
from annotator.services import agreement
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from annotator.store import Project
from annotator.store import agreement_queries as q

TEXTS = [
    "Council votes on the budget\n\nThe council said it would vote on Tuesday.",
    "Floods hit the valley 🌊🌊\n\nقال المسؤولون إن المياه ارتفعت. Officials said the water rose.",
    "Ferry strike ends\n\nThe union said the strike was over.",
]


@pytest.fixture
def tangled(project: Project, tmp_path: Path) -> Project:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    import_paths(project, [folder])
    people = {name: AnnotationService(project, name) for name in ("alice", "bob", "carol")}
    with project.sessions() as session:
        ids = sorted(q.document_keys(session))
    for shift, (name, service) in enumerate(people.items()):
        for doc_id, _ in ids[:2]:
            text = TEXTS[doc_id - 1]
            start = text.index("said") - 4 + shift
            source = service.add_span(doc_id, "SOURCE", max(start, 0), start + 3)
            claim = service.add_span(doc_id, "CLAIM", start + 9, len(text) - 1)
            service.link(doc_id, source.uid, claim.uid)
            service.set_block_labels(doc_id, {0: "metadata" if shift else "caption"})
            service.set_doc_label(doc_id, "sourcing", "partly_sourced" if shift else
                                  "well_sourced")
            service.set_status(doc_id, "done" if name != "carol" or doc_id == 1 else
                               "in_progress")
    people["bob"].set_status(ids[2][0], "skipped")
    # What the app never writes but a database may hold: written without checks.
    text = "Odd one out\n\nA body paragraph with a claim in it, and more."
    odd = DocumentData(sha256(text), text, "Odd one out", "test", {}, [(0, 11), (13, len(text))])
    work = {
        name: Annotations(
            blocks={0: "not-in-schema", 7: "promo"},
            spans=[SpanData(f"{name}-s1", "SOURCE", 13, 19), SpanData(f"{name}-s2", "CLAIM", 20, 35),
                   SpanData(f"{name}-bad", "CLAIM", 40, 400),
                   SpanData(f"{name}-new", "RUMOUR", 0, 3)],
            relations=[RelationData(f"{name}-r1", "ATTRIBUTION", f"{name}-s1", f"{name}-s2"),
                       RelationData(f"{name}-r2", "QUOTES", f"{name}-s1", f"{name}-s2")],
            doc_labels={"sourcing": "nonsense", "tone": name},
            status="done",
        )
        for name in ("alice", "bob")
    }
    with project.session() as session:
        q.insert_annotated(session, [odd], [work])
    return project


def both_ways(project: Project, names: list[str] | None, **kwargs) -> tuple[str, str]:
    chosen = agreement.check_annotators(project, names)
    inputs = agreement.schema_inputs(agreement.project_schema(project)).kwargs()
    docs = agreement.load_documents(project, chosen)
    cols = agreement.load_columns(project, chosen)
    with project.sessions() as session:
        paged = q.load_columns(session, chosen, status_only=agreement.others(project, chosen),
                               page=1)
    assert paged == cols
    as_objects = build(docs, annotators=names, **inputs)
    as_columns = build(cols, annotators=names, **inputs)
    return json.dumps(as_objects, sort_keys=True), json.dumps(as_columns, sort_keys=True)


@pytest.mark.parametrize("names", [None, ["alice", "bob"], ["carol", "alice"]])
def test_columns_give_the_same_report_as_documents(tangled: Project, names) -> None:  # type: ignore[no-untyped-def]
    objects, columns = both_ways(tangled, names)
    assert columns == objects
    report = json.loads(columns)
    excluded = report["excluded"]
    assert report["n_documents"] >= (1 if names and "carol" in names else 2)
    if names is None:  # the odd rows are counted, not dropped silently
        assert excluded["spans_invalid"] == 2 and excluded["block_labels_out_of_range"] == 2
        assert "RUMOUR" in report["spans"]["per_label"]
        assert excluded["doc_label_values_unknown"] == 2


def test_the_service_reads_columns_and_cancel_stops_it(tangled: Project) -> None:
    seen: list[tuple[int, int, str]] = []
    report = agreement.compute(tangled, progress=lambda d, t, s: seen.append((d, t, s)))
    assert report["annotators"] == ["alice", "bob", "carol"]
    assert seen[0][2] == "loading" and seen[-1] == (1, 1, "computing")
    stop = threading.Event()
    stop.set()
    with pytest.raises(agreement.Cancelled):
        agreement.compute(tangled, cancel=stop)
