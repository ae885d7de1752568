"""Queries over documents and blocks: bulk writes for import, listings for the UI.

Import writes through Core ``insert`` with executemany rather than ORM objects: it is
the hot path of a 10,000-article import and ORM unit-of-work overhead would dominate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, select
from sqlalchemy.orm import Session

from annotator.core.fingerprint import fingerprint
from annotator.store.models import Block, Document, Progress, utcnow


@dataclass(frozen=True, slots=True)
class NewDocument:
    sha256: str
    text: str
    title: str
    source: str
    meta: dict[str, Any]
    blocks: Sequence[tuple[int, int]]
    # Per block, aligned with ``blocks``: HTML evidence (None for text) and fingerprint.
    evidence: Sequence[dict[str, Any] | None] | None = None
    fingerprints: Sequence[str] | None = None


def block_rows(document_id: int, doc: NewDocument) -> list[dict[str, Any]]:
    """The ``blocks`` rows of a new document, fingerprints computed where not given."""
    prints = doc.fingerprints or [fingerprint(doc.text[s:e]) for s, e in doc.blocks]
    return [
        {"document_id": document_id, "index": i, "start": start, "end": end,
         "evidence": doc.evidence[i] if doc.evidence else None, "fingerprint": prints[i]}
        for i, (start, end) in enumerate(doc.blocks)
    ]


def existing_hashes(session: Session, hashes: Iterable[str]) -> set[str]:
    wanted = list(set(hashes))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):  # stay under every backend's parameter limit
        chunk = wanted[i : i + 500]
        found.update(session.scalars(select(Document.sha256).where(Document.sha256.in_(chunk))))
    return found


def add_documents(session: Session, docs: Sequence[NewDocument]) -> dict[str, int]:
    """Insert documents and their blocks; returns sha256 -> new document id."""
    if not docs:
        return {}
    now: datetime = utcnow()
    ids: dict[str, int] = {}
    for doc in docs:
        result = session.execute(
            insert(Document).values(
                sha256=doc.sha256, text=doc.text, title=doc.title[:500], source=doc.source[:1000],
                meta=doc.meta, imported_at=now,
            )
        )
        ids[doc.sha256] = result.inserted_primary_key[0]
    rows = [row for doc in docs for row in block_rows(ids[doc.sha256], doc)]
    if rows:
        session.execute(insert(Block), rows)
    return ids


@dataclass(frozen=True, slots=True)
class DocumentRow:
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
            func.sum(case((Progress.status == "done", 1), else_=0)).label("done"),
            func.sum(case((Progress.status == "in_progress", 1), else_=0)).label("in_progress"),
            func.sum(case((Progress.status == "skipped", 1), else_=0)).label("skipped"),
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
    return list(session.scalars(select(Document.id).order_by(Document.id)))


def search_document_ids(session: Session, search: str = "") -> list[int]:
    """Ids in list order; with ``search``, only documents whose title or text contains
    every word of it (case-insensitive). A full scan: callers run it off the GUI thread."""
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
