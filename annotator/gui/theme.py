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

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette

from annotator.core.vocabulary import Status

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

STATUS_COLORS = {Status.TODO: "#9e9e9e", Status.IN_PROGRESS: "#f9a825", Status.DONE: "#43a047",
                 Status.SKIPPED: "#8d6e63"}
STATUS_TEXT = {Status.TODO: "To do", Status.IN_PROGRESS: "In progress", Status.DONE: "Done",
               Status.SKIPPED: "Skipped"}


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    pal = pal or palette()
    return pal.color(QPalette.ColorRole.Base).lightness() < 128


def dark_palette() -> QPalette:
    """A dark palette for Fusion, for desktops whose style cannot draw one itself."""
    pal = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2d30"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1e1f22"),
        (roles.AlternateBase, "#2b2d30"), (roles.Text, "#e6e6e6"), (roles.Button, "#34363a"),
        (roles.ButtonText, "#e6e6e6"), (roles.BrightText, "#ffffff"),
        (roles.Highlight, "#3d6fa8"), (roles.HighlightedText, "#ffffff"),
        (roles.ToolTipBase, "#34363a"), (roles.ToolTipText, "#e6e6e6"),
        (roles.PlaceholderText, "#8c8f94"), (roles.Link, "#7fb0ef"),
        (roles.LinkVisited, "#b59cf0"), (roles.Mid, "#45484d"), (roles.Dark, "#18191b"),
        (roles.Light, "#4a4d52"), (roles.Shadow, "#0e0e0f"),
    ):
        pal.setColor(role, QColor(colour))
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7d82"))
    return pal


def follow_color_scheme(app: QGuiApplication) -> None:
    """Follow the desktop's light or dark scheme, now and when it changes.

    Qt's platform themes (GNOME, KDE, macOS, Windows 11) already hand over a matching
    palette. Where the desktop says dark but the style still paints light (the classic
    Windows style, a bare X11 session), Fusion with ``dark_palette`` stands in; an
    unknown scheme (no desktop to ask) leaves Qt's choice alone.
    """
    hints = app.styleHints()

    def apply() -> None:
        scheme = hints.colorScheme()
        if scheme == Qt.ColorScheme.Unknown:
            return
        wanted_dark = scheme == Qt.ColorScheme.Dark
        if wanted_dark == is_dark(app.palette()):
            return
        from PySide6.QtWidgets import QApplication

        if isinstance(app, QApplication):
            app.setStyle("Fusion")
            style = app.style()
            app.setPalette(dark_palette() if wanted_dark else style.standardPalette())

    apply()
    hints.colorSchemeChanged.connect(lambda _scheme: apply())


MIN_CONTRAST = 4.5  # WCAG AA for text: the legend prints the names in these colours


def entity_color(label: str) -> QColor:
    """The label's hue, moved towards the text colour until it stands out from the page:
    the same table serves a white page (where a light green or grey name would vanish)
    and a dark one (where a deep purple would)."""
    known = ENTITY_COLORS.get(label)
    base = QColor(known) if known else QColor.fromHsv(zlib.crc32(label.encode()) % 360, 160, 200)
    return readable(base)


def luminance(color: QColor) -> float:
    """WCAG relative luminance."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(color: QColor, pal: QPalette | None = None) -> QColor:
    """``color`` with at least ``MIN_CONTRAST`` against the palette's page colour."""
    pal = pal or palette()
    page = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    result = QColor(color)
    step = 0.0
    while contrast(result, page) < MIN_CONTRAST and step < 1.0:
        step += 0.1
        result = mix(color, text, step)
    return result


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
