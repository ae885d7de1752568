"""Exporting labels for training: JSONL records, spaCy DocBin, Prodigy tasks.

Every format is made from the same JSONL export record (``core.export_record``), so
offsets, token indices and labels agree across formats. Records are written as they
are read: the store hands out documents a page at a time and nothing is collected,
so a 100,000-document export runs in flat memory (``tests/bench/bench_export.py``).
The one exception is the DocBin format, which spaCy serialises as one message: it
keeps the compact token arrays of every exported Doc until the file is written.

This module runs an export from start to end; the parts live beside it:
``export_records`` (options, whose labels, the record of each document),
``export_lines`` (JSONL and Prodigy lines, a page at a time), ``export_workers``
(worker processes for large text exports, same bytes in the same order) and
``export_sinks`` (output files, written to a ``.part`` file and renamed at the end).

``export`` is a job in the sense of ``core.jobs``: the GUI runs it on a worker thread
with ``progress`` and a ``cancel`` event, and a cancelled export writes no file; the CLI
is ``annotator export``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from annotator.core.errors import InputError
from annotator.core.jobs import Progress, is_cancelled, report
from annotator.core.split import assign
from annotator.core.units import human_size, plural
from annotator.services.export_lines import ExportJob
from annotator.services.export_records import (
    FORMATS,
    ExportOptions,
    RecordBuilder,
    check_options,
    chosen_annotators,
    count_records,
    iter_records,
    made_records,
    parse_statuses,
    token_index,
)
from annotator.services.export_sinks import EXTENSIONS, DocBinSink, Sink, output_targets
from annotator.services.export_workers import (
    MAX_WORKERS,
    PARALLEL_MIN_RECORDS,
    encoded_pages,
    worker_count,
)
from annotator.store import Project

__all__ = [
    "EXTENSIONS", "FORMATS", "MAX_WORKERS", "PARALLEL_MIN_RECORDS", "ExportOptions",
    "ExportSummary", "export", "human_size", "iter_records", "parse_statuses",
]

PROGRESS_EVERY = 200  # DocBin: records between progress reports (text formats: per page)
HELP_WHILE_STARTING = True  # encode pages here until the workers are up (tests: False)

EXPORTING = "exporting"  # the stage ``progress`` reports: records written of all


@dataclass
class ExportSummary:
    """What an export wrote. ``documents`` counts each document once per kind of
    record exported (human labels, suggestions)."""

    records: int = 0
    documents: int = 0
    bytes: int = 0
    seconds: float = 0.0
    files: dict[str, int] = field(default_factory=dict)  # path -> records
    cancelled: bool = False
    format: str = "jsonl"

    def line(self) -> str:
        """One line a person can read: counts, where (records per file when split),
        size in a unit that fits, and what an unmarked block means in the records."""
        if len(self.files) > 1:
            where = ", ".join(f"{path} ({plural(n, 'record')})"
                              for path, n in self.files.items())
        else:
            where = next(iter(self.files), "nothing")
        size = f"{human_size(self.bytes)} in {self.seconds:.1f} s"
        if self.bytes >= 1_000_000 and self.seconds > 0:
            size += f", {self.bytes / 1e6 / self.seconds:.1f} MB/s"
        text = (f"{plural(self.records, 'record')} of {plural(self.documents, 'document')} "
                f"exported to {where} ({size})")
        if self.cancelled:
            return text + ", cancelled: no file written"
        if self.format != "spacy" and self.records:
            text += "; in done documents an unmarked block is labelled content"
        return text


def export(
    project: Project,
    options: ExportOptions,
    out: Path | None = None,
    *,
    stream: IO[bytes] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportSummary:
    """Write the export; ``out`` is a file (a folder with ``split``), or ``None`` to
    write to ``stream`` (JSONL formats only). Safe to call from a worker thread:
    ``progress`` counts records, ``cancel`` is looked at between pages of documents,
    and a cancelled export writes no file."""
    check_options(options)
    started = time.perf_counter()
    chosen = chosen_annotators(project, options)
    targets = output_targets(options, out)
    if None in targets.values() and stream is None:
        raise InputError("give an output file (--out) or a stream to write to")
    total = count_records(project, options, chosen)
    if out is not None and options.split:
        out.mkdir(parents=True, exist_ok=True)
    for path in targets.values():
        if path is not None and not path.parent.is_dir():
            raise InputError("folder does not exist", where=str(path.parent))
    summary = ExportSummary(format=options.format)
    sinks: dict[str, Sink] = {}
    done = 0
    try:
        if options.format == "spacy":
            tokens = token_index()
            builder = RecordBuilder(project, tokens)
            docbins = {name: DocBinSink(path, tokens, builder.schema)
                       for name, path in targets.items()}
            sinks = dict(docbins)
            last_doc = None
            for made in made_records(project, options, chosen, builder):
                part = assign(made.record["id"], options.split, options.seed) if options.split \
                    else ""
                docbins[part].add(made)
                summary.documents += made.record["id"] != last_doc
                last_doc = made.record["id"]
                done += 1
                if done % PROGRESS_EVERY == 0 and _tick(progress, cancel, done, total):
                    summary.cancelled = True
                    break
        else:
            sinks = {name: Sink(path, stream) for name, path in targets.items()}
            job = ExportJob(project.url, options, chosen)
            pages = encoded_pages(project, job, worker_count(options, total),
                                  help_while_starting=HELP_WHILE_STARTING)
            for page in pages:
                for part, (data, records) in page.parts.items():
                    sinks[part].write(data, records)
                    done += records
                summary.documents += page.documents
                if _tick(progress, cancel, done, total):
                    summary.cancelled = True
                    break
        for sink in sinks.values():
            if summary.cancelled:
                sink.abort()
            else:
                sink.finish()
        if not summary.cancelled:
            report(progress, done, max(total, done), EXPORTING)
    except BaseException:
        for sink in sinks.values():
            sink.abort()
        raise
    summary.records = sum(s.records for s in sinks.values())
    summary.bytes = sum(s.bytes for s in sinks.values())
    summary.files = {s.name: s.records for s in sinks.values()}
    summary.seconds = time.perf_counter() - started
    return summary


def _tick(progress: Progress | None, cancel: threading.Event | None, done: int,
          total: int) -> bool:
    """Report progress; True when the caller asked to stop."""
    report(progress, done, total, EXPORTING)
    return is_cancelled(cancel)
