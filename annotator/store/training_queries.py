"""What ``annotator train`` learns from: documents marked done, with their block labels.

Per document one version is taken: ``gold`` when the document has been adjudicated,
else the annotator who finished it last. A done document's unmarked blocks are
``content`` (the annotator saw them and left them), as in the export and the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.vocabulary import GOLD, SUGGESTIONS, Status
from annotator.store.documents import block_evidence, block_repeats, document_blocks
from annotator.store.models import Annotator, BlockLabel, Document, Progress, Relation, Span


@dataclass(frozen=True, slots=True)
class LabelledDocument:
    document_id: int
    text: str
    blocks: list[tuple[int, int]]
    evidence: list[dict[str, Any] | None]
    repeats: list[int]
    labels: list[str]  # one per block; unmarked blocks are "content"
    annotator: str


def labelled_document_ids(session: Session) -> dict[int, int]:
    """document id -> annotator id whose done version to learn from."""
    rows = session.execute(
        select(Progress.document_id, Progress.annotator_id, Annotator.name,
               Progress.updated_at)
        .join(Annotator, Annotator.id == Progress.annotator_id)
        .where(Progress.status == Status.DONE, Annotator.name != SUGGESTIONS)
        .order_by(Progress.document_id, Progress.updated_at)
    ).all()
    chosen: dict[int, tuple[int, bool]] = {}
    for doc_id, ann_id, name, _updated in rows:
        current = chosen.get(doc_id)
        if current is not None and current[1]:
            continue  # gold already chosen
        chosen[doc_id] = (ann_id, name == GOLD)
    return {doc_id: ann for doc_id, (ann, _gold) in chosen.items()}


def _chosen_texts(session: Session, chosen: dict[int, int]
                  ) -> Iterator[tuple[int, int, str, str]]:
    """(document id, annotator id, text, annotator name) of each chosen version."""
    names = dict(session.execute(select(Annotator.id, Annotator.name)).all())
    for doc_id in sorted(chosen):
        text = session.scalar(select(Document.text).where(Document.id == doc_id))
        if text is not None:
            yield doc_id, chosen[doc_id], text, names.get(chosen[doc_id], "")


def iter_labelled(session: Session, chosen: dict[int, int]) -> Iterator[LabelledDocument]:
    for doc_id, ann_id, text, name in _chosen_texts(session, chosen):
        blocks = [(s, e) for _, s, e in document_blocks(session, doc_id)]
        marked = dict(session.execute(
            select(BlockLabel.block_index, BlockLabel.label)
            .where(BlockLabel.document_id == doc_id, BlockLabel.annotator_id == ann_id)
        ).all())
        yield LabelledDocument(
            doc_id, text, blocks, block_evidence(session, doc_id),
            block_repeats(session, doc_id),
            [marked.get(i, "content") for i in range(len(blocks))], name,
        )


@dataclass(frozen=True, slots=True)
class LabelledAttributions:
    """One done document's attributions: (source, cue, content) offsets; source and cue
    may be missing (an agentless report, a cue-less tag)."""

    document_id: int
    text: str
    attributions: list[tuple[tuple[int, int] | None, tuple[int, int] | None, tuple[int, int]]]
    cues: list[tuple[int, int]]  # every CUE span, linked or not
    annotator: str


def iter_attributions(session: Session, chosen: dict[int, int]) -> Iterator[LabelledAttributions]:
    """The attribution layer of the chosen version of each done document."""
    for doc_id, ann_id, text, name in _chosen_texts(session, chosen):
        spans = {
            sid: (label, start, end)
            for sid, label, start, end in session.execute(
                select(Span.id, Span.label, Span.start, Span.end)
                .where(Span.document_id == doc_id, Span.annotator_id == ann_id)
            ).all()
        }
        found = []
        for head, child, cue in session.execute(
            select(Relation.head_id, Relation.child_id, Relation.cue_id)
            .where(Relation.document_id == doc_id, Relation.annotator_id == ann_id,
                   Relation.label == "ATTRIBUTION")
        ).all():
            if child not in spans:
                continue
            source = spans.get(head)
            cue_span = spans.get(cue) if cue is not None else None
            found.append((
                (source[1], source[2]) if source else None,
                (cue_span[1], cue_span[2]) if cue_span else None,
                (spans[child][1], spans[child][2]),
            ))
        cues = sorted((s, e) for label, s, e in spans.values() if label == "CUE")
        yield LabelledAttributions(doc_id, text, sorted(found, key=lambda a: a[2]), cues, name)
