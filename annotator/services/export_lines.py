"""JSONL lines of an export, a page of documents at a time.

The same code runs in this process and in export worker processes
(``services.export_workers``): a page encoder opens the project itself when it has
none, so a worker needs only the picklable ``ExportJob``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from annotator.core.export_record import to_prodigy
from annotator.core.split import assign
from annotator.services.export_records import ExportOptions, RecordBuilder, token_index
from annotator.store import Project, open_project
from annotator.store import export_queries as q

# orjson writes what ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` writes, five
# times faster (JSON was an eighth of an export's CPU), except: floats below 1e-4 and
# other negative exponents (``0.00001``, ``1e-7`` for Python's ``1e-05``, ``1e-07``),
# NaN and infinities (``null`` for Python's ``NaN``), and values it refuses (integers
# beyond 64 bits, non-string keys, float subclasses: TypeError). Each case is detected
# and that record is written by ``json`` instead, so the output stays byte-identical.
_NEGATIVE_EXPONENT = re.compile(rb"e-[0-9]")  # with ``0.0000``: both found by a literal
# Types ``json`` would refuse or write differently (subclasses, datetimes, dataclasses)
# raise here too, and go to ``json``.
_ORJSON_OPTIONS = (orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_SUBCLASS
                   | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)


def _finite(value: Any) -> bool:
    """No NaN or infinity anywhere in ``value`` (JSON-like: dicts, lists, scalars)."""
    if type(value) is dict:
        return _finite_items(value.values())
    if type(value) is list or type(value) is tuple:
        return _finite_items(value)
    return _finite_items((value,))


def _finite_items(values: Iterable[Any]) -> bool:
    # One call per container, not per value: most values are strings.
    for value in values:
        kind = type(value)
        if kind is str or kind is int or value is None or kind is bool:
            continue
        if kind is float:
            if value - value != 0.0:  # NaN - NaN and inf - inf are NaN
                return False
        elif kind is dict:
            if not _finite_items(value.values()):
                return False
        elif (kind is list or kind is tuple) and not _finite_items(value):
            return False
    return True


def _record_finite(record: Mapping[str, Any]) -> bool:
    """Floats of an export record come from its metadata, attributes and metrics only."""
    return (_finite(record["meta"]) and _finite(record["metrics"])
            and all(_finite(s["attrs"]) for s in record["spans"])
            and all(_finite(r["attrs"]) for r in record["relations"]))


def _dumps(value: Mapping[str, Any], finite: bool) -> bytes:
    """One JSONL line; ``finite``: the caller checked ``value`` holds no NaN/infinity."""
    if finite:
        try:
            data = orjson.dumps(value, option=_ORJSON_OPTIONS)
        except TypeError:
            pass
        else:
            if b"0.0000" not in data and _NEGATIVE_EXPONENT.search(data) is None:
                return data
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@dataclass
class ExportJob:
    """Everything a worker process needs to encode pages on its own (picklable)."""

    url: str
    options: ExportOptions
    chosen: dict[int, str]


@dataclass
class EncodedPage:
    """One page of output: per split part, the encoded lines and how many records."""

    documents: int
    parts: dict[str, tuple[bytes, int]]


class PageEncoder:
    """Reads one page of documents and encodes its records as JSONL or Prodigy lines."""

    def __init__(self, job: ExportJob, project: Project | None = None) -> None:
        self.job = job
        self.project = project
        self.builder: RecordBuilder | None = None

    def ready(self) -> tuple[Project, RecordBuilder]:
        """The project and record builder, made on first use: a worker process opens
        the project itself, and building the token index takes half a second."""
        if self.project is None:
            self.project = open_project(self.job.url, create=False)
        if self.builder is None:
            self.builder = RecordBuilder(self.project, token_index())
        return self.project, self.builder

    def encode(self, ids: list[int]) -> EncodedPage:
        project, builder = self.ready()
        options = self.job.options
        with project.sessions() as session:
            items = q.load_page(session, ids, self.job.chosen, options.statuses)
        return self.encode_records(len(ids), (builder.from_item(item) for item in items))

    def encode_records(self, documents: int, records: Iterable[dict[str, Any]]) -> EncodedPage:
        _, builder = self.ready()
        options = self.job.options
        lines: dict[str, list[bytes]] = {}
        for record in records:
            finite = _record_finite(record)
            if options.format == "prodigy":
                data = _dumps(to_prodigy(record, *builder.tokens.bounds(record["text"])), finite)
            else:
                data = _dumps(record, finite)
            part = assign(record["id"], options.split, options.seed) if options.split else ""
            lines.setdefault(part, []).append(data)
        return EncodedPage(documents, {part: (b"".join(chunk), len(chunk))
                                       for part, chunk in lines.items()})
