"""Importing article files into a project.

Atomic per file: a file is parsed and validated completely before any of it is
written, so a bad file changes nothing and the rest of the batch still goes in. Good
files are written in batches (one transaction per batch) because a transaction per
article would cap a 10,000-article import far below the 1,000 articles/s target; a
failed batch write rolls back whole and is retried file by file.

A JSONL file whose first record carries an ``"annotator"`` key is an export file
(``annotator export``): it goes to ``services.merge``, which streams it (no 20 MB
limit: a lead's merge file can be large) and takes or refuses each record on its own.
A file that starts with plain articles is read as articles; if export records turn
up further down, it is handed to the merge as a whole.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.blocks import Block, segment
from annotator.core.errors import InputError
from annotator.core.fingerprint import fingerprint
from annotator.core.formats import SUPPORTED_SUFFIXES, ParsedDocument, parse
from annotator.core.text import MAX_BYTES, sha256
from annotator.core.title import pick_title
from annotator.services import merge
from annotator.store import Project, StoreError
from annotator.store.documents import NewDocument, add_documents, existing_hashes

BATCH_DOCS = 500
BATCH_CHARS = 8_000_000

Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    files: int = 0
    imported: int = 0
    duplicates: int = 0
    refused: list[str] = field(default_factory=list)
    cancelled: bool = False
    # Annotation records merged from export files (see services.merge).
    merged: int = 0
    replaced: int = 0
    unchanged: int = 0
    older: int = 0

    def line(self) -> str:
        text = (
            f"{self.imported} imported, {self.duplicates} duplicates, "
            f"{len(self.refused)} refused ({self.files} files)"
        )
        if self.merged or self.unchanged or self.older:
            text += (f"; annotations: {self.merged} merged ({self.replaced} replaced), "
                     f"{self.unchanged} unchanged, {self.older} skipped as older than stored")
        return text + (", cancelled" if self.cancelled else "")

    def add_merge(self, counts: merge.MergeCounts) -> None:
        self.imported += counts.documents_added
        self.duplicates += counts.duplicates
        self.merged += counts.merged
        self.replaced += counts.replaced
        self.unchanged += counts.unchanged
        self.older += counts.older
        self.refused.extend(counts.refused)
        self.cancelled = self.cancelled or counts.cancelled


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand folders recursively; returns (files, one error line per bad path)."""
    files: list[Path] = []
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                errors.append(f"{path}: folder has no .txt, .jsonl, .html or .htm files")
            files.extend(found)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                errors.append(
                    f"{path}: unsupported file type {path.suffix or '(none)'}; "
                    "use .txt, .jsonl, .html or .htm"
                )
        else:
            errors.append(f"{path}: no such file or folder")
    return files, errors


def read_file(path: Path, encoding: str | None = None) -> list[ParsedDocument]:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"file is {size / 1e6:.1f} MB, over the 20 MB limit", where=where)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=where) from None
    return parse(data, path.suffix, where, encoding)


def to_new_document(parsed: ParsedDocument, source: str) -> NewDocument:
    blocks = segment(parsed.text)
    title = parsed.title or pick_title(parsed.text, blocks)
    meta = dict(parsed.meta)
    return NewDocument(
        sha256=sha256(parsed.text),
        text=parsed.text,
        title=title,
        source=str(meta.get("source") or source),
        meta=meta,
        blocks=[(b.start, b.end) for b in blocks],
        evidence=_block_evidence(blocks, getattr(parsed, "regions", None)),
        fingerprints=[fingerprint(parsed.text[b.start : b.end]) for b in blocks],
    )


def _block_evidence(blocks: Sequence[Block], regions: Sequence[tuple[int, int, dict[str, Any]]]
                    | None) -> list[dict[str, Any] | None] | None:
    """Each block takes the evidence of the HTML element it came from: the page's
    elements are separated by blank lines, so a block never spans two of them."""
    if not regions:
        return None
    starts = [r[0] for r in regions]
    out: list[dict[str, Any] | None] = []
    for block in blocks:
        k = bisect_right(starts, block.start) - 1
        inside = k >= 0 and regions[k][0] <= block.start < max(regions[k][1], block.start + 1)
        out.append(dict(regions[k][2]) if inside else None)
    return out


def _write(project: Project, docs: Sequence[NewDocument], summary: ImportSummary) -> None:
    """One transaction; the summary counts only what was committed."""
    duplicates = 0
    with project.session() as session:
        known = existing_hashes(session, (d.sha256 for d in docs))
        fresh: dict[str, NewDocument] = {}
        for doc in docs:
            if doc.sha256 in known or doc.sha256 in fresh:
                duplicates += 1
            else:
                fresh[doc.sha256] = doc
        add_documents(session, list(fresh.values()))
    summary.imported += len(fresh)
    summary.duplicates += duplicates


def _write_batch(
    project: Project, files: Sequence[tuple[Path, list[NewDocument]]], summary: ImportSummary
) -> None:
    """Write a batch at once; if the database refuses it (a concurrent importer added
    the same text, a lock timed out, a server rejected a character), it was rolled back
    whole, so write it again file by file and refuse only the files that fail."""
    try:
        _write(project, [doc for _, docs in files for doc in docs], summary)
    except StoreError:
        for path, docs in files:
            try:
                _write(project, docs, summary)
            except StoreError as exc:
                reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                summary.refused.append(f"{path}: could not be stored: {reason}")


def _merge(
    project: Project, path: Path, summary: ImportSummary, cancelled: Callable[[], bool] | None
) -> None:
    counts = merge.MergeCounts()
    merge.merge_file(project, path, counts, cancelled=cancelled)
    summary.add_merge(counts)


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    files, errors = collect_files(paths)
    summary = ImportSummary(files=len(files), refused=list(errors))
    pending: list[tuple[Path, list[NewDocument]]] = []  # per file, so a file stays whole
    pending_docs = pending_chars = 0

    def flush() -> None:
        nonlocal pending_docs, pending_chars
        if pending:
            _write_batch(project, pending, summary)
        pending.clear()
        pending_docs = pending_chars = 0

    for number, path in enumerate(files, start=1):
        if cancelled is not None and cancelled():
            summary.cancelled = True
            break
        if path.suffix.lower() == ".jsonl" and merge.is_export_file(path):
            flush()  # keep the order: articles before this file are written first
            _merge(project, path, summary, cancelled)
            if progress is not None:
                progress(number, len(files))
            if summary.cancelled:
                break
            continue
        try:
            parsed = read_file(path, encoding)
            if any(p.record is not None and "annotator" in p.record for p in parsed):
                flush()
                _merge(project, path, summary, cancelled)
                if progress is not None:
                    progress(number, len(files))
                continue
            docs = [to_new_document(p, path.name) for p in parsed]
        except InputError as exc:
            summary.refused.append(str(exc))
        else:
            pending.append((path, docs))
            pending_docs += len(docs)
            pending_chars += sum(len(d.text) for d in docs)
            if pending_docs >= BATCH_DOCS or pending_chars >= BATCH_CHARS:
                flush()
        if progress is not None:
            progress(number, len(files))
    flush()
    return summary
