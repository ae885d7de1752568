"""The keymap built from the label schema: the default schema's keys (resources/schema.toml,
see docs/architecture.md), and clashes refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core import keymap, schema
from annotator.core.errors import InputError


def test_default_schema_keys() -> None:
    km = keymap.build(schema.default())
    assert km.action_for("0") == "block:content"
    assert km.action_for("n") == "block:navigation"
    assert km.action_for("A") == "block:promo"
    assert km.action_for("c") == "block:comment"
    assert km.action_for("Ctrl+C") is None  # copy stays the text view's own
    assert km.action_for("1") == "span:CLAIM"
    assert km.action_for("Alt+2") == "span_exact:SOURCE"
    assert km.action_for("Ctrl+L") == "link:ATTRIBUTION"
    assert km.action_for("ctrl+shift+a") == "accept_all_blocks"
    assert km.action_for("Ctrl+Return") == "done_next"
    assert km.action_for("Shift+Ctrl+Z") == "redo"
    assert km.action_for("Ctrl+1") == "doc:sourcing:well_sourced"
    assert km.action_for("F1") == "help"
    assert km.get("block:caption").scope == keymap.VIEW  # type: ignore[union-attr]
    assert km.get("undo").scope == keymap.WINDOW  # type: ignore[union-attr]


def test_every_binding_is_in_a_help_group() -> None:
    km = keymap.build(schema.default())
    grouped = [b for _, items in km.groups() for b in items]
    assert len(grouped) == len(km.bindings)
    assert {"Blocks", "Spans", "Suggestions", "Navigation", "Edit"} <= {g for g, _ in km.groups()}


def test_a_clashing_schema_key_is_refused_with_both_names() -> None:
    base = schema.default()
    clash = replace(base, blocks=[*base.blocks, schema.Label("ads", "a", "#000", True)])
    with pytest.raises(InputError, match="promo.*ads|ads.*promo"):
        keymap.build(clash)


def test_normalise() -> None:
    assert keymap.normalise("shift+ctrl+z") == "Ctrl+Shift+Z"
    assert keymap.normalise("Control+,") == "Ctrl+,"
    assert keymap.normalise("Del") == "Delete"
