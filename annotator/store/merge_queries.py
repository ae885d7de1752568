"""Set-based reads and writes for merging a batch of export records.

Merging used to cost 12–15 statements per record (find the document, read its blocks,
read five tables of stored labels, check uids, delete, insert, stamp progress). Here
a whole batch is read with one ``IN`` query per table and written with one
executemany per table, so the cost per record is a few rows, not a few round trips.

``lock_for_writing`` starts the batch's transaction with a write, so what the batch
reads cannot change before it writes: two merges of the same records at once queue
instead of both deciding "missing" and colliding on a unique key. Everything here is
portable SQL (the lock is a plain ``UPDATE``; on PostgreSQL it locks the row it
touches, on SQLite any write takes the database's write lock).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Connection, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from annotator.core.fingerprint import fingerprint
from annotator.core.model import Annotations, DocumentData, RelationData, SpanData
from annotator.core.vocabulary import role_for
from annotator.store.models import (
    Annotator,
    Block,
    BlockLabel,
    DocLabel,
    Document,
    Progress,
    ProjectSetting,
    Relation,
    Span,
    utcnow,
)

# A unique key taken meanwhile (a concurrent writer without the lock, e.g. on
# PostgreSQL): the service retries the batch, then record by record.
Conflict = IntegrityError

CHUNK = 500  # ids per IN list: under every backend's parameter limit
Pair = tuple[int, int]  # (document id, annotator id)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _lookup(conn: Connection, key: InstrumentedAttribute[Any], value: InstrumentedAttribute[Any],
            wanted: Sequence[Any]) -> dict[Any, Any]:
    """``key -> value`` of the rows whose ``key`` is wanted: one ``IN`` query a chunk."""
    found: dict[Any, Any] = {}
    for chunk in _chunks(wanted):
        found.update((k, v) for k, v in conn.execute(
            select(key, value).where(key.in_(list(chunk)))
        ).all())
    return found


def lock_for_writing(session: Session) -> None:
    """Take the write lock before reading (see the module docstring)."""
    session.connection().execute(
        update(ProjectSetting).where(ProjectSetting.key == "schema")
        .values(key=ProjectSetting.key)
    )


def existing_annotator_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Annotator ids by name, for the names the project has."""
    return _lookup(session.connection(), Annotator.name, Annotator.id, sorted(set(names)))


def annotator_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """Annotator ids by name; missing ones are created (the lead role for ``gold``)."""
    wanted = sorted(set(names))
    conn = session.connection()
    found = _lookup(conn, Annotator.name, Annotator.id, wanted)
    missing = [name for name in wanted if name not in found]
    if missing:
        conn.execute(insert(Annotator), [
            {"name": name, "role": role_for(name)} for name in missing
        ])
        found.update(_lookup(conn, Annotator.name, Annotator.id, missing))
    return found


def document_ids(session: Session, hashes: Iterable[str]) -> dict[str, int]:
    """sha256 -> document id for the hashes the project has."""
    return _lookup(session.connection(), Document.sha256, Document.id, sorted(set(hashes)))


def blocks_of(session: Session, doc_ids: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
    """Each document's blocks as (start, end), in block order."""
    wanted = sorted(set(doc_ids))
    conn = session.connection()
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for chunk in _chunks(wanted):
        for doc_id, start, end in conn.execute(
            select(Block.document_id, Block.start, Block.end)
            .where(Block.document_id.in_(list(chunk))).order_by(Block.document_id, Block.index)
        ):
            found[doc_id].append((start, end))
    return found


@dataclass(slots=True)
class Stored:
    """One (document, annotator)'s labels as stored, and which rows exist to replace."""

    labels: Annotations
    has_progress: bool
    has_rows: bool  # block labels, spans, relations or document labels
    span_rows: dict[str, int] = field(default_factory=dict)  # uid -> spans.id


def load_labels(
    session: Session, doc_ids: Iterable[int], ann_ids: Iterable[int]
) -> dict[Pair, Stored]:
    """The stored labels of every (document, annotator) among the given ids.

    Pairs with nothing stored are absent. Five queries per chunk of documents.
    """
    docs, anns = sorted(set(doc_ids)), sorted(set(ann_ids))
    found: dict[Pair, Stored] = {}
    if not docs or not anns:
        return found
    conn = session.connection()

    def get(pair: Pair) -> Stored:
        item = found.get(pair)
        if item is None:
            item = found[pair] = Stored(Annotations(), False, False)
        return item

    for chunk in _chunks(docs):
        ids = list(chunk)
        for doc_id, ann_id, status, seconds, updated_at in conn.execute(
            select(Progress.document_id, Progress.annotator_id, Progress.status,
                   Progress.seconds, Progress.updated_at)
            .where(Progress.document_id.in_(ids), Progress.annotator_id.in_(anns))
        ):
            item = get((doc_id, ann_id))
            item.has_progress = True
            item.labels.status, item.labels.seconds, item.labels.updated_at = (
                status, seconds, updated_at)
        for doc_id, ann_id, index, label in conn.execute(
            select(BlockLabel.document_id, BlockLabel.annotator_id, BlockLabel.block_index,
                   BlockLabel.label)
            .where(BlockLabel.document_id.in_(ids), BlockLabel.annotator_id.in_(anns))
        ):
            item = get((doc_id, ann_id))
            item.has_rows = True
            item.labels.blocks[index] = label
        uid_of: dict[int, str] = {}
        for span_id, uid, doc_id, ann_id, label, start, end, attrs in conn.execute(
            select(Span.id, Span.uid, Span.document_id, Span.annotator_id, Span.label,
                   Span.start, Span.end, Span.attrs)
            .where(Span.document_id.in_(ids), Span.annotator_id.in_(anns))
            .order_by(Span.start, Span.end, Span.id)
        ):
            uid_of[span_id] = uid
            item = get((doc_id, ann_id))
            item.has_rows = True
            item.span_rows[uid] = span_id
            item.labels.spans.append(SpanData(uid, label, start, end, dict(attrs or {})))
        for uid, doc_id, ann_id, label, head, child, cue, attrs in conn.execute(
            select(Relation.uid, Relation.document_id, Relation.annotator_id, Relation.label,
                   Relation.head_id, Relation.child_id, Relation.cue_id, Relation.attrs)
            .where(Relation.document_id.in_(ids), Relation.annotator_id.in_(anns))
            .order_by(Relation.id)
        ):
            item = get((doc_id, ann_id))
            item.has_rows = True
            item.labels.relations.append(RelationData(
                uid, label, uid_of[head], uid_of[child], uid_of.get(cue) if cue else None,
                dict(attrs or {}),
            ))
        for doc_id, ann_id, name, value in conn.execute(
            select(DocLabel.document_id, DocLabel.annotator_id, DocLabel.name, DocLabel.value)
            .where(DocLabel.document_id.in_(ids), DocLabel.annotator_id.in_(anns))
        ):
            item = get((doc_id, ann_id))
            item.has_rows = True
            item.labels.doc_labels[name] = value
    return found


def uid_owners(
    session: Session, span_uids: Iterable[str], relation_uids: Iterable[str]
) -> tuple[dict[str, Pair], dict[str, Pair]]:
    """Who holds each of these uids now: span uids and relation uids (uids are global)."""
    conn = session.connection()
    result: list[dict[str, Pair]] = []
    for model, uids in ((Span, span_uids), (Relation, relation_uids)):
        owners: dict[str, Pair] = {}
        for chunk in _chunks(sorted(set(uids))):
            for uid, doc_id, ann_id in conn.execute(
                select(model.uid, model.document_id, model.annotator_id)
                .where(model.uid.in_(list(chunk)))
            ):
                owners[uid] = (doc_id, ann_id)
        result.append(owners)
    return result[0], result[1]


def insert_documents(session: Session, docs: Sequence[DocumentData]) -> dict[str, int]:
    """Add documents and their blocks with one executemany each; sha256 -> new id.

    Documents with HTML evidence on their blocks do not come this way (export records
    carry none)."""
    if not docs:
        return {}
    conn = session.connection()
    now = utcnow()
    conn.execute(insert(Document), [
        {"sha256": d.sha256, "text": d.text, "title": d.title[:500], "source": d.source[:1000],
         "meta": d.meta, "imported_at": now}
        for d in docs
    ])
    ids = document_ids(session, [d.sha256 for d in docs])
    # Merged documents carry no HTML evidence: leaving the column out of the rows saves
    # encoding a JSON null per block.
    rows = [{"document_id": ids[d.sha256], "index": i, "start": start, "end": end,
             "fingerprint": d.fingerprints[i] if d.fingerprints else fingerprint(d.text[start:end])}
            for d in docs for i, (start, end) in enumerate(d.blocks)]
    if rows:
        conn.execute(insert(Block), rows)
    return ids


@dataclass(slots=True)
class LabelWrite:
    """Make (document, annotator)'s labels exactly ``labels``, stamped ``updated_at``."""

    document_id: int
    annotator_id: int
    labels: Annotations
    updated_at: datetime
    replace: bool  # rows are stored that must go first
    has_progress: bool  # a progress row exists (update it rather than insert one)
    span_rows: dict[str, int] = field(default_factory=dict)  # the stored spans, uid -> id


def write_labels(session: Session, writes: Sequence[LabelWrite]) -> None:
    """Every write of a batch with one statement (executemany) per table.

    The records' own times are kept (not "now"): re-exporting a merged record must give
    the same ``updated_at``, or "newer wins" would compare merge times.
    """
    if not writes:
        return
    conn = session.connection()
    gone = [{"d": w.document_id, "a": w.annotator_id} for w in writes if w.replace]
    if gone:
        for model in (Relation, BlockLabel, DocLabel):
            conn.execute(
                delete(model).where(model.document_id == bindparam("d"),
                                    model.annotator_id == bindparam("a")),
                gone,
            )
    block_labels, spans, reused, dropped, doc_labels = [], [], [], [], []
    for w in writes:
        where = {"document_id": w.document_id, "annotator_id": w.annotator_id}
        block_labels.extend({**where, "block_index": index, "label": label}
                            for index, label in sorted(w.labels.blocks.items()))
        new, kept, free = _reuse_span_rows(w)
        reused.extend(kept)
        dropped.extend({"b_id": id_} for id_ in free)
        spans.extend({**where, "uid": s.uid, "label": s.label, "start": s.start, "end": s.end,
                      "attrs": dict(s.attrs)} for s in new)
        doc_labels.extend({**where, "name": name, "value": value}
                          for name, value in w.labels.doc_labels.items())
    if dropped:
        conn.execute(delete(Span).where(Span.id == bindparam("b_id")), dropped)
    moved = [{"b_id": row["b_id"], "b_uid": f"\x00moving:{row['b_id']}"}
             for row in reused if row["moved"]]
    if moved:  # a uid may pass from one stored row to another: free them all first
        conn.execute(update(Span).where(Span.id == bindparam("b_id"))
                     .values(uid=bindparam("b_uid")), moved)
    if reused:
        conn.execute(
            update(Span).where(Span.id == bindparam("b_id")).values(
                uid=bindparam("b_uid"), label=bindparam("b_label"), start=bindparam("b_start"),
                end=bindparam("b_end"), attrs=bindparam("b_attrs", type_=JSON)),
            reused,
        )
    if block_labels:
        conn.execute(insert(BlockLabel), block_labels)
    if spans:
        conn.execute(insert(Span), spans)
    if any(w.labels.relations for w in writes):
        wanted = [s.uid for w in writes if w.labels.relations for s in w.labels.spans]
        span_ids = _lookup(conn, Span.uid, Span.id, wanted)
        conn.execute(insert(Relation), [
            {"document_id": w.document_id, "annotator_id": w.annotator_id, "uid": r.uid,
             "label": r.label, "head_id": span_ids[r.head], "child_id": span_ids[r.child],
             "cue_id": span_ids[r.cue] if r.cue else None, "attrs": dict(r.attrs)}
            for w in writes for r in w.labels.relations
        ])
    if doc_labels:
        conn.execute(insert(DocLabel), doc_labels)
    stamped = [w for w in writes if w.has_progress]
    if stamped:
        conn.execute(
            update(Progress).where(Progress.document_id == bindparam("d"),
                                   Progress.annotator_id == bindparam("a"))
            .values(status=bindparam("s"), updated_at=bindparam("t")),
            [{"d": w.document_id, "a": w.annotator_id, "s": w.labels.status,
              "t": w.updated_at} for w in stamped],
        )
    new = [w for w in writes if not w.has_progress]
    if new:
        conn.execute(insert(Progress), [
            {"document_id": w.document_id, "annotator_id": w.annotator_id,
             "status": w.labels.status, "seconds": 0.0, "updated_at": w.updated_at}
            for w in new
        ])



def _reuse_span_rows(write: LabelWrite) -> tuple[list[SpanData], list[dict[str, Any]], list[int]]:
    """Replacing spans updates the stored rows in place rather than delete and insert.

    Deleting a span makes SQLite look for relations pointing at it, and the relations'
    span columns carry no index: every deleted span scans the whole relations table.
    Rows are matched by uid first (an annotator's re-export keeps its uids), then the
    rest are paired up; uids stay unique at every step because a new uid is never held
    by another stored row (``services.merge`` gives taken uids a derived one).
    Returns the spans to insert, the row updates, and the row ids left over to delete.
    """
    free = dict(write.span_rows)
    kept: list[dict[str, Any]] = []
    new: list[SpanData] = []
    for span in write.labels.spans:
        row = free.pop(span.uid, None)
        if row is None:
            new.append(span)
        else:
            kept.append(_span_update(row, span))
    spare = sorted(free.values())
    paired = min(len(spare), len(new))
    kept.extend({**_span_update(row, span), "moved": True}
                for row, span in zip(spare, new, strict=False))
    return new[paired:], kept, spare[paired:]


def _span_update(row: int, span: SpanData) -> dict[str, Any]:
    return {"b_id": row, "b_uid": span.uid, "b_label": span.label, "b_start": span.start,
            "b_end": span.end, "b_attrs": dict(span.attrs), "moved": False}
