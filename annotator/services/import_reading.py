"""The reading half of an import: files in, prepared documents out, as a stream of steps.

``steps`` reads, checks and prepares the files (segmentation, title, SHA-256, block
fingerprints) and says what the writing half (``services.importing``) is to do, in
order: write a small file (the writer gathers them into batches), write a chunk of a
streamed file, end or take back a streamed file, refuse a file, merge an export file,
count a file read. It touches no
database, so it can run in this process, interleaved with the writes, or in a worker
process of its own (``reader_main``) whose steps come back over a pipe.

Why a worker process: preparing is Python, which holds the interpreter, and so does a
good part of writing; in one process the two take turns, and a large import runs at
about the speed of both added up. In a worker, preparing runs on the second core while
this process writes (``tests/bench/bench_import.py`` prints both). The worker imports
nothing heavy (no SQLAlchemy), and is used only for inputs large enough to pay for its
start (``importing.WORKER_MIN_BYTES``), outside frozen builds.
"""

from __future__ import annotations

import codecs
import gc
import gzip
import os
import sys
import zlib
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from hashlib import sha1
from pathlib import Path
from typing import IO, Any

from annotator.core import untrusted
from annotator.core.blocks import spans
from annotator.core.errors import InputError
from annotator.core.fingerprint import fingerprint
from annotator.core.formats import (
    MAX_RECORD_BYTES,
    ParsedDocument,
    ascii_compatible,
    file_kind,
    parse,
    read_jsonl,
)
from annotator.core.framing import receive, send
from annotator.core.model import DocumentData
from annotator.core.text import sha256
from annotator.core.title import title_of_spans
from annotator.core.untrusted import printable_path

READER_BOOT = "from annotator.services.import_reading import reader_main; reader_main()"


@dataclass(frozen=True)
class Limits:
    """The import's sizes, handed to ``steps`` (and so to a worker) by the caller.

    stream_bytes: JSONL files larger than this are streamed rather than held whole.
    batch_docs, batch_chars: a streamed file's chunk (one transaction) holds about this.
    keep_chars: a streamed file whose records hold less text than this is checked and
    written from one reading (its records are kept between the two passes).
    max_bytes: the largest ``.txt``/``.html`` (or small JSONL) file read whole.
    """

    stream_bytes: int
    batch_docs: int
    batch_chars: int
    keep_chars: int
    max_bytes: int


# The steps, as plain tuples (they cross a pipe); ``path`` is the file's own Path.
#   ("file", path, [DocumentData, ...])   a small file, whole (the writer batches them)
#   ("chunk", path, [DocumentData, ...])  part of a streamed file
#   ("end", path)                         the streamed file was read whole
#   ("abort", path, line)                 it was not: take it back and refuse it
#   ("refuse", line)                      a file that cannot be imported
#   ("merge", path, kind)                 an export file: merge it
#   ("read", number)                      files 1..number are read
Step = tuple[Any, ...]


# -- reading --------------------------------------------------------------------------------
def read_file(path: Path, max_bytes: int, encoding: str | None = None) -> list[ParsedDocument]:
    """A whole file's documents (a ``.txt`` or ``.html`` file, or a small JSONL file)."""
    where = printable_path(path)
    kind = file_kind(path.name) or path.suffix
    try:
        size = path.stat().st_size
        if size > max_bytes:
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


def _streamed(path: Path, kind: str, encoding: str | None, limits: Limits) -> bool:
    if kind == ".jsonl.gz":
        return True
    if kind != ".jsonl" or not ascii_compatible(encoding):
        return False  # (UTF-16 JSONL is read whole, within the file limit)
    try:
        return path.stat().st_size > limits.stream_bytes
    except OSError:
        return False


def is_export(path: Path, kind: str) -> bool:
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


# -- preparing ------------------------------------------------------------------------------
def to_new_document(parsed: ParsedDocument, source: str) -> DocumentData:
    text = parsed.text
    blocks = spans(text)
    meta = dict(parsed.meta)
    return DocumentData(
        sha256=sha256(text),
        text=text,
        title=parsed.title or title_of_spans(text, blocks),
        source=str(meta.get("source") or source),
        meta=meta,
        blocks=blocks,
        evidence=_block_evidence(blocks, getattr(parsed, "regions", None)),
        fingerprints=fingerprints(text, blocks),
    )


# ASCII bytes that are not letters or digits: what ``core.fingerprint`` treats as spacing.
_SPACING = bytes(
    c if chr(c).isalnum() and c < 128 else 32 for c in range(256)
).lower()


def fingerprints(text: str, blocks: Sequence[tuple[int, int]]) -> list[str]:
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


# -- the steps ------------------------------------------------------------------------------
def steps(files: Sequence[Path], encoding: str | None, limits: Limits) -> Iterator[Step]:
    """What the writer is to do with ``files``, in order (see ``Step``). A streamed file
    is checked whole first (a bad record refuses it before any of it is written), then
    handed over in chunks."""
    for number, path in enumerate(files, start=1):
        kind = file_kind(path.name) or path.suffix.lower()
        try:
            if is_export(path, kind):
                yield ("merge", path, kind)
            elif _streamed(path, kind, encoding, limits):
                yield from _stream_steps(path, kind, encoding, limits)
            else:
                parsed = read_file(path, limits.max_bytes, encoding)
                if any(p.record is not None and "annotator" in p.record for p in parsed):
                    yield ("merge", path, kind)
                else:
                    yield ("file", path, [to_new_document(p, path.name) for p in parsed])
        except InputError as exc:
            yield ("refuse", str(exc))
        yield ("read", number)


def _stream_steps(path: Path, kind: str, encoding: str | None, limits: Limits
                  ) -> Iterator[Step]:
    """A large JSONL file: check every record, then hand it over in chunks (from the
    records kept by the check, or by reading the file again when they hold over
    ``keep_chars``). An export file found on the way is merged instead."""
    kept: list[ParsedDocument] | None = []  # pass 1's records, while they are few
    kept_chars = 0
    for parsed in _stream(path, kind, encoding):  # pass 1: the whole file is good
        if parsed.record is not None and "annotator" in parsed.record:
            yield ("merge", path, kind)
            return
        if kept is not None:
            parsed.record = None  # (only needed to tell export records apart)
            kept.append(parsed)
            kept_chars += len(parsed.text)
            if kept_chars > limits.keep_chars:
                kept = None  # a large file: pass 2 reads it again
    chunk: list[DocumentData] = []
    chunk_chars = 0
    try:
        for parsed in kept if kept is not None else _stream(path, kind, encoding):  # pass 2
            chunk.append(to_new_document(parsed, path.name))
            chunk_chars += len(parsed.text)
            if len(chunk) >= limits.batch_docs or chunk_chars >= limits.batch_chars:
                yield ("chunk", path, chunk)
                chunk, chunk_chars = [], 0
        if chunk:
            yield ("chunk", path, chunk)
    except InputError as exc:  # (the file changed between the passes)
        yield ("abort", path, str(exc))
        return
    yield ("end", path)


# -- the worker process ---------------------------------------------------------------------
def reader_main() -> None:
    """A reader worker: reads ``(files, encoding, limits)`` from standard input and
    writes each step to standard output, then ``None``; a failure that is not the
    input's (a bug) goes over as ``("error", "Type: message")``.

    Standard output is moved to standard error so a stray print cannot corrupt the
    pipe. When the importer stops reading (a cancel, a failed write) the pipe breaks
    and the worker ends.
    """
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    # A reader makes short-lived documents and no reference cycles: keep the start-up heap
    # out of every collection and collect young objects rarely (as export workers do).
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        files, encoding, limits = receive(sys.stdin.buffer, "the importer")
        for step in steps(files, encoding, limits):
            send(out, step)
        send(out, None)
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the importer is gone or stopped us: nothing to say
    except Exception as exc:  # noqa: BLE001 - handed to the importer, which raises it
        with suppress(BrokenPipeError):
            send(out, ("error", f"{type(exc).__name__}: {exc}"))
