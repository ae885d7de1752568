"""Colours and typography derived from the system palette, light or dark.

Nothing here hard-codes a background: span and entity colours come from the label
schema and are blended with the palette's base colour, so the same schema reads well on
a white page and on a dark one. Reading comfort matters more than decoration in a
screen people stare at all day: a calm sans-serif at a generous size, a measure of
about 75 characters, and colours light enough that black (or white) text stays legible
on them.
"""

from __future__ import annotations

import html
import zlib

from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette

READING_FAMILIES = ["Inter", "Segoe UI", "Noto Sans", "Source Sans 3", "Cantarell",
                    "Ubuntu", "Helvetica Neue", "Arial", "DejaVu Sans"]
DEFAULT_POINT_SIZE = 12.0
MEASURE_CHARS = 78  # the reading column's width in average characters

# Entity types spaCy's English models produce; anything else gets a stable hashed hue.
ENTITY_COLORS = {
    "PERSON": "#1e88e5", "ORG": "#43a047", "GPE": "#fb8c00", "LOC": "#f4511e",
    "NORP": "#8e24aa", "FAC": "#6d4c41", "EVENT": "#d81b60", "DATE": "#00897b",
    "TIME": "#00897b", "MONEY": "#7cb342", "PERCENT": "#7cb342", "QUANTITY": "#7cb342",
    "CARDINAL": "#9e9e9e", "ORDINAL": "#9e9e9e", "LAW": "#5e35b1", "PRODUCT": "#3949ab",
    "WORK_OF_ART": "#c0ca33", "LANGUAGE": "#039be5",
}

STATUS_COLORS = {"todo": "#9e9e9e", "in_progress": "#f9a825", "done": "#43a047",
                 "skipped": "#8d6e63"}
STATUS_TEXT = {"todo": "To do", "in_progress": "In progress", "done": "Done",
               "skipped": "Skipped"}


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    pal = pal or palette()
    return pal.color(QPalette.ColorRole.Base).lightness() < 128


def entity_color(label: str) -> QColor:
    known = ENTITY_COLORS.get(label)
    if known:
        return QColor(known)
    return QColor.fromHsv(zlib.crc32(label.encode()) % 360, 160, 200)


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def span_background(color: str | QColor, strong: bool = False) -> QColor:
    """A translucent wash of the label colour: overlapping spans stack visibly darker.

    Dark palettes get a lower alpha so light text keeps its contrast.
    """
    c = QColor(color)
    if strong:
        c.setAlpha(150 if is_dark() else 200)
    else:
        c.setAlpha(85 if is_dark() else 120)
    return c


def muted_text() -> QColor:
    """The grey of boilerplate text: readable, clearly secondary."""
    pal = palette()
    return mix(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.55)


def reading_font(point_size: float = DEFAULT_POINT_SIZE) -> QFont:
    font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
    font.setFamilies(READING_FAMILIES)
    font.setPointSizeF(point_size)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def heading_font(base: QFont, scale: float = 1.35) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def small_font(base: QFont, scale: float = 0.85) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(7.0, base.pointSizeF() * scale))
    return font


def tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally: Qt would otherwise guess that a string
    containing tags is HTML, and article text must never be interpreted."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
