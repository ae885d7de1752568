"""The label schema: which labels exist on each layer, their keys, colours, attributes.

A project stores its own schema (as the parsed dict) so labels can be edited per
project; this module gives the typed view used by services, the GUI and exports.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Iterable, Mapping
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


# The default block labels of every release before projects recorded which default labels
# they had been offered (``schema_defaults_seen``). A project without that record was
# seeded with exactly these, so one of them missing from it was deleted on purpose and is
# not brought back. Frozen: later releases add labels to resources/schema.toml, not here.
BLOCKS_OFFERED_BEFORE_RECORD: tuple[str, ...] = (
    "content", "navigation", "caption", "metadata", "related", "promo", "unrelated",
    "widget", "legal",
)


@dataclass(frozen=True, slots=True)
class BlockUpgrade:
    """What ``add_new_default_blocks`` did: the schema to store and the record to keep."""

    raw: dict[str, Any]  # the project's schema with the new labels in it (a copy)
    added: list[str]  # labels added, in the default schema's order
    unkeyed: list[str]  # of ``added``, those whose key the project already used
    seen: list[str]  # every default block label offered so far: store it for next time


def block_label_names(raw: Mapping[str, Any]) -> list[str]:
    """The block label names of a raw schema dict, skipping entries without a name.

    Tolerant because it reads what is stored in a project, which a lead may have edited.
    """
    blocks = raw.get("block", [])
    if not isinstance(blocks, list):
        return []
    return [b["name"] for b in blocks
            if isinstance(b, Mapping) and isinstance(b.get("name"), str)]


def add_new_default_blocks(project: Mapping[str, Any], default: Mapping[str, Any],
                           seen: Iterable[str] | None) -> BlockUpgrade:
    """Give a project the default block labels it has never been offered.

    Why: a project keeps its own copy of the schema, so a label added to the default
    (``comment``, say) would otherwise never reach projects made before it. Why only the
    never-offered ones: a lead may delete a label from a project on purpose, and it must
    stay deleted; ``seen`` says which were offered (``None``, for a project that never
    kept the record, means ``BLOCKS_OFFERED_BEFORE_RECORD``).

    A new label goes after the nearest label that precedes it in the default and that the
    project has (else before the nearest following one, else at the end), so the palette
    keeps the default order. If its key clashes with a key the project's keymap already
    uses, it is added without a key: the label can still be picked from the palette, the
    lead can give it a free key, and opening the project never fails over it. Pure: the
    inputs are not modified.
    """
    offered = set(BLOCKS_OFFERED_BEFORE_RECORD if seen is None else seen)
    defaults = [b for b in default.get("block", []) if isinstance(b, Mapping)]
    default_names = [b["name"] for b in defaults]
    raw = copy.deepcopy(dict(project))
    added: list[str] = []
    unkeyed: list[str] = []
    for position, entry in enumerate(defaults):
        name = entry["name"]
        if name in offered or name in block_label_names(raw):
            continue
        if not isinstance(raw.get("block"), list):
            raw["block"] = []
        label = copy.deepcopy(dict(entry))
        if label.get("key") and _key_taken(raw, label):
            label["key"] = ""
            unkeyed.append(name)
        raw["block"].insert(_insert_at(raw["block"], default_names, position), label)
        added.append(name)
    # Labels once offered but since dropped from the default stay recorded, so that a
    # release bringing one back does not undo a lead's deletion.
    seen_after = [*default_names, *sorted(offered - set(default_names))]
    return BlockUpgrade(raw, added, unkeyed, seen_after)


def _insert_at(blocks: list[Any], default_names: list[str], position: int) -> int:
    """Where the default label at ``position`` goes among the project's ``blocks``."""
    names = [b.get("name") if isinstance(b, Mapping) else None for b in blocks]
    for before in reversed(default_names[:position]):
        if before in names:
            return names.index(before) + 1
    for after in default_names[position + 1:]:
        if after in names:
            return names.index(after)
    return len(blocks)


def _key_taken(raw: dict[str, Any], label: dict[str, Any]) -> bool:
    """Would ``label`` with its key clash with a key the project already uses?

    Decided by the keymap itself, so label keys, Alt+span keys, relation and rating keys
    and the fixed commands all count, compared as the window compares them. A schema the
    keymap cannot build at all counts as a clash: the label then goes in without a key.
    """
    from annotator.core import keymap  # keymap builds on this module: import it late

    candidate = {**raw, "block": [*raw.get("block", []), label]}
    try:
        keymap.build(from_dict(candidate))
    except InputError:
        return True
    return False
