"""Merging export records into a project: how annotators hand their work to the lead.

An export record (``core.export_record``) carries one annotator's labels on one
document. Merging matches the document by id (the SHA-256 of its text), adds the
document if the project lacks it — with the record's own blocks, so block labels
land on the same blocks — and then, per (document, annotator):

- the same labels stored (compared by content — status, blocks, spans, relations,
  document labels — not by uid): nothing changes (*unchanged*); this is why
  importing a file twice changes nothing;
- nothing stored yet (no labels; at most a "todo" assignment): the record's labels
  are written (*merged*);
- different labels: the newer side wins by ``updated_at``. A newer record replaces
  the stored labels (*merged* and *replaced*); an older record, or one without
  ``updated_at``, is skipped (*older*). Stored labels always have a time.

Records are independent: a bad one is refused with one line naming file and line,
and the others are merged. Export-record files are streamed line by line, so they
are not subject to the 20 MB limit on article files (a lead merging a season of work
gets one file of several hundred MB); memory stays flat. Writes are batched, one
transaction per ``BATCH`` records; every record is checked completely before any of
its rows is written, so no record is ever half-merged.

Machine suggestions (``"annotator": "suggestions"``) are not merged: they are made
in each project by its suggesters, and merging another project's would mix model
versions. They are reported in one line per file.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core import schema as schema_mod
from annotator.core.blocks import segment
from annotator.core.errors import InputError
from annotator.core.export_record import SUGGESTIONS, IncomingRecord, parse_record
from annotator.core.text import normalise_newlines, sha256
from annotator.core.title import pick_title
from annotator.store import Project, Session
from annotator.store import annotations as db
from annotator.store import export_queries as q
from annotator.store.annotations import Annotations, RelationData, SpanData
from annotator.store.documents import NewDocument, document_blocks
from annotator.store.models import utcnow

BATCH = 200
BATCH_CHARS = 4_000_000
SNIFF_BYTES = 64 * 1024 * 1024  # a first line longer than this is not an export record
_UID_NAMESPACE = uuid.UUID("6f6b0a52-3f0c-4f4c-9b43-5a1f7d1f2c10")

ProgressBytes = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class MergeCounts:
    records: int = 0
    merged: int = 0
    replaced: int = 0
    unchanged: int = 0
    older: int = 0
    documents_added: int = 0
    duplicates: int = 0  # plain (annotator-less) records whose text the project has
    refused: list[str] = field(default_factory=list)
    cancelled: bool = False

    def line(self) -> str:
        text = (f"{self.merged} merged ({self.replaced} replaced), {self.unchanged} unchanged, "
                f"{self.older} older than stored, {self.documents_added} documents added, "
                f"{len(self.refused)} refused")
        return text + (", cancelled" if self.cancelled else "")


# -- reading files --------------------------------------------------------------------------
def is_export_file(path: Path) -> bool:
    """Is the first record of this JSONL file an export record (has ``annotator``)?"""
    try:
        with open(path, "rb") as fh:
            for raw in fh:
                if len(raw) > SNIFF_BYTES:
                    return False
                line = raw.decode("utf-8-sig", errors="replace").strip()
                if not line:
                    continue
                try:
                    first = json.loads(line)
                except ValueError:
                    return False
                return isinstance(first, dict) and "annotator" in first
    except OSError:
        return False
    return False


def _lines(path: Path) -> Iterator[tuple[int, int, str | InputError]]:
    """(line number, bytes read so far, text or the error for that line)."""
    done = 0
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            done += len(raw)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                yield number, done, InputError(f"not valid UTF-8 (byte {exc.start} of the line)")
                continue
            if text.strip():
                yield number, done, text


# -- comparing ------------------------------------------------------------------------------
def _content(labels: Annotations) -> tuple[Any, ...]:
    """Labels as comparable content, independent of uids and row order."""
    where = {s.uid: (s.label, s.start, s.end) for s in labels.spans}

    def attrs(value: dict[str, Any]) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    spans = sorted((s.label, s.start, s.end, attrs(s.attrs)) for s in labels.spans)
    relations = sorted(
        (r.label, where.get(r.head), where.get(r.child), where.get(r.cue) if r.cue else None,
         attrs(r.attrs))
        for r in labels.relations
    )
    return (labels.status, sorted(labels.blocks.items()), spans, relations,
            sorted(labels.doc_labels.items()))


def _is_empty(labels: Annotations) -> bool:
    """Nothing to lose: no labels, and at most a "todo" progress row (an assignment)."""
    return (labels.status == "todo" and not labels.blocks and not labels.spans
            and not labels.relations and not labels.doc_labels)


# -- merging one record ---------------------------------------------------------------------
class _Merger:
    def __init__(self, project: Project, counts: MergeCounts, source: str) -> None:
        self.project = project
        self.counts = counts
        self.source = source
        self.schema = schema_mod.from_dict(project.get_setting("schema"))
        self.annotator_ids: dict[str, int] = {}

    def merge(self, session: Session, record: IncomingRecord) -> None:
        doc_id = q.document_ids(session, [record.id]).get(record.id)
        new_document = doc_id is None
        if doc_id is None:
            doc_id = self._add_document(session, record)
            blocks = [(start, end) for start, end, _ in record.blocks]
        else:
            blocks = [(start, end) for _, start, end in document_blocks(session, doc_id)]
        index_of = {pair: i for i, pair in enumerate(blocks)}
        block_labels: dict[int, str] = {}
        for start, end, label in record.blocks:
            if label is None:
                continue
            if (start, end) not in index_of:
                raise InputError(f"block [{start}, {end}) is not a block of the stored "
                                 "document (it was segmented differently)")
            block_labels[index_of[(start, end)]] = label
        incoming = Annotations(
            blocks=block_labels,
            spans=[SpanData(s.uid, s.label, s.start, s.end, s.attrs) for s in record.spans],
            relations=[
                RelationData(r.uid or _derived_uid(record, f"relation/{n}"), r.label, r.head,
                             r.child, r.cue, r.attrs)
                for n, r in enumerate(record.relations)
            ],
            doc_labels=dict(record.doc_labels),
            status=record.status or "todo",
        )
        annotator_id = self._annotator(session, record.annotator)
        # A document added just now has no labels: skip reading and deleting them.
        stored = Annotations() if new_document else db.load(session, doc_id, annotator_id)
        if _content(stored) == _content(incoming):
            self.counts.unchanged += 1
            return
        if _is_empty(stored):
            pass
        elif record.updated_at is None or (
            stored.updated_at is not None and record.updated_at <= stored.updated_at
        ):
            self.counts.older += 1
            return
        else:
            self.counts.replaced += 1
        incoming = _own_uids(session, record, incoming, doc_id, annotator_id)
        q.replace_labels(session, doc_id, annotator_id, incoming, record.updated_at or utcnow(),
                         replace=not new_document)
        self.counts.merged += 1

    def _annotator(self, session: Session, name: str) -> int:
        """Annotator id by name, created on first use (the lead role for ``gold``)."""
        found = self.annotator_ids.get(name)
        if found is None:
            role = "lead" if name == "gold" else "annotator"
            found = self.annotator_ids[name] = db.get_or_create_annotator(session, name, role)
        return found

    def _add_document(self, session: Session, record: IncomingRecord) -> int:
        blocks = [(start, end) for start, end, _ in record.blocks]
        if not blocks:
            blocks = [(b.start, b.end) for b in segment(record.text)]
        title = record.meta.get("title")
        if not isinstance(title, str) or not title:
            title = pick_title(record.text, segment(record.text))
        source = record.meta.get("source")
        doc = NewDocument(record.id, record.text, title,
                          source if isinstance(source, str) and source else self.source,
                          dict(record.meta), blocks)
        self.counts.documents_added += 1
        return q.insert_document(session, doc)

    def add_plain(self, session: Session, raw: dict[str, Any]) -> None:
        """A record without ``annotator`` in an export file: an article, as in import."""
        text = raw.get("text")
        if not isinstance(text, str):
            raise InputError('record has no "text" string')
        text = normalise_newlines(text)
        if not text.strip():
            raise InputError('record has an empty "text"')
        meta = raw.get("meta") or {}
        if not isinstance(meta, dict):
            raise InputError('"meta" must be a JSON object')
        meta = dict(meta)
        if raw.get("id") is not None:
            meta.setdefault("id", raw["id"])
        digest = sha256(text)
        if q.document_ids(session, [digest]):
            self.counts.duplicates += 1
            return
        blocks = segment(text)
        title = meta.get("title") if isinstance(meta.get("title"), str) else ""
        source = meta.get("source")
        q.insert_document(session, NewDocument(
            digest, text, title or pick_title(text, blocks),
            source if isinstance(source, str) and source else self.source, meta,
            [(b.start, b.end) for b in blocks],
        ))
        self.counts.documents_added += 1


def _derived_uid(record: IncomingRecord, what: str) -> str:
    """A stable uid from the record, so merging the same record twice gives the same."""
    return uuid.uuid5(_UID_NAMESPACE, f"{record.id}/{record.annotator}/{what}").hex


def _own_uids(
    session: Session, record: IncomingRecord, labels: Annotations, doc_id: int, annotator_id: int
) -> Annotations:
    """Uids are unique across the project; one taken by another document or annotator
    (a project file copied between desktops) is replaced by a stable derived uid."""
    taken = q.foreign_uids(session, [s.uid for s in labels.spans],
                           [r.uid for r in labels.relations], doc_id, annotator_id)
    if not taken:
        return labels
    new = {uid: _derived_uid(record, f"uid/{uid}") for uid in taken}
    labels.spans = [SpanData(new.get(s.uid, s.uid), s.label, s.start, s.end, s.attrs)
                    for s in labels.spans]
    labels.relations = [
        RelationData(new.get(r.uid, r.uid), r.label, new.get(r.head, r.head),
                     new.get(r.child, r.child), new.get(r.cue, r.cue) if r.cue else None,
                     r.attrs)
        for r in labels.relations
    ]
    return labels


# -- files ----------------------------------------------------------------------------------
def merge_file(
    project: Project,
    path: Path,
    counts: MergeCounts,
    *,
    progress: ProgressBytes | None = None,
    cancelled: Cancelled | None = None,
    lines: Iterable[tuple[int, int, str | InputError]] | None = None,
) -> None:
    """Merge every record of one JSONL file, refusing bad records one by one."""
    where = str(path)
    try:
        total = path.stat().st_size
    except OSError as exc:
        counts.refused.append(f"{where}: cannot read: {exc.strerror}")
        return
    merger = _Merger(project, counts, path.name)
    suggestion_lines: list[int] = []
    batch: list[tuple[int, Any]] = []  # (line, parsed JSON or the InputError of the line)
    batch_chars = 0

    def flush() -> None:
        nonlocal batch_chars
        if batch:
            _write_batch(project, merger, batch, where, counts, suggestion_lines)
        batch.clear()
        batch_chars = 0

    try:
        for number, done, text in (lines if lines is not None else _lines(path)):
            if isinstance(text, InputError):
                batch.append((number, text))  # reported in line order with the rest
                continue
            try:
                raw: Any = json.loads(text)
            except json.JSONDecodeError as exc:
                raw = InputError(f"not valid JSON ({exc.msg}, column {exc.colno})")
            batch.append((number, raw))
            batch_chars += len(text)
            if len(batch) >= BATCH or batch_chars >= BATCH_CHARS:
                flush()
                if progress is not None:
                    progress(done, total)
                if cancelled is not None and cancelled():
                    counts.cancelled = True
                    break
        else:
            flush()
    except OSError as exc:
        flush()
        counts.refused.append(f"{where}: cannot read: {exc.strerror}")
    if suggestion_lines:
        shown = ", ".join(map(str, suggestion_lines[:5]))
        more = ", …" if len(suggestion_lines) > 5 else ""
        counts.refused.append(
            f"{where}: {len(suggestion_lines)} records of machine suggestions not merged "
            f"(lines {shown}{more}); suggestions are made in each project by its suggesters"
        )
    if progress is not None:
        progress(total, total)


def _write_batch(
    project: Project, merger: _Merger, batch: list[tuple[int, Any]], where: str,
    counts: MergeCounts, suggestion_lines: list[int],
) -> None:
    """One transaction for the batch; each record is checked whole before it writes."""
    with project.session() as session:
        for number, raw in batch:
            counts.records += 1
            try:
                if isinstance(raw, InputError):
                    raise raw
                if isinstance(raw, dict) and "annotator" not in raw:
                    merger.add_plain(session, raw)
                    continue
                if isinstance(raw, dict) and raw.get("annotator") == SUGGESTIONS:
                    suggestion_lines.append(number)
                    continue
                merger.merge(session, parse_record(raw, merger.schema))
            except InputError as exc:
                counts.refused.append(f"{where}:{number}: {exc}")


def merge_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    progress: ProgressBytes | None = None,
    cancelled: Cancelled | None = None,
) -> MergeCounts:
    """File → Import annotations…: merge export-record files, with byte progress.

    ``progress(done, total)`` counts bytes over all files, so a single large file
    still moves the bar; ``cancelled()`` is polled between batches (what was merged
    so far stays: every record is complete on its own).
    """
    files = [Path(p) for p in paths]
    counts = MergeCounts()
    sizes = []
    for path in files:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    total = sum(sizes)
    before = 0
    for path, size in zip(files, sizes, strict=True):
        if not path.is_file():
            counts.refused.append(f"{path}: no such file")
            continue

        def file_progress(done: int, _total: int, base: int = before) -> None:
            if progress is not None:
                progress(base + done, total)

        merge_file(project, path, counts, progress=file_progress, cancelled=cancelled)
        before += size
        if counts.cancelled:
            break
    return counts
