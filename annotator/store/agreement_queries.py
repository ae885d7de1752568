"""Bulk reads for the agreement report, assignment and adjudication; bulk writes for benches.

The agreement report needs every document with every annotator's work on it. Reading
that with ``annotations.load`` would be five queries per document and annotator (150,000
round trips for 10,000 documents x 3 annotators); here each *page* of documents costs
eight SELECTs, each a range scan over ``document_id BETWEEN lo AND hi`` (never ``IN`` a
long list, never ``OFFSET``), and the rows are grouped in Python. Only Core rows are
read, so the session's identity map stays empty and memory grows with one page.

Token alpha needs the tokens of every document the report counts, so the texts of the
documents that two of the compared annotators finished are read too (only those), each
page is tokenized in one vectorised pass (``core.agreement.tokenizer``), and only the
token counts and each span's token range are kept, never the text.

Everything is portable SQL (``length`` counts characters on SQLite and PostgreSQL alike,
which is what code-point offsets need), as the store requires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import Connection, Select, delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.core.agreement._vec import IntArray, as_int
from annotator.core.agreement.columns import WorkColumns
from annotator.core.agreement.data import (
    DONE,
    AnnotatorWork,
    DocAnnotations,
    RelationUnit,
    SpanUnit,
)
from annotator.core.agreement.tokenizer import span_tokens
from annotator.core.model import Annotations, DocumentData
from annotator.core.vocabulary import RESERVED_ANNOTATORS, Status, role_for
from annotator.store.models import (
    Annotator,
    Block,
    BlockLabel,
    DocLabel,
    Document,
    Progress,
    Relation,
    Span,
    utcnow,
)

PAGE = 2500
"""Documents per page: large enough that per-query overhead vanishes, small enough that a
page of a 100,000-document project stays a few megabytes."""

WorkKey = tuple[int, int]  # (document id, annotator id)


def annotator_ids(session: Session) -> dict[str, int]:
    """Every annotator of the project, name -> id (the reserved names included)."""
    return {name: id_ for id_, name in session.execute(select(Annotator.id, Annotator.name))}


def select_annotators(
    session: Session, names: Sequence[str] | None = None
) -> dict[int, str]:
    """Annotator id -> name for ``names`` (unknown names are left out: the service checks),
    or for every annotator except ``gold`` and ``suggestions`` when ``names`` is None.

    Reserved names are skipped by default because they are not people: comparing gold
    with the annotators is possible, but only when asked for by name.
    """
    known = annotator_ids(session)
    if names is None:
        return {id_: name for name, id_ in sorted(known.items()) if name not in RESERVED_ANNOTATORS}
    return {known[name]: name for name in dict.fromkeys(names) if name in known}


def _pages(session: Session, page: int) -> list[tuple[int, int, int]]:
    """(first id, last id, number of documents) of each page, in id order."""
    ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    return [
        (ids[i], ids[min(i + page, len(ids)) - 1], min(page, len(ids) - i))
        for i in range(0, len(ids), page)
    ]


def iter_doc_annotations(
    session: Session,
    annotators: Mapping[int, str],
    *,
    status_only: Mapping[int, str] | None = None,
    page: int = PAGE,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[DocAnnotations]:
    """Every document, in id order, with the work of the given annotators (id -> name).

    ``DocAnnotations.doc_id`` is the document's sha256 (stable across projects, the id of
    the export record). A (document, annotator) pair gets an ``AnnotatorWork`` when it has
    a progress row or any label; with labels but no progress row its status is ``todo``.
    Annotators in ``status_only`` get an ``AnnotatorWork`` with their status and no labels
    (read from the progress table only): the report counts their work as left out without
    paying for reading it. Every document is yielded, also those nobody worked on, so the
    report can count what it leaves out. ``progress(done, total)`` is called after each
    page; iteration stops early (between pages) once ``cancelled()`` is true.
    """
    pages = _pages(session, page)
    total = sum(size for _, _, size in pages)
    names = {**(status_only or {}), **annotators}
    ids = sorted(annotators)
    done = 0
    for low, high, size in pages:
        if cancelled is not None and cancelled():
            return
        yield from _page(session, low, high, ids, sorted(names), names)
        done += size
        if progress is not None:
            progress(done, total)


def _fetch(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """All rows of ``query`` as plain tuples, straight from the DBAPI cursor.

    Why not ``conn.execute``: building SQLAlchemy ``Row`` objects costs about as much as
    SQLite's own work (1.3 s of 3 s for 600,000 rows in the benchmark). The SQL is still
    compiled by SQLAlchemy from the models for the connection's dialect, so it stays
    portable; only integers (ids, bounds) are inlined as literals, never user text, and
    only integer and text columns are read, which need no type conversion.
    """
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _page(
    session: Session, low: int, high: int, ids: list[int], status_ids: list[int],
    names: Mapping[int, str],
) -> Iterator[DocAnnotations]:
    conn = session.connection()

    def rows(model: Any, *columns: Any, who: list[int] = ids) -> list[Any]:
        """One range scan of a label table, limited to the chosen annotators, in
        (document, annotator) order: the order of the table's index, so free to sort by."""
        query = (
            select(model.document_id, model.annotator_id, *columns)
            .where(model.document_id.between(low, high), model.annotator_id.in_(who))
            .order_by(model.document_id, model.annotator_id)
        )
        return _fetch(conn, query)

    documents = _fetch(
        conn,
        select(Document.id, Document.sha256, Document.title, func.length(Document.text))
        .where(Document.id.between(low, high))
        .order_by(Document.id),
    )
    block_counts = dict(
        _fetch(
            conn,
            select(Block.document_id, func.count(Block.id))
            .where(Block.document_id.between(low, high))
            .group_by(Block.document_id),
        )
    )
    if not status_ids:
        for doc_id, sha, title, length in documents:
            yield DocAnnotations(sha, title or "", length or 0, block_counts.get(doc_id, 0), {})
        return
    status: dict[WorkKey, str] = {
        (d, a): value for d, a, value in rows(Progress, Progress.status, who=status_ids)
    }
    blocks = {
        key: {index: label for _, _, index, label in group}
        for key, group in groupby(
            rows(BlockLabel, BlockLabel.block_index, BlockLabel.label), _work_key
        )
    }
    span_rows = rows(Span, Span.id, Span.uid, Span.label, Span.start, Span.end)
    uid_of = {row[2]: row[3] for row in span_rows}
    n_tokens, span_rows = _tokens(conn, low, high, ids, span_rows)
    spans = {
        key: [
            SpanUnit(uid, start, end, label, first, stop)
            for _, _, _, uid, label, start, end, first, stop in group
        ]
        for key, group in groupby(span_rows, _work_key)
    }
    # A span of another page (never made by the app) reads as a dangling relation, which
    # the report counts instead of failing.
    relations = {
        key: [
            RelationUnit(
                uid_of.get(head, f"#{head}"), uid_of.get(child, f"#{child}"), label,
                None if cue is None else uid_of.get(cue),
            )
            for _, _, label, head, child, cue in group
        ]
        for key, group in groupby(
            rows(Relation, Relation.label, Relation.head_id, Relation.child_id, Relation.cue_id),
            _work_key,
        )
    }
    doc_labels = {
        key: {name: value for _, _, name, value in group}
        for key, group in groupby(rows(DocLabel, DocLabel.name, DocLabel.value), _work_key)
    }

    annotators_of: dict[int, set[int]] = defaultdict(set)
    for table in (status, blocks, spans, relations, doc_labels):
        for d, a in table:
            annotators_of[d].add(a)
    for doc_id, sha, title, length in documents:
        works = {}
        for a in sorted(annotators_of.get(doc_id, ()), key=names.__getitem__):
            key = (doc_id, a)
            works[names[a]] = AnnotatorWork(
                status.get(key, Status.TODO),
                blocks.get(key) or {},
                spans.get(key) or [],
                relations.get(key) or [],
                doc_labels.get(key) or {},
            )
        yield DocAnnotations(sha, title or "", length or 0, block_counts.get(doc_id, 0), works,
                             n_tokens.get(doc_id))


_work_key = itemgetter(0, 1)


def _texts_done_twice(
    conn: Connection, low: int, high: int, ids: list[int]
) -> list[tuple[Any, ...]]:
    """(id, text) of the page's documents done by at least two of ``ids``, in id order.

    The done-twice test is a subquery, so the texts of documents the report does not
    count (most of a large project, usually) are never read. ``'done'`` is the one
    literal besides integers that ``_fetch`` inlines: a constant, never user text."""
    done_twice = (
        select(Progress.document_id)
        .where(Progress.document_id.between(low, high), Progress.annotator_id.in_(ids),
               Progress.status == DONE)
        .group_by(Progress.document_id)
        .having(func.count() >= 2)
    )
    return _fetch(conn, select(Document.id, Document.text)
                  .where(Document.id.in_(done_twice)).order_by(Document.id))


def _tokens(
    conn: Connection, low: int, high: int, ids: list[int], span_rows: list[tuple[Any, ...]]
) -> tuple[dict[int, int], list[tuple[Any, ...]]]:
    """Token counts of the page's documents done by two of ``ids``, and ``span_rows``
    with each span's token range appended (``None, None`` elsewhere)."""
    texts = _texts_done_twice(conn, low, high, ids)
    if not texts or not span_rows:
        counts = span_tokens([text or "" for _, text in texts], *(as_int([]),) * 3)[0]
        return (dict(zip((doc_id for doc_id, _ in texts), counts.tolist(), strict=True)),
                list(map(tuple.__add__, span_rows, repeat((None, None)))))
    text_ids = as_int([doc_id for doc_id, _ in texts])
    lengths = as_int([len(text or "") for _, text in texts])
    columns = list(zip(*span_rows, strict=True))  # transposed in C: no loop per span
    doc_ids, starts, ends = as_int(columns[0]), as_int(columns[5]), as_int(columns[6])
    where = np.minimum(np.searchsorted(text_ids, doc_ids), len(texts) - 1)
    placed = (text_ids[where] == doc_ids) & (starts >= 0) & (starts < ends) & (
        ends <= lengths[where])
    counts, first, stop = span_tokens([text or "" for _, text in texts], where[placed],
                                      starts[placed], ends[placed])
    firsts = np.full(len(span_rows), None, dtype=object)
    stops = np.full(len(span_rows), None, dtype=object)
    firsts[placed] = first.tolist()  # plain ints, as everywhere in DocAnnotations
    stops[placed] = stop.tolist()
    rows = list(map(tuple.__add__, span_rows, zip(firsts.tolist(), stops.tolist(), strict=True)))
    return dict(zip(text_ids.tolist(), counts.tolist(), strict=True)), rows


def load_columns(
    session: Session,
    annotators: Mapping[int, str],
    *,
    status_only: Mapping[int, str] | None = None,
    page: int = PAGE,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> WorkColumns | None:
    """The whole project as the report's columns (``core.agreement.columns``).

    The same documents, works and rows as ``iter_doc_annotations``, read with the same
    range-scanned queries per page, but kept as flat columns: no object per span, and
    rows are matched to their work by sorting integer keys, not one by one. Returns
    ``None`` when ``cancelled()`` turned true between pages.
    """
    cols = WorkColumns()
    pages = _pages(session, page)
    total = sum(size for _, _, size in pages)
    names = {**(status_only or {}), **annotators}
    ids, status_ids = sorted(annotators), sorted(names)
    stride = max(names, default=0) + 1
    done = 0
    conn = session.connection()
    for low, high, size in pages:
        if cancelled is not None and cancelled():
            return None
        _page_columns(conn, low, high, ids, status_ids, names, stride, cols)
        done += size
        if progress is not None:
            progress(done, total)
    return cols


def _page_columns(
    conn: Connection, low: int, high: int, ids: list[int], status_ids: list[int],
    names: Mapping[int, str], stride: int, cols: WorkColumns,
) -> None:
    def rows(model: Any, *columns: Any, who: list[int] = ids) -> list[Any]:
        if not who:
            return []
        return _fetch(conn, select(model.document_id, model.annotator_id, *columns)
                      .where(model.document_id.between(low, high), model.annotator_id.in_(who))
                      .order_by(model.document_id, model.annotator_id))

    documents = _fetch(conn, select(Document.id, Document.sha256, Document.title,
                                    func.length(Document.text))
                       .where(Document.id.between(low, high)).order_by(Document.id))
    block_counts = dict(_fetch(conn, select(Block.document_id, func.count(Block.id))
                               .where(Block.document_id.between(low, high))
                               .group_by(Block.document_id)))
    progress = rows(Progress, Progress.status, who=status_ids)
    blocks = rows(BlockLabel, BlockLabel.block_index, BlockLabel.label)
    spans = rows(Span, Span.id, Span.label, Span.start, Span.end)
    relations = rows(Relation, Relation.label, Relation.head_id, Relation.child_id)
    doc_labels = rows(DocLabel, DocLabel.name, DocLabel.value)
    tables = [_columns(table, width) for table, width in
              ((progress, 3), (blocks, 4), (spans, 6), (relations, 5), (doc_labels, 4))]
    n_tokens, first, stop = _token_ranges(conn, low, high, ids, tables[2][0], tables[2][4],
                                          tables[2][5])

    first_doc = len(cols.doc_ids)
    doc_ids = as_int([row[0] for row in documents]).reshape(-1)
    for doc_id, sha, title, length in documents:
        cols.doc_ids.append(sha)
        cols.titles.append(title or "")
        cols.lengths.append(length or 0)
        cols.n_blocks.append(block_counts.get(doc_id, 0))
        cols.n_tokens.append(n_tokens.get(doc_id, -1))
    # Works: every (document, annotator) in any table, in key order; rows find theirs by
    # binary search on the integer key document * stride + annotator.
    keys = np.unique(np.concatenate([columns[0] * stride + columns[1] for columns in tables]))
    first_work = len(cols.work_doc)
    status = dict(zip((tables[0][0] * stride + tables[0][1]).tolist(), tables[0][2], strict=True))
    cols.work_doc.extend((np.searchsorted(doc_ids, keys // stride) + first_doc).tolist())
    cols.work_name.extend(names[a] for a in (keys % stride).tolist())
    cols.work_status.extend(status.get(key, Status.TODO) for key in keys.tolist())

    def work_of(columns: list[Any]) -> list[int]:
        found = np.searchsorted(keys, columns[0] * stride + columns[1]) + first_work
        return found.tolist()

    _, _, index, label = tables[1]
    cols.block_work.extend(work_of(tables[1]))
    cols.block_index.extend(index.tolist())
    cols.block_label.extend(label)
    _, _, span_id, label, start, end = tables[2]
    cols.span_work.extend(work_of(tables[2]))
    cols.span_key.extend(span_id.tolist())
    cols.span_label.extend(label)
    cols.span_start.extend(start.tolist())
    cols.span_end.extend(end.tolist())
    cols.span_token_start.extend(first.tolist())
    cols.span_token_end.extend(stop.tolist())
    _, _, label, head, child = tables[3]
    cols.relation_work.extend(work_of(tables[3]))
    cols.relation_head.extend(head.tolist())
    cols.relation_child.extend(child.tolist())
    cols.relation_label.extend(label)
    _, _, name, value = tables[4]
    cols.doc_label_work.extend(work_of(tables[4]))
    cols.doc_label_name.extend(name)
    cols.doc_label_value.extend(value)


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[Any]:
    """Rows transposed (in C); integer columns as arrays, text columns as tuples."""
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [()] * width
    return [as_int(column).reshape(-1) if not column or isinstance(column[0], int) else column
            for column in columns]


def _token_ranges(
    conn: Connection, low: int, high: int, ids: list[int], doc_ids: IntArray,
    starts: IntArray, ends: IntArray,
) -> tuple[dict[int, int], IntArray, IntArray]:
    """Token counts of the page's documents done by two of ``ids``, and each span's
    token range (-1 where the document is not tokenized or the span does not fit)."""
    texts = _texts_done_twice(conn, low, high, ids)
    first = np.full(len(doc_ids), -1, dtype=np.int64)
    stop = np.full(len(doc_ids), -1, dtype=np.int64)
    if not texts or not len(doc_ids):
        counts = span_tokens([text or "" for _, text in texts], *(as_int([]),) * 3)[0]
        return dict(zip((doc_id for doc_id, _ in texts), counts.tolist(), strict=True)), first, stop
    text_ids = as_int([doc_id for doc_id, _ in texts])
    lengths = as_int([len(text or "") for _, text in texts])
    where = np.minimum(np.searchsorted(text_ids, doc_ids), len(texts) - 1)
    placed = (text_ids[where] == doc_ids) & (starts >= 0) & (starts < ends) & (
        ends <= lengths[where])
    counts, first[placed], stop[placed] = span_tokens(
        [text or "" for _, text in texts], where[placed], starts[placed], ends[placed])
    return dict(zip(text_ids.tolist(), counts.tolist(), strict=True)), first, stop


# -- assignment ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssignDocument:
    """What an import file needs to recreate a document exactly (same text, same sha256)."""

    id: int
    sha256: str
    title: str
    source: str
    meta: dict[str, Any]
    text: str


def document_keys(session: Session) -> list[tuple[int, str]]:
    """(id, sha256) of every document, in id order: cheap, no text read."""
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(Document.id, Document.sha256).order_by(Document.id)
    )]


def iter_documents(session: Session, ids: Sequence[int], page: int = 500) -> Iterator[AssignDocument]:
    """Documents with their text, in the order of ``ids``, ``page`` at a time."""
    conn = session.connection()
    for i in range(0, len(ids), page):
        chunk = list(ids[i : i + page])
        found = {
            row[0]: AssignDocument(row[0], row[1], row[2] or "", row[3] or "", dict(row[4] or {}),
                                   row[5])
            for row in conn.execute(
                select(Document.id, Document.sha256, Document.title, Document.source,
                       Document.meta, Document.text).where(Document.id.in_(chunk))
            )
        }
        for id_ in chunk:
            if id_ in found:
                yield found[id_]


# -- adjudication --------------------------------------------------------------------------


def delete_labels(session: Session, document_id: int, annotator: int) -> None:
    """Remove every label *and* the progress row of (document, annotator).

    ``annotations.replace_all`` always leaves a progress row behind; undoing the first
    gold save of a document must leave no trace that gold ever touched it.
    """
    for model in (Relation, Span, BlockLabel, DocLabel, Progress):
        session.execute(
            delete(model).where(model.document_id == document_id, model.annotator_id == annotator)
        )


def works_of(session: Session, document_id: int) -> dict[str, str]:
    """Annotator name -> status of everyone with a progress row on one document."""
    rows = session.execute(
        select(Annotator.name, Progress.status)
        .join(Progress, Progress.annotator_id == Annotator.id)
        .where(Progress.document_id == document_id)
    )
    return {name: status for name, status in rows}


# -- bulk writes (benchmarks, large fixtures) ------------------------------------------------


def insert_annotated(
    session: Session,
    documents: Sequence[DocumentData],
    works: Sequence[Mapping[str, Annotations]],
) -> int:
    """Insert documents, their blocks and each annotator's labels in a few executemany calls.

    ``works[i]`` maps annotator name -> labels of ``documents[i]``. Primary keys are given
    here (from the current maxima) so relations can point at spans without reading ids
    back row by row, which is what lets a benchmark build 10,000 x 3 annotated documents
    in seconds. Not for concurrent writers: it assumes nobody inserts in between (the
    caller's transaction). No checks beyond the database's constraints: the app's own
    writes go through ``services.annotation``.
    """
    if len(documents) != len(works):
        raise ValueError("one mapping of works per document")
    if not documents:
        return 0
    known = annotator_ids(session)
    for name in sorted({name for work in works for name in work} - known.keys()):
        session.execute(insert(Annotator).values(name=name, role=role_for(name)))
    known = annotator_ids(session)
    next_doc = (session.scalar(select(func.max(Document.id))) or 0) + 1
    next_span = (session.scalar(select(func.max(Span.id))) or 0) + 1
    now = utcnow()
    tables: dict[Any, list[dict[str, Any]]] = {
        model: [] for model in (Document, Block, Progress, BlockLabel, Span, Relation, DocLabel)
    }
    for offset, (doc, labels) in enumerate(zip(documents, works, strict=True)):
        doc_id = next_doc + offset
        tables[Document].append({"id": doc_id, "sha256": doc.sha256, "text": doc.text,
                                 "title": doc.title[:500], "source": doc.source[:1000],
                                 "meta": doc.meta, "imported_at": now})
        tables[Block].extend({"document_id": doc_id, "index": i, "start": s, "end": e}
                             for i, (s, e) in enumerate(doc.blocks))
        for name, data in labels.items():
            owner = {"document_id": doc_id, "annotator_id": known[name]}
            tables[Progress].append({**owner, "status": data.status, "seconds": data.seconds,
                                     "updated_at": data.updated_at or now})
            tables[BlockLabel].extend({**owner, "block_index": i, "label": label}
                                      for i, label in data.blocks.items())
            span_ids: dict[str, int] = {}
            for span in data.spans:
                span_ids[span.uid] = next_span
                tables[Span].append({**owner, "id": next_span, "uid": span.uid,
                                     "label": span.label, "start": span.start, "end": span.end,
                                     "attrs": dict(span.attrs)})
                next_span += 1
            tables[Relation].extend(
                {**owner, "uid": rel.uid, "label": rel.label, "head_id": span_ids[rel.head],
                 "child_id": span_ids[rel.child],
                 "cue_id": span_ids[rel.cue] if rel.cue else None, "attrs": dict(rel.attrs)}
                for rel in data.relations
            )
            tables[DocLabel].extend({**owner, "name": key, "value": value}
                                    for key, value in data.doc_labels.items())
    for model, rows in tables.items():
        if rows:  # Core executemany on the table: the ORM's bulk path costs 3x more here
            session.execute(insert(model.__table__), rows)
    return len(documents)
