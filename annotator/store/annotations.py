"""Reading and writing one annotator's labels on one document.

Functions take a ``Session`` and ids; ownership (nobody edits another annotator's
rows) is checked by the service layer, which is the only caller that knows who is
acting. Writes are keyed by natural keys (uid, block index, label name) so that undo,
redo and round-trip merges can replay them idempotently.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.core.model import Annotations, RelationData, SpanData
from annotator.core.vocabulary import RESERVED_ANNOTATORS, Status
from annotator.store.keyed_rows import set_or_clear
from annotator.store.models import (
    Annotator,
    BlockLabel,
    DocLabel,
    Progress,
    Relation,
    Span,
    utcnow,
)

RESERVED_NAMES = RESERVED_ANNOTATORS  # the name store callers have long imported


def get_or_create_annotator(session: Session, name: str, role: str = "annotator") -> int:
    found = session.scalar(select(Annotator.id).where(Annotator.name == name))
    if found is not None:
        return found
    annotator = Annotator(name=name, role=role)
    session.add(annotator)
    session.flush()
    return annotator.id


def annotator_names(session: Session) -> list[str]:
    return list(session.scalars(select(Annotator.name).order_by(Annotator.name)))


def load(session: Session, document_id: int, annotator: int) -> Annotations:
    result = Annotations()
    for index, label in session.execute(
        select(BlockLabel.block_index, BlockLabel.label).where(
            BlockLabel.document_id == document_id, BlockLabel.annotator_id == annotator
        )
    ):
        result.blocks[index] = label
    spans = session.scalars(
        select(Span)
        .where(Span.document_id == document_id, Span.annotator_id == annotator)
        .order_by(Span.start, Span.end, Span.id)
    ).all()
    uid_of = {span.id: span.uid for span in spans}
    result.spans = [SpanData(s.uid, s.label, s.start, s.end, dict(s.attrs or {})) for s in spans]
    for rel in session.scalars(
        select(Relation)
        .where(Relation.document_id == document_id, Relation.annotator_id == annotator)
        .order_by(Relation.id)
    ):
        result.relations.append(
            RelationData(rel.uid, rel.label, uid_of[rel.head_id], uid_of[rel.child_id],
                         uid_of.get(rel.cue_id) if rel.cue_id else None, dict(rel.attrs or {}))
        )
    for name, value in session.execute(
        select(DocLabel.name, DocLabel.value).where(
            DocLabel.document_id == document_id, DocLabel.annotator_id == annotator
        )
    ):
        result.doc_labels[name] = value
    progress = _progress(session, document_id, annotator)
    if progress is not None:
        result.status, result.seconds, result.updated_at = (
            progress.status, progress.seconds, progress.updated_at
        )
    return result


def _progress(session: Session, document_id: int, annotator: int) -> Progress | None:
    return session.scalar(select(Progress).filter_by(document_id=document_id,
                                                     annotator_id=annotator))


def statuses(session: Session, annotator: int) -> dict[int, str]:
    """An annotator's status of every document that is not simply to do."""
    rows = session.execute(
        select(Progress.document_id, Progress.status).where(
            Progress.annotator_id == annotator, Progress.status != Status.TODO
        )
    )
    return {doc_id: status for doc_id, status in rows}


def set_block_label(
    session: Session, document_id: int, annotator: int, index: int, label: str | None
) -> None:
    """Set (or with ``None`` clear) one block's label."""
    set_or_clear(session, BlockLabel, {"document_id": document_id, "annotator_id": annotator,
                                       "block_index": index}, "label", label)


def _span_row(session: Session, uid: str) -> Span | None:
    return session.scalar(select(Span).where(Span.uid == uid))


def span_owner(session: Session, uid: str) -> tuple[int, int] | None:
    """(document id, annotator id) of a span, for ownership checks."""
    row = session.execute(
        select(Span.document_id, Span.annotator_id).where(Span.uid == uid)
    ).first()
    return None if row is None else (row[0], row[1])


def relation_owner(session: Session, uid: str) -> tuple[int, int] | None:
    row = session.execute(
        select(Relation.document_id, Relation.annotator_id).where(Relation.uid == uid)
    ).first()
    return None if row is None else (row[0], row[1])


def put_span(session: Session, document_id: int, annotator: int, span: SpanData) -> None:
    """Insert the span, or update it in place if its uid exists."""
    row = _span_row(session, span.uid)
    if row is None:
        session.add(Span(uid=span.uid, document_id=document_id, annotator_id=annotator,
                         label=span.label, start=span.start, end=span.end,
                         attrs=dict(span.attrs)))
    else:
        row.label, row.start, row.end, row.attrs = span.label, span.start, span.end, dict(
            span.attrs
        )
    session.flush()


def delete_span(session: Session, uid: str) -> None:
    """Remove a span; relations that use it as head or child go with it."""
    row = _span_row(session, uid)
    if row is None:
        return
    session.execute(
        delete(Relation).where((Relation.head_id == row.id) | (Relation.child_id == row.id))
    )
    for rel in session.scalars(select(Relation).where(Relation.cue_id == row.id)):
        rel.cue_id = None
    session.delete(row)
    session.flush()


def put_relation(session: Session, document_id: int, annotator: int, rel: RelationData) -> None:
    ids = {
        uid: session.scalar(select(Span.id).where(Span.uid == uid))
        for uid in (rel.head, rel.child, rel.cue)
        if uid
    }
    row = session.scalar(select(Relation).where(Relation.uid == rel.uid))
    values = {
        "label": rel.label, "head_id": ids[rel.head], "child_id": ids[rel.child],
        "cue_id": ids.get(rel.cue) if rel.cue else None, "attrs": dict(rel.attrs),
    }
    if row is None:
        session.add(Relation(uid=rel.uid, document_id=document_id, annotator_id=annotator,
                             **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()


def delete_relation(session: Session, uid: str) -> None:
    session.execute(delete(Relation).where(Relation.uid == uid))


def set_doc_label(
    session: Session, document_id: int, annotator: int, name: str, value: str | None
) -> None:
    set_or_clear(session, DocLabel, {"document_id": document_id, "annotator_id": annotator,
                                     "name": name}, "value", value)


def set_status(
    session: Session, document_id: int, annotator: int, status: str, add_seconds: float = 0.0
) -> None:
    row = _progress(session, document_id, annotator)
    if row is None:
        session.add(Progress(document_id=document_id, annotator_id=annotator, status=status,
                             seconds=add_seconds, updated_at=utcnow()))
    else:
        row.status = status
        row.seconds = (row.seconds or 0.0) + add_seconds
        row.updated_at = utcnow()


def touch(session: Session, document_id: int, annotator: int) -> None:
    """Stamp an edit: todo becomes in progress, and ``updated_at`` moves on every edit
    so a later merge of exported records knows these labels are the newer ones."""
    row = _progress(session, document_id, annotator)
    if row is None:
        session.add(Progress(document_id=document_id, annotator_id=annotator,
                             status=Status.IN_PROGRESS, seconds=0.0,
                             updated_at=utcnow()))
    else:
        if row.status == Status.TODO:
            row.status = Status.IN_PROGRESS
        row.updated_at = utcnow()


def replace_all(session: Session, document_id: int, annotator: int, data: Annotations) -> None:
    """Make the stored labels of (document, annotator) exactly ``data`` (merge, gold)."""
    session.execute(delete(Relation).where(Relation.document_id == document_id,
                                           Relation.annotator_id == annotator))
    session.execute(delete(Span).where(Span.document_id == document_id,
                                       Span.annotator_id == annotator))
    session.execute(delete(BlockLabel).where(BlockLabel.document_id == document_id,
                                             BlockLabel.annotator_id == annotator))
    session.execute(delete(DocLabel).where(DocLabel.document_id == document_id,
                                           DocLabel.annotator_id == annotator))
    session.flush()
    for index, label in data.blocks.items():
        session.add(BlockLabel(document_id=document_id, annotator_id=annotator,
                               block_index=index, label=label))
    for span in data.spans:
        session.add(Span(uid=span.uid, document_id=document_id, annotator_id=annotator,
                         label=span.label, start=span.start, end=span.end,
                         attrs=dict(span.attrs)))
    session.flush()
    for rel in data.relations:
        put_relation(session, document_id, annotator, rel)
    for name, value in data.doc_labels.items():
        session.add(DocLabel(document_id=document_id, annotator_id=annotator, name=name,
                             value=value))
    set_status(session, document_id, annotator, data.status)
