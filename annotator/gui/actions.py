"""The window's QActions, menus and toolbar, generated from the keymap.

One QAction per keymap binding, so a key, its menu entry, its toolbar button and its
line in the F1 help can never disagree. Label keys (``view`` scope) are
``Qt.WidgetShortcut`` actions that the window attaches to the article and the
document list: they act while the annotator reads or browses, never while typing in
the search box or an attribute field. Everything else is window-wide.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QToolBar, QToolButton, QWidget

from annotator.core import keymap as keymap_mod
from annotator.gui import theme

MENUS: dict[str, list[str | None]] = {
    "&Document": ["prev_doc", "next_doc", "done_next", "skip_next", None, "search", None,
                  "doc:*"],
    "&Edit": ["undo", "redo", None, "delete", "link", "pick_span", "edit_attrs"],
    "&Labels": ["block:*", None, "span:*", None, "span_exact:*"],
    "&Suggestions": ["accept_suggestion", "reject_suggestion", "accept_all_blocks",
                     "next_suggestion", "prev_suggestion"],
    "&View": ["toggle_entities", "next_block", "prev_block", None, "settings"],
    "&Help": ["help"],
}
TOOLBAR: list[str | None] = ["prev_doc", "next_doc", None, "done_next", "skip_next", None,
                             "undo", "redo", None, "link", "delete", "accept_all_blocks",
                             None, "toggle_entities", None, "help", "settings"]
TITLES = {
    "accept_suggestion": "Accept suggestion", "reject_suggestion": "Reject suggestion",
    "accept_all_blocks": "Accept all blocks", "next_suggestion": "Next suggestion",
    "prev_suggestion": "Previous suggestion", "pick_span": "Pick span for linking",
    "delete": "Delete", "edit_attrs": "Edit attributes", "next_block": "Next block",
    "prev_block": "Previous block", "prev_doc": "Previous article",
    "next_doc": "Next article", "done_next": "Done", "skip_next": "Skip",
    "search": "Search", "undo": "Undo", "redo": "Redo",
    "toggle_entities": "Entities", "settings": "Settings…", "help": "Keys",
}


def action_title(binding: keymap_mod.Binding) -> str:
    """Menu text for an action: short, Qt shows the key beside it."""
    kind, _, rest = binding.action.partition(":")
    if kind == "block":
        return f"Block: {rest}"
    if kind == "span":
        return f"Span: {rest}"
    if kind == "span_exact":
        return f"Span: {rest} (exact)"
    if kind == "link":
        return f"Link {rest.lower()}"
    if kind == "doc":
        name, _, value = rest.partition(":")
        return f"{name.capitalize()}: {value.replace('_', ' ')}"
    return TITLES.get(binding.action, binding.action)


def build_actions(window: QWidget, keymap: keymap_mod.Keymap,
                  handlers: dict[str, Callable[..., Any]]) -> dict[str, QAction]:
    """Actions by keymap id. ``handlers`` maps an id to a callable, or a kind ("block",
    "span", "span_exact", "link", "doc") to a callable taking the label (for "doc":
    name and value). Window-scope actions are added to ``window``. The first link
    action is also available as "link"."""
    out: dict[str, QAction] = {}
    for binding in keymap.bindings:
        action = QAction(action_title(binding), window)
        action.setObjectName(f"action:{binding.action}")
        action.setShortcuts([QKeySequence(k) for k in binding.keys])
        action.setToolTip(theme.tooltip(f"{binding.text} ({', '.join(binding.keys)})"))
        action.setStatusTip(binding.text)
        kind, _, rest = binding.action.partition(":")
        if rest and kind in handlers:
            fn = handlers[kind]
            if kind == "doc":
                name, _, value = rest.partition(":")
                action.triggered.connect(lambda _=False, f=fn, n=name, v=value: f(n, v))
            else:
                action.triggered.connect(lambda _=False, f=fn, n=rest: f(n))
        elif binding.action in handlers:
            action.triggered.connect(lambda _=False, f=handlers[binding.action]: f())
        if binding.scope == keymap_mod.VIEW:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
        out[binding.action] = action
    link = next((k for k in out if k.startswith("link:")), None)
    if link:
        out["link"] = out[link]
    return out


def _expand(items: list[str | None], actions: dict[str, QAction]) -> list[str | None]:
    out: list[str | None] = []
    for item in items:
        if item is not None and item.endswith(":*"):
            prefix = item[:-1]
            out.extend(k for k in actions if k.startswith(prefix))
        elif item is None or item in actions:
            out.append(item)
    return out


def fill_menus(menubar: QMenuBar, actions: dict[str, QAction]) -> None:
    for title, items in MENUS.items():
        menu = menubar.addMenu(title)
        for item in _expand(items, actions):
            if item is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[item])


def build_toolbar(actions: dict[str, QAction]) -> QToolBar:
    toolbar = QToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    for item in _expand(TOOLBAR, actions):
        if item is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(actions[item])
    for item in ("done_next", "accept_all_blocks"):
        button = toolbar.widgetForAction(actions[item])
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return toolbar
