"""Importing article files into a project.

Atomic per file: a file is parsed and checked completely (``core.formats``, which runs
every value through ``core.untrusted``) before any of it is written, so a bad file
changes nothing and the rest of the batch still goes in. Files are written in chunks,
one transaction per chunk of about ``BATCH_DOCS`` articles, with set-based statements
(``store.documents.add_documents``): a transaction per article would cap a 10,000-article
import far below its target, and one transaction for everything would hold the write
lock for seconds while annotators wait. A failed chunk write rolls back whole and is
retried file by file. Chunks are written by one writer thread (``_Writer``) while this
thread reads, checks and segments the next: the database's work and Python's overlap.

Small files are gathered into shared chunks. A JSONL file over ``STREAM_BYTES`` (and
every ``.jsonl.gz``) is read as a stream, record by record: a first pass checks every
record, a second writes them in chunks (from the records kept by the first when they are
few, else by reading the file again). Memory stays bounded by a chunk whatever the file's
size (two chunks: one written, one prepared), and a file that fails to be written after
some of its chunks went in, or whose import is cancelled, has those chunks removed again,
so it still goes in whole or not at all.

A JSONL file whose first record carries an ``"annotator"`` key is an export file
(``annotator export``): it goes to ``services.merge``, which streams it and takes or
refuses each record on its own. A file that starts with plain articles is read as
articles; if export records turn up further down, it is handed to the merge as a whole.

Folders are walked with symbolic links followed; a link back to a folder being walked
(a loop), a broken link, and a name that is not valid UTF-8 are each reported on one
line (names escaped, see ``untrusted.printable_path``), and the walk goes on.
"""

from __future__ import annotations

import codecs
import contextvars
import errno
import gzip
import os
import stat
import sys
import threading
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from hashlib import sha1
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from annotator.core import untrusted
from annotator.core.blocks import spans
from annotator.core.errors import InputError
from annotator.core.fingerprint import fingerprint
from annotator.core.formats import (
    MAX_RECORD_BYTES,
    SUPPORTED_SUFFIXES,
    ParsedDocument,
    ascii_compatible,
    file_kind,
    parse,
    read_jsonl,
    record_lines,
)
from annotator.core.jobs import Progress, is_cancelled, report
from annotator.core.terminal import printable
from annotator.core.text import MAX_BYTES, sha256
from annotator.core.title import title_of_spans
from annotator.core.untrusted import printable_path
from annotator.store import Project, StoreError
from annotator.store.documents import (
    NewDocument,
    add_documents,
    delete_documents,
    existing_hashes,
)

if TYPE_CHECKING:
    from annotator.services.merge import MergeCounts

BATCH_DOCS = 1000
BATCH_CHARS = 8_000_000
STREAM_BYTES = 4 * 1024 * 1024
"""JSONL files larger than this are streamed rather than held in memory."""
KEEP_CHARS = 16_000_000
"""A streamed file whose records hold less text than this is checked and written from
one reading (its records are kept between the two passes); a larger one is read twice."""
SWITCH_SECONDS = 0.0005
"""The interpreter's thread switch interval during an import (Python's default is 5 ms).
The writer thread needs the interpreter for a moment after each database call, and it
waits for the preparing thread to let go of it; a shorter interval keeps those waits
short (they add up over a few dozen calls per chunk)."""
_SUFFIX_LIST = ", ".join(SUPPORTED_SUFFIXES[:-1]) + " or " + SUPPORTED_SUFFIXES[-1]

IMPORTING = "importing"  # the stage ``progress`` reports: files read of all


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

    def add_merge(self, counts: MergeCounts) -> None:
        self.imported += counts.documents_added
        self.duplicates += counts.duplicates
        self.merged += counts.merged
        self.replaced += counts.replaced
        self.unchanged += counts.unchanged
        self.older += counts.older
        self.refused.extend(counts.refused)
        self.cancelled = self.cancelled or counts.cancelled


# -- finding files --------------------------------------------------------------------------
def _bad_name(path: Path) -> bool:
    """Is the name not valid UTF-8 (held by Python as surrogate escapes)?"""
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _unreadable(path: Path, exc: OSError, link: bool) -> str:
    where = printable_path(path)
    if exc.errno == errno.ELOOP:
        return f"{where}: symbolic link loop (too many levels of links), skipped"
    if link and exc.errno == errno.ENOENT:
        target = printable(os.readlink(path)) if path.is_symlink() else "?"
        return f"{where}: broken symbolic link (to {target}), skipped"
    if exc.errno == errno.ENOENT:
        return f"{where}: no such file or folder"
    return f"{where}: cannot read: {exc.strerror or exc}"


def _walk(root: Path, root_key: tuple[int, int], files: list[Path], errors: list[str]) -> None:
    """Supported files under ``root`` in name order, links followed, loops reported."""
    seen = {root_key}

    def visit(folder: Path, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            errors.append(_unreadable(folder, exc, False))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                info = entry.stat()  # follows links
            except OSError as exc:
                link = entry.is_symlink()
                if link or file_kind(entry.name):
                    errors.append(_unreadable(path, exc, link))
                continue
            if stat.S_ISDIR(info.st_mode):
                key = (info.st_dev, info.st_ino)
                if key in ancestors:
                    errors.append(f"{printable_path(path)}: symbolic link loop (leads back to "
                                  f"{printable_path(os.path.realpath(path))}), skipped")
                elif key not in seen:  # a folder reached twice through links is read once
                    seen.add(key)
                    visit(path, ancestors | {key})
            elif stat.S_ISREG(info.st_mode) and file_kind(entry.name):
                if _bad_name(path):
                    errors.append(f"{printable_path(path)}: file name is not valid UTF-8; "
                                  "rename the file to import it")
                else:
                    files.append(path)

    visit(root, frozenset({root_key}))


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand folders recursively; returns (files, one error line per bad path)."""
    files: list[Path] = []
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as exc:
            errors.append(_unreadable(path, exc, path.is_symlink()))
            continue
        if stat.S_ISDIR(info.st_mode):
            before = len(files)
            _walk(path, (info.st_dev, info.st_ino), files, errors)
            if len(files) == before:
                errors.append(f"{printable_path(path)}: folder has no {_SUFFIX_LIST} files")
        elif not stat.S_ISREG(info.st_mode):
            errors.append(f"{printable_path(path)}: not a regular file")
        elif file_kind(path.name) is None:
            errors.append(f"{printable_path(path)}: unsupported file type "
                          f"{printable(path.suffix) or '(none)'}; use {_SUFFIX_LIST}")
        elif _bad_name(path):
            errors.append(f"{printable_path(path)}: file name is not valid UTF-8; "
                          "rename the file to import it")
        else:
            files.append(path)
    return files, errors


# -- reading --------------------------------------------------------------------------------
def read_file(path: Path, encoding: str | None = None) -> list[ParsedDocument]:
    """A whole file's documents (a ``.txt`` or ``.html`` file, or a small JSONL file)."""
    where = printable_path(path)
    kind = file_kind(path.name) or path.suffix
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"file is {size / 1e6:.1f} MB, over the 20 MB limit", where=where)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=where) from None
    return parse(data, kind, where, encoding)


def _open(path: Path, kind: str) -> IO[bytes]:
    return gzip.open(path, "rb") if kind == ".jsonl.gz" else open(path, "rb")  # noqa: SIM115


def _stream(path: Path, kind: str, encoding: str | None) -> Iterator[ParsedDocument]:
    """The records of a JSONL file read as a stream (plain or gzipped)."""
    where = printable_path(path)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", where=where) from None
    if not ascii_compatible(encoding):
        raise InputError(f"a {kind} file cannot be read record by record in {encoding}; "
                         "convert it to UTF-8", where=where)
    try:
        with _open(path, kind) as stream:
            yield from read_jsonl(stream, where, encoding)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", where=where) from None


def _streamed(path: Path, kind: str, encoding: str | None) -> bool:
    if kind == ".jsonl.gz":
        return True
    if kind != ".jsonl" or not ascii_compatible(encoding):
        return False  # (UTF-16 JSONL is read whole, within the file limit)
    try:
        return path.stat().st_size > STREAM_BYTES
    except OSError:
        return False


def _is_export(path: Path, kind: str) -> bool:
    """Does the file start with an export record (one with an ``"annotator"``)?"""
    if kind not in (".jsonl", ".jsonl.gz"):
        return False
    try:
        with _open(path, kind) as stream:
            for number in range(1, 1000):
                raw = stream.readline(MAX_RECORD_BYTES + 1)
                if not raw or len(raw) > MAX_RECORD_BYTES:
                    return False
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
                if line:
                    first = untrusted.loads(line)
                    return isinstance(first, dict) and "annotator" in first
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, InputError):
        pass  # not readable as an export file: read as articles, which says why
    return False


def _gz_lines(path: Path) -> Iterator[tuple[int, int, str | InputError]]:
    """``merge_file``'s lines of a gzipped export file: (number, bytes read, text or error)."""
    with gzip.open(path, "rb") as stream:
        yield from record_lines(stream)


# -- preparing ------------------------------------------------------------------------------
def to_new_document(parsed: ParsedDocument, source: str) -> NewDocument:
    text = parsed.text
    blocks = spans(text)
    meta = dict(parsed.meta)
    return NewDocument(
        sha256=sha256(text),
        text=text,
        title=parsed.title or title_of_spans(text, blocks),
        source=str(meta.get("source") or source),
        meta=meta,
        blocks=blocks,
        evidence=_block_evidence(blocks, getattr(parsed, "regions", None)),
        fingerprints=_fingerprints(text, blocks),
    )


# ASCII bytes that are not letters or digits: what ``core.fingerprint`` treats as spacing.
_SPACING = bytes(
    c if chr(c).isalnum() and c < 128 else 32 for c in range(256)
).lower()


def _fingerprints(text: str, blocks: Sequence[tuple[int, int]]) -> list[str]:
    """``core.fingerprint.fingerprint`` of every block, the same values, computed on bytes
    for ASCII blocks: lower-casing and mapping non-word bytes to spaces is one
    ``translate`` of the whole document, and splitting and joining a block's words are
    single C calls, where the general definition runs a regex per block (the dearest
    step of segmenting an import). (Squeezing the whole document at once and splitting
    it at the blocks' ends measured slower: it makes bytearrays.)
    ``tests/store/test_import_stream.py`` checks the values equal ``fingerprint``'s.
    """
    if text.isascii():
        data = text.encode("ascii").translate(_SPACING)
        return [sha1(key).hexdigest()[:16] if key else ""
                for key in [b" ".join(data[start:end].split()) for start, end in blocks]]
    out: list[str] = []
    for start, end in blocks:
        piece = text[start:end]
        if piece.isascii():
            key = b" ".join(piece.encode("ascii").translate(_SPACING).split())
            out.append(sha1(key).hexdigest()[:16] if key else "")
        else:
            out.append(fingerprint(piece))
    return out


def _block_evidence(blocks: Sequence[tuple[int, int]],
                    regions: Sequence[tuple[int, int, dict[str, Any]]] | None
                    ) -> list[dict[str, Any] | None] | None:
    """Each block takes the evidence of the HTML element it came from: the page's
    elements are separated by blank lines, so a block never spans two of them."""
    if not regions:
        return None
    starts = [r[0] for r in regions]
    out: list[dict[str, Any] | None] = []
    for start, _ in blocks:
        k = bisect_right(starts, start) - 1
        inside = k >= 0 and regions[k][0] <= start < max(regions[k][1], start + 1)
        out.append(dict(regions[k][2]) if inside else None)
    return out


# -- writing --------------------------------------------------------------------------------
def _write(project: Project, docs: Sequence[NewDocument]) -> tuple[list[int], int]:
    """One transaction; returns (ids of the documents added, duplicates skipped).

    Texts already stored are dropped before the write (no need to send them), and the
    database skips any a concurrent importer committed in between.
    """
    with project.session() as session:
        known = existing_hashes(session, (d.sha256 for d in docs))
        fresh: dict[str, NewDocument] = {}
        for doc in docs:
            if doc.sha256 not in known and doc.sha256 not in fresh:
                fresh[doc.sha256] = doc
        ids = add_documents(session, list(fresh.values()))
    return list(ids.values()), len(docs) - len(ids)


def _reason(exc: Exception) -> str:
    return printable(str(getattr(exc, "orig", None) or exc).splitlines()[0])


def _write_batch(
    project: Project, files: Sequence[tuple[Path, list[NewDocument]]], summary: ImportSummary
) -> None:
    """Write a batch at once; if the database refuses it (a lock timed out, a server
    rejected a value), it was rolled back whole, so write it again file by file and
    refuse only the files that fail."""
    try:
        added, duplicates = _write(project, [doc for _, docs in files for doc in docs])
    except StoreError:
        for path, docs in files:
            try:
                added, duplicates = _write(project, docs)
            except StoreError as exc:
                summary.refused.append(f"{printable_path(path)}: could not be stored: "
                                       f"{_reason(exc)}")
            else:
                summary.imported += len(added)
                summary.duplicates += duplicates
    else:
        summary.imported += len(added)
        summary.duplicates += duplicates


class _Writer:
    """The import's one database thread: it writes a chunk while the calling thread
    reads, checks and segments the next.

    Preparing a chunk is Python and writing it is mostly SQLite, which runs without
    holding the interpreter, so on two cores the two overlap. Every job touches the
    database or the summary only here, one after the other in the order they were
    handed over: the project's sessions are used from this thread alone, and refusal
    lines keep the order of the files. A chunk is handed over only once the one before
    it is written, so at most two chunks are held (one written, one prepared). Jobs run
    in the caller's context (its busy timeout, see ``store.engine.busy_wait``).
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self._context = contextvars.copy_context()
        self._chunk: Future[None] | None = None  # the chunk being written
        self._jobs: list[Future[None]] = []

    def chunk(self, job: Callable[[], None]) -> None:
        """Write a chunk, after the one before it is done (its errors are raised here)."""
        previous, self._chunk = self._chunk, None
        if previous is not None:
            if previous in self._jobs:
                self._jobs.remove(previous)  # (its error, if any, is raised here, not again)
            previous.result()
        self._chunk = self.note(job)

    def note(self, job: Callable[[], None]) -> Future[None]:
        """Run a small job (a refusal line, a file's outcome) after those handed over."""
        self._jobs = [f for f in self._jobs if not f.done() or f.exception() is not None]
        future = self._pool.submit(self._context.copy().run, job)
        self._jobs.append(future)
        return future

    def drain(self) -> None:
        """Wait for every job; the first failure (not a refusal: a bug) is raised."""
        for future in self._jobs:
            future.result()
        self._jobs.clear()
        self._chunk = None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _StreamState:
    """A streamed file's writes so far, kept by the writer thread."""

    added: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: str | None = None  # the refusal line, once a chunk could not be stored


def _import_stream(
    project: Project, path: Path, kind: str, encoding: str | None, summary: ImportSummary,
    cancel: threading.Event | None, writer: _Writer,
) -> bool:
    """A large JSONL file: check every record, then write in chunks (from the records
    kept by the check, or by reading the file again when they hold over ``KEEP_CHARS``).
    False if the file turned out to hold export records (the caller merges it instead).

    The chunks are written by ``writer`` while the next is prepared; when one cannot be
    stored, or the import is cancelled, those already committed are taken back, so the
    file goes in whole or not at all.
    """
    kept: list[ParsedDocument] | None = []  # pass 1's records, while they are few
    kept_chars = 0
    for parsed in _stream(path, kind, encoding):  # pass 1: the whole file is good
        if parsed.record is not None and "annotator" in parsed.record:
            return False
        if kept is not None:
            parsed.record = None  # (only needed to tell export records apart)
            kept.append(parsed)
            kept_chars += len(parsed.text)
            if kept_chars > KEEP_CHARS:
                kept = None  # a large file: pass 2 reads it again
    state = _StreamState()

    def write(chunk: list[NewDocument]) -> None:  # (in the writer thread)
        if state.failed is not None:
            return
        try:
            ids, dups = _write(project, chunk)
        except (StoreError, InputError) as exc:  # (InputError: a read-only project)
            state.failed = (f"{printable_path(path)}: could not be stored: {_reason(exc)}"
                            if isinstance(exc, StoreError) else str(exc))
            take_back()
        else:
            state.added.extend(ids)
            state.duplicates += dups

    def take_back() -> None:  # (in the writer thread) whole or nothing
        if state.added:
            with project.session() as session:
                delete_documents(session, state.added)
            state.added.clear()

    def abort(line: str | None) -> None:  # (in the writer thread)
        if state.failed is None:
            take_back()
            if line is not None:
                summary.refused.append(line)

    def finish() -> None:  # (in the writer thread)
        if state.failed is not None:
            summary.refused.append(state.failed)
        else:
            summary.imported += len(state.added)
            summary.duplicates += state.duplicates

    chunk: list[NewDocument] = []
    chunk_chars = 0
    try:
        for parsed in kept if kept is not None else _stream(path, kind, encoding):  # pass 2
            chunk.append(to_new_document(parsed, path.name))
            chunk_chars += len(parsed.text)
            if len(chunk) >= BATCH_DOCS or chunk_chars >= BATCH_CHARS:
                writer.chunk(partial(write, chunk))
                chunk, chunk_chars = [], 0
                if state.failed is not None:
                    break  # (seen early: the rest need not be prepared)
                if is_cancelled(cancel):
                    raise _Cancelled
        if chunk:
            writer.chunk(partial(write, chunk))
    except InputError as exc:
        writer.note(partial(abort, str(exc)))
        return True
    except _Cancelled:
        writer.note(partial(abort, None))
        summary.cancelled = True
        return True
    writer.note(finish)
    return True


class _Cancelled(Exception):
    """The user cancelled in the middle of a streamed file."""


def _merge(
    project: Project, path: Path, kind: str, summary: ImportSummary,
    cancel: threading.Event | None,
) -> None:
    from annotator.services import merge  # only now: merging needs more than importing

    counts = merge.MergeCounts()
    if kind == ".jsonl.gz":
        try:
            merge.merge_file(project, path, counts, cancel=cancel, lines=_gz_lines(path))
        except (OSError, EOFError, zlib.error) as exc:  # a gzip stream that breaks off
            counts.refused.append(f"{printable_path(path)}: not a valid gzip file "
                                  f"({exc or type(exc).__name__})")
    else:
        merge.merge_file(project, path, counts, cancel=cancel)
    summary.add_merge(counts)


def import_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    encoding: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportSummary:
    """Import ``paths`` (files and folders), a job in the sense of ``core.jobs``:
    ``progress`` counts files, and a set ``cancel`` stops between files (or between a
    streamed file's chunks, whose committed chunks are then taken back)."""
    files, errors = collect_files(paths)
    summary = ImportSummary(files=len(files), refused=list(errors))
    writer = _Writer()
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, SWITCH_SECONDS))
    try:
        _import_files(project, files, summary, writer, encoding, progress, cancel)
        writer.drain()
    finally:
        writer.close()
        sys.setswitchinterval(switch)
    return summary


def _import_files(
    project: Project, files: Sequence[Path], summary: ImportSummary, writer: _Writer,
    encoding: str | None, progress: Progress | None, cancel: threading.Event | None,
) -> None:
    """Read and prepare each file in turn; ``writer`` stores them meanwhile. Progress
    counts files handed to the writer (the last chunk may still be written after)."""
    pending: list[tuple[Path, list[NewDocument]]] = []  # per file, so a file stays whole
    pending_docs = pending_chars = 0

    def flush() -> None:
        nonlocal pending, pending_docs, pending_chars
        if pending:
            writer.chunk(partial(_write_batch, project, pending, summary))
        pending = []
        pending_docs = pending_chars = 0

    def refuse(line: str) -> None:  # after the files before it, in the writer's order
        writer.note(partial(summary.refused.append, line))

    for number, path in enumerate(files, start=1):
        if is_cancelled(cancel):
            summary.cancelled = True
            break
        kind = file_kind(path.name) or path.suffix.lower()
        try:
            if _is_export(path, kind):
                flush()  # keep the order: articles before this file are written first
                writer.drain()
                _merge(project, path, kind, summary, cancel)
            elif _streamed(path, kind, encoding):
                flush()
                if not _import_stream(project, path, kind, encoding, summary, cancel,
                                      writer):
                    writer.drain()
                    _merge(project, path, kind, summary, cancel)
            else:
                parsed = read_file(path, encoding)
                if any(p.record is not None and "annotator" in p.record for p in parsed):
                    flush()
                    writer.drain()
                    _merge(project, path, kind, summary, cancel)
                else:
                    docs = [to_new_document(p, path.name) for p in parsed]
                    pending.append((path, docs))
                    pending_docs += len(docs)
                    pending_chars += sum(len(d.text) for d in docs)
                    if pending_docs >= BATCH_DOCS or pending_chars >= BATCH_CHARS:
                        flush()
        except InputError as exc:
            refuse(str(exc))
        report(progress, number, len(files), IMPORTING)
        if summary.cancelled:
            break
    flush()
