"""Queries over documents and blocks: bulk writes for import, listings for the UI.

Import writes through Core ``insert`` with executemany rather than ORM objects: it is
the hot path of a 10,000-article import and ORM unit-of-work overhead would dominate.
Documents go in as one multi-row ``INSERT ... RETURNING`` per chunk (SQLAlchemy's
"insertmanyvalues"), blocks as one executemany; two importers adding the same text at
once is not an error but a duplicate (``ON CONFLICT DO NOTHING`` on SQLite and
PostgreSQL, the two backends the project runs on).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, count, repeat
from typing import Any

from sqlalchemy import Insert, case, delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.core.fingerprint import fingerprint
from annotator.core.model import DocumentData
from annotator.core.vocabulary import Status
from annotator.store.models import Block, Document, Progress, utcnow


def block_rows(document_id: int, doc: DocumentData) -> list[dict[str, Any]]:
    """The ``blocks`` rows of a new document, fingerprints computed where not given."""
    prints = doc.fingerprints or [fingerprint(doc.text[s:e]) for s, e in doc.blocks]
    return [
        {"document_id": document_id, "index": i, "start": start, "end": end,
         "evidence": doc.evidence[i] if doc.evidence else None, "fingerprint": prints[i]}
        for i, (start, end) in enumerate(doc.blocks)
    ]


_PLAIN_BLOCK_COLUMNS = ("document_id", "index", "start", "end", "fingerprint")


def _rows_per_statement(dialect: Any, width: int = len(_PLAIN_BLOCK_COLUMNS)) -> int:
    """Rows of ``width`` columns per multi-row ``INSERT``: as many as SQLite's limit of
    32,766 parameters allows (999 before SQLite 3.32)."""
    import sqlite3

    if dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 32):
        return 999 // width
    return 32_766 // width


def _insert_plain_blocks(session: Session, values: list[int | str]) -> None:
    """Blocks of text imports (no evidence), given as one flat list of column values
    (``_PLAIN_BLOCK_COLUMNS`` for each row in turn), thousands of rows per statement.

    These are plain integers and short strings with nothing to convert, so they go to
    the driver as they are: SQLAlchemy's per-row parameter processing would otherwise
    cost more than SQLite's own insert (the evidence column is left out and stays NULL).
    With a positional driver (SQLite's) they go as multi-row ``VALUES`` statements rather
    than one executemany: the driver lets other threads run while the database works,
    and an import prepares its next chunk meanwhile (``services.importing``), but an
    executemany hands the interpreter back and forth once per row, and each hand-back
    can wait milliseconds for the busy preparing thread; a statement of 6,553 rows
    hands it over once.
    """
    conn = session.connection()
    compiled = insert(Block.__table__).inline().compile(  # (inline: no RETURNING of ids)
        dialect=conn.dialect, column_keys=list(_PLAIN_BLOCK_COLUMNS))
    sql = str(compiled)
    width = len(_PLAIN_BLOCK_COLUMNS)
    if not (compiled.positional and tuple(compiled.positiontup or ()) == _PLAIN_BLOCK_COLUMNS):
        conn.exec_driver_sql(sql, [dict(zip(_PLAIN_BLOCK_COLUMNS, values[i : i + width],
                                            strict=True))
                                   for i in range(0, len(values), width)])  # named parameters
        return
    head, one_row = sql.rsplit(" VALUES ", 1)
    step = _rows_per_statement(conn.dialect, width) * width
    full = len(values) - len(values) % step
    if full:
        many = f"{head} VALUES " + ", ".join([one_row] * (step // width))
        for i in range(0, full, step):  # (a tuple of parameters: one execution)
            conn.exec_driver_sql(many, tuple(values[i : i + step]))
    if full < len(values):
        rest = (len(values) - full) // width
        conn.exec_driver_sql(f"{head} VALUES " + ", ".join([one_row] * rest),
                             tuple(values[full:]))


def existing_hashes(session: Session, hashes: Iterable[str]) -> set[str]:
    wanted = list(set(hashes))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):  # stay under every backend's parameter limit
        chunk = wanted[i : i + 500]
        found.update(session.scalars(select(Document.sha256).where(Document.sha256.in_(chunk))))
    return found


def _insert_documents(session: Session) -> Insert:
    """``INSERT INTO documents`` that skips a text the project already holds.

    The skip is the database's own (on the unique SHA-256), so it also covers a
    document another process committed after this one looked: concurrent imports of
    the same folder count duplicates instead of failing on the constraint.
    """
    table = Document.__table__
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing(index_elements=["sha256"])
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing(index_elements=["sha256"])
    return insert(table)  # elsewhere a duplicate raises; the importer then retries per file


_DOCUMENT_COLUMNS = ("sha256", "title", "text", "source", "meta", "imported_at")


def _insert_numbered(session: Session, docs: Sequence[DocumentData], now: datetime
                     ) -> dict[str, int] | None:
    """On SQLite: the documents in multi-row statements, their ids worked out from the
    last one instead of read back row by row.

    ``RETURNING`` would read every new id back one row at a time, and the driver hands
    the interpreter to other threads around each row: with an import preparing its
    next chunk in another thread, each hand-back can wait milliseconds. SQLite gives
    the rows of one statement consecutive ids (one past the largest, row after row,
    under the statement's write lock), so the last id and the count of rows inserted
    name them all. When some were skipped (``ON CONFLICT DO NOTHING``: another importer
    stored the text first) the few new ones are read back. None on other databases
    (their sequences hand out ids) and drivers.
    """
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        return None
    compiled = _insert_documents(session).compile(dialect=dialect,
                                                  column_keys=list(_DOCUMENT_COLUMNS))
    if not (compiled.positional and tuple(compiled.positiontup or ()) == _DOCUMENT_COLUMNS):
        return None
    head, _, rest = str(compiled).partition(" VALUES ")
    one_row, tail = rest[: rest.index(")") + 1], rest[rest.index(")") + 1 :]
    table = Document.__table__
    to_json = table.c.meta.type.dialect_impl(dialect).bind_processor(dialect)
    to_time = table.c.imported_at.type.dialect_impl(dialect).bind_processor(dialect)
    stamp = to_time(now) if to_time else now
    first: dict[str, DocumentData] = {}
    for doc in docs:
        first.setdefault(doc.sha256, doc)  # (the same text twice: the first goes in)
    unique = list(first.values())
    per = _rows_per_statement(dialect, len(_DOCUMENT_COLUMNS))
    ids: dict[str, int] = {}
    for i in range(0, len(unique), per):
        part = unique[i : i + per]
        values: list[Any] = []
        for doc in part:
            values += (doc.sha256, doc.title[:500], doc.text, doc.source[:1000],
                       to_json(doc.meta) if to_json else doc.meta, stamp)
        sql = f"{head} VALUES " + ", ".join([one_row] * len(part)) + tail
        result = conn.exec_driver_sql(sql, tuple(values))
        inserted, last = result.rowcount, result.lastrowid
        if inserted == len(part):
            ids.update((doc.sha256, last - len(part) + 1 + k) for k, doc in enumerate(part))
        elif inserted > 0:
            ids.update(session.execute(  # type: ignore[arg-type]
                select(table.c.sha256, table.c.id).where(table.c.id > last - inserted,
                                                         table.c.id <= last)).all())
    return ids


def add_documents(session: Session, docs: Sequence[DocumentData]) -> dict[str, int]:
    """Insert documents and their blocks; returns sha256 -> new id of those inserted.

    A document whose text is already stored (by anyone, even a moment ago) is left
    out of the result and gets no blocks: the caller counts it as a duplicate. Two
    statements for documents and one or two for blocks, whatever the number of rows.
    """
    if not docs:
        return {}
    now: datetime = utcnow()
    conn = session.connection()
    ids = _insert_numbered(session, docs, now)
    if ids is None:
        stmt = _insert_documents(session).returning(Document.__table__.c.id,
                                                    Document.__table__.c.sha256)
        rows = [
            {"sha256": doc.sha256, "text": doc.text, "title": doc.title[:500],
             "source": doc.source[:1000], "meta": doc.meta, "imported_at": now}
            for doc in docs
        ]
        ids = {sha: doc_id for doc_id, sha in conn.execute(stmt, rows)}
    plain: list[int | str] = []  # text imports (no evidence): flat column values
    with_evidence: list[dict[str, Any]] = []
    placed: set[str] = set()
    for doc in docs:
        doc_id = ids.get(doc.sha256)
        if doc_id is None or doc.sha256 in placed:
            continue  # already stored, or the same text twice in ``docs``
        placed.add(doc.sha256)
        if doc.evidence:
            with_evidence.extend(block_rows(doc_id, doc))
        else:
            prints = doc.fingerprints or [fingerprint(doc.text[s:e]) for s, e in doc.blocks]
            starts, ends = zip(*doc.blocks, strict=True) if doc.blocks else ((), ())
            plain.extend(chain.from_iterable(zip(repeat(doc_id), count(), starts, ends, prints)))
    if plain:
        _insert_plain_blocks(session, plain)
    if with_evidence:
        conn.execute(insert(Block.__table__), with_evidence)
    return ids


def delete_documents(session: Session, ids: Sequence[int]) -> None:
    """Remove documents just added and their blocks (an import that must not stay half-done)."""
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        session.execute(delete(Block).where(Block.document_id.in_(chunk)))
        session.execute(delete(Document).where(Document.id.in_(chunk)))


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """A line of the document list: not a document but a projection of one (no text, no
    blocks), with how many annotators have it done, in progress or skipped, so that a
    list of 100,000 articles is read without their texts."""

    id: int
    sha256: str
    title: str
    source: str
    chars: int
    done: int
    in_progress: int
    skipped: int


def list_documents(session: Session, limit: int | None = None) -> list[DocumentRow]:
    """Documents with how many annotators have them done / in progress / skipped."""
    counts = (
        select(
            Progress.document_id,
            func.sum(case((Progress.status == Status.DONE, 1), else_=0)).label("done"),
            func.sum(case((Progress.status == Status.IN_PROGRESS, 1), else_=0)).label("in_progress"),
            func.sum(case((Progress.status == Status.SKIPPED, 1), else_=0)).label("skipped"),
        )
        .group_by(Progress.document_id)
        .subquery()
    )
    query = (
        select(
            Document.id, Document.sha256, Document.title, Document.source,
            func.length(Document.text),
            func.coalesce(counts.c.done, 0), func.coalesce(counts.c.in_progress, 0),
            func.coalesce(counts.c.skipped, 0),
        )
        .outerjoin(counts, counts.c.document_id == Document.id)
        .order_by(Document.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [DocumentRow(*row) for row in session.execute(query)]


def document_ids(session: Session) -> list[int]:
    """Every id, ascending. Read unordered and sorted here: without ORDER BY, SQLite
    answers from the narrow sha256 index instead of walking every row of text (55 ms
    instead of 280 ms for 100,000 articles), which is most of the window's start."""
    return sorted(session.scalars(select(Document.id)))


def search_document_ids(session: Session, search: str = "") -> list[int]:
    """Ids in list order; with ``search``, only documents whose title or text contains
    every word of it (case-insensitive). A full scan: callers run it off the GUI thread."""
    if not search.split():
        return document_ids(session)
    query = select(Document.id).order_by(Document.id)
    sqlite = session.get_bind().dialect.name == "sqlite"
    for word in search.split():
        pattern = "%" + (word.replace("\\", "\\\\").replace("%", "\\%")
                         .replace("_", "\\_")) + "%"
        if sqlite:  # SQLite's LIKE already ignores ASCII case, and is faster than ILIKE
            cond = (Document.title.like(pattern, escape="\\")
                    | Document.text.like(pattern, escape="\\"))
        else:
            cond = (Document.title.ilike(pattern, escape="\\")
                    | Document.text.ilike(pattern, escape="\\"))
        query = query.where(cond)
    return list(session.scalars(query))


def titles(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(title, source) of some documents: one page of the lazy document list."""
    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        for doc_id, title, source in session.execute(
            select(Document.id, Document.title, Document.source).where(Document.id.in_(chunk))
        ):
            out[doc_id] = (title, source)
    return out


def get_document(session: Session, document_id: int) -> Document | None:
    return session.get(Document, document_id)


def get_document_by_hash(session: Session, sha256: str) -> Document | None:
    return session.scalar(select(Document).where(Document.sha256 == sha256))


def block_evidence(session: Session, document_id: int) -> list[dict[str, Any] | None]:
    """Each block's HTML evidence, in order (None for blocks of text imports)."""
    return list(session.scalars(
        select(Block.evidence).where(Block.document_id == document_id).order_by(Block.index)
    ))


def block_repeats(session: Session, document_id: int) -> list[int]:
    """For each block, how many *other* documents of the project hold the same line.

    One grouped query over the fingerprint index; blocks without a fingerprint (no
    words) count 0.
    """
    prints = list(session.scalars(
        select(Block.fingerprint).where(Block.document_id == document_id).order_by(Block.index)
    ))
    wanted = sorted({p for p in prints if p})
    counts: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        counts.update(session.execute(
            select(Block.fingerprint, func.count(func.distinct(Block.document_id)))
            .where(Block.fingerprint.in_(chunk), Block.document_id != document_id)
            .group_by(Block.fingerprint)
        ).all())
    return [counts.get(p, 0) if p else 0 for p in prints]


def document_blocks(session: Session, document_id: int) -> list[tuple[int, int, int]]:
    """(index, start, end) of a document's blocks, in order."""
    rows = session.execute(
        select(Block.index, Block.start, Block.end)
        .where(Block.document_id == document_id)
        .order_by(Block.index)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]
