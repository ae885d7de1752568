"""Export records: which labels an export covers and the JSONL record for each.

Every export format is made from these records (``core.export_record`` defines their
shape), so offsets, token indices and labels agree across formats. The store hands
out documents a page at a time and records are made one by one, never collected.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core import schema as schema_mod
from annotator.core.errors import InputError
from annotator.core.export_record import build_record, record_meta
from annotator.core.model import DocumentData, RelationData, SpanData, SpanKey, SuggestionRow
from annotator.core.suggestion_payload import PART_LABELS, AttributionPayload
from annotator.core.vocabulary import GOLD, STATUSES, SUGGESTIONS, Status
from annotator.nlp.tokens import TokenIndex
from annotator.store import Project
from annotator.store import export_queries as q

FORMATS = ("jsonl", "spacy", "prodigy")
_local = threading.local()


def token_index() -> TokenIndex:
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
    statuses: Sequence[str] | None = (Status.DONE,)  # None: any status
    split: Mapping[str, float] | None = None
    seed: int = 0
    workers: int | None = None  # worker processes for JSONL/Prodigy; None: automatic



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


def check_options(options: ExportOptions) -> None:
    """Refuse a request that cannot be met before anything is read or written."""
    if options.format not in FORMATS:
        raise InputError(f"unknown format {options.format!r}; use {', '.join(FORMATS)}")
    if not (options.annotators or options.all_annotators or options.gold or options.suggestions):
        raise InputError("choose whose labels to export: --annotator NAME, --gold, --all "
                         "or --suggestions")


def chosen_annotators(project: Project, options: ExportOptions) -> dict[int, str]:
    """Annotator id -> name for the human (and gold) labels asked for."""
    with project.sessions() as session:
        known = q.annotators(session)
    known.pop(SUGGESTIONS, None)
    chosen: dict[int, str] = {}
    if options.all_annotators:
        chosen.update((id_, name) for name, id_ in known.items())
    wanted = list(options.annotators) + ([GOLD] if options.gold else [])
    for name in wanted:
        if name == SUGGESTIONS:
            raise InputError("machine suggestions are exported with --suggestions")
        if name not in known:
            if name == GOLD:
                raise InputError("this project has no gold labels yet (nothing adjudicated)")
            names = ", ".join(sorted(known)) or "none"
            raise InputError(f"no annotator {name!r} in this project (annotators: {names})")
        chosen[known[name]] = name
    return chosen


# -- making records -------------------------------------------------------------------------
@dataclass
class MadeRecord:
    """A record and, for a DocBin's ``doc.ents``, its entity suggestions."""

    record: dict[str, Any]
    entities: list[tuple[int, int, str]]


class RecordBuilder:
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
        self, doc: DocumentData, rows: Sequence[SuggestionRow], entities: bool
    ) -> dict[str, Any]:
        """The ``suggestions`` record, in the annotators' own terms
        (``core.suggestion_payload`` defines an attribution's stored shape):

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
        spans: dict[SpanKey, SpanData] = {}
        relations: list[RelationData] = []
        length = len(doc.text)

        def span(label: str, where: tuple[int, int], row: SuggestionRow,
                 attrs: dict[str, Any], part: str) -> str | None:
            start, end = where
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
                payload = AttributionPayload.decode(row.attrs)
                if payload is None:
                    continue
                uids = {key: span(PART_LABELS[key], where, row,
                                  payload.source_attrs() if key == "source" else {}, f"-{key}")
                        for key, where in payload.parts()}
                head, child = uids.get("source"), uids.get("content")
                if head is not None and child is not None:
                    relations.append(RelationData(f"suggestion-{row.id}", row.label, head,
                                                  child, uids.get("cue"),
                                                  payload.relation_attrs()))
        ordered = sorted(spans.values(), key=lambda s: (s.start, s.end, s.uid))
        return self._build(doc, SUGGESTIONS, None, None, block_labels, ordered, relations, {})

    def _build(
        self, doc: DocumentData, annotator: str, status: str | None, updated_at: Any,
        block_labels: Mapping[int, str], spans: Sequence[SpanData],
        relations: Sequence[RelationData], doc_labels: Mapping[str, str],
    ) -> dict[str, Any]:
        token_spans = self.tokens.span_tokens(doc.text, [(s.start, s.end) for s in spans])
        return build_record(
            doc_id=doc.sha256, text=doc.text, meta=record_meta(doc.title, doc.source, doc.meta),
            annotator=annotator, status=status, updated_at=updated_at, blocks=doc.blocks,
            block_labels=block_labels, spans=spans, token_spans=token_spans,
            relations=relations, doc_labels=doc_labels, boilerplate=self.boilerplate,
        )


def count_records(project: Project, options: ExportOptions, chosen: Mapping[int, str]) -> int:
    """The records the export will write, known up front so progress has a total."""
    with project.sessions() as session:
        total = q.count_items(session, list(chosen), options.statuses)
        if options.suggestions:
            total += q.count_suggestion_documents(session, suggestion_layers(options))
    return total


def suggestion_layers(options: ExportOptions) -> tuple[str, ...]:
    """Entity suggestions are many and rarely wanted: exported only when asked for."""
    return ("block", "claim", "attribution", *(("entity",) if options.entities else ()))


def made_records(
    project: Project, options: ExportOptions, chosen: Mapping[int, str], builder: RecordBuilder
) -> Iterator[MadeRecord]:
    """Every record of the export in order: human labels, then suggestions."""
    want_entities = options.entities and options.format == "spacy"
    with project.sessions() as session:
        for item in q.iter_items(session, chosen, options.statuses, entities=want_entities):
            yield MadeRecord(builder.from_item(item), item.entities)
        if options.suggestions:
            for doc, rows in q.iter_suggestions(session, suggestion_layers(options)):
                # In a DocBin entities go to doc.ents, not among the span categories.
                as_spans = options.entities and options.format != "spacy"
                record = builder.from_suggestions(doc, rows, as_spans)
                ents = [(r.start, r.end, r.label) for r in rows if r.layer == "entity"]
                yield MadeRecord(record, ents if want_entities else [])


def iter_records(project: Project, options: ExportOptions) -> Iterator[dict[str, Any]]:
    """The JSONL export records, one by one (for tests and other services)."""
    check_options(options)
    chosen = chosen_annotators(project, options)
    builder = RecordBuilder(project, token_index())
    for made in made_records(project, options, chosen, builder):
        yield made.record
