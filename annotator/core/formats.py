"""Reading article files into canonical text: plain text, JSONL records, HTML.

Pure functions from bytes (or a binary stream) to ``ParsedDocument`` values; they raise
``InputError`` with the file (and line) named. A ``.txt`` or ``.html`` file is one
document and is read whole (at most ``MAX_BYTES``). A JSONL file is a stream of
records: ``read_jsonl`` reads it record by record, so its size is not limited, only
each record's (``MAX_RECORD_BYTES``), and memory stays bounded; ``.jsonl.gz`` is read
the same way through ``gzip``.

Every document that leaves this module has passed ``core.untrusted`` (its text, title
and meta) and ``text.check_lines``: what the store is given, it can give back.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from annotator.core import untrusted
from annotator.core.errors import InputError
from annotator.core.text import (
    MAX_BYTES,
    check_lines,
    decode,
    decode_bytes,
    normalise_newlines,
)

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".html", ".htm")
MAX_RECORD_BYTES = MAX_BYTES
"""A JSONL record (one line) may be as long as a whole text file: 20 MB."""
_READ_CHUNK = 1 << 20


def file_kind(name: str) -> str | None:
    """The supported suffix a file name ends with (``.jsonl.gz`` included), or None."""
    lower = name.lower()
    for suffix in SUPPORTED_SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return suffix
    return None


@dataclass
class ParsedDocument:
    text: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] | None = None  # the whole JSONL record, for annotation merging
    line: int | None = None
    # HTML only: (start, end, evidence) per chunk of ``text``, in order; see core.html_page.
    regions: list[tuple[int, int, dict[str, Any]]] | None = None


def parse_txt(data: bytes, where: str, encoding: str | None = None) -> list[ParsedDocument]:
    return [_checked(ParsedDocument(decode(data, where=where, encoding=encoding)), where)]


def parse_jsonl(data: bytes, where: str, encoding: str | None = None) -> list[ParsedDocument]:
    content = decode(data, where=where, encoding=encoding)
    return list(_jsonl_records(enumerate(content.split("\n"), start=1), where))


def _checked(doc: ParsedDocument, where: str) -> ParsedDocument:
    """The one check every document passes before it may be stored."""
    untrusted.check_text(doc.text, "text", where)
    untrusted.check_text(doc.title, "title", where)
    untrusted.check_json(doc.meta, "meta", where)
    check_lines(doc.text, where)
    return doc


def ascii_compatible(encoding: str | None) -> bool:
    """Can lines of this encoding be split at the byte ``\\n``? (Not UTF-16 or UTF-32.)"""
    if encoding is None:
        return True
    try:
        return "\n{}".encode(encoding) == b"\n{}"
    except (LookupError, UnicodeError):
        return False


def read_jsonl(stream: IO[bytes], where: str, encoding: str | None = None
               ) -> Iterator[ParsedDocument]:
    """Records of a JSONL stream, one at a time, with the same line numbers and
    messages as ``parse_jsonl``. Memory is bounded by the longest record.

    The encoding must be ASCII-compatible (see ``ascii_compatible``); the caller reads
    other files whole with ``parse_jsonl``.
    """
    yield from _jsonl_records(_stream_lines(stream, where, encoding), where)


def _stream_lines(stream: IO[bytes], where: str, encoding: str | None
                  ) -> Iterator[tuple[int, str]]:
    """(line number, text) as ``decode(...).split("\\n")`` would number them."""
    number = 0
    first = True
    while True:
        try:
            raw = stream.readline(MAX_RECORD_BYTES + 1)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise InputError(f"not a valid gzip file ({exc or type(exc).__name__})",
                             where=where) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", where=where) from None
        if not raw:
            return
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            raise InputError(f"record is over the {MAX_RECORD_BYTES // 2**20} MB limit "
                             "for one line", where=f"{where}:{number + 1}")
        line = decode_bytes(raw, where=where, encoding=encoding, line=number + 1, bom=first)
        first = False
        if line.endswith("\n"):
            line = line[:-1]
        if "\r" in line:  # CR and CRLF end lines too, as in decode()
            for part in normalise_newlines(line).split("\n"):
                number += 1
                yield number, part
        else:
            number += 1
            yield number, line


def _jsonl_records(lines: Iterator[tuple[int, str]], where: str) -> Iterator[ParsedDocument]:
    seen = False
    for number, line in lines:
        if not line.strip():
            continue
        seen = True
        loc = f"{where}:{number}"
        record = untrusted.loads(line, loc)
        if not isinstance(record, dict):
            raise InputError("a record must be a JSON object", where=loc)
        text = record.get("text")
        if not isinstance(text, str):
            raise InputError('record has no "text" string', where=loc)
        text = normalise_newlines(text)
        if not text.strip():
            raise InputError('record has an empty "text"', where=loc)
        meta = record.get("meta") or {}
        if not isinstance(meta, dict):
            raise InputError('"meta" must be a JSON object', where=loc)
        meta = dict(meta)
        if "id" in record and record["id"] is not None:
            meta.setdefault("id", record["id"])
        title = meta.get("title") if isinstance(meta.get("title"), str) else ""
        check_lines(text, loc)
        yield ParsedDocument(text, title, meta, record, number)
    if not seen:
        raise InputError("empty file (no text to annotate)", where=where)


def parse_html(data: bytes, where: str, encoding: str | None = None) -> list[ParsedDocument]:
    """One document per page, parsed as a browser would (see ``core.html_page``).

    The regions carry each chunk's evidence (landmarks, link share, hidden, extraction
    agreement) so later stages can weigh it; the text is the same canonical text as before.
    """
    from annotator.core.html_page import read_page  # (lxml: loaded by HTML imports only)

    markup = decode(data, where=where, encoding=encoding)
    try:
        page = read_page(markup)
    except InputError as exc:
        raise InputError(str(exc), where=where) from None
    if not page.text.strip():
        raise InputError("HTML page has no visible text", where=where)
    regions = [(r.start, r.end, r.evidence) for r in page.regions]
    return [_checked(ParsedDocument(page.text, page.title, regions=regions), where)]


def parse(data: bytes, suffix: str, where: str, encoding: str | None = None) -> list[ParsedDocument]:
    suffix = suffix.lower()
    if suffix == ".txt":
        return parse_txt(data, where, encoding)
    if suffix == ".jsonl":
        return parse_jsonl(data, where, encoding)
    if suffix == ".jsonl.gz":
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return list(read_jsonl(stream, where, encoding))
    if suffix in (".html", ".htm"):
        return parse_html(data, where, encoding)
    raise InputError(
        f"unsupported file type {suffix or '(none)'}; use .txt, .jsonl, .jsonl.gz, .html or "
        ".htm", where=where
    )


def record_lines(stream: IO[bytes]) -> Iterator[tuple[int, int, str | InputError]]:
    """The records of a JSONL byte stream: (line number, bytes read so far, text or the
    error for that line); blank lines are skipped. A line over ``MAX_RECORD_BYTES`` is
    refused and skipped without being held in memory, so a merge of any size stays
    bounded, plain or gzipped alike."""
    done = 0
    number = 0
    while True:
        raw = stream.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        number += 1
        done += len(raw)
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the record
                raw = stream.readline(MAX_RECORD_BYTES)
                done += len(raw)
            yield number, done, InputError(
                f"record is over the {MAX_RECORD_BYTES // 2**20} MB limit for one line")
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            yield number, done, InputError(f"not valid UTF-8 (byte {exc.start} of the line)")
            continue
        if text.strip():
            yield number, done, text
