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
and the others are merged. Every value passes ``core.untrusted`` first (valid Unicode,
bounded JSON, finite numbers, times in range), so nothing merged can fail later exports.
Export-record files are streamed line by line, so they are not subject to the 20 MB
limit on article files (a lead merging a season of work gets one file of several
hundred MB); memory stays flat.

Records are merged in batches of ``BATCH``, one transaction each, with set-based
statements (``store.merge_queries``): the batch's documents, blocks, stored labels and
uids are read with one query per table, the records are decided in memory in file
order (exactly as if merged one by one), and what changes is written with one
executemany per table. Every record is checked completely before any of its rows is
written, so no record is ever half-merged. The transaction takes the write lock before
it reads, so two merges of the same file at once queue rather than collide; should a
unique key still be taken meanwhile, the batch is decided again on what is stored now.

Machine suggestions (``"annotator": "suggestions"``) are not merged: they are made
in each project by its suggesters, and merging another project's would mix model
versions. They are reported in one line per file.

``merge_paths`` and ``merge_file`` are jobs in the sense of ``core.jobs``: progress
counts bytes (``"merging"``), and a set ``cancel`` stops between batches with what was
merged kept, since every record is whole on its own.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.core import schema as schema_mod
from annotator.core import untrusted
from annotator.core.blocks import segment
from annotator.core.errors import InputError
from annotator.core.export_record import IncomingRecord, parse_record
from annotator.core.formats import record_lines
from annotator.core.gc_pause import gc_paused
from annotator.core.jobs import Progress, is_cancelled, report
from annotator.core.model import Annotations, DocumentData
from annotator.core.text import normalise_newlines, sha256
from annotator.core.title import pick_title
from annotator.core.vocabulary import SUGGESTIONS, Status
from annotator.store import Project, Session
from annotator.store import merge_queries as mq
from annotator.store.models import utcnow

BATCH = 250  # records per transaction: about a tenth of a second of writing
BATCH_CHARS = 2_000_000
SNIFF_BYTES = 64 * 1024 * 1024  # a first line longer than this is not an export record
_UID_NAMESPACE = uuid.UUID("6f6b0a52-3f0c-4f4c-9b43-5a1f7d1f2c10")

MERGING = "merging"  # the stage ``progress`` reports: bytes read of all files


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
                except (ValueError, RecursionError):  # the import names the problem
                    return False
                return isinstance(first, dict) and "annotator" in first
    except OSError:
        return False
    return False


def _lines(path: Path) -> Iterator[tuple[int, int, str | InputError]]:
    """(line number, bytes read so far, text or the error for that line)."""
    with open(path, "rb") as fh:
        yield from record_lines(fh)


# -- comparing ------------------------------------------------------------------------------
def _content(labels: Annotations) -> tuple[Any, ...]:
    """Labels as comparable content, independent of uids and row order."""
    where = {s.uid: s.key for s in labels.spans}

    def attrs(value: dict[str, Any]) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    spans = sorted((*s.key, attrs(s.attrs)) for s in labels.spans)
    relations = sorted(
        (r.label, where.get(r.head), where.get(r.child), where.get(r.cue) if r.cue else None,
         attrs(r.attrs))
        for r in labels.relations
    )
    return (labels.status, sorted(labels.blocks.items()), spans, relations,
            sorted(labels.doc_labels.items()))


def _is_empty(labels: Annotations) -> bool:
    """Nothing to lose: no labels, and at most a "todo" progress row (an assignment)."""
    return (labels.status == Status.TODO and not labels.blocks and not labels.spans
            and not labels.relations and not labels.doc_labels)


# -- merging a batch -----------------------------------------------------------------------
DocKey = int | tuple[str, str]  # a stored document's id, or ("new", sha256) for one added now
AnnKey = int | tuple[str, str]  # a stored annotator's id, or ("new", name)
PairKey = tuple[DocKey, AnnKey]


@dataclass(slots=True)
class _Plain:
    """A record without ``annotator`` in an export file: an article, as in import."""

    sha256: str
    text: str
    meta: dict[str, Any]


class _Batch:
    """One batch of records, decided in file order against the store and each other.

    Everything the batch needs is read up front with a few set-based queries
    (``store.merge_queries``); the records are then decided one by one in memory,
    exactly as if each were merged on its own after the ones before it, and what
    changes is written with one executemany per table.
    """

    def __init__(self, session: Session, merger: _Merger, counts: MergeCounts) -> None:
        self.session = session
        self.merger = merger
        self.counts = counts
        self.doc_keys: dict[str, DocKey] = {}
        self.blocks: dict[DocKey, list[tuple[int, int]]] = {}
        self.new_documents: dict[str, DocumentData] = {}
        self.ann_keys: dict[str, AnnKey] = {}
        self.state: dict[PairKey, mq.Stored] = {}
        self.db_state: dict[PairKey, mq.Stored] = {}
        self.writes: dict[PairKey, tuple[Annotations, datetime]] = {}
        self.span_owner: dict[str, PairKey] = {}
        self.relation_owner: dict[str, PairKey] = {}
        self.owned: dict[PairKey, tuple[set[str], set[str]]] = {}

    def load(self, items: list[IncomingRecord | _Plain]) -> None:
        records = [r for r in items if isinstance(r, IncomingRecord)]
        hashes = ([r.document.sha256 for r in records]
                  + [p.sha256 for p in items if isinstance(p, _Plain)])
        self.doc_keys.update(mq.document_ids(self.session, hashes))
        stored_docs = [key for key in self.doc_keys.values() if isinstance(key, int)]
        self.blocks.update(mq.blocks_of(self.session, stored_docs))
        names = {r.annotator for r in records}
        self.ann_keys.update(mq.existing_annotator_ids(self.session, names))
        stored_anns = [key for key in self.ann_keys.values() if isinstance(key, int)]
        for pair, stored in mq.load_labels(self.session, stored_docs, stored_anns).items():
            self.state[pair] = self.db_state[pair] = stored
            self.owned[pair] = ({s.uid for s in stored.labels.spans},
                                {r.uid for r in stored.labels.relations})
        self.span_owner, self.relation_owner = mq.uid_owners(
            self.session,
            [s.uid for r in records for s in r.labels.spans],
            [uid for r in records for uid in _relation_uids(r)],
        )

    def add_plain(self, plain: _Plain) -> None:
        if plain.sha256 in self.doc_keys:
            self.counts.duplicates += 1
            return
        self._add_document(self.merger.plain_document(plain))

    def _add_document(self, doc: DocumentData) -> DocKey:
        key: DocKey = ("new", doc.sha256)
        self.doc_keys[doc.sha256] = key
        self.blocks[key] = list(doc.blocks)
        self.new_documents[doc.sha256] = doc
        self.counts.documents_added += 1
        return key

    def merge(self, record: IncomingRecord) -> None:
        doc_key = self.doc_keys.get(record.document.sha256)
        if doc_key is None:
            doc_key = self._add_document(self.merger.new_document(record))
        index_of = {pair: i for i, pair in enumerate(self.blocks.get(doc_key, []))}
        block_labels: dict[int, str] = {}
        for number, label in record.labels.blocks.items():
            start, end = record.document.blocks[number]
            if (start, end) not in index_of:
                raise InputError(f"block [{start}, {end}) is not a block of the stored "
                                 "document (it was segmented differently)")
            block_labels[index_of[(start, end)]] = label
        incoming = replace(
            record.labels,
            blocks=block_labels,
            spans=list(record.labels.spans),
            relations=[
                r if r.uid == uid else replace(r, uid=uid)
                for uid, r in zip(_relation_uids(record), record.labels.relations, strict=True)
            ],
            doc_labels=dict(record.labels.doc_labels),
        )
        ann_key = self.ann_keys.setdefault(record.annotator, ("new", record.annotator))
        pair: PairKey = (doc_key, ann_key)
        current = self.state.get(pair)
        stored = current.labels if current is not None else Annotations()
        if current is None and not _is_empty(incoming):
            pass  # nothing stored, something to store: no need to compare
        elif _content(stored) == _content(incoming):
            self.counts.unchanged += 1
            return
        if _is_empty(stored):
            pass
        elif record.labels.updated_at is None or (
            stored.updated_at is not None and record.labels.updated_at <= stored.updated_at
        ):
            self.counts.older += 1
            return
        else:
            self.counts.replaced += 1
        incoming = self._own_uids(pair, record, incoming)
        incoming.updated_at = record.labels.updated_at or utcnow()
        self.writes[pair] = (incoming, incoming.updated_at)
        self.state[pair] = mq.Stored(incoming, True, True)
        self.counts.merged += 1

    def _own_uids(self, pair: PairKey, record: IncomingRecord, labels: Annotations
                  ) -> Annotations:
        """Uids are unique across the project; one held by another document or annotator
        (a project file copied between desktops) is replaced by a stable derived uid."""
        taken = {s.uid for s in labels.spans if self.span_owner.get(s.uid, pair) != pair}
        taken |= {r.uid for r in labels.relations
                  if self.relation_owner.get(r.uid, pair) != pair}
        if taken:
            new = {uid: _derived_uid(record, f"uid/{uid}") for uid in taken}
            labels.spans = [replace(s, uid=new.get(s.uid, s.uid)) for s in labels.spans]
            labels.relations = [
                replace(r, uid=new.get(r.uid, r.uid), head=new.get(r.head, r.head),
                        child=new.get(r.child, r.child),
                        cue=new.get(r.cue, r.cue) if r.cue else None)
                for r in labels.relations
            ]
        # This pair's earlier uids are deleted by the write; its new ones are held.
        old_spans, old_relations = self.owned.get(pair, (set(), set()))
        for uid in old_spans:
            if self.span_owner.get(uid) == pair:
                del self.span_owner[uid]
        for uid in old_relations:
            if self.relation_owner.get(uid) == pair:
                del self.relation_owner[uid]
        spans = {s.uid for s in labels.spans}
        relations = {r.uid for r in labels.relations}
        self.owned[pair] = (spans, relations)
        self.span_owner.update(dict.fromkeys(spans, pair))
        self.relation_owner.update(dict.fromkeys(relations, pair))
        return labels

    def write(self) -> None:
        doc_ids = mq.insert_documents(self.session, list(self.new_documents.values()))
        names = [key[1] for _, key in self.writes if not isinstance(key, int)]
        ann_ids = mq.annotator_ids(self.session, names) if names else {}
        writes = []
        for (doc_key, ann_key), (labels, updated_at) in self.writes.items():
            before = self.db_state.get((doc_key, ann_key))
            writes.append(mq.LabelWrite(
                doc_key if isinstance(doc_key, int) else doc_ids[doc_key[1]],
                ann_key if isinstance(ann_key, int) else ann_ids[ann_key[1]],
                labels, updated_at,
                replace=before is not None and before.has_rows,
                has_progress=before is not None and before.has_progress,
                span_rows=before.span_rows if before is not None else {},
            ))
        mq.write_labels(self.session, writes)


def _parse(raw: Any, merger: _Merger) -> IncomingRecord:
    """An export record checked whole; its time must also fit the store once in UTC."""
    if isinstance(raw, dict) and isinstance(raw.get("updated_at"), str):
        untrusted.parse_time(raw["updated_at"], '"updated_at"')
    return parse_record(raw, merger.schema)


def _relation_uids(record: IncomingRecord) -> list[str]:
    return [r.uid or _derived_uid(record, f"relation/{n}")
            for n, r in enumerate(record.labels.relations)]


class _Merger:
    """What stays the same for every batch of a file: the schema and the file's name."""

    def __init__(self, project: Project, source: str) -> None:
        self.project = project
        self.source = source
        self.schema = schema_mod.from_dict(project.get_setting("schema"))

    def new_document(self, record: IncomingRecord) -> DocumentData:
        """The document of a record the project lacks, with the record's own blocks."""
        doc = record.document
        blocks = doc.blocks or [(b.start, b.end) for b in segment(doc.text)]
        title = doc.title or pick_title(doc.text, segment(doc.text))
        return replace(doc, title=title, source=doc.source or self.source, blocks=blocks)

    def plain(self, raw: dict[str, Any]) -> _Plain:
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
        return _Plain(sha256(text), text, meta)

    def plain_document(self, plain: _Plain) -> DocumentData:
        blocks = segment(plain.text)
        title = plain.meta.get("title") if isinstance(plain.meta.get("title"), str) else ""
        source = plain.meta.get("source")
        return DocumentData(
            plain.sha256, plain.text, title or pick_title(plain.text, blocks),
            source if isinstance(source, str) and source else self.source, plain.meta,
            [(b.start, b.end) for b in blocks],
        )


def _derived_uid(record: IncomingRecord, what: str) -> str:
    """A stable uid from the record, so merging the same record twice gives the same."""
    return uuid.uuid5(_UID_NAMESPACE, f"{record.document.sha256}/{record.annotator}/{what}").hex


# -- files ----------------------------------------------------------------------------------
def merge_file(
    project: Project,
    path: Path,
    counts: MergeCounts,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    lines: Iterable[tuple[int, int, str | InputError]] | None = None,
) -> None:
    """Merge every record of one JSONL file, refusing bad records one by one."""
    where = str(path)
    try:
        total = path.stat().st_size
    except OSError as exc:
        counts.refused.append(f"{where}: cannot read: {exc.strerror}")
        return
    merger = _Merger(project, path.name)
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
            try:  # bounded JSON, valid Unicode, finite numbers (core.untrusted)
                raw: Any = untrusted.loads(text)
            except InputError as exc:
                raw = exc
            batch.append((number, raw))
            batch_chars += len(text)
            if len(batch) >= BATCH or batch_chars >= BATCH_CHARS:
                flush()
                report(progress, done, total, MERGING)
                if is_cancelled(cancel):
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
    report(progress, total, total, MERGING)


def _write_batch(
    project: Project, merger: _Merger, batch: list[tuple[int, Any]], where: str,
    counts: MergeCounts, suggestion_lines: list[int], *, attempts: int = 3,
) -> None:
    """One transaction for the batch; each record is checked whole before it writes.

    The batch's counts are added only once its transaction has committed. A unique key
    taken by another writer meanwhile rolls the batch back and it is decided again on
    what is stored now (a second merge of the same records then finds them unchanged);
    if it still fails, each record is tried on its own, and the one that cannot be
    stored is refused with one line.
    """
    for _attempt in range(attempts):
        delta = MergeCounts()
        suggestions: list[int] = []
        try:
            with project.session() as session, gc_paused():
                _decide_and_write(session, merger, batch, where, delta, suggestions)
        except mq.Conflict as exc:
            failure = exc
            continue
        _add(counts, delta)
        suggestion_lines.extend(suggestions)
        return
    if len(batch) > 1:
        for item in batch:
            _write_batch(project, merger, [item], where, counts, suggestion_lines, attempts=2)
        return
    counts.records += 1
    reason = str(getattr(failure, "orig", None) or failure).splitlines()[0]
    counts.refused.append(f"{where}:{batch[0][0]}: could not be stored: {reason}")




def _add(counts: MergeCounts, delta: MergeCounts) -> None:
    for name in ("records", "merged", "replaced", "unchanged", "older", "documents_added",
                 "duplicates"):
        setattr(counts, name, getattr(counts, name) + getattr(delta, name))
    counts.refused.extend(delta.refused)


def _decide_and_write(
    session: Session, merger: _Merger, batch: list[tuple[int, Any]], where: str,
    counts: MergeCounts, suggestion_lines: list[int],
) -> None:
    mq.lock_for_writing(session)
    parsed: list[tuple[int, IncomingRecord | _Plain | InputError]] = []
    for number, raw in batch:
        counts.records += 1
        try:
            if isinstance(raw, InputError):
                raise raw
            if isinstance(raw, dict) and "annotator" not in raw:
                parsed.append((number, merger.plain(raw)))
            elif isinstance(raw, dict) and raw.get("annotator") == SUGGESTIONS:
                suggestion_lines.append(number)
            else:
                parsed.append((number, _parse(raw, merger)))
        except InputError as exc:
            parsed.append((number, exc))
    batch_state = _Batch(session, merger, counts)
    batch_state.load([item for _, item in parsed if not isinstance(item, InputError)])
    for number, item in parsed:
        try:
            if isinstance(item, InputError):
                raise item
            if isinstance(item, _Plain):
                batch_state.add_plain(item)
            else:
                batch_state.merge(item)
        except InputError as exc:
            counts.refused.append(f"{where}:{number}: {exc}")
    batch_state.write()


def merge_paths(
    project: Project,
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> MergeCounts:
    """File → Import annotations…: merge export-record files, with byte progress.

    ``progress`` counts bytes over all files, so a single large file still moves the
    bar; ``cancel`` is looked at between batches (what was merged so far stays: every
    record is complete on its own).
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

        def file_progress(done: int, _total: int, stage: str, base: int = before) -> None:
            report(progress, base + done, total, stage)

        merge_file(project, path, counts, progress=file_progress, cancel=cancel)
        before += size
        if counts.cancelled:
            break
    return counts
