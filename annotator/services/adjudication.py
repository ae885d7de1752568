"""Adjudication: settle the annotators' versions of one document into ``gold``.

The lead sees every annotator's blocks, spans, relations and document labels as a list
of *items*, each with the versions (``Choice``) the annotators made of it, and builds a
``Draft`` of the gold version by picking a choice per item or by a majority merge of the
whole document (``core.merge_majority``). Drafts are immutable values: every pick
returns a new one, so the GUI's undo stack only keeps the draft before and after. Saving
writes the draft under the reserved annotator ``gold`` in one transaction and returns a
``SavedGold`` holding the gold labels before and after, which is all that undo and redo
need; ``annotator export --gold`` exports what was saved (status ``done``).

Items are what a lead settles one at a time:

* ``block``: one block's label (unmarked = ``content``, as in the agreement report);
* ``spans``: a stretch of text where somebody marked spans: the spans of all annotators
  that overlap each other, whatever their labels (a CLAIM against a CONTENT on the same
  words is one disagreement, not two). Each annotator's version is the set of spans they
  have there, with their attributes; "(none)" is a version too;
* ``relation``: one relation (head span, child span, label); drawn or not drawn;
* ``doc_label``: one document label's value.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from annotator.core.agreement.data import (
    DEFAULT_BLOCK_LABEL,
    DONE,
    AnnotatorWork,
    DocAnnotations,
    RelationUnit,
    SpanUnit,
)
from annotator.core.errors import InputError
from annotator.core.merge_majority import merge
from annotator.core.model import Annotations, RelationData, RelationKey, SpanData, SpanKey
from annotator.core.vocabulary import GOLD, RESERVED_ANNOTATORS, Status
from annotator.services.agreement import compute_document, project_schema
from annotator.services.annotation import AnnotationService
from annotator.store import Project
from annotator.store import agreement_queries as q
from annotator.store import annotations as db
from annotator.store.documents import document_blocks, get_document, get_document_by_hash

Attrs = tuple[tuple[str, Any], ...]
"""Attributes frozen into a sorted tuple so versions can be compared and hashed."""


def _freeze(attrs: Mapping[str, Any] | None) -> Attrs:
    return tuple(sorted((attrs or {}).items()))


@dataclass(frozen=True, slots=True)
class DocumentVersions:
    """One document with each annotator's work and the current gold, read at one time."""

    document_id: int
    sha256: str
    title: str
    text: str
    blocks: list[tuple[int, int]]  # (start, end) by block index
    annotators: list[str]  # whose versions are adjudicated, in name order
    versions: dict[str, Annotations]
    statuses: dict[str, str]  # every annotator with a progress row (gold included)
    gold: Annotations | None
    report: dict[str, Any]  # ``document_report``: the figures of this document

    def span_text(self, start: int, end: int, width: int = 60) -> str:
        text = " ".join(self.text[start:end].split())
        return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class Draft:
    """A gold version being built: explicit block labels, spans by key, relations by key.

    ``spans`` maps (label, start, end) -> frozen attrs; ``relations`` maps
    (head key, child key, label) -> (cue key or None, frozen attrs). Blocks not in
    ``blocks`` are ``content``.
    """

    blocks: Mapping[int, str] = field(default_factory=dict)
    spans: Mapping[SpanKey, Attrs] = field(default_factory=dict)
    relations: Mapping[RelationKey, tuple[SpanKey | None, Attrs]] = field(default_factory=dict)
    doc_labels: Mapping[str, str] = field(default_factory=dict)

    def pruned(self) -> Draft:
        """Without relations whose spans are gone (and cues pointing at missing spans)."""
        relations = {
            key: (cue if cue in self.spans else None, attrs)
            for key, (cue, attrs) in self.relations.items()
            if key[0] in self.spans and key[1] in self.spans
        }
        return replace(self, relations=relations)


@dataclass(frozen=True, slots=True)
class Choice:
    """One version of an item, who made it, and what picking it puts into the draft."""

    text: str
    annotators: tuple[str, ...]
    value: Any


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to settle; ``agreed`` when all annotators made the same version."""

    kind: str  # block | spans | relation | doc_label
    key: Any
    start: int
    end: int
    choices: tuple[Choice, ...]

    @property
    def agreed(self) -> bool:
        return len(self.choices) == 1

    def choice_of(self, annotator: str) -> Choice | None:
        return next((c for c in self.choices if annotator in c.annotators), None)


# -- loading -----------------------------------------------------------------------------------


def _resolve(session: Any, document: str | int) -> Any:
    doc = (get_document(session, document) if isinstance(document, int)
           else get_document_by_hash(session, document))
    if doc is None:
        raise InputError(f"no document {document!r} in this project")
    return doc


def to_doc_annotations(versions: DocumentVersions) -> DocAnnotations:
    """The document in the agreement report's terms (for ``document_report``)."""
    works = {
        name: AnnotatorWork(
            versions.statuses.get(name, Status.TODO),
            dict(data.blocks),
            [SpanUnit(s.uid, s.start, s.end, s.label) for s in data.spans],
            [RelationUnit(r.head, r.child, r.label, r.cue) for r in data.relations],
            dict(data.doc_labels),
        )
        for name, data in versions.versions.items()
    }
    return DocAnnotations(versions.sha256, versions.title, len(versions.text),
                          len(versions.blocks), works)


def load(
    project: Project, document: str | int, annotators: Sequence[str] | None = None
) -> DocumentVersions:
    """A document (sha256 or id) with the versions to adjudicate and its current gold.

    By default the versions are those of everyone who marked the document done (the
    work the agreement report counted); when nobody did, everyone with work on it.
    """
    with project.sessions() as session:
        doc = _resolve(session, document)
        statuses = q.works_of(session, doc.id)
        known = q.annotator_ids(session)
        if annotators is None:
            people = sorted(n for n, s in statuses.items() if n not in RESERVED_ANNOTATORS)
            done = [name for name in people if statuses[name] == DONE]
            chosen = done or people
        else:
            missing = [name for name in annotators if name not in known]
            if missing:
                raise InputError(f"no annotator {missing[0]!r} in this project")
            chosen = sorted(dict.fromkeys(annotators))
        versions = {name: db.load(session, doc.id, known[name]) for name in chosen}
        # Every gold save writes a progress row (status done), so its presence is the test.
        gold = db.load(session, doc.id, known[GOLD]) if GOLD in statuses else None
        blocks = [(start, end) for _, start, end in document_blocks(session, doc.id)]
        result = DocumentVersions(doc.id, doc.sha256, doc.title, doc.text, blocks, chosen,
                                  versions, statuses, gold, {})
    report = compute_document(project, to_doc_annotations(result), chosen) if chosen else {}
    return replace(result, report=report)


# -- items ---------------------------------------------------------------------------------------


def _span_text(key: SpanKey, attrs: Attrs, versions: DocumentVersions) -> str:
    label, start, end = key
    extra = ", ".join(f"{k}={v}" for k, v in attrs)
    return (f"{label} [{start}–{end}) “{versions.span_text(start, end, 40)}”"
            + (f" ({extra})" if extra else ""))


def _spans_of(data: Annotations) -> dict[str, SpanData]:
    return {span.uid: span for span in data.spans}


def span_clusters(versions: DocumentVersions) -> list[tuple[int, int]]:
    """Stretches of text [start, end) covered by chains of overlapping spans (any label,
    any annotator). Two clusters never overlap, so each is settled on its own."""
    intervals = sorted((s.start, s.end) for data in versions.versions.values() for s in data.spans)
    clusters: list[tuple[int, int]] = []
    for start, end in intervals:
        if clusters and start < clusters[-1][1]:
            clusters[-1] = (clusters[-1][0], max(clusters[-1][1], end))
        else:
            clusters.append((start, end))
    return clusters


def _group(
    versions: DocumentVersions, value_of: Mapping[str, Any], text_of: Any
) -> tuple[Choice, ...]:
    """Choices from each annotator's value: identical values become one choice."""
    groups: dict[Any, list[str]] = {}
    for name in versions.annotators:
        groups.setdefault(value_of[name], []).append(name)
    return tuple(Choice(text_of(value), tuple(names), value) for value, names in groups.items())


def items(versions: DocumentVersions, doc_label_names: Iterable[str] = ()) -> list[Item]:
    """Every item of the document, in text order (document labels last)."""
    out: list[Item] = []
    for index, (start, end) in enumerate(versions.blocks):
        labels = {name: versions.versions[name].blocks.get(index, DEFAULT_BLOCK_LABEL)
                  for name in versions.annotators}
        out.append(Item("block", index, start, end, _group(versions, labels, str)))

    for start, end in span_clusters(versions):
        chosen = {
            name: tuple(sorted({s.key: _freeze(s.attrs)
                                for s in versions.versions[name].spans
                                if start <= s.start and s.end <= end}.items(),
                               key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])))
            for name in versions.annotators
        }

        def describe(value: tuple[tuple[SpanKey, Attrs], ...]) -> str:
            if not value:
                return "(none)"
            return "; ".join(_span_text(key, attrs, versions) for key, attrs in value)

        out.append(Item("spans", (start, end), start, end, _group(versions, chosen, describe)))

    relation_values: dict[RelationKey, dict[str, tuple[SpanKey | None, Attrs]]] = {}
    for name in versions.annotators:
        data = versions.versions[name]
        spans = _spans_of(data)
        for rel in data.relations:
            head, child = spans.get(rel.head), spans.get(rel.child)
            if head is None or child is None:
                continue
            key = (head.key, child.key, rel.label)
            cue_span = spans.get(rel.cue) if rel.cue else None
            cue = cue_span.key if cue_span else None
            relation_values.setdefault(key, {})[name] = (cue, _freeze(rel.attrs))
    for key, drawn in sorted(relation_values.items(), key=lambda kv: (kv[0][1][1], kv[0][0][1])):
        head, child, label = key
        value_of = {name: (key, *drawn[name]) if name in drawn else None
                    for name in versions.annotators}

        def describe_relation(value: Any, head: SpanKey = head, child: SpanKey = child,
                              label: str = label) -> str:
            if value is None:
                return "(none)"
            _, cue, attrs = value
            extra = ", ".join(f"{k}={v}" for k, v in attrs)
            text = (f"{label}: {head[0]} “{versions.span_text(head[1], head[2], 30)}” → "
                    f"{child[0]} “{versions.span_text(child[1], child[2], 30)}”")
            if cue is not None:
                text += f" via “{versions.span_text(cue[1], cue[2], 20)}”"
            return text + (f" ({extra})" if extra else "")

        start = min(head[1], child[1])
        end = max(head[2], child[2])
        out.append(Item("relation", key, start, end, _group(versions, value_of,
                                                           describe_relation)))

    names = list(dict.fromkeys([*doc_label_names, *sorted(
        {n for data in versions.versions.values() for n in data.doc_labels})]))
    for name in names:
        values = {person: versions.versions[person].doc_labels.get(name)
                  for person in versions.annotators}
        out.append(Item("doc_label", name, 0, 0,
                        _group(versions, values, lambda v: "(none)" if v is None else str(v))))
    out.sort(key=lambda item: (item.kind == "doc_label", item.start,
                               ("block", "spans", "relation", "doc_label").index(item.kind)))
    return out


# -- drafts ----------------------------------------------------------------------------------


def _without_default(blocks: Mapping[int, str]) -> dict[int, str]:
    return {i: label for i, label in blocks.items() if label != DEFAULT_BLOCK_LABEL}


def draft_from(data: Annotations) -> Draft:
    """The draft holding exactly one stored version (gold or an annotator's)."""
    spans = _spans_of(data)
    relations: dict[RelationKey, tuple[SpanKey | None, Attrs]] = {}
    for rel in data.relations:
        head, child = spans.get(rel.head), spans.get(rel.child)
        if head is None or child is None:
            continue
        cue = spans.get(rel.cue) if rel.cue else None
        relations[(head.key, child.key, rel.label)] = (cue.key if cue else None,
                                                      _freeze(rel.attrs))
    return Draft(
        _without_default(data.blocks),
        {s.key: _freeze(s.attrs) for s in data.spans},
        relations,
        dict(data.doc_labels),
    )


def _versions_for_merge(versions: DocumentVersions) -> dict[str, Annotations]:
    return {name: versions.versions[name] for name in versions.annotators}


def majority(versions: DocumentVersions, min_annotators: int = 2,
             min_share: float = 0.5) -> Draft:
    """The threshold merge of the whole document as a draft (see ``core.merge_majority``)."""
    if not 0.0 <= min_share <= 1.0:
        raise InputError("minimum share must lie between 0 and 1")
    if min_annotators < 1:
        raise InputError("minimum number of annotators must be at least 1")
    result = merge(_versions_for_merge(versions), min_annotators=min_annotators,
                   min_share=min_share, n_blocks=len(versions.blocks))
    return Draft(
        dict(result.blocks),
        {span.key: _freeze(span.attrs) for span in result.spans},
        {rel.key: (rel.cue, _freeze(rel.attrs)) for rel in result.relations},
        dict(result.doc_labels),
    )


def initial_draft(versions: DocumentVersions) -> Draft:
    """Where adjudication starts: the saved gold, else what everybody agrees on.

    Starting from the unanimous merge means the lead only settles the differences; an
    item nobody agreed on starts empty (its block ``content``) and is shown as disputed.
    """
    if versions.gold is not None:
        return draft_from(versions.gold)
    if not versions.annotators:
        return Draft()
    return majority(versions, len(versions.annotators), 1.0)


def pick(draft: Draft, item: Item, choice: Choice) -> Draft:
    """The draft with ``item`` set to ``choice``; relations losing a span go too."""
    if item.kind == "block":
        blocks = dict(draft.blocks)
        blocks.pop(item.key, None)
        if choice.value != DEFAULT_BLOCK_LABEL:
            blocks[item.key] = choice.value
        return replace(draft, blocks=blocks)
    if item.kind == "spans":
        start, end = item.key
        spans = {key: attrs for key, attrs in draft.spans.items()
                 if not (start <= key[1] and key[2] <= end)}
        spans.update(dict(choice.value))
        return replace(draft, spans=spans).pruned()
    if item.kind == "relation":
        relations = dict(draft.relations)
        relations.pop(item.key, None)
        if choice.value is not None:
            key, cue, attrs = choice.value
            missing = [span for span in key[:2] if span not in draft.spans]
            if missing:
                label, start, end = missing[0]
                raise InputError(f"the gold version has no {label} span at [{start}, {end}): "
                                 "pick that span first")
            relations[key] = (cue if cue in draft.spans else None, attrs)
        return replace(draft, relations=relations)
    if item.kind == "doc_label":
        labels = dict(draft.doc_labels)
        labels.pop(item.key, None)
        if choice.value is not None:
            labels[item.key] = choice.value
        return replace(draft, doc_labels=labels)
    raise ValueError(f"unknown item kind {item.kind!r}")


def current(draft: Draft, item: Item) -> Any:
    """The draft's value for ``item``, comparable with ``Choice.value``."""
    if item.kind == "block":
        return draft.blocks.get(item.key, DEFAULT_BLOCK_LABEL)
    if item.kind == "spans":
        start, end = item.key
        return tuple(sorted(((key, attrs) for key, attrs in draft.spans.items()
                             if start <= key[1] and key[2] <= end),
                            key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])))
    if item.kind == "relation":
        found = draft.relations.get(item.key)
        return None if found is None else (item.key, *found)
    return draft.doc_labels.get(item.key)


def describe_current(draft: Draft, item: Item, versions: DocumentVersions) -> str:
    """The draft's value for ``item`` in the words of its choices."""
    value = current(draft, item)
    for choice in item.choices:
        if choice.value == value:
            return choice.text
    if item.kind == "spans":
        return "; ".join(_span_text(k, a, versions) for k, a in value) or "(none)"
    return "(none)" if value is None else str(value if item.kind != "relation" else "drawn")


# -- saving --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SavedGold:
    """What one save changed: enough to undo it (``before``) and redo it (``after``)."""

    document_id: int
    before: Annotations | None  # None: gold had nothing on this document
    after: Annotations


def to_annotations(draft: Draft, text_length: int, n_blocks: int) -> Annotations:
    """The draft as store rows with fresh uids (a span uid is unique project-wide)."""
    uids: dict[SpanKey, str] = {}
    spans = []
    for key, attrs in sorted(draft.spans.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
        label, start, end = key
        if not 0 <= start < end <= text_length:
            raise InputError(f"span [{start}, {end}) outside the text (length {text_length})")
        uids[key] = uuid.uuid4().hex
        spans.append(SpanData(uids[key], label, start, end, dict(attrs)))
    relations = [
        RelationData(uuid.uuid4().hex, key[2], uids[key[0]], uids[key[1]],
                     uids.get(cue) if cue else None, dict(attrs))
        for key, (cue, attrs) in draft.pruned().relations.items()
    ]
    blocks = {i: label for i, label in draft.blocks.items() if 0 <= i < n_blocks}
    return Annotations(blocks, spans, relations, dict(draft.doc_labels), status=DONE)


def _gold_id(project: Project) -> int:
    return AnnotationService(project, GOLD, allow_reserved=True).annotator_id


def _write(project: Project, document_id: int, data: Annotations | None) -> None:
    gold = _gold_id(project)
    with project.session() as session:
        q.delete_labels(session, document_id, gold)
        if data is not None:
            db.replace_all(session, document_id, gold, data)


def save(project: Project, versions: DocumentVersions, draft: Draft) -> SavedGold:
    """Write ``draft`` as the gold version of the document (status done), atomically.

    Checks the labels against the project's schema first, so a bad draft writes nothing.
    """
    schema = project_schema(project)
    for label in set(draft.blocks.values()):
        schema.block(label)
    for label, _, _ in draft.spans:
        schema.span(label)
    for _, _, label in draft.relations:
        schema.relation(label)
    after = to_annotations(draft, len(versions.text), len(versions.blocks))
    gold = _gold_id(project)
    with project.session() as session:
        stored = db.load(session, versions.document_id, gold)
        has_row = GOLD in q.works_of(session, versions.document_id)
        before = stored if has_row or stored.blocks or stored.spans or stored.doc_labels else None
        q.delete_labels(session, versions.document_id, gold)
        db.replace_all(session, versions.document_id, gold, after)
    return SavedGold(versions.document_id, before, after)


def undo_save(project: Project, saved: SavedGold) -> None:
    """Put gold back as it was before ``saved`` (nothing at all if there was none)."""
    _write(project, saved.document_id, saved.before)


def redo_save(project: Project, saved: SavedGold) -> None:
    """Write ``saved.after`` again, with the same uids."""
    _write(project, saved.document_id, saved.after)


def load_gold(project: Project, document: str | int) -> Annotations | None:
    """The stored gold labels of a document, or None when it has none."""
    with project.sessions() as session:
        doc = _resolve(session, document)
        known = q.annotator_ids(session)
        if GOLD not in known or GOLD not in q.works_of(session, doc.id):
            return None
        return db.load(session, doc.id, known[GOLD])
