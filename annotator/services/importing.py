"""Importing article files into a project.

Atomic per file: a file is parsed and checked completely (``core.formats``, which runs
every value through ``core.untrusted``) before any of it is written, so a bad file
changes nothing and the rest of the batch still goes in. Files are written in chunks,
one transaction per chunk of about ``BATCH_DOCS`` articles, with set-based statements
(``store.documents.add_documents``): a transaction per article would cap a 10,000-article
import far below its target, and one transaction for everything would hold the write
lock for seconds while annotators wait. A failed chunk write rolls back whole and is
retried file by file. Chunks are written by one writer thread (``_Writer``) while the
next is read, checked and segmented (``services.import_reading``): here, between
writes, for a small input; by a worker process on the second core for a large one
(``WORKER_MIN_BYTES``), since in one process the two take turns at the interpreter.

Small files are gathered into shared chunks. A JSONL file over ``STREAM_BYTES`` (and
every ``.jsonl.gz``) is read as a stream, record by record: a first pass checks every
record, a second writes them in chunks (from the records kept by the first when they are
few, else by reading the file again). Memory stays bounded by a chunk whatever the file's
size (two chunks: one written, one prepared), and a file that fails to be written after
some of its chunks went in, or whose import is cancelled or interrupted (Ctrl+C, a
reader that died), has those chunks removed again, so it still goes in whole or not at
all. Only a killed process (``kill -9``, a power cut) can leave part of one behind.

A JSONL file whose first record carries an ``"annotator"`` key is an export file
(``annotator export``): it goes to ``services.merge``, which streams it and takes or
refuses each record on its own. A file that starts with plain articles is read as
articles; if export records turn up further down, it is handed to the merge as a whole.

Folders are walked with symbolic links followed; a link back to a folder being walked
(a loop), a broken link, and a name that is not valid UTF-8 are each reported on one
line (names escaped, see ``untrusted.printable_path``), and the walk goes on.
"""

from __future__ import annotations

import contextvars
import errno
import gzip
import os
import stat
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.core.formats import SUPPORTED_SUFFIXES, file_kind, record_lines
from annotator.core.framing import receive, send
from annotator.core.gc_pause import gc_paused
from annotator.core.jobs import Progress, is_cancelled, report
from annotator.core.model import DocumentData
from annotator.core.terminal import printable
from annotator.core.text import MAX_BYTES
from annotator.core.untrusted import printable_path
from annotator.services.import_reading import READER_BOOT, Limits, Step, steps
from annotator.store import Project, StoreError
from annotator.store.documents import (
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
WORKER_MIN_BYTES = 16 * 1024 * 1024
"""Inputs at least this large are read and prepared by a worker process while this one
writes (``services.import_reading``); smaller ones are read here between writes."""
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
def _gz_lines(path: Path) -> Iterator[tuple[int, int, str | InputError]]:
    """``merge_file``'s lines of a gzipped export file: (number, bytes read, text or error)."""
    with gzip.open(path, "rb") as stream:
        yield from record_lines(stream)


# -- writing --------------------------------------------------------------------------------
def _write(project: Project, docs: Sequence[DocumentData]) -> tuple[list[int], int]:
    """One transaction; returns (ids of the documents added, duplicates skipped).

    Texts already stored are dropped before the write (no need to send them), and the
    database skips any a concurrent importer committed in between.
    """
    with project.session() as session:
        known = existing_hashes(session, (d.sha256 for d in docs))
        fresh: dict[str, DocumentData] = {}
        for doc in docs:
            if doc.sha256 not in known and doc.sha256 not in fresh:
                fresh[doc.sha256] = doc
        ids = add_documents(session, list(fresh.values()))
    return list(ids.values()), len(docs) - len(ids)


def _reason(exc: Exception) -> str:
    return printable(str(getattr(exc, "orig", None) or exc).splitlines()[0])


def _write_batch(
    project: Project, files: Sequence[tuple[Path, list[DocumentData]]], summary: ImportSummary
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

    path: Path
    added: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: str | None = None  # the refusal line, once a chunk could not be stored

    def write(self, project: Project, chunk: Sequence[DocumentData]) -> None:
        """(In the writer thread.) A chunk; once one fails, the file is taken back."""
        if self.failed is not None:
            return
        try:
            ids, dups = _write(project, chunk)
        except (StoreError, InputError) as exc:  # (InputError: a read-only project)
            self.failed = (f"{printable_path(self.path)}: could not be stored: {_reason(exc)}"
                           if isinstance(exc, StoreError) else str(exc))
            self.take_back(project)
        else:
            self.added.extend(ids)
            self.duplicates += dups

    def take_back(self, project: Project) -> None:
        """(In the writer thread.) Whole or nothing: remove the chunks already written."""
        if self.added:
            with project.session() as session:
                delete_documents(session, self.added)
            self.added.clear()

    def finish(self, summary: ImportSummary) -> None:
        """(In the writer thread.) The file was read whole: count it, or refuse it."""
        if self.failed is not None:
            summary.refused.append(self.failed)
        else:
            summary.imported += len(self.added)
            summary.duplicates += self.duplicates

    def abort(self, project: Project, summary: ImportSummary, line: str | None) -> None:
        """(In the writer thread.) It was not read whole (``line`` says why), or the
        import was cancelled (no line)."""
        if self.failed is not None:  # (already taken back)
            summary.refused.append(self.failed)
            return
        self.take_back(project)
        if line is not None:
            summary.refused.append(line)


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
    limits = Limits(STREAM_BYTES, BATCH_DOCS, BATCH_CHARS, KEEP_CHARS, MAX_BYTES)
    writer = _Writer()
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, SWITCH_SECONDS))
    try:
        with gc_paused(), _reading(files, encoding, limits) as read:
            _Steps(project, summary, writer, progress, cancel).run(read)
        writer.drain()
    finally:
        writer.close()
        sys.setswitchinterval(switch)
    return summary


class _Steps:
    """Carries out the reader's steps (``import_reading.steps``) in order, one method per
    kind of step; ``writer`` stores the documents meanwhile.

    Small files are gathered into batches of about ``BATCH_DOCS`` articles, a file whole
    in one batch. A streamed file's chunks are written as they come and taken back if
    the file is not read whole, the import is cancelled, or anything goes wrong before
    its end (Ctrl+C, a reader that died): whole or nothing.
    """

    def __init__(self, project: Project, summary: ImportSummary, writer: _Writer,
                 progress: Progress | None, cancel: threading.Event | None) -> None:
        self.project, self.summary, self.writer = project, summary, writer
        self.progress, self.cancel = progress, cancel
        self.pending: list[tuple[Path, list[DocumentData]]] = []
        self.pending_docs = self.pending_chars = 0
        self.stream: _StreamState | None = None  # the streamed file being written

    def run(self, read: Iterator[Step]) -> None:
        """Every step, until the last or a cancel (checked before the first file, after
        each file and after each chunk handed over); what is pending is then written."""
        if is_cancelled(self.cancel):
            self.summary.cancelled = True
            return
        try:
            for step in read:
                getattr(self, "on_" + step[0])(*step[1:])
                if self.summary.cancelled or (step[0] in ("chunk", "read")
                                              and is_cancelled(self.cancel)):
                    self.summary.cancelled = True
                    self._take_back_stream(None)
                    break
        except BaseException:
            if self.stream is not None:  # (once the chunks before it are written)
                self._take_back_stream(None)
                with suppress(BaseException):
                    self.writer.drain()
            raise
        self.flush()

    def flush(self) -> None:
        if self.pending:
            self.writer.chunk(partial(_write_batch, self.project, self.pending, self.summary))
        self.pending = []
        self.pending_docs = self.pending_chars = 0

    def _take_back_stream(self, line: str | None) -> None:
        if self.stream is not None:
            self.writer.note(partial(self.stream.abort, self.project, self.summary, line))
        elif line is not None:
            self.on_refuse(line)
        self.stream = None

    def on_file(self, path: Path, docs: list[DocumentData]) -> None:
        self.pending.append((path, docs))
        self.pending_docs += len(docs)
        self.pending_chars += sum(len(d.text) for d in docs)
        if self.pending_docs >= BATCH_DOCS or self.pending_chars >= BATCH_CHARS:
            self.flush()

    def on_chunk(self, path: Path, docs: list[DocumentData]) -> None:
        if self.stream is None:
            self.flush()  # keep the order: the files before it are written first
            self.stream = _StreamState(path)
        if self.stream.failed is None:  # (once one failed, the rest is only read)
            self.writer.chunk(partial(self.stream.write, self.project, docs))

    def on_end(self, path: Path) -> None:
        stream = self.stream or _StreamState(path)  # (an empty file is refused before)
        self.writer.note(partial(stream.finish, self.summary))
        self.stream = None

    def on_abort(self, _path: Path, line: str) -> None:
        self._take_back_stream(line)

    def on_refuse(self, line: str) -> None:  # after the files before it, in the writer's order
        self.writer.note(partial(self.summary.refused.append, line))

    def on_merge(self, path: Path, kind: str) -> None:
        self.flush()  # keep the order: articles before this file are written first
        self.writer.drain()
        _merge(self.project, path, kind, self.summary, self.cancel)

    def on_read(self, number: int) -> None:
        report(self.progress, number, self.summary.files, IMPORTING)


@contextmanager
def _reading(files: Sequence[Path], encoding: str | None, limits: Limits
             ) -> Iterator[Iterator[Step]]:
    """The reader's steps: from a worker process for a large input (see
    ``import_reading``), else read here between writes. Leaving stops the reader."""
    if not _worth_a_worker(files):
        read = steps(files, encoding, limits)
        try:
            yield read
        finally:
            read.close()
        return
    proc = subprocess.Popen([sys.executable, "-c", READER_BOOT], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    ended = [False]  # the reader said it has nothing more

    def from_worker(stream: IO[bytes]) -> Iterator[Step]:
        while (step := receive(stream, "the import's reader process")) is not None:
            if step[0] == "error":
                raise RuntimeError(f"the import's reader process failed: {step[1]}")
            yield step
        ended[0] = True

    try:
        send(proc.stdin, (list(files), encoding, limits))
        proc.stdin.close()
        yield from_worker(proc.stdout)
    finally:
        if not ended[0] and proc.poll() is None:
            proc.kill()  # (a cancel, a failure: what it would still read is not wanted)
        proc.stdout.close()
        proc.wait()


def _worth_a_worker(files: Sequence[Path]) -> bool:
    """Only for an input that pays for the worker's start (a tenth of a second), with a
    second core to run it, and never in a frozen build (no ``python -c`` there)."""
    if getattr(sys, "frozen", False) or (os.cpu_count() or 1) < 2:
        return False
    size = 0
    for path in files:
        try:
            size += path.stat().st_size
        except OSError:
            continue  # (the reader says why)
        if size >= WORKER_MIN_BYTES:
            return True
    return False
