"""qtawesome icons for the window's actions, coloured from the current palette.

Icons are named by what they do, not by glyph, so swapping a glyph is one line here.
They are built on demand and cached per palette, because qtawesome renders fonts and
the window asks for the same icons on every palette change.
"""

from __future__ import annotations

from functools import cache

import qtawesome as qta
from PySide6.QtGui import QColor, QIcon, QPalette

from annotator.gui import theme

GLYPHS = {
    "undo": "mdi6.undo-variant",
    "redo": "mdi6.redo-variant",
    "done_next": "mdi6.check-circle-outline",
    "skip_next": "mdi6.skip-next-circle-outline",
    "prev_doc": "mdi6.chevron-left",
    "next_doc": "mdi6.chevron-right",
    "link": "mdi6.link-variant",
    "unlink": "mdi6.link-variant-off",
    "delete": "mdi6.delete-outline",
    "help": "mdi6.keyboard-outline",
    "settings": "mdi6.cog-outline",
    "search": "mdi6.magnify",
    "annotator": "mdi6.account-circle-outline",
    "toggle_entities": "mdi6.format-underline",
    "accept_all_blocks": "mdi6.check-all",
    "accept_suggestion": "mdi6.check",
    "reject_suggestion": "mdi6.close",
    "next_suggestion": "mdi6.robot-outline",
    "prev_suggestion": "mdi6.robot-outline",
    "busy": "mdi6.sync",
    "idle": "mdi6.check-circle-outline",
    "status_todo": "mdi6.checkbox-blank-circle-outline",
    "status_in_progress": "mdi6.progress-clock",
    "status_done": "mdi6.check-circle",
    "status_skipped": "mdi6.cancel",
    "block": "mdi6.text-box-check-outline",
    "span": "mdi6.tag-outline",
    "edit_attrs": "mdi6.tag-outline",
    "pick_span": "mdi6.cursor-default-click-outline",
    "search_docs": "mdi6.magnify",
    "cancel": "mdi6.close-circle-outline",
    "import": "mdi6.file-import-outline",
    "import_annotations": "mdi6.account-multiple-plus-outline",
    "export": "mdi6.file-export-outline",
    "suggest": "mdi6.robot-outline",
    "train": "mdi6.school-outline",
    "agreement": "mdi6.chart-box-outline",
}


def icon(name: str, color: str | None = None) -> QIcon:
    """The icon for an action name (empty icon when there is none)."""
    glyph = GLYPHS.get(name)
    if glyph is None:
        return QIcon()
    if color is None:
        pal = theme.palette()
        color = pal.color(QPalette.ColorRole.ButtonText).name()
        disabled = theme.mix(QColor(color), pal.color(QPalette.ColorRole.Button), 0.6).name()
        return _cached(glyph, color, disabled)
    return _cached(glyph, color, color)


@cache
def _cached(glyph: str, color: str, disabled: str) -> QIcon:
    return qta.icon(glyph, color=color, color_disabled=disabled)


def status_icon(status: str) -> QIcon:
    return icon(f"status_{status}", theme.STATUS_COLORS.get(status, "#9e9e9e"))
