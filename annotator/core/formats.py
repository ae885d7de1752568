"""Reading article files into canonical text: plain text, JSONL records, HTML.

Pure functions from bytes to ``ParsedDocument`` values; they raise ``InputError`` with
the file (and line) named. Reading the whole file first is deliberate: every file is
at most 20 MB, and a file is either imported whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.core.errors import InputError
from annotator.core.html_page import read_page
from annotator.core.text import decode, normalise_newlines

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")


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
    return [ParsedDocument(decode(data, where=where, encoding=encoding))]


def parse_jsonl(data: bytes, where: str, encoding: str | None = None) -> list[ParsedDocument]:
    content = decode(data, where=where, encoding=encoding)
    return list(_jsonl_records(content, where))


def _jsonl_records(content: str, where: str) -> Iterator[ParsedDocument]:
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        loc = f"{where}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg}, column {exc.colno})", where=loc) from None
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
        yield ParsedDocument(text, title, meta, record, number)


def parse_html(data: bytes, where: str, encoding: str | None = None) -> list[ParsedDocument]:
    """One document per page, parsed as a browser would (see ``core.html_page``).

    The regions carry each chunk's evidence (landmarks, link share, hidden, extraction
    agreement) so later stages can weigh it; the text is the same canonical text as before.
    """
    markup = decode(data, where=where, encoding=encoding)
    try:
        page = read_page(markup)
    except InputError as exc:
        raise InputError(str(exc), where=where) from None
    if not page.text.strip():
        raise InputError("HTML page has no visible text", where=where)
    regions = [(r.start, r.end, r.evidence) for r in page.regions]
    return [ParsedDocument(page.text, page.title, regions=regions)]


def parse(data: bytes, suffix: str, where: str, encoding: str | None = None) -> list[ParsedDocument]:
    suffix = suffix.lower()
    if suffix == ".txt":
        return parse_txt(data, where, encoding)
    if suffix == ".jsonl":
        return parse_jsonl(data, where, encoding)
    if suffix in (".html", ".htm"):
        return parse_html(data, where, encoding)
    raise InputError(
        f"unsupported file type {suffix or '(none)'}; use .txt, .jsonl, .html or .htm", where=where
    )
