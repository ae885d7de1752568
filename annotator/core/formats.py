"""Reading article files into canonical text: plain text, JSONL records, HTML.

Pure functions from bytes to ``ParsedDocument`` values; they raise ``InputError`` with
the file (and line) named. Reading the whole file first is deliberate: every file is
at most 20 MB, and a file is either imported whole or not at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from annotator.core.errors import InputError
from annotator.core.text import decode, normalise_newlines

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")


@dataclass
class ParsedDocument:
    text: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] | None = None  # the whole JSONL record, for annotation merging
    line: int | None = None


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


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "td", "th", "tr", "ul", "option", "label", "button",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


class _VisibleText(HTMLParser):
    """Collects visible text, one block per block-level element, whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.in_title = False
        self.title = ""
        self.h1 = ""
        self.in_h1 = False
        self.pre = 0

    def _flush(self) -> None:
        text = "".join(self.current)
        lines = [_SPACES.sub(" ", part).strip() for part in text.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            self.blocks.append(joined)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "br":
            self.current.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()
            self.pre += tag == "pre"
            self.in_h1 = tag == "h1" and not self.h1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.current.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "h1":
                self.in_h1 = False
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip:
            return
        if self.in_h1:
            self.h1 += data
        # Source line breaks are plain whitespace in HTML; only <br> and <pre> break lines.
        self.current.append(data if self.pre else data.replace("\n", " "))

    def close(self) -> None:
        super().close()
        self._flush()


def parse_html(data: bytes, where: str, encoding: str | None = None) -> list[ParsedDocument]:
    markup = decode(data, where=where, encoding=encoding)
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    text = "\n\n".join(parser.blocks)
    if not text.strip():
        raise InputError("HTML page has no visible text", where=where)
    title = " ".join((parser.h1 or parser.title).split())
    return [ParsedDocument(text, title[:500])]


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
