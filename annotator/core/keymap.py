"""The annotation window's keys, as data: built from the project's label schema.

Why here and not in the GUI: the keymap is the contract annotators learn by heart, the
F1 help and the menus are generated from it, and a lead who edits the schema (a new
block label with key ``E``, say) must be told at once when a key clashes with another
label or a command. That check is pure logic and is tested without a display.

Keys are written in Qt's portable ``QKeySequence`` text form ("Ctrl+Shift+A", "Alt+1",
"Return"); the GUI hands them to ``QKeySequence`` unchanged.

Scopes: ``view`` keys (the bare letters and digits of labels, Enter, Backspace, Delete)
act only while the article or the document list has the focus, so typing in the search
box or an attribute field never labels anything; ``window`` keys work anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.errors import InputError
from annotator.core.schema import Schema

VIEW = "view"
WINDOW = "window"

_MODIFIER_ORDER = ("Ctrl", "Alt", "Shift", "Meta")
_ALIASES = {"control": "Ctrl", "ctrl": "Ctrl", "alt": "Alt", "shift": "Shift",
            "meta": "Meta", "cmd": "Ctrl", "del": "Delete", "esc": "Escape"}


@dataclass(frozen=True, slots=True)
class Binding:
    """One command: its stable id, its keys, and the line the F1 help shows."""

    action: str
    keys: tuple[str, ...]
    text: str
    group: str
    scope: str = WINDOW


def normalise(key: str) -> str:
    """A canonical form for clash detection: modifiers ordered, letters upper-case."""
    parts = [p.strip() for p in key.split("+")]
    if key.endswith("++"):  # "Ctrl++"
        parts = [*parts[:-2], "+"]
    *mods, last = parts
    names = {_ALIASES.get(m.lower(), m.capitalize()) for m in mods if m}
    ordered = [m for m in _MODIFIER_ORDER if m in names]
    last = _ALIASES.get(last.lower(), last)
    last = last.upper() if len(last) == 1 else last[:1].upper() + last[1:]
    return "+".join([*ordered, last])


@dataclass(frozen=True, slots=True)
class Keymap:
    bindings: tuple[Binding, ...]

    def get(self, action: str) -> Binding | None:
        return next((b for b in self.bindings if b.action == action), None)

    def keys(self, action: str) -> tuple[str, ...]:
        found = self.get(action)
        return found.keys if found else ()

    def action_for(self, key: str) -> str | None:
        wanted = normalise(key)
        for binding in self.bindings:
            if any(normalise(k) == wanted for k in binding.keys):
                return binding.action
        return None

    def groups(self) -> list[tuple[str, list[Binding]]]:
        """Bindings grouped for the help screen, groups in first-seen order."""
        out: dict[str, list[Binding]] = {}
        for binding in self.bindings:
            out.setdefault(binding.group, []).append(binding)
        return list(out.items())


# Commands that do not come from the schema. Order = order in the F1 help.
FIXED: tuple[Binding, ...] = (
    Binding("accept_suggestion", ("Return", "Enter"),
            "Accept the selected suggestion (F8 or the list selects it)", "Suggestions", VIEW),
    Binding("reject_suggestion", ("Backspace",),
            "Reject the selected suggestion (F8 or the list selects it)", "Suggestions", VIEW),
    Binding("accept_all_blocks", ("Ctrl+Shift+A",),
            "Accept all of this document's block suggestions", "Suggestions"),
    Binding("next_suggestion", ("F8",), "Go to the next pending suggestion", "Suggestions"),
    Binding("prev_suggestion", ("Shift+F8",), "Go to the previous pending suggestion",
            "Suggestions"),
    Binding("pick_span", ("Ctrl+Space",),
            "Add or remove the span under the cursor to the linking selection "
            "(or Ctrl+click it)", "Spans", VIEW),
    Binding("delete", ("Delete",),
            "Remove the span under the cursor (in the panel: the selected spans or "
            "attribution)", "Spans"),
    Binding("edit_attrs", ("F2",), "Edit the attributes of the selected span or attribution",
            "Spans"),
    Binding("next_block", ("Alt+Down",), "Move to the next block", "Navigation"),
    Binding("prev_block", ("Alt+Up",), "Move to the previous block", "Navigation"),
    Binding("prev_doc", ("Alt+Left",), "Previous article", "Navigation"),
    Binding("next_doc", ("Alt+Right",), "Next article", "Navigation"),
    Binding("done_next", ("Ctrl+Return", "Ctrl+Enter"),
            "Mark the document done and open the next one to do", "Navigation"),
    Binding("skip_next", ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"),
            "Skip the document and open the next one to do", "Navigation"),
    Binding("search", ("Ctrl+F",), "Search titles and text", "Navigation"),
    Binding("undo", ("Ctrl+Z",), "Undo", "Edit"),
    Binding("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo", "Edit"),
    Binding("toggle_entities", ("Ctrl+E",), "Show or hide named entities", "View"),
    Binding("settings", ("Ctrl+,",), "Settings (annotator name, text size)", "View"),
    Binding("help", ("F1",), "Show all keys", "View"),
)


def build(schema: Schema) -> Keymap:
    """The keymap for a schema; raises ``InputError`` naming both sides of any clash."""
    bindings: list[Binding] = []
    for label in schema.blocks:
        if label.key:
            what = "content" if not label.boilerplate else f"boilerplate: {label.name}"
            bindings.append(Binding(f"block:{label.name}", (label.key,),
                                    f"Label the block under the cursor (or every selected "
                                    f"block) {what}", "Blocks", VIEW))
    for label in schema.spans:
        if label.key:
            bindings.append(Binding(f"span:{label.name}", (label.key,),
                                    f"Mark the selection {label.name} (snapped to words)",
                                    "Spans", VIEW))
            bindings.append(Binding(f"span_exact:{label.name}", (f"Alt+{label.key}",),
                                    f"Mark the selection {label.name}, exact characters",
                                    "Spans", VIEW))
    for relation in schema.relations:
        if relation.key:
            cue = f" (and a {'/'.join(relation.cue)})" if relation.cue else ""
            bindings.append(Binding(f"link:{relation.name}", (relation.key,),
                                    f"Link the selected {'/'.join(relation.head)} and "
                                    f"{'/'.join(relation.child)} spans{cue} as "
                                    f"{relation.name}", "Spans"))
    if schema.documents:
        doc = schema.documents[0]
        for i, value in enumerate(doc.values[:9], start=1):
            bindings.append(Binding(f"doc:{doc.name}:{value}", (f"Ctrl+{i}",),
                                    f"Rate {doc.name}: {value.replace('_', ' ')}", "Document"))
    bindings.extend(FIXED)
    _check_clashes(bindings)
    return Keymap(tuple(bindings))


def _check_clashes(bindings: list[Binding]) -> None:
    seen: dict[str, Binding] = {}
    for binding in bindings:
        for key in binding.keys:
            norm = normalise(key)
            other = seen.get(norm)
            if other is not None and other.action != binding.action:
                raise InputError(
                    f"key {key!r} is used twice: {other.action} and {binding.action}; "
                    "change one of them in the project's label schema"
                )
            seen[norm] = binding
