"""The article: read-only canonical text with every annotation layer drawn over it.

Design choices, and why:

* ``QPlainTextEdit.setPlainText`` shows the canonical text exactly as stored (never as
  HTML) and lays out a 1 MB article quickly; its positions are UTF-16 units, converted
  to code-point offsets only through ``OffsetMap`` (``to_offset``/``to_position``).
* Layers are drawn as ExtraSelections computed by one sweep over all layer boundaries:
  each stretch of text gets exactly one format that combines everything covering it
  (boilerplate grey, span washes blended where spans overlap, the underline of a
  pending suggestion or an entity). Non-overlapping selections mean each glyph is
  drawn once, and overlaps are visible as a distinct blended colour.
* Blocks are shown in a gutter left of the text: a bar spanning each block (so a
  hard-wrapped paragraph reads as one unit) and a chip with its label; a pending block
  suggestion is an outlined chip with a question mark. The block under the cursor gets
  a faint band, because block keys act on it.
* The text sits in a centred column about 78 characters wide, for comfortable reading.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
)

from annotator.core.offsets import OffsetMap
from annotator.core.schema import Schema
from annotator.core.snap import block_at, blocks_in_range
from annotator.gui import theme
from annotator.services.annotation import OpenedDocument
from annotator.store.annotations import Annotations, RelationData, SpanData
from annotator.store.suggestions import SuggestionRow

DOCUMENT_MARGIN = 18
# Articles up to this size get every layer materialised at once; longer ones only
# around what is on screen (re-materialised while scrolling), so a 1 MB article does
# not hold tens of thousands of live text cursors.
WHOLE_DOCUMENT_CHARS = 150_000
WINDOW_MARGIN_CHARS = 40_000


@dataclass(frozen=True, slots=True)
class _Item:
    """One thing drawn over the text, in code points."""

    start: int
    end: int
    kind: str  # grey | greyish | span | sugg | entity
    key: str  # label (and for spans the uid in ``uid``)
    uid: str = ""


class ArticleView(QPlainTextEdit):
    """Shows one document; reports clicks on spans; knows offsets under the cursor."""

    spanClicked = Signal(object, bool)  # span uid or None, additive (Ctrl held)
    currentBlockChanged = Signal(object)  # block index or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema: Schema | None = None
        self._current_block: int | None = None
        self._gutter = _Gutter(self)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setCursorWidth(2)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setUndoRedoEnabled(False)  # the app's undo stack is the only undo
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        self._items_cache: list[_Item] = []
        self._window = (0, 0)  # code-point range whose layers are materialised
        self.setFont(theme.reading_font())
        self.text = ""
        self.omap = OffsetMap("")
        self.blocks: list[tuple[int, int]] = []
        self._block_starts_u16: list[int] = []
        self._block_ends_u16: list[int] = []
        self.annotations = Annotations()
        self.suggestions: list[SuggestionRow] = []
        self.block_suggestions: dict[int, SuggestionRow] = {}
        self.selected: list[str] = []
        self.selected_relation: str | None = None
        self.show_entities = True
        self._press_pos: QPoint | None = None
        self.setAutoFillBackground(True)
        self.cursorPositionChanged.connect(self._cursor_moved)
        self.updateRequest.connect(self._gutter_follow)
        self._apply_palette()
        self._relayout()

    # -- loading ---------------------------------------------------------------------
    def show_document(self, opened: OpenedDocument | None, schema: Schema) -> None:
        """Show a document with all its layers; ``None`` shows an empty page."""
        self.schema = schema
        self.text = opened.text if opened else ""
        self.omap = OffsetMap(self.text)
        self.blocks = [(s, e) for _, s, e in opened.blocks] if opened else []
        self._block_starts_u16 = [self.omap.to_utf16(s) for s, _ in self.blocks]
        self._block_ends_u16 = [self.omap.to_utf16(e) for _, e in self.blocks]
        self.selected = []
        self.selected_relation = None
        self._current_block = None
        self.setExtraSelections([])
        self._window = (0, 0)
        # A fresh QTextDocument per article: cursors held for the previous article's
        # layers die with its document instead of being updated through a 1 MB edit.
        doc = QTextDocument(self)
        doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
        doc.setUndoRedoEnabled(False)  # the app's undo stack is the only undo
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(DOCUMENT_MARGIN)
        doc.setPlainText(self.text)  # plain text: never interpreted as HTML
        old = self.document()
        ours = old is not None and old.parent() is self  # Qt deletes its own default one
        self.setDocument(doc)
        if ours:
            old.deleteLater()
        self.set_layers(opened.annotations if opened else Annotations(),
                        opened.suggestions if opened else [])
        self._cursor_moved()

    def set_layers(self, annotations: Annotations, suggestions: list[SuggestionRow]) -> None:
        self.annotations = annotations
        self.suggestions = [s for s in suggestions if s.verdict is None or s.layer == "entity"]
        self.block_suggestions = {}
        for sug in self.suggestions:
            if sug.layer == "block":
                index = sug.attrs.get("block_index", sug.attrs.get("block"))
                if not isinstance(index, int):
                    index = block_at(self.blocks, sug.start)
                if index is not None and 0 <= index < len(self.blocks):
                    self.block_suggestions.setdefault(index, sug)
        known = {s.uid for s in annotations.spans}
        self.selected = [u for u in self.selected if u in known]
        rel_uids = {r.uid for r in annotations.relations}
        if self.selected_relation not in rel_uids:
            self.selected_relation = None
        self.redraw()

    def set_selected(self, uids: Iterable[str], relation: str | None = None) -> None:
        """Spans picked for linking or editing; their linked spans are highlighted."""
        self.selected = list(uids)
        self.selected_relation = relation
        self._materialise(force=True)

    def set_show_entities(self, show: bool) -> None:
        self.show_entities = show
        self.redraw()

    # -- offsets at the edge -----------------------------------------------------------
    def to_offset(self, position: int) -> int:
        return self.omap.to_codepoint(position)

    def to_position(self, offset: int) -> int:
        return self.omap.to_utf16(offset)

    def selection_range(self) -> tuple[int, int] | None:
        """The selected text as code-point offsets, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (self.to_offset(cursor.selectionStart()), self.to_offset(cursor.selectionEnd()))

    def cursor_offset(self) -> int:
        return self.to_offset(self.textCursor().position())

    def current_block(self) -> int | None:
        return block_at(self.blocks, self.cursor_offset())

    def target_blocks(self) -> list[int]:
        """The blocks a block key acts on: every block in the selection, or the one
        under the cursor."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            s, e = self.selection_range() or (0, 0)
            return blocks_in_range(self.blocks, s, e)
        found = self.current_block()
        return [] if found is None else [found]

    def spans_at(self, offset: int) -> list[SpanData]:
        """Spans covering ``offset``, innermost (shortest) first. A cursor just after a
        span's last character still counts, as that is where a click lands."""
        hits = [s for s in self.annotations.spans if s.start <= offset <= s.end]
        strict = [s for s in hits if s.start <= offset < s.end]
        return sorted(strict or hits, key=lambda s: (s.end - s.start, s.start))

    def span_under_cursor(self) -> SpanData | None:
        offset = self.cursor_offset()
        hits = self.spans_at(offset)
        chosen = [s for s in hits if s.uid in self.selected]
        return (chosen or hits or [None])[0]

    def suggestion_under_cursor(self) -> SuggestionRow | None:
        """A pending span-level suggestion under the cursor, else the pending block
        suggestion of the block under the cursor."""
        offset = self.cursor_offset()
        spans = [s for s in self.suggestions if s.layer in ("claim", "attribution")
                 and s.verdict is None and s.start <= offset <= s.end]
        if spans:
            return min(spans, key=lambda s: s.end - s.start)
        block = self.current_block()
        return self.block_suggestions.get(block) if block is not None else None

    def pending(self) -> list[SuggestionRow]:
        """Pending reviewable suggestions in text order (F8 walks through them)."""
        return sorted((s for s in self.suggestions if s.layer != "entity"
                       and s.verdict is None), key=lambda s: (s.start, s.end))

    def move_to(self, offset: int, end: int | None = None) -> None:
        """Put the cursor at ``offset`` (selecting up to ``end``) and show it."""
        cursor = self.textCursor()
        cursor.setPosition(self.to_position(offset))
        if end is not None:
            cursor.setPosition(self.to_position(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def move_to_block(self, index: int) -> None:
        if 0 <= index < len(self.blocks):
            self.move_to(self.blocks[index][0])

    # -- drawing ---------------------------------------------------------------------
    def _colors(self) -> dict[str, str]:
        if self.schema is None:
            return {}
        return {label.name: label.color for label in [*self.schema.spans, *self.schema.blocks]}

    def _items(self) -> list[_Item]:
        schema = self.schema
        items: list[_Item] = []
        if schema is None:
            return items
        boiler = schema.boilerplate_names
        for index, (start, end) in enumerate(self.blocks):
            label = self.annotations.blocks.get(index)
            if label in boiler:
                items.append(_Item(start, end, "grey", label))
            elif label is None and index in self.block_suggestions:
                sug = self.block_suggestions[index]
                if sug.label in boiler:
                    items.append(_Item(start, end, "greyish", sug.label))
        for span in self.annotations.spans:
            items.append(_Item(span.start, span.end, "span", span.label, span.uid))
        for sug in self.suggestions:
            if sug.layer == "claim" and sug.verdict is None:
                items.append(_Item(sug.start, sug.end, "sugg", sug.label, str(sug.id)))
            elif sug.layer == "attribution" and sug.verdict is None:
                # Each part in its own label's colour; the whole if parts are missing.
                parts = [(sug.attrs.get(k), label) for k, label in
                         (("source", "SOURCE"), ("cue", "CUE"), ("content", "CONTENT"))]
                drawn = False
                for pair, label in parts:
                    if isinstance(pair, list | tuple) and len(pair) == 2:
                        items.append(_Item(int(pair[0]), int(pair[1]), "sugg", label,
                                           str(sug.id)))
                        drawn = True
                if not drawn:
                    items.append(_Item(sug.start, sug.end, "sugg", "SOURCE", str(sug.id)))
            elif sug.layer == "entity" and self.show_entities:
                items.append(_Item(sug.start, sug.end, "entity", sug.label))
        return items

    def linked_uids(self) -> set[str]:
        """Spans linked (by a relation) to the selected spans or the selected relation."""
        chosen = set(self.selected)
        out: set[str] = set()
        for rel in self.annotations.relations:
            parts = {rel.head, rel.child, rel.cue} - {None}
            if rel.uid == self.selected_relation or chosen & parts:
                out |= parts  # type: ignore[arg-type]
        return out - chosen

    def redraw(self) -> None:
        """Recompute the layers (after labels, suggestions or the toggle changed)."""
        items = [i for i in self._items() if i.start < i.end]
        items.sort(key=lambda i: i.start)
        self._items_cache = items
        self._materialise(force=True)

    def _visible_range(self) -> tuple[int, int]:
        """Code-point range currently on screen (roughly: whole lines)."""
        top = self.cursorForPosition(QPoint(0, 0)).position()
        bottom = self.cursorForPosition(QPoint(self.viewport().width(),
                                               self.viewport().height())).position()
        return self.to_offset(top), self.to_offset(bottom)

    def _materialise(self, force: bool = False) -> None:
        """Turn the layers inside the window around the screen into ExtraSelections.

        One sweep over the boundaries of every item in the window: each stretch of text
        gets exactly one format that combines all that covers it.
        """
        n = len(self.text)
        if n <= WHOLE_DOCUMENT_CHARS:
            window = (0, n)
        else:
            lo, hi = self._visible_range()
            if not force and self._window[0] <= lo and hi <= self._window[1]:
                return
            window = (max(0, lo - WINDOW_MARGIN_CHARS), min(n, hi + WINDOW_MARGIN_CHARS))
        self._window = window
        w0, w1 = window
        items = [i for i in self._items_cache if i.start < w1 and i.end > w0]
        selected = set(self.selected)
        linked = self.linked_uids()
        if self.selected_relation:
            selected |= linked
            linked = set()
        colors = self._colors()
        bounds: dict[int, tuple[list[_Item], list[_Item]]] = {}
        for item in items:
            bounds.setdefault(max(item.start, w0), ([], []))[0].append(item)
            bounds.setdefault(min(item.end, w1), ([], []))[1].append(item)
        active: dict[int, _Item] = {}
        cache: dict[tuple, QTextCharFormat] = {}
        doc = self.document()
        to_utf16 = self.omap.to_utf16
        out: list[QTextEdit.ExtraSelection] = []
        runs: list[list] = []  # [start, end, format] of consecutive stretches
        points = sorted(bounds)
        for k, point in enumerate(points):
            starting, ending = bounds[point]
            for item in ending:
                active.pop(id(item), None)
            for item in starting:
                active[id(item)] = item
            if not active or k + 1 >= len(points):
                continue
            key = _format_key(active.values(), selected, linked)
            fmt = cache.get(key)
            if fmt is None:
                fmt = cache[key] = _make_format(key, colors)
            if runs and runs[-1][1] == point and runs[-1][2] == fmt:
                # Qt skips the second of two touching selections with equal formats
                # (seen with 6.11/6.12), so touching equal stretches become one.
                runs[-1][1] = points[k + 1]
            else:
                runs.append([point, points[k + 1], fmt])
        for start, end, fmt in runs:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(to_utf16(start))
            cursor.setPosition(to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor  # type: ignore[attr-defined]
            sel.format = fmt  # type: ignore[attr-defined]
            out.append(sel)
        self.setExtraSelections(out)
        self._gutter.update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if len(self.text) > WHOLE_DOCUMENT_CHARS:
            self._materialise()

    def paintEvent(self, event: QPaintEvent) -> None:
        # The faint band behind the block under the cursor, painted under the text.
        index = self._current_block
        if index is not None and index < len(self.blocks) and self.text:
            top = self._block_rect(index)
            if top is not None:
                painter = QPainter(self.viewport())
                band = theme.mix(self.palette().color(QPalette.ColorRole.Base),
                                 self.palette().color(QPalette.ColorRole.Highlight), 0.07)
                painter.fillRect(QRectF(0, top[0] - 2, self.viewport().width(),
                                        top[1] - top[0] + 4), band)
                painter.end()
        super().paintEvent(event)

    def _block_rect(self, index: int) -> tuple[float, float] | None:
        """Viewport y-range of annotator block ``index`` (clipped to what is laid out)."""
        doc = self.document()
        first = doc.findBlock(self._block_starts_u16[index])
        last = doc.findBlock(self._block_ends_u16[index])
        if not first.isValid() or not last.isValid():
            return None
        offset = self.contentOffset()
        y0 = self.blockBoundingGeometry(first).translated(offset).top()
        y1 = self.blockBoundingGeometry(last).translated(offset).bottom()
        return y0, y1

    # -- events ----------------------------------------------------------------------
    def _cursor_moved(self) -> None:
        index = self.current_block() if self.blocks else None
        if index != self._current_block:
            self._current_block = index
            self.viewport().update()
            self._gutter.update()
            self.currentBlockChanged.emit(index)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        if (pos - press).manhattanLength() > 3 or self.textCursor().hasSelection():
            return  # a drag selects text; only a click picks spans
        offset = self.to_offset(self.cursorForPosition(pos).position())
        hits = self.spans_at(offset)
        additive = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        self.spanClicked.emit(hits[0].uid if hits else None, additive)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            offset = self.to_offset(self.cursorForPosition(pos).position())
            text = self.describe(offset)
            if text:
                QToolTip.showText(event.globalPos(),  # type: ignore[attr-defined]
                                  theme.tooltip(text), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def describe(self, offset: int) -> str:
        """Plain-text lines for the tooltip: what covers ``offset``."""
        lines: list[str] = []
        block = block_at(self.blocks, offset)
        if block is not None:
            label = self.annotations.blocks.get(block)
            lines.append(f"Block {block + 1}: {label or 'not labelled'}")
            sug = self.block_suggestions.get(block)
            if sug is not None and sug.verdict is None:
                lines.append(f"Suggested: {sug.label} (Enter accepts, Backspace rejects)")
        for span in self.spans_at(offset):
            attrs = ", ".join(f"{k}={v}" for k, v in span.attrs.items())
            lines.append(f"{span.label}" + (f" ({attrs})" if attrs else ""))
        for sug in self.suggestions:
            if sug.start <= offset < sug.end and sug.layer != "block":
                if sug.layer == "entity":
                    if self.show_entities:
                        lines.append(f"Entity: {sug.label}")
                else:
                    lines.append(f"Suggested {sug.layer}: {sug.label} "
                                 f"(score {sug.score:.2f}; Enter accepts, Backspace rejects)")
        return "\n".join(lines)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_palette()
            self.redraw()
        elif event.type() == QEvent.Type.FontChange:
            self.document().setDefaultFont(self.font())
            self._relayout()

    def _apply_palette(self) -> None:
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        if pal.color(QPalette.ColorRole.Window) != base:
            pal.setColor(QPalette.ColorRole.Window, base)  # margins look like the page
            self.setPalette(pal)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self) -> None:
        """Centre a reading column of about ``MEASURE_CHARS`` characters; the gutter
        sits immediately left of it."""
        gutter = self._gutter.preferred_width()
        rect = self.contentsRect()
        measure = (QFontMetrics(self.font()).averageCharWidth() * theme.MEASURE_CHARS
                   + 2 * int(self.document().documentMargin()))
        spare = max(0, rect.width() - gutter - measure - self.verticalScrollBar().sizeHint().width())
        left = spare // 2
        self.setViewportMargins(left + gutter, 0, spare - left, 0)
        self._gutter.setGeometry(QRect(rect.left() + left, rect.top(), gutter, rect.height()))

    def _gutter_follow(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    # -- gutter support ----------------------------------------------------------------
    def visible_block_segments(self) -> list[tuple[int, float, float, bool]]:
        """(annotator block index, top, bottom, is its first line) for each visible Qt
        text block that belongs to an annotator block, in viewport coordinates."""
        out: list[tuple[int, float, float, bool]] = []
        if not self.blocks:
            return out
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > height:
                break
            pos = block.position()
            end = pos + block.length() - 1
            i = bisect_right(self._block_starts_u16, end) - 1
            if i >= 0 and self._block_ends_u16[i] >= pos and block.isVisible():
                first = self._block_starts_u16[i] >= pos
                out.append((i, geo.top(), geo.bottom(), first))
            block = block.next()
        return out


def _format_key(active: Iterable[_Item], selected: set[str], linked: set[str]) -> tuple:
    grey = ""
    spans: list[tuple[str, int]] = []  # (label, strength 0 normal, 1 linked, 2 selected)
    sugg = ""
    entity = ""
    for item in active:
        if item.kind == "grey":
            grey = "grey"
        elif item.kind == "greyish" and not grey:
            grey = "greyish"
        elif item.kind == "span":
            strength = 2 if item.uid in selected else 1 if item.uid in linked else 0
            spans.append((item.key, strength))
        elif item.kind == "sugg":
            sugg = item.key
        elif item.kind == "entity":
            entity = item.key
    return grey, tuple(sorted(spans)), sugg, entity


def _make_format(key: tuple, colors: dict[str, str]) -> QTextCharFormat:
    grey, spans, sugg, entity = key
    fmt = QTextCharFormat()
    pal = theme.palette()
    if grey:
        base_text = pal.color(QPalette.ColorRole.Text)
        amount = 0.55 if grey == "grey" else 0.3
        fmt.setForeground(theme.mix(base_text, pal.color(QPalette.ColorRole.Base), amount))
    if spans:
        # Blend the washes: alpha adds up like stacked glass, hue is their average.
        remaining = 1.0
        r = g = b = weight = 0.0
        for label, strength in spans:
            c = theme.span_background(colors.get(label, "#cccccc"), strong=strength > 0)
            a = c.alphaF()
            remaining *= 1 - a
            r, g, b, weight = r + c.redF() * a, g + c.greenF() * a, b + c.blueF() * a, weight + a
        color = QColor.fromRgbF(r / weight, g / weight, b / weight, 1 - remaining)
        fmt.setBackground(QBrush(color))
        strongest = max(s for _, s in spans)
        if strongest:
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline
                                  if strongest == 2 else QTextCharFormat.UnderlineStyle.DashUnderline)
            fmt.setUnderlineColor(pal.color(QPalette.ColorRole.Highlight))
            return fmt
    if sugg:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        # Machine suggestions: a wavy underline only, so a page full of them stays calm
        # and is never mistaken for the annotator's own (washed) spans.
        fmt.setUnderlineColor(theme.mix(QColor(colors.get(sugg, "#888888")),
                                        pal.color(QPalette.ColorRole.Text), 0.2))
    elif entity:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(theme.entity_color(entity))
    return fmt


class _Gutter(QWidget):
    """Block bars and labels left of the text; a click moves the cursor to a block."""

    def __init__(self, view: ArticleView) -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("blockGutter")
        self.setMouseTracking(True)

    def preferred_width(self) -> int:
        names = self.view.schema.block_names if self.view.schema else ["navigation"]
        fm = QFontMetrics(theme.small_font(self.view.font()))
        return max(fm.horizontalAdvance(n + "?") for n in names) + 30

    def sizeHint(self) -> QSize:
        return QSize(self.preferred_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        view = self.view
        schema = view.schema
        painter = QPainter(self)
        pal = view.palette()
        painter.fillRect(event.rect(), pal.color(QPalette.ColorRole.Base))
        if schema is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = theme.small_font(view.font())
        painter.setFont(font)
        fm = QFontMetrics(font)
        text_color = pal.color(QPalette.ColorRole.Text)
        faint = theme.mix(text_color, pal.color(QPalette.ColorRole.Base), 0.8)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        bar_x = self.width() - 8
        current = view._current_block
        for index, top, bottom, first in view.visible_block_segments():
            label = view.annotations.blocks.get(index)
            sug = view.block_suggestions.get(index) if label is None else None
            color = QColor(schema.block(label).color) if label else faint
            if label == "content" or (label and color.lightness() > 235):
                color = theme.mix(text_color, pal.color(QPalette.ColorRole.Base), 0.6)
            pen = QPen(highlight if index == current else color, 3 if index == current else 2)
            if sug is not None:
                pen.setColor(QColor(schema.block(sug.label).color) if sug.label in
                             schema.block_names else faint)
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(bar_x, int(top) + 3, bar_x, int(bottom) - 3)
            if not first:
                continue
            name = label or (f"{sug.label}?" if sug is not None else "")
            if not name:
                continue
            width = fm.horizontalAdvance(name) + 10
            chip = QRectF(bar_x - 6 - width, top + 3, width, fm.height() + 2)
            chip_color = QColor(schema.block(label).color if label else
                                (schema.block(sug.label).color
                                 if sug and sug.label in schema.block_names else "#999999"))
            if label:
                fill = QColor(chip_color)
                fill.setAlpha(60 if label == "content" else 110)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRoundedRect(chip, 4, 4)
                painter.setPen(text_color)
            else:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                dashed = QPen(chip_color, 1, Qt.PenStyle.DashLine)
                painter.setPen(dashed)
                painter.drawRoundedRect(chip, 4, 4)
                painter.setPen(theme.mix(text_color, pal.color(QPalette.ColorRole.Base), 0.3))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, name)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        y = event.position().y()
        for index, top, bottom, _ in self.view.visible_block_segments():
            if top <= y <= bottom:
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    here = self.view.current_block()
                    if here is not None:
                        lo, hi = sorted((here, index))
                        self.view.move_to(self.view.blocks[lo][0], self.view.blocks[hi][1])
                        break
                self.view.move_to_block(index)
                break
        self.view.setFocus()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            y = event.pos().y()  # type: ignore[attr-defined]
            for index, top, bottom, _ in self.view.visible_block_segments():
                if top <= y <= bottom:
                    start = self.view.blocks[index][0]
                    QToolTip.showText(event.globalPos(),  # type: ignore[attr-defined]
                                      theme.tooltip(self.view.describe(start)), self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)


def relation_summary(rel: RelationData, spans: dict[str, SpanData], text: str,
                     limit: int = 40) -> str:
    """One line for an attribution: "source → content (cue)"."""
    def clip(uid: str | None) -> str:
        if uid is None or uid not in spans:
            return "?"
        s = spans[uid]
        piece = " ".join(text[s.start:s.end].split())
        return piece if len(piece) <= limit else piece[: limit - 1] + "…"

    cue = f"  [{clip(rel.cue)}]" if rel.cue else ""
    return f"{clip(rel.head)} → {clip(rel.child)}{cue}"
