"""Exporting labels for training: JSONL records, spaCy DocBin, Prodigy tasks.

Every format is made from the same JSONL export record (``core.export_record``), so
offsets, token indices and labels agree across formats. Records are written as they
are read: the store hands out documents a page at a time and nothing is collected,
so a 100,000-document export runs in flat memory (``tests/bench/bench_export.py``).
The one exception is the DocBin format, which spaCy serialises as one message: it
keeps the compact token arrays of every exported Doc until the file is written.

Speed: one Python process encodes about 18 MB of records per CPU-second (reading,
token offsets, JSON; raw ``sqlite3`` and ``json.dumps`` of the same rows without token
offsets manage 46), short of the 20 MB/s an export must reach. A large JSONL or Prodigy
export (``PARALLEL_MIN_RECORDS``) therefore hands pages of document ids to worker
processes, one per core, and writes their encoded pages in order: the output is
byte-for-byte the same. This process encodes pages itself while the workers start.
Frozen (PyInstaller) builds stay in one process.

Output is written to a temporary file next to the target and renamed into place
only when the export finishes, so a failed or cancelled export leaves no
half-written file behind (standard output, of course, streams as it goes).

The GUI calls ``export`` from a worker thread with ``progress(done, total)`` and a
``cancelled()`` callable; the CLI is ``annotator export``.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import re
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from typing import IO, Any

import orjson

from annotator.core import schema as schema_mod
from annotator.core.errors import InputError
from annotator.core.export_record import (
    STATUSES,
    SUGGESTIONS,
    RelationLike,
    SpanLike,
    build_record,
    record_meta,
    to_prodigy,
)
from annotator.core.split import assign
from annotator.nlp.tokens import TokenIndex, record_to_doc
from annotator.store import Project, open_project
from annotator.store import export_queries as q
from annotator.store.annotations import RelationData, SpanData

FORMATS = ("jsonl", "spacy", "prodigy")
EXTENSIONS = {"jsonl": ".jsonl", "spacy": ".spacy", "prodigy": ".jsonl"}
PROGRESS_EVERY = 200  # DocBin: records between progress reports (text formats: per page)
PARALLEL_MIN_RECORDS = 20_000
MAX_WORKERS = 4
IN_FLIGHT = 3  # pages queued per worker: enough to keep it busy, few enough for flat memory
HELP_WHILE_STARTING = True  # encode pages here until the workers are up (tests: False)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
_local = threading.local()


def _token_index() -> TokenIndex:
    """One TokenIndex per thread: building one takes half a second, and its chunk
    cache is not thread-safe (the GUI exports from a worker thread)."""
    index = getattr(_local, "tokens", None)
    if index is None:
        index = _local.tokens = TokenIndex()
    return index


@dataclass
class ExportOptions:
    """What to export. Whose labels: any combination of ``annotators`` (names),
    ``all_annotators`` (every annotator, gold included), ``gold`` and ``suggestions``
    (machine pre-annotations, one record per document with suggestions)."""

    format: str = "jsonl"
    annotators: Sequence[str] = ()
    all_annotators: bool = False
    gold: bool = False
    suggestions: bool = False
    entities: bool = False  # entity suggestions: doc.ents in DocBin, spans of suggestions
    statuses: Sequence[str] | None = ("done",)  # None: any status
    split: Mapping[str, float] | None = None
    seed: int = 0
    workers: int | None = None  # worker processes for JSONL/Prodigy; None: automatic


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
            where = ", ".join(f"{path} ({_plural(n, 'record')})"
                              for path, n in self.files.items())
        else:
            where = next(iter(self.files), "nothing")
        size = f"{human_size(self.bytes)} in {self.seconds:.1f} s"
        if self.bytes >= 1_000_000 and self.seconds > 0:
            size += f", {self.bytes / 1e6 / self.seconds:.1f} MB/s"
        text = (f"{_plural(self.records, 'record')} of {_plural(self.documents, 'document')} "
                f"exported to {where} ({size})")
        if self.cancelled:
            return text + ", cancelled: no file written"
        if self.format != "spacy" and self.records:
            text += "; in done documents an unmarked block is labelled content"
        return text


def human_size(n: int) -> str:
    """Bytes as a person reads them: "812 bytes", "12 KB", "3.4 MB" (1 KB = 1000 bytes)."""
    if n < 1000:
        return _plural(n, "byte")
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if n < scale * 1000 or unit == "GB":
            value = n / scale
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{n} bytes"  # not reached


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


# -- selecting ------------------------------------------------------------------------------
def parse_statuses(spec: str) -> tuple[str, ...] | None:
    """``"done"``, ``"done,in_progress"`` or ``"any"``."""
    items = [s.strip() for s in spec.split(",") if s.strip()]
    if items == ["any"]:
        return None
    for item in items:
        if item not in STATUSES:
            raise InputError(f"--status: unknown status {item!r}; use any or one or more of "
                             f"{', '.join(STATUSES)}")
    if not items:
        raise InputError("--status: give a status, or any")
    return tuple(dict.fromkeys(items))


def _check(options: ExportOptions) -> None:
    if options.format not in FORMATS:
        raise InputError(f"unknown format {options.format!r}; use {', '.join(FORMATS)}")
    if not (options.annotators or options.all_annotators or options.gold or options.suggestions):
        raise InputError("choose whose labels to export: --annotator NAME, --gold, --all "
                         "or --suggestions")


def _selected(project: Project, options: ExportOptions) -> dict[int, str]:
    """Annotator id -> name for the human (and gold) labels asked for."""
    with project.sessions() as session:
        known = q.annotators(session)
    known.pop(SUGGESTIONS, None)
    chosen: dict[int, str] = {}
    if options.all_annotators:
        chosen.update((id_, name) for name, id_ in known.items())
    wanted = list(options.annotators) + (["gold"] if options.gold else [])
    for name in wanted:
        if name == SUGGESTIONS:
            raise InputError("machine suggestions are exported with --suggestions")
        if name not in known:
            if name == "gold":
                raise InputError("this project has no gold labels yet (nothing adjudicated)")
            names = ", ".join(sorted(known)) or "none"
            raise InputError(f"no annotator {name!r} in this project (annotators: {names})")
        chosen[known[name]] = name
    return chosen


# -- making records -------------------------------------------------------------------------
@dataclass
class _Record:
    record: dict[str, Any]
    entities: list[tuple[int, int, str]]


class _Builder:
    """Turns store rows into export records (one TokenIndex, one schema)."""

    def __init__(self, project: Project, tokens: TokenIndex) -> None:
        self.schema = schema_mod.from_dict(project.get_setting("schema"))
        self.boilerplate = self.schema.boilerplate_names
        self.tokens = tokens

    def from_item(self, item: q.ExportItem) -> dict[str, Any]:
        doc, labels = item.document, item.labels
        return self._build(doc, item.annotator, labels.status, labels.updated_at, labels.blocks,
                           labels.spans, labels.relations, labels.doc_labels)

    def from_suggestions(
        self, doc: q.ExportDocument, rows: Sequence[q.SuggestionRow], entities: bool
    ) -> dict[str, Any]:
        """The ``suggestions`` record, in the annotators' own terms (nlp/pipeline.py
        defines the stored shape):

        - block suggestions label their block (``attrs.block_index``, else the blocks
          the suggestion covers);
        - claim suggestions become CLAIM spans;
        - an attribution suggestion becomes its SOURCE, CUE and CONTENT spans (the
          source keeps ``naming``/``kind``) and an ATTRIBUTION relation between them
          with the remaining attributes (``quote_type``, ...); identical spans of two
          attributions are one span;
        - entity suggestions become spans only when asked for.

        Every span's attrs add ``score``, ``rule`` and ``layer`` so a pipeline can
        threshold them.
        """
        block_labels: dict[int, str] = {}
        spans: dict[tuple[str, int, int], SpanData] = {}
        relations: list[RelationData] = []
        length = len(doc.text)

        def span(label: str, where: Any, row: q.SuggestionRow, attrs: dict[str, Any],
                 part: str) -> str | None:
            if not (isinstance(where, list | tuple) and len(where) == 2):
                return None
            start, end = int(where[0]), int(where[1])
            if not 0 <= start < end <= length:
                return None
            key = (label, start, end)
            if key not in spans:
                spans[key] = SpanData(
                    f"suggestion-{row.id}{part}", label, start, end,
                    {**attrs, "layer": row.layer, "score": row.score, "rule": row.rule},
                )
            return spans[key].uid

        for row in rows:
            if row.layer == "block":
                index = row.attrs.get("block_index")
                if isinstance(index, int) and 0 <= index < len(doc.blocks):
                    block_labels.setdefault(index, row.label)
                    continue
                for index, (start, end) in enumerate(doc.blocks):
                    if row.start <= start and end <= row.end:
                        block_labels.setdefault(index, row.label)
            elif row.layer == "claim" or (row.layer == "entity" and entities):
                span(row.label, (row.start, row.end), row, dict(row.attrs), "")
            elif row.layer == "attribution":
                attrs = dict(row.attrs)
                parts = {key: attrs.pop(key, None) for key in ("source", "cue", "content")}
                source_attrs = {k: attrs.pop(k) for k in ("naming", "kind") if k in attrs}
                head = span("SOURCE", parts["source"], row, source_attrs, "-source")
                cue = span("CUE", parts["cue"], row, {}, "-cue")
                child = span("CONTENT", parts["content"], row, {}, "-content")
                if head is not None and child is not None:
                    relations.append(RelationData(f"suggestion-{row.id}", row.label, head,
                                                  child, cue, attrs))
        ordered = sorted(spans.values(), key=lambda s: (s.start, s.end, s.uid))
        return self._build(doc, SUGGESTIONS, None, None, block_labels, ordered, relations, {})

    def _build(
        self, doc: q.ExportDocument, annotator: str, status: str | None, updated_at: Any,
        block_labels: Mapping[int, str], spans: Sequence[SpanLike],
        relations: Sequence[RelationLike], doc_labels: Mapping[str, str],
    ) -> dict[str, Any]:
        token_spans = self.tokens.span_tokens(doc.text, [(s.start, s.end) for s in spans])
        return build_record(
            doc_id=doc.sha256, text=doc.text, meta=record_meta(doc.title, doc.source, doc.meta),
            annotator=annotator, status=status, updated_at=updated_at, blocks=doc.blocks,
            block_labels=block_labels, spans=spans, token_spans=token_spans,
            relations=relations, doc_labels=doc_labels, boilerplate=self.boilerplate,
        )


def _count(project: Project, options: ExportOptions, chosen: Mapping[int, str]) -> int:
    with project.sessions() as session:
        total = q.count_items(session, list(chosen), options.statuses)
        if options.suggestions:
            total += q.count_suggestion_documents(session, _suggestion_layers(options))
    return total


def _suggestion_layers(options: ExportOptions) -> tuple[str, ...]:
    return ("block", "claim", "attribution", *(("entity",) if options.entities else ()))


def _records(
    project: Project, options: ExportOptions, chosen: Mapping[int, str], builder: _Builder
) -> Iterator[_Record]:
    want_entities = options.entities and options.format == "spacy"
    with project.sessions() as session:
        for item in q.iter_items(session, chosen, options.statuses, entities=want_entities):
            yield _Record(builder.from_item(item), item.entities)
        if options.suggestions:
            for doc, rows in q.iter_suggestions(session, _suggestion_layers(options)):
                # In a DocBin entities go to doc.ents, not among the span categories.
                as_spans = options.entities and options.format != "spacy"
                record = builder.from_suggestions(doc, rows, as_spans)
                ents = [(r.start, r.end, r.label) for r in rows if r.layer == "entity"]
                yield _Record(record, ents if want_entities else [])


def iter_records(project: Project, options: ExportOptions) -> Iterator[dict[str, Any]]:
    """The JSONL export records, one by one (for tests and other services)."""
    _check(options)
    chosen = _selected(project, options)
    builder = _Builder(project, _token_index())
    for made in _records(project, options, chosen, builder):
        yield made.record


# -- encoding pages (in this process or in worker processes) -------------------------------
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
class _Job:
    """Everything a worker process needs to encode pages on its own (picklable)."""

    url: str
    options: ExportOptions
    chosen: dict[int, str]


@dataclass
class _Encoded:
    """One page of output: per split part, the encoded lines and how many records."""

    documents: int
    parts: dict[str, tuple[bytes, int]]


class _PageEncoder:
    """Reads one page of documents and encodes its records as JSONL or Prodigy lines."""

    def __init__(self, job: _Job, project: Project | None = None) -> None:
        self.job = job
        self.project = project
        self.builder: _Builder | None = None

    def _ready(self) -> tuple[Project, _Builder]:
        if self.project is None:
            self.project = open_project(self.job.url, create=False)
        if self.builder is None:
            self.builder = _Builder(self.project, _token_index())
        return self.project, self.builder

    def encode(self, ids: list[int]) -> _Encoded:
        project, builder = self._ready()
        options = self.job.options
        with project.sessions() as session:
            items = q.load_page(session, ids, self.job.chosen, options.statuses)
        return self.encode_records(len(ids), (builder.from_item(item) for item in items))

    def encode_records(self, documents: int, records: Iterable[dict[str, Any]]) -> _Encoded:
        _, builder = self._ready()
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
        return _Encoded(documents, {part: (b"".join(chunk), len(chunk))
                                    for part, chunk in lines.items()})


_WORKER_BOOT = "from annotator.services.export import _worker_main; _worker_main()"


def _send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little"))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(8)
    if len(header) < 8:
        raise RuntimeError("an export worker process ended unexpectedly")
    return pickle.loads(stream.read(int.from_bytes(header, "little")))


def _worker_main() -> None:
    """An export worker: reads a ``_Job``, then page id lists (``None`` ends), and
    answers each with an ``_Encoded`` page or ``("error", exception)``.

    Workers are plain ``python -c`` subprocesses speaking length-prefixed pickles over
    their pipes, not ``multiprocessing``: spawning re-imports the caller's main
    module, which runs the caller's script again when it lacks a ``__main__`` guard.
    Standard output is moved to standard error so a stray print cannot corrupt the
    pipe. Replies are written from the encoding thread itself: a separate writer
    thread would fight it for the GIL after every 64 kB the pipe takes.
    """
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    encoder: _PageEncoder | None = None
    while (message := _receive(requests)) is not None:
        try:
            if isinstance(message, _Job):
                encoder = _PageEncoder(message)
                encoder._ready()
                # A worker only makes short-lived records: keep the start-up heap (spaCy,
                # SQLAlchemy) out of every collection and collect young objects rarely.
                # Records hold no reference cycles, so memory stays flat.
                gc.freeze()
                gc.set_threshold(50_000, 20, 20)
                _send(replies, ("ready",))
                continue
            assert encoder is not None
            reply: Any = encoder.encode(message)
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
            reply = ("error", exc)
        _send(replies, reply)


def _workers(options: ExportOptions, total: int) -> int:
    """Worker processes for a text export: only when it pays for their start-up (about
    a second each: Python, spaCy, the tokenizer) and never in a frozen build."""
    if options.workers is not None:
        return options.workers
    cpus = os.cpu_count() or 1
    if total < PARALLEL_MIN_RECORDS or cpus < 2 or getattr(sys, "frozen", False):
        return 0
    return min(cpus, MAX_WORKERS)


def _result(proc: subprocess.Popen[bytes]) -> _Encoded:
    assert proc.stdout is not None
    reply = _receive(proc.stdout)
    if isinstance(reply, tuple) and reply[:1] == ("error",):
        raise reply[1]
    return reply  # type: ignore[no-any-return]


class _Starting:
    """Waits in a thread for a worker's "ready" (portable: no select() on pipes)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.ready = threading.Event()
        self.reply: Any = None
        self.thread = threading.Thread(target=self._wait, args=(proc,), daemon=True)
        self.thread.start()

    def _wait(self, proc: subprocess.Popen[bytes]) -> None:
        try:
            assert proc.stdout is not None
            self.reply = _receive(proc.stdout)
        except Exception as exc:  # noqa: BLE001 - re-raised by check()
            self.reply = ("error", exc)
        self.ready.set()

    def check(self) -> None:
        self.thread.join()
        if self.reply != ("ready",):
            raise self.reply[1] if isinstance(self.reply, tuple) else RuntimeError(
                "an export worker process failed to start")


def _stop(procs: list[subprocess.Popen[bytes]], finished: bool) -> None:
    """End the workers: politely after a complete export, at once after an error or a
    cancel (a worker may be blocked writing a page nobody will read)."""
    for proc in procs:
        stopped = False
        if finished:
            try:
                assert proc.stdin is not None
                _send(proc.stdin, None)
                proc.stdin.close()
                proc.wait(timeout=10)
                stopped = True
            except (OSError, subprocess.TimeoutExpired):
                pass
        if not stopped:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()


def _encoded(project: Project, job: _Job, workers: int) -> Iterator[_Encoded]:
    """Encoded pages in document order. With workers, pages go round-robin and at most
    ``IN_FLIGHT`` per worker are queued, so memory stays flat however large the export."""
    encoder = _PageEncoder(job, project)
    options = job.options
    with project.sessions() as session:
        pages = q.iter_pages(session, list(job.chosen), options.statuses)
        if workers <= 1:
            for ids in pages:
                yield encoder.encode(ids)
        else:
            procs = [subprocess.Popen([sys.executable, "-c", _WORKER_BOOT], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE) for _ in range(workers)]
            finished = False
            try:
                for proc in procs:
                    assert proc.stdin is not None
                    _send(proc.stdin, job)
                # Workers take about a second to start (Python, spaCy, the tokenizer);
                # this process encodes pages itself until every one has said so.
                starting = [_Starting(proc) for proc in procs]
                pending: deque[subprocess.Popen[bytes]] = deque()
                number = 0
                for ids in pages:
                    if starting:
                        if HELP_WHILE_STARTING and not all(s.ready.is_set() for s in starting):
                            yield encoder.encode(ids)
                            continue
                        for waiter in starting:
                            waiter.check()
                        starting = []
                    proc = procs[number % workers]
                    number += 1
                    assert proc.stdin is not None
                    _send(proc.stdin, ids)
                    pending.append(proc)
                    if len(pending) >= IN_FLIGHT * workers:
                        yield _result(pending.popleft())
                while pending:
                    yield _result(pending.popleft())
                finished = not starting or all(s.ready.is_set() for s in starting)
            finally:
                _stop(procs, finished)
        if options.suggestions:
            builder = encoder._ready()[1]
            as_spans = options.entities
            for doc, rows in q.iter_suggestions(session, _suggestion_layers(options)):
                yield encoder.encode_records(1, [builder.from_suggestions(doc, rows, as_spans)])


# -- writing --------------------------------------------------------------------------------
def _remove_stale_parts(target: Path) -> None:
    """Temporary files of earlier exports to ``target`` whose process is gone (killed,
    crashed) are deleted, so an interrupted export leaves nothing behind for long."""
    prefix = f".{target.name}."
    for part in target.parent.glob(f".{glob_escape(target.name)}.*.part"):
        pid = part.name[len(prefix):-len(".part")]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            part.unlink(missing_ok=True)
        except OSError:
            pass  # alive, under another user: not ours to remove


class _Sink:
    """One output file (or the stream): written to a temporary file, renamed at the end."""

    def __init__(self, target: Path | None, stream: IO[bytes] | None) -> None:
        self.target = target
        if target is not None:
            _remove_stale_parts(target)
        self.temp = (target.with_name(f".{target.name}.{os.getpid()}.part")
                     if target is not None else None)
        self.handle: IO[bytes] | None = stream
        if self.temp is not None:
            self.handle = open(self.temp, "wb")  # noqa: SIM115 - closed in finish/abort
        self.records = 0
        self.bytes = 0

    @property
    def name(self) -> str:
        return str(self.target) if self.target is not None else "standard output"

    def write(self, data: bytes, records: int) -> None:
        assert self.handle is not None
        self.handle.write(data)
        self.records += records
        self.bytes += len(data)

    def close_file(self) -> None:
        if self.temp is not None and self.handle is not None:
            self.handle.close()
        elif self.handle is not None:
            self.handle.flush()

    def finish(self) -> None:
        self.close_file()
        if self.temp is not None and self.target is not None:
            os.replace(self.temp, self.target)

    def abort(self) -> None:
        if self.temp is not None:
            if self.handle is not None:
                self.handle.close()
            self.temp.unlink(missing_ok=True)


class _DocBinSink(_Sink):
    def __init__(self, target: Path | None, tokens: TokenIndex, schema: schema_mod.Schema) -> None:
        from spacy.tokens import DocBin

        super().__init__(target, None)
        self.tokens = tokens
        self.docbin = DocBin(store_user_data=True)
        self.cats = {d.name: list(d.values) for d in schema.documents}
        content = [label.name for label in schema.blocks if not label.boilerplate]
        self.unlabelled = content[0] if content else None

    def add(self, made: _Record) -> None:
        self.docbin.add(record_to_doc(self.tokens, made.record, cats=self.cats,
                                      unlabelled_block=self.unlabelled, entities=made.entities))
        self.records += 1

    def close_file(self) -> None:
        assert self.handle is not None
        data = self.docbin.to_bytes()
        self.handle.write(data)
        self.bytes = len(data)
        super().close_file()


def _targets(options: ExportOptions, out: Path | None) -> dict[str, Path | None]:
    """Split name (or ``""``) -> output path (``None``: the stream)."""
    ext = EXTENSIONS[options.format]
    if options.split:
        if out is None:
            raise InputError("--split needs --out FOLDER (one file per part is written there)")
        if out.exists() and not out.is_dir():
            raise InputError("with --split, --out must be a folder", where=str(out))
        return {name: out / f"{name}{ext}" for name in options.split}
    if out is None:
        if options.format == "spacy":
            raise InputError("--format spacy writes a binary file: give --out FILE.spacy")
        return {"": None}
    if out.is_dir():
        raise InputError("is a folder; give a file name (folders are for --split)",
                         where=str(out))
    return {"": out}


def export(
    project: Project,
    options: ExportOptions,
    out: Path | None = None,
    *,
    stream: IO[bytes] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportSummary:
    """Write the export; ``out`` is a file (a folder with ``split``), or ``None`` to
    write to ``stream`` (JSONL formats only). Safe to call from a worker thread:
    ``progress(done, total)`` counts records, ``cancelled()`` is polled between pages
    of documents, and a cancelled export writes no file."""
    _check(options)
    started = time.perf_counter()
    chosen = _selected(project, options)
    targets = _targets(options, out)
    if None in targets.values() and stream is None:
        raise InputError("give an output file (--out) or a stream to write to")
    total = _count(project, options, chosen)
    if out is not None and options.split:
        out.mkdir(parents=True, exist_ok=True)
    for path in targets.values():
        if path is not None and not path.parent.is_dir():
            raise InputError("folder does not exist", where=str(path.parent))
    summary = ExportSummary(format=options.format)
    sinks: dict[str, _Sink] = {}
    done = 0
    try:
        if options.format == "spacy":
            tokens = _token_index()
            builder = _Builder(project, tokens)
            docbins = {name: _DocBinSink(path, tokens, builder.schema)
                       for name, path in targets.items()}
            sinks = dict(docbins)
            last_doc = None
            for made in _records(project, options, chosen, builder):
                part = assign(made.record["id"], options.split, options.seed) if options.split \
                    else ""
                docbins[part].add(made)
                summary.documents += made.record["id"] != last_doc
                last_doc = made.record["id"]
                done += 1
                if done % PROGRESS_EVERY == 0 and _tick(progress, cancelled, done, total):
                    summary.cancelled = True
                    break
        else:
            sinks = {name: _Sink(path, stream) for name, path in targets.items()}
            job = _Job(project.url, options, chosen)
            for page in _encoded(project, job, _workers(options, total)):
                for part, (data, records) in page.parts.items():
                    sinks[part].write(data, records)
                    done += records
                summary.documents += page.documents
                if _tick(progress, cancelled, done, total):
                    summary.cancelled = True
                    break
        for sink in sinks.values():
            if summary.cancelled:
                sink.abort()
            else:
                sink.finish()
        if progress is not None and not summary.cancelled:
            progress(done, max(total, done))
    except BaseException:
        for sink in sinks.values():
            sink.abort()
        raise
    summary.records = sum(s.records for s in sinks.values())
    summary.bytes = sum(s.bytes for s in sinks.values())
    summary.files = {s.name: s.records for s in sinks.values()}
    summary.seconds = time.perf_counter() - started
    return summary


def _tick(progress: Progress | None, cancelled: Cancelled | None, done: int, total: int) -> bool:
    """Report progress; True when the caller asked to stop."""
    if progress is not None:
        progress(done, total)
    return cancelled is not None and bool(cancelled())
