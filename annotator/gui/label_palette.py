"""The label palette: every label with its colour and key, clickable.

It doubles as the always-visible cheat sheet: annotators learn the keys by seeing them
next to the colours they produce. Clicking a label does exactly what its key does (the
window routes both through the same action), so mouse users are not second class.
The block label of the block under the cursor is shown checked.
"""

from __future__ import annotations

import html
from functools import cache

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.keymap import Keymap
from annotator.core.schema import Schema
from annotator.gui import theme


def swatch(color: str | QColor, size: int = 12, outline: bool = False) -> QIcon:
    """A small rounded colour chip (cached: the panel asks for the same few often)."""
    return _swatch(QColor(color).name(QColor.NameFormat.HexArgb), size, outline)


@cache
def _swatch(color: str, size: int, outline: bool) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = QColor(color)
    if outline:
        painter.setPen(c)
        painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    else:
        painter.setPen(theme.mix(c, QColor("#000000"), 0.25))
        painter.setBrush(c)
        painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pix)


class LabelPalette(QWidget):
    """Emits ``labelChosen(action)`` with the keymap action id of the clicked label."""

    labelChosen = Signal(str)
    entitiesToggled = Signal(bool)

    def __init__(self, schema: Schema, keymap: Keymap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self.buttons: dict[str, QToolButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(_heading("Blocks"))
        layout.addLayout(self._grid([(f"block:{b.name}", b.name, b.color, b.key)
                                     for b in schema.blocks], keymap, columns=2))
        layout.addWidget(_heading("Spans  (select text, then the key; Alt = exact)"))
        layout.addLayout(self._grid([(f"span:{s.name}", s.name, s.color, s.key)
                                     for s in schema.spans], keymap, columns=2))
        for rel in schema.relations:
            layout.addLayout(self._grid([(f"link:{rel.name}", f"Link {rel.name.lower()}",
                                          "", rel.key)], keymap, columns=1))
        self.entityToggle = QCheckBox("Underline named entities")
        self.entityToggle.setObjectName("entityToggle")
        self.entityToggle.setChecked(True)
        self.entityToggle.setToolTip("Ctrl+E")
        self.entityToggle.toggled.connect(self.entitiesToggled)
        layout.addWidget(self.entityToggle)
        self.entityLegend = QLabel()
        self.entityLegend.setObjectName("entityLegend")
        self.entityLegend.setWordWrap(True)
        self.entityLegend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.entityLegend)

    def _grid(self, rows: list[tuple[str, str, str, str]], keymap: Keymap,
              columns: int) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        for n, (action, name, color, key) in enumerate(rows):
            button = QToolButton()
            button.setObjectName(f"label:{action}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.setCheckable(action.startswith("block:"))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            if color:
                button.setIcon(swatch(color))
                button.setIconSize(QSize(12, 12))
            keys = keymap.keys(action)
            button.setText(f"{name}   {keys[0] if keys else key}")
            button.setToolTip(theme.tooltip(f"{name}: press {' or '.join(keys) or key}"))
            button.clicked.connect(lambda _=False, a=action: self.labelChosen.emit(a))
            self.buttons[action] = button
            grid.addWidget(button, n // columns, n % columns)
        return grid

    def set_current_block_label(self, label: str | None) -> None:
        """Check the button of the label the block under the cursor has."""
        for action, button in self.buttons.items():
            if action.startswith("block:"):
                button.setChecked(action == f"block:{label}")

    def set_entity_types(self, types: list[str]) -> None:
        """Show the entity types present in the document, in their underline colours."""
        if not types:
            self.entityLegend.setText("")
            return
        parts = [f'<span style="color:{theme.entity_color(t).name()}; '
                 f'text-decoration: underline">{html.escape(t)}</span>' for t in types]
        self.entityLegend.setText("&nbsp; ".join(parts))


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 0.92)
    label.setFont(font)
    label.setContentsMargins(0, 6, 0, 0)
    return label
