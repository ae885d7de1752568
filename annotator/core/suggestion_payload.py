"""What an attribution suggestion stores, and the one way to write and read it.

An attribution suggestion is one ``suggestions`` row: layer ``attribution``, label
``ATTRIBUTION``, offsets covering all its parts, and ``attrs`` holding the offsets of
its parts beside the attribution's own attributes, in this order::

    {"naming": "named", "kind": "official", "quote_type": "indirect", "evidence": [...],
     "source": [12, 40], "cue": [41, 45], "content": [46, 90]}

``source`` and ``cue`` may be null; ``content`` is always there. The suggester
(``nlp.pipeline``) encodes with ``AttributionPayload.encode``; the export, accepting
a suggestion into labels and drawing it in the article view all decode with
``AttributionPayload.decode``, so the stored shape is defined here only and projects
suggested by earlier versions read back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Part = tuple[int, int]  # [start, end) in the canonical text

PARTS = ("source", "cue", "content")
"""The keys of the parts' offsets in the stored attributes."""

PART_LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
"""The span label each part becomes in the default schema."""

SOURCE_ATTRS = ("naming", "kind")
"""Attributes that describe the source span; the others describe the attribution."""


@dataclass(frozen=True)
class AttributionPayload:
    """One suggested attribution: SOURCE -> CONTENT, optionally with its CUE.

    ``attrs`` holds the attribution's attributes (``naming``/``kind`` of the source,
    ``quote_type``, ``intermediary``, ``resolved``, ``evidence``) in the order the
    suggester gave them; it never holds the parts."""

    content: Part
    source: Part | None = None
    cue: Part | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, source: Sequence[int] | None, cue: Sequence[int] | None,
           content: Sequence[int], attrs: Mapping[str, Any]) -> AttributionPayload:
        """From the suggester's offsets (any pair of integers)."""
        return cls(_part(content), _part(source) if source is not None else None,
                   _part(cue) if cue is not None else None,
                   {k: v for k, v in attrs.items() if k not in PARTS})

    @property
    def extent(self) -> Part:
        """The row's offsets: from the first part's start to the last part's end."""
        parts = [p for p in (self.source, self.cue, self.content) if p is not None]
        return min(p[0] for p in parts), max(p[1] for p in parts)

    def parts(self) -> list[tuple[str, Part]]:
        """The parts present, as (key, offsets), in the order source, cue, content."""
        found = {"source": self.source, "cue": self.cue, "content": self.content}
        return [(key, part) for key, part in found.items() if part is not None]

    def labelled_parts(self) -> list[tuple[int, int, str]]:
        """The parts present as (start, end, span label): what the article view draws."""
        return [(start, end, PART_LABELS[key]) for key, (start, end) in self.parts()]

    def source_attrs(self) -> dict[str, Any]:
        """The attributes the source span carries in an export."""
        return {k: v for k, v in self.attrs.items() if k in SOURCE_ATTRS}

    def relation_attrs(self) -> dict[str, Any]:
        """The attributes the ATTRIBUTION relation carries in an export."""
        return {k: v for k, v in self.attrs.items() if k not in SOURCE_ATTRS}

    def encode(self) -> dict[str, Any]:
        """The stored ``attrs``: the attributes, then the parts as ``[start, end]`` or null."""
        return {**self.attrs, "source": _stored(self.source), "cue": _stored(self.cue),
                "content": _stored(self.content)}

    @classmethod
    def decode(cls, attrs: Mapping[str, Any]) -> AttributionPayload | None:
        """The payload of stored ``attrs``; ``None`` when they hold no content part (not
        an attribution suggestion). A source or cue that is not a ``[start, end]`` pair
        of integers with start < end reads as absent."""
        content = _read(attrs.get("content"))
        if content is None:
            return None
        return cls(content, _read(attrs.get("source")), _read(attrs.get("cue")),
                   {k: v for k, v in attrs.items() if k not in PARTS})


def _part(pair: Sequence[int]) -> Part:
    return int(pair[0]), int(pair[1])


def _stored(part: Part | None) -> list[int] | None:
    return None if part is None else [part[0], part[1]]


def _read(value: Any) -> Part | None:
    if (isinstance(value, list | tuple) and len(value) == 2
            and all(type(v) is int for v in value) and value[0] < value[1]):
        return value[0], value[1]
    return None
