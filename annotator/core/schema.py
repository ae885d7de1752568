"""The label schema: which labels exist on each layer, their keys, colours, attributes.

A project stores its own schema (as the parsed dict) so labels can be edited per
project; this module gives the typed view used by services, the GUI and exports.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    key: str = ""
    color: str = "#cccccc"
    boilerplate: bool = False
    attrs: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RelationLabel:
    name: str
    key: str
    head: list[str]
    child: list[str]
    cue: list[str]
    attrs: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocLabel:
    name: str
    values: list[str]
    ordinal: bool = False
    # Values an annotator may choose that sit outside the ordered scale
    # ("not_applicable"): ordinal agreement treats them as missing, not as a rank.
    unranked: list[str] = field(default_factory=list)

    @property
    def scale(self) -> list[str]:
        return [v for v in self.values if v not in self.unranked]


@dataclass(frozen=True, slots=True)
class Schema:
    blocks: list[Label]
    spans: list[Label]
    relations: list[RelationLabel]
    documents: list[DocLabel]
    raw: dict[str, Any]

    @property
    def block_names(self) -> list[str]:
        return [label.name for label in self.blocks]

    @property
    def span_names(self) -> list[str]:
        return [label.name for label in self.spans]

    @property
    def boilerplate_names(self) -> set[str]:
        return {label.name for label in self.blocks if label.boilerplate}

    def block(self, name: str) -> Label:
        return _find(self.blocks, name, "block label")

    def span(self, name: str) -> Label:
        return _find(self.spans, name, "span label")

    def relation(self, name: str) -> RelationLabel:
        return _find(self.relations, name, "relation label")

    def document(self, name: str) -> DocLabel:
        return _find(self.documents, name, "document label")


def _find(items: list, name: str, what: str):  # type: ignore[no-untyped-def]
    for item in items:
        if item.name == name:
            return item
    raise InputError(f"unknown {what} {name!r}")


def from_dict(raw: dict[str, Any]) -> Schema:
    try:
        return Schema(
            blocks=[Label(**b) for b in raw.get("block", [])],
            spans=[
                Label(s["name"], s.get("key", ""), s.get("color", "#cccccc"), False,
                      dict(s.get("attrs", {})))
                for s in raw.get("span", [])
            ],
            relations=[RelationLabel(**{**r, "attrs": dict(r.get("attrs", {}))})
                       for r in raw.get("relation", [])],
            documents=[DocLabel(**d) for d in raw.get("document", [])],
            raw=raw,
        )
    except (TypeError, KeyError) as exc:
        raise InputError(f"label schema is malformed: {exc}") from None


def load(path: Path) -> Schema:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", where=str(path)) from None
    return from_dict(raw)


def default() -> Schema:
    from annotator.paths import resources_dir

    return load(resources_dir() / "schema.toml")
