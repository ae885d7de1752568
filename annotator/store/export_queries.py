"""Streaming reads for export and bulk writes for merging records back in.

Export memory must stay flat in corpus size, so documents are read in pages by keyset
(``document_id > last``, never ``OFFSET``, which re-scans and slows down quadratically)
and each page fetches its blocks and labels with one query per table: seven
queries per page of ``PAGE`` documents instead of seven per document. Only Core rows
are read, so the session's identity map does not grow either.

Writes of one record's labels (``replace_labels``) and of the benchmark (``bulk_insert``)
go through Core ``insert`` with executemany, like document import; merging a file of
records writes whole batches through ``store.merge_queries``. Everything here is
portable SQL (no SQLite-only statements), as the store requires.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, delete, func, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from annotator.core.model import (
    Annotations,
    DocumentData,
    RelationData,
    SpanData,
    SuggestionRow,
)
from annotator.core.vocabulary import role_for
from annotator.store.documents import block_rows
from annotator.store.models import (
    Annotator,
    Block,
    BlockLabel,
    DocLabel,
    Document,
    Progress,
    Relation,
    Span,
    Suggestion,
    utcnow,
)

PAGE = 500  # documents per page; also keeps every IN list under parameter limits


@dataclass(slots=True)
class ExportItem:
    """One document with one annotator's labels."""

    document: DocumentData
    annotator: str
    labels: Annotations  # ``seconds`` is not read: an export does not carry it
    entities: list[tuple[int, int, str]] = field(default_factory=list)


class _JsonMemo:
    """Decodes JSON column text, remembering recent values.

    Attribute dicts repeat endlessly (``{}``, ``{"naming": "named"}``), and decoding
    them row by row was a fifth of export time. Equal texts give the *same* dict, so
    export items are read-only (record building copies what it outputs); bounded, so
    memory stays flat.
    """

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.values: dict[str, dict[str, Any]] = {}

    def __call__(self, raw: str | dict[str, Any] | None) -> dict[str, Any]:
        if not raw:
            return {}
        if isinstance(raw, dict):  # PostgreSQL's driver decodes json columns itself
            return raw
        found = self.values.get(raw)
        if found is None:
            if len(self.values) >= self.limit:
                self.values.clear()
            value = json.loads(raw)
            found = self.values[raw] = value if isinstance(value, dict) else {}
        return found


def _raw(column: Any) -> Any:
    """A JSON column read as its stored text (decoded by ``_JsonMemo``)."""
    return type_coerce(column, String)


def _among(column: Any, ids: list[int]) -> Any:
    """``column`` is one of ``ids`` (ascending). A page of documents is usually a run
    of consecutive ids: then a range, which compiles at once, where an ``IN`` list of
    500 parameters took a third of a page read. Rows of ids in the range but not in the
    page are dropped by the caller; a sparse page (a small selection) keeps ``IN``."""
    if ids and ids[-1] - ids[0] < 2 * len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(ids)


def _tuples(conn: Connection, query: Any) -> list[tuple[Any, ...]]:
    """The rows as the database driver returns them. Only for columns of integers and
    text (JSON read as text), which need no result processing: building SQLAlchemy
    rows was another third of a page read."""
    result = conn.execute(query)
    try:
        return result.cursor.fetchall()  # type: ignore[no-any-return]
    finally:
        result.close()


# -- annotators ---------------------------------------------------------------------------
def annotators(session: Session) -> dict[str, int]:
    """Every annotator name -> id (the reserved ``suggestions`` row included if any)."""
    return {name: id_ for id_, name in session.execute(select(Annotator.id, Annotator.name))}


# -- export reads -------------------------------------------------------------------------
def _progress_filter(annotator_ids: Sequence[int], statuses: Sequence[str] | None) -> list[Any]:
    conditions = [Progress.annotator_id.in_(list(annotator_ids))]
    if statuses is not None:
        conditions.append(Progress.status.in_(list(statuses)))
    return conditions


def count_items(
    session: Session, annotator_ids: Sequence[int], statuses: Sequence[str] | None
) -> int:
    """How many (document, annotator) records an export will write."""
    if not annotator_ids:
        return 0
    query = select(func.count()).select_from(Progress).where(
        *_progress_filter(annotator_ids, statuses)
    )
    return session.scalar(query) or 0


def _documents(conn: Connection, ids: list[int], memo: _JsonMemo) -> dict[int, DocumentData]:
    blocks: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, start, end in _tuples(conn,
        select(Block.document_id, Block.start, Block.end)
        .where(_among(Block.document_id, ids))
        .order_by(Block.document_id, Block.index)
    ):
        blocks[doc_id].append((start, end))
    return {
        doc_id: DocumentData(sha, text, title or "", source or "", memo(meta),
                             blocks.get(doc_id, []), id=doc_id)
        for doc_id, sha, text, title, source, meta in _tuples(conn,
            select(Document.id, Document.sha256, Document.text, Document.title,
                   Document.source, _raw(Document.meta)).where(_among(Document.id, ids))
        )
    }


def _entities(conn: Connection, ids: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    found: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for doc_id, start, end, label in conn.execute(
        select(Suggestion.document_id, Suggestion.start, Suggestion.end, Suggestion.label)
        .where(Suggestion.document_id.in_(ids), Suggestion.layer == "entity")
        .order_by(Suggestion.document_id, Suggestion.start, Suggestion.end, Suggestion.id)
    ).all():
        found[doc_id].append((start, end, label))
    return found


def iter_pages(
    session: Session,
    annotator_ids: Sequence[int],
    statuses: Sequence[str] | None,
    *,
    page: int | None = None,
) -> Iterator[list[int]]:
    """Ids of the documents to export, ``page`` (default ``PAGE``) at a time, in id
    order (keyset)."""
    if not annotator_ids:
        return
    page = page or PAGE
    conditions = _progress_filter(annotator_ids, statuses)
    last = 0
    while True:
        ids = list(session.scalars(
            select(Progress.document_id).where(*conditions, Progress.document_id > last)
            .distinct().order_by(Progress.document_id).limit(page)
        ))
        if not ids:
            return
        last = ids[-1]
        yield ids


def load_page(
    session: Session,
    ids: list[int],
    annotator_ids: Mapping[int, str],
    statuses: Sequence[str] | None,
    *,
    entities: bool = False,
) -> list[ExportItem]:
    """The export items of one page of documents: seven queries for the whole page.

    Reads through the session's connection with Core (no ORM rows) — this is the hot
    path of a 100,000-record export.
    """
    conn = session.connection()
    memo = _JsonMemo()
    ann_ids = list(annotator_ids)
    docs = _documents(conn, ids, memo)
    labels: dict[tuple[int, int], Annotations] = {}
    for doc_id, ann_id, status, updated_at in conn.execute(
        select(Progress.document_id, Progress.annotator_id, Progress.status, Progress.updated_at)
        .where(*_progress_filter(ann_ids, statuses), _among(Progress.document_id, ids))
    ).all():
        labels[(doc_id, ann_id)] = Annotations(status=status, updated_at=updated_at)
    for doc_id, ann_id, index, label in _tuples(conn,
        select(BlockLabel.document_id, BlockLabel.annotator_id, BlockLabel.block_index,
               BlockLabel.label)
        .where(_among(BlockLabel.document_id, ids), BlockLabel.annotator_id.in_(ann_ids))
    ):
        target = labels.get((doc_id, ann_id))
        if target is not None:
            target.blocks[index] = label
    uid_of: dict[int, str] = {}
    for span_id, uid, doc_id, ann_id, label, start, end, attrs in _tuples(conn,
        select(Span.id, Span.uid, Span.document_id, Span.annotator_id, Span.label,
               Span.start, Span.end, _raw(Span.attrs))
        .where(_among(Span.document_id, ids), Span.annotator_id.in_(ann_ids))
        .order_by(Span.document_id, Span.annotator_id, Span.start, Span.end, Span.id)
    ):
        uid_of[span_id] = uid
        target = labels.get((doc_id, ann_id))
        if target is not None:
            target.spans.append(SpanData(uid, label, start, end, memo(attrs)))
    for uid, doc_id, ann_id, label, head, child, cue, attrs in _tuples(conn,
        select(Relation.uid, Relation.document_id, Relation.annotator_id, Relation.label,
               Relation.head_id, Relation.child_id, Relation.cue_id, _raw(Relation.attrs))
        .where(_among(Relation.document_id, ids), Relation.annotator_id.in_(ann_ids))
        .order_by(Relation.id)
    ):
        target = labels.get((doc_id, ann_id))
        if target is not None:
            target.relations.append(RelationData(
                uid, label, uid_of[head], uid_of[child], uid_of.get(cue) if cue else None,
                memo(attrs),
            ))
    for doc_id, ann_id, name, value in _tuples(conn,
        select(DocLabel.document_id, DocLabel.annotator_id, DocLabel.name, DocLabel.value)
        .where(_among(DocLabel.document_id, ids), DocLabel.annotator_id.in_(ann_ids))
    ):
        target = labels.get((doc_id, ann_id))
        if target is not None:
            target.doc_labels[name] = value
    ents = _entities(conn, ids) if entities else {}
    by_name = sorted(annotator_ids.items(), key=lambda item: item[1])
    items = []
    for doc_id in ids:
        for ann_id, name in by_name:
            found = labels.get((doc_id, ann_id))
            if found is not None:
                items.append(ExportItem(docs[doc_id], name, found, ents.get(doc_id, [])))
    return items


def iter_items(
    session: Session,
    annotator_ids: Mapping[int, str],
    statuses: Sequence[str] | None,
    *,
    entities: bool = False,
    page: int | None = None,
) -> Iterator[ExportItem]:
    """Documents in id order, each with every selected annotator's labels (by name).

    Only (document, annotator) pairs with a progress row whose status passes the
    filter are yielded: a document an annotator never opened has no record.
    """
    for ids in iter_pages(session, list(annotator_ids), statuses, page=page):
        yield from load_page(session, ids, annotator_ids, statuses, entities=entities)


def count_suggestion_documents(session: Session, layers: Sequence[str]) -> int:
    query = select(func.count(func.distinct(Suggestion.document_id))).where(
        Suggestion.layer.in_(list(layers))
    )
    return session.scalar(query) or 0


def iter_suggestions(
    session: Session, layers: Sequence[str], *, page: int | None = None
) -> Iterator[tuple[DocumentData, list[SuggestionRow]]]:
    """Documents with machine suggestions on the given layers, with those suggestions."""
    page = page or PAGE
    last = 0
    while True:
        ids = list(session.scalars(
            select(Suggestion.document_id)
            .where(Suggestion.layer.in_(list(layers)), Suggestion.document_id > last)
            .distinct().order_by(Suggestion.document_id).limit(page)
        ))
        if not ids:
            return
        last = ids[-1]
        conn = session.connection()
        memo = _JsonMemo()
        docs = _documents(conn, ids, memo)
        rows: dict[int, list[SuggestionRow]] = defaultdict(list)
        for row in conn.execute(
            select(Suggestion.id, Suggestion.document_id, Suggestion.layer, Suggestion.label,
                   Suggestion.start, Suggestion.end, Suggestion.score, Suggestion.rule,
                   Suggestion.model_version, _raw(Suggestion.attrs).label("attrs"))
            .where(Suggestion.document_id.in_(ids), Suggestion.layer.in_(list(layers)))
            .order_by(Suggestion.document_id, Suggestion.start, Suggestion.end, Suggestion.id)
        ):
            rows[row.document_id].append(SuggestionRow(
                row.id, row.layer, row.label, row.start, row.end, row.score or 0.0,
                row.rule or "", row.model_version or "", memo(row.attrs), None,
            ))
        for doc_id in ids:
            yield docs[doc_id], rows[doc_id]


# -- merge writes -------------------------------------------------------------------------
def document_ids(session: Session, hashes: Iterable[str]) -> dict[str, int]:
    """sha256 -> document id for the hashes the project has."""
    wanted = list(set(hashes))
    found: dict[str, int] = {}
    conn = session.connection()
    for i in range(0, len(wanted), PAGE):
        for sha, id_ in conn.execute(
            select(Document.sha256, Document.id).where(Document.sha256.in_(wanted[i : i + PAGE]))
        ):
            found[sha] = id_
    return found


def foreign_uids(
    session: Session, span_uids: Sequence[str], relation_uids: Sequence[str],
    document_id: int, annotator_id: int,
) -> set[str]:
    """Uids already used by a *different* document or annotator (uids are global)."""
    taken: set[str] = set()
    conn = session.connection()
    for model, uids in ((Span, span_uids), (Relation, relation_uids)):
        for i in range(0, len(uids), PAGE):
            taken.update(conn.scalars(
                select(model.uid).where(
                    model.uid.in_(list(uids[i : i + PAGE])),
                    (model.document_id != document_id) | (model.annotator_id != annotator_id),
                )
            ))
    return taken


def replace_labels(
    session: Session, document_id: int, annotator_id: int, labels: Annotations,
    updated_at: datetime, *, replace: bool = True,
) -> None:
    """Make (document, annotator)'s labels exactly ``labels``, stamped ``updated_at``.

    Unlike ``annotations.replace_all`` this keeps the given time instead of "now":
    a merged record must carry its own time, or re-exporting it would change it and
    "newer wins" would compare the merge time instead of the annotator's.
    ``replace=False`` skips deleting old rows (a document added in this transaction).
    """
    where = {"document_id": document_id, "annotator_id": annotator_id}
    conn = session.connection()  # Core: merging writes many small statements
    if replace:
        for model in (Relation, Span, BlockLabel, DocLabel):
            conn.execute(delete(model).filter_by(**where))
    if labels.blocks:
        conn.execute(insert(BlockLabel), [
            {**where, "block_index": index, "label": label}
            for index, label in sorted(labels.blocks.items())
        ])
    if labels.spans:
        conn.execute(insert(Span), [
            {**where, "uid": s.uid, "label": s.label, "start": s.start, "end": s.end,
             "attrs": dict(s.attrs)}
            for s in labels.spans
        ])
    if labels.relations:
        ids = {uid: id_ for uid, id_ in conn.execute(
            select(Span.uid, Span.id).where(Span.document_id == document_id,
                                            Span.annotator_id == annotator_id)
        )}
        conn.execute(insert(Relation), [
            {**where, "uid": r.uid, "label": r.label, "head_id": ids[r.head],
             "child_id": ids[r.child], "cue_id": ids[r.cue] if r.cue else None,
             "attrs": dict(r.attrs)}
            for r in labels.relations
        ])
    if labels.doc_labels:
        conn.execute(insert(DocLabel), [
            {**where, "name": name, "value": value} for name, value in labels.doc_labels.items()
        ])
    changed = 0
    if replace:
        changed = conn.execute(
            update(Progress).filter_by(**where).values(status=labels.status,
                                                        updated_at=updated_at)
        ).rowcount
    if not changed:
        conn.execute(insert(Progress).values(**where, status=labels.status, seconds=0.0,
                                             updated_at=updated_at))


def insert_document(session: Session, doc: DocumentData) -> int:
    """Add one document and its blocks (merging adds documents one record at a time)."""
    conn = session.connection()
    doc_id = conn.execute(
        insert(Document).values(sha256=doc.sha256, text=doc.text, title=doc.title[:500],
                                source=doc.source[:1000], meta=doc.meta, imported_at=utcnow())
    ).inserted_primary_key[0]
    if doc.blocks:
        conn.execute(insert(Block), block_rows(doc_id, doc))
    return doc_id


# -- bulk load (benchmark, fixtures) --------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BulkDocument:
    document: DocumentData
    labels: Mapping[str, Annotations]  # annotator name -> labels (status, updated_at used)


def bulk_insert(session: Session, items: Sequence[BulkDocument]) -> int:
    """Insert documents with their labels in a handful of executemany statements.

    Primary keys are assigned here (from the current maxima) so spans can be linked
    by relations without reading ids back row by row: this is what lets the
    benchmark build 100,000 annotated documents in seconds. Not for concurrent
    writers: it assumes nobody else inserts in between (the caller's transaction).
    """
    if not items:
        return 0
    names = {name for item in items for name in item.labels}
    known = annotators(session)
    for name in sorted(names - known.keys()):
        session.execute(insert(Annotator).values(name=name, role=role_for(name)))
    known = annotators(session)
    next_doc = (session.scalar(select(func.max(Document.id))) or 0) + 1
    next_span = (session.scalar(select(func.max(Span.id))) or 0) + 1
    now = utcnow()
    docs, blocks, progress, block_labels, spans, relations, doc_labels = ([] for _ in range(7))
    for offset, item in enumerate(items):
        doc_id = next_doc + offset
        doc = item.document
        docs.append({"id": doc_id, "sha256": doc.sha256, "text": doc.text,
                     "title": doc.title[:500], "source": doc.source[:1000], "meta": doc.meta,
                     "imported_at": now})
        blocks.extend(block_rows(doc_id, doc))
        for name, labels in item.labels.items():
            where = {"document_id": doc_id, "annotator_id": known[name]}
            progress.append({**where, "status": labels.status, "seconds": labels.seconds,
                             "updated_at": labels.updated_at or now})
            block_labels.extend({**where, "block_index": i, "label": label}
                                for i, label in labels.blocks.items())
            span_ids: dict[str, int] = {}
            for span in labels.spans:
                span_ids[span.uid] = next_span
                spans.append({**where, "id": next_span, "uid": span.uid, "label": span.label,
                              "start": span.start, "end": span.end, "attrs": dict(span.attrs)})
                next_span += 1
            relations.extend(
                {**where, "uid": r.uid, "label": r.label, "head_id": span_ids[r.head],
                 "child_id": span_ids[r.child],
                 "cue_id": span_ids[r.cue] if r.cue else None, "attrs": dict(r.attrs)}
                for r in labels.relations
            )
            doc_labels.extend({**where, "name": k, "value": v}
                              for k, v in labels.doc_labels.items())
    for model, rows in ((Document, docs), (Block, blocks), (Progress, progress),
                        (BlockLabel, block_labels), (Span, spans), (Relation, relations),
                        (DocLabel, doc_labels)):
        if rows:
            session.execute(insert(model), rows)
    return len(docs)
