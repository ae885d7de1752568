"""The values every layer passes around: documents and their blocks, spans, relations,
one annotator's work on a document, machine suggestions.

They are defined here, in pure Python, so that the store maps its rows to them, the
services and both faces use them without importing the store, and the export record
reads and writes them in one place (``to_record``/``from_record``; validation of a
record read from a file stays in ``core.export_record.parse_record``).

A span is identified across annotators by its key ``(label, start, end)``: two
annotators' spans are "the same" when their keys are equal, whatever their uids. A
relation's key names its spans by key, so two annotators' relations compare equal
although their span uids differ. Every module that compares spans uses these keys.

Spans and relations are frozen so that an undo command can hold one and put it back;
their ``attrs`` dicts are shared, never changed in place (writers copy them). A value
with a changed field is made with ``dataclasses.replace``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from annotator.core.vocabulary import Status

SpanKey = tuple[str, int, int]
"""``(label, start, end)``: how spans are compared across annotators."""

RelationKey = tuple[SpanKey, SpanKey, str]
"""``(head span key, child span key, relation label)``."""


@dataclass(frozen=True, slots=True)
class Block:
    """A block is ``[start, end)`` in the canonical text, surrounding space excluded;
    ``index`` is its place in the document, which block labels refer to."""

    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DocumentData:
    """An article: its canonical text, the blocks it was segmented into, where it came from.

    ``sha256`` (of the text) is the document's identity outside one project's database:
    an export record carries it as its ``id`` and merging matches on it. ``id`` is the
    store's row id, None until the row exists (an import builds the value first).

    ``blocks`` are ``(start, end)`` pairs, the index being the position, not ``Block``
    values: an import builds this value for every article and a ``Block`` per block
    would cost it hundreds of thousands of objects. ``evidence`` (HTML structure, None
    for text) and ``fingerprints`` are what an import found per block, aligned with
    ``blocks`` and written with them; they are None wherever nobody computed them (a
    document read for export, one merged from a record) and the store then works the
    fingerprints out itself.
    """

    sha256: str
    text: str
    title: str
    source: str
    meta: dict[str, Any]
    blocks: Sequence[tuple[int, int]]
    evidence: Sequence[dict[str, Any] | None] | None = None
    fingerprints: Sequence[str] | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class SpanData:
    """A labelled character range ``[start, end)`` in code points of the canonical text."""

    uid: str
    label: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> SpanKey:
        return (self.label, self.start, self.end)

    def to_record(self, text: str, token_start: int | None, token_end: int | None
                  ) -> dict[str, Any]:
        """The span as an export record writes it: with its text and its tokens
        (``token_end`` inclusive, Prodigy's convention)."""
        return {
            "id": self.uid, "start": self.start, "end": self.end, "label": self.label,
            "text": text[self.start : self.end], "token_start": token_start,
            "token_end": token_end, "attrs": dict(self.attrs),
        }

    @classmethod
    def from_record(cls, item: Mapping[str, Any]) -> SpanData:
        """The span of a record's ``spans`` item; ``text`` and token offsets are derived
        data, recomputed on export, so they are not kept. Raises ``KeyError`` on a
        missing field: records from files are checked by ``parse_record`` first."""
        return cls(item["id"], item["label"], item["start"], item["end"],
                   dict(item.get("attrs") or {}))


@dataclass(frozen=True, slots=True)
class RelationData:
    """A labelled link between two of one annotator's spans, named by their uids.

    ``uid`` is empty only for a relation read from a record written before relations
    had ids; merging gives it a stable derived one.
    """

    uid: str
    label: str
    head: str
    child: str
    cue: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        return {"id": self.uid, "head": self.head, "child": self.child, "cue": self.cue,
                "label": self.label, "attrs": dict(self.attrs)}

    @classmethod
    def from_record(cls, item: Mapping[str, Any]) -> RelationData:
        return cls(item.get("id") or "", item["label"], item["head"], item["child"],
                   item.get("cue"), dict(item.get("attrs") or {}))


def relation_key(relation: RelationData, span_keys: Mapping[str, SpanKey]) -> RelationKey | None:
    """The relation's key through its annotator's span uid -> key map; ``None`` when a
    span it names is missing (a dangling relation nobody can agree on)."""
    head, child = span_keys.get(relation.head), span_keys.get(relation.child)
    if head is None or child is None:
        return None
    return (head, child, relation.label)


@dataclass
class Annotations:
    """Everything one annotator has on one document.

    ``blocks`` maps block index -> label; an unmarked block is absent. ``status``,
    ``seconds`` and ``updated_at`` come from the annotator's progress on the document.
    """

    blocks: dict[int, str] = field(default_factory=dict)
    spans: list[SpanData] = field(default_factory=list)
    relations: list[RelationData] = field(default_factory=list)
    doc_labels: dict[str, str] = field(default_factory=dict)
    status: str = Status.TODO
    seconds: float = 0.0
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewSuggestion:
    """A suggestion as a suggester makes it, before the store gives it an id."""

    layer: str
    label: str
    start: int
    end: int
    score: float = 1.0
    rule: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuggestionRow:
    """A stored suggestion with one annotator's verdict on it."""

    id: int
    layer: str
    label: str
    start: int
    end: int
    score: float
    rule: str
    model_version: str
    attrs: dict[str, Any]
    verdict: str | None  # this annotator's accepted/rejected, None while pending
