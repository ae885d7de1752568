"""The article: read-only canonical text with every annotation layer drawn over it.

Design choices, and why:

* The view lays out ``core.layers.display_text``: the canonical text with each hard
  line break *inside* a block shown as a space, so wire copy flows as paragraphs. It
  has the canonical text's length, so positions mean the same characters; positions
  are UTF-16 units, converted to code-point offsets only through ``OffsetMap``
  (``to_offset``/``to_position``). A paragraph that is not followed by a blank line
  gets some space below it (``_ParagraphLayout``), so paragraphs never run together.
* Each layer has a channel of its own, so overlapping layers all stay readable
  (``core.layers`` computes the runs): boilerplate greys the text colour of its whole
  block, spans are a background wash, entities a coloured underline. These are set as
  the text layout's own formats (as a syntax highlighter does), so what is drawn can
  be read back from the document.
* Machine suggestions are a dotted outline in their label's colour, picked spans a
  solid outline, attributions an arrow from the source to what it attributes; all are
  painted over the text, so they never take a format away from another layer. The
  suggestion under review (the list's selection, F8, or the caret) is tinted.
* Blocks are shown in a gutter left of the text: one bar spanning each block and a
  chip with its label; a pending block suggestion is an outlined chip with a question
  mark. The block under the cursor gets a faint band, because block keys act on it.
* The text sits in a centred column about 78 characters wide, for comfortable reading.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
)

from annotator.core import layers
from annotator.core.layers import Layer, Look
from annotator.core.model import Annotations, RelationData, SpanData, SuggestionRow
from annotator.core.offsets import OffsetMap
from annotator.core.schema import Schema
from annotator.core.snap import block_at, blocks_in_range
from annotator.core.suggestion_payload import AttributionPayload
from annotator.gui import theme
from annotator.services.annotation import OpenedDocument

DOCUMENT_MARGIN = 18
# Articles up to this size get every layer materialised at once; longer ones only
# around what is on screen (re-materialised while scrolling), so a 1 MB article does
# not hold tens of thousands of live text cursors.
WHOLE_DOCUMENT_CHARS = 150_000
WINDOW_MARGIN_CHARS = 40_000


# Attribution arrows are drawn while both ends lie within this many characters of the
# screen (Qt finds a block's position by walking the blocks between).
ARROW_REACH = 20_000
# A paragraph directly followed by the next one (wire copy) gets this much of a line
# as space below it.
PARAGRAPH_SPACING = 0.6
# User state of a Qt text block that ends a paragraph directly followed by another.
PARAGRAPH_END = 1


class _ParagraphLayout(QPlainTextDocumentLayout):
    """Plain-text layout with space below paragraphs that have no blank line after them.

    ``QPlainTextDocumentLayout`` ignores block margins; its block rectangles are what
    the editor paints, scrolls and hit-tests by, so growing them is enough.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.spacing = 0.0

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:  # noqa: N802 (Qt override)
        rect = super().blockBoundingRect(block)
        if self.spacing and block.userState() == PARAGRAPH_END:
            rect.setHeight(rect.height() + self.spacing)
        return rect

    def extra(self, block: QTextBlock) -> float:
        return self.spacing if block.userState() == PARAGRAPH_END else 0.0


class ArticleView(QPlainTextEdit):
    """Shows one document; reports clicks on spans; knows offsets under the cursor."""

    spanClicked = Signal(object, bool)  # span uid or None, additive (Ctrl held)
    currentBlockChanged = Signal(object)  # block index or None
    currentSuggestionChanged = Signal(object)  # suggestion id or None

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
        self._layers: list[Layer] = []
        self._marks: list[tuple[int, int, str, int]] = []  # suggestion outlines
        self._formatted: dict[int, tuple] = {}  # Qt block number -> its format runs
        self._formats: dict[Look, QTextCharFormat] = {}
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
        self._pending: list[SuggestionRow] = []
        self.selected: list[str] = []
        self.selected_relation: str | None = None
        self.current_suggestion: int | None = None
        self._placing = False  # moving the caret to a suggestion chosen elsewhere
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
        self.current_suggestion = None
        self._current_block = None
        self.setExtraSelections([])
        self._window = (0, 0)
        self._formatted = {}
        # A fresh QTextDocument per article: cursors held for the previous article's
        # layers die with its document instead of being updated through a 1 MB edit.
        doc = QTextDocument(self)
        layout = _ParagraphLayout(doc)
        doc.setDocumentLayout(layout)
        doc.setUndoRedoEnabled(False)  # the app's undo stack is the only undo
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(DOCUMENT_MARGIN)
        # Plain text, never interpreted as HTML; breaks inside a block shown as spaces.
        doc.setPlainText(layers.display_text(self.text, self.blocks))
        self._mark_paragraph_ends(doc)
        old = self.document()
        ours = old is not None and old.parent() is self  # Qt deletes its own default one
        self.setDocument(doc)
        if ours:
            old.deleteLater()
        self._set_spacing()
        self.set_layers(opened.annotations if opened else Annotations(),
                        opened.suggestions if opened else [])
        self._cursor_moved()

    def _mark_paragraph_ends(self, doc: QTextDocument) -> None:
        """Flag the Qt blocks that end an annotator block directly followed by text."""
        for end in self._block_ends_u16:
            block = doc.findBlock(end)
            if not block.isValid():
                continue
            # The block holding the block's end ends the paragraph when the next Qt
            # block (if any) is not blank: only then is there no space between them.
            if block.position() + block.length() - 1 > end:
                continue  # the next annotator block starts on the same line
            after = block.next()
            if after.isValid() and after.length() > 1:
                block.setUserState(PARAGRAPH_END)

    def _set_spacing(self) -> None:
        layout = self.document().documentLayout()
        if isinstance(layout, _ParagraphLayout):
            layout.spacing = round(QFontMetrics(self.font()).lineSpacing() * PARAGRAPH_SPACING)

    def set_layers(self, annotations: Annotations, suggestions: list[SuggestionRow]) -> None:
        self.annotations = annotations
        self.suggestions = [s for s in suggestions if s.verdict is None or s.layer == "entity"]
        self.block_suggestions = {}
        for sug in self.suggestions:
            if sug.layer == "block":
                index = _block_index(sug, self.blocks)
                if index is not None and index not in annotations.blocks:
                    # A block labelled by key has settled its suggestion.
                    self.block_suggestions.setdefault(index, sug)
        self._pending = self._find_pending()
        known = {s.uid for s in annotations.spans}
        self.selected = [u for u in self.selected if u in known]
        rel_uids = {r.uid for r in annotations.relations}
        if self.selected_relation not in rel_uids:
            self.selected_relation = None
        self.redraw()
        if self.current_suggestion is not None and self.suggestion(self.current_suggestion) is None:
            # Reviewed (or settled by a block key): review moves to what the caret is in.
            under = self.suggestion_under_cursor()
            self.set_current_suggestion(under.id if under is not None else None)

    def set_selected(self, uids: Iterable[str], relation: str | None = None) -> None:
        """Spans picked for linking or editing; their linked spans are highlighted."""
        self.selected = list(uids)
        self.selected_relation = relation
        self._materialise(force=True)
        self.viewport().update()

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

    # -- suggestions under review --------------------------------------------------------
    def suggestion(self, sid: int) -> SuggestionRow | None:
        """A pending, reviewable suggestion by id (None once reviewed or settled)."""
        return next((s for s in self._pending if s.id == sid), None)

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
        """Pending reviewable suggestions in text order (F8 walks through them); block
        suggestions of blocks already labelled are settled, so not listed."""
        return list(self._pending)

    def _find_pending(self) -> list[SuggestionRow]:
        shown = {id(s) for s in self.block_suggestions.values()}
        return sorted((s for s in self.suggestions if s.layer != "entity" and s.verdict is None
                       and (s.layer != "block" or id(s) in shown)),
                      key=lambda s: (s.start, s.end, s.id))

    def set_current_suggestion(self, sid: int | None, place_caret: bool = False) -> None:
        """Make ``sid`` the suggestion under review: tinted in the text, the one Enter
        and Backspace act on. With ``place_caret`` the caret moves to it too."""
        sug = self.suggestion(sid) if sid is not None else None
        if sug is not None and place_caret:
            self._placing = True
            try:
                self.move_to(sug.start)
            finally:
                self._placing = False
        new = sug.id if sug is not None else None
        changed = new != self.current_suggestion
        self.current_suggestion = new
        self._draw_current_suggestion()
        if changed:
            self.currentSuggestionChanged.emit(new)

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

    def _format_layers(self) -> list[Layer]:
        """Block greys, span washes and entity underlines (see ``core.layers``)."""
        schema = self.schema
        out: list[Layer] = []
        if schema is None:
            return out
        boiler = schema.boilerplate_names
        for index, (start, end) in enumerate(self.blocks):
            label = self.annotations.blocks.get(index)
            if label in boiler:
                out.append(Layer(start, end, layers.GREY, label))
            elif label is None and index in self.block_suggestions:
                sug = self.block_suggestions[index]
                if sug.label in boiler:
                    out.append(Layer(start, end, layers.GREYISH, sug.label))
        for span in self.annotations.spans:
            out.append(Layer(span.start, span.end, layers.SPAN, span.label, span.uid))
        if self.show_entities:
            for sug in self.suggestions:
                if sug.layer == "entity":
                    out.append(Layer(sug.start, sug.end, layers.ENTITY, sug.label))
        return out

    def _suggestion_marks(self) -> list[tuple[int, int, str, int]]:
        """(start, end, label, id) of each pending span-level suggestion's outlined
        parts: an attribution's source, cue and content each in its label's colour."""
        marks: list[tuple[int, int, str, int]] = []
        for sug in self.pending():
            if sug.layer == "block":
                continue  # shown in the gutter and by the block's grey
            marks.extend((s, e, label, sug.id) for s, e, label in _parts(sug))
        return sorted(m for m in marks if m[0] < m[1])

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
        self._layers = self._format_layers()
        self._marks = self._suggestion_marks()
        self._materialise(force=True)
        self._draw_current_suggestion()
        self.viewport().update()

    def _visible_range(self) -> tuple[int, int]:
        """Code-point range currently on screen (roughly: whole lines)."""
        top = self.cursorForPosition(QPoint(0, 0)).position()
        bottom = self.cursorForPosition(QPoint(self.viewport().width(),
                                               self.viewport().height())).position()
        return self.to_offset(top), self.to_offset(bottom)

    def _materialise(self, force: bool = False) -> None:
        """Set the layers inside the window around the screen as the formats of the
        text layout of each Qt block they touch; only blocks whose runs changed are
        laid out again."""
        n = len(self.text)
        if n <= WHOLE_DOCUMENT_CHARS:
            window = (0, n)
        else:
            lo, hi = self._visible_range()
            if not force and self._window[0] <= lo and hi <= self._window[1]:
                return
            window = (max(0, lo - WINDOW_MARGIN_CHARS), min(n, hi + WINDOW_MARGIN_CHARS))
        self._window = window
        selected = set(self.selected)
        linked = self.linked_uids()
        if self.selected_relation:
            selected |= linked
            linked = set()
        runs = layers.sweep(self._layers, window[0], window[1], selected, linked)
        doc = self.document()
        to_utf16 = self.omap.to_utf16
        wanted: dict[int, list[tuple[int, int, Look]]] = {}
        block = doc.begin()
        for run in runs:
            start, end = to_utf16(run.start), to_utf16(run.end)
            if not (block.position() <= start < block.position() + block.length()):
                block = doc.findBlock(start)
            while block.isValid() and start < end:
                pos = block.position()
                stop = min(end, pos + block.length() - 1)
                if stop > start:
                    wanted.setdefault(block.blockNumber(), []).append(
                        (start - pos, stop - start, run.look))
                start = max(stop, pos + block.length())
                if start < end:
                    block = block.next()
        colors = self._colors()
        for number in set(self._formatted) | set(wanted):
            new = tuple(wanted.get(number, ()))
            if self._formatted.get(number, ()) == new:
                continue
            target = doc.findBlockByNumber(number)
            if not target.isValid():
                continue
            ranges = []
            for start, length, look in new:
                fmt = self._formats.get(look)
                if fmt is None:
                    fmt = self._formats[look] = _make_format(look, colors)
                r = QTextLayout.FormatRange()
                r.start, r.length, r.format = start, length, fmt
                ranges.append(r)
            target.layout().setFormats(ranges)
            doc.markContentsDirty(target.position(), target.length())
            if new:
                self._formatted[number] = new
            else:
                self._formatted.pop(number, None)
        self._gutter.update()

    def drawn_look(self, offset: int) -> QTextCharFormat:
        """The format the text layout holds for the character at ``offset`` (what the
        screen shows; the default format where no layer covers it)."""
        position = self.to_position(offset)
        block = self.document().findBlock(position)
        inside = position - block.position()
        for r in block.layout().formats():
            if r.start <= inside < r.start + r.length:
                return QTextCharFormat(r.format)  # a copy: the range is a temporary
        return QTextCharFormat()

    def _draw_current_suggestion(self) -> None:
        """Tint the parts of the suggestion under review (kept as extra selections)."""
        out: list[QTextEdit.ExtraSelection] = []
        sug = self.suggestion(self.current_suggestion) if self.current_suggestion else None
        if sug is not None:
            colors = self._colors()
            parts = _parts(sug) if sug.layer != "block" else [(sug.start, sug.end, sug.label)]
            if sug.layer == "block":
                index = _block_index(sug, self.blocks)
                if index is not None:
                    parts = [(*self.blocks[index], sug.label)]
            for start, end, label in sorted(parts):
                if start >= end:
                    continue
                tint = QColor(colors.get(label, "#888888"))
                tint.setAlpha(70 if theme.is_dark() else 55)
                fmt = QTextCharFormat()
                fmt.setBackground(QBrush(tint))
                sel = QTextEdit.ExtraSelection()
                cursor = QTextCursor(self.document())
                cursor.setPosition(self.to_position(start))
                cursor.setPosition(self.to_position(end), QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cursor  # type: ignore[attr-defined]
                sel.format = fmt  # type: ignore[attr-defined]
                out.append(sel)
        self.setExtraSelections(out)

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
        if self.text:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint_overlays(painter)
            painter.end()

    def _paint_overlays(self, painter: QPainter) -> None:
        """Suggestion outlines, picked-span outlines and attribution arrows."""
        lo, hi = self._visible_range()
        pal = self.palette()
        text_color = pal.color(QPalette.ColorRole.Text)
        colors = self._colors()
        for start, end, label, sid in self._marks:
            if start > hi:
                break
            if end < lo:
                continue
            color = theme.mix(QColor(colors.get(label, "#888888")), text_color, 0.15)
            current = sid == self.current_suggestion
            color.setAlpha(255 if current else 200)
            pen = QPen(color, 1.6 if current else 1.2,
                       Qt.PenStyle.SolidLine if current else Qt.PenStyle.DotLine)
            _outline(painter, self.range_rects(start, end), pen)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        by_uid = {s.uid: s for s in self.annotations.spans}
        for uid in self.selected:
            span = by_uid.get(uid)
            if span is not None and span.start <= hi and span.end >= lo:
                _outline(painter, self.range_rects(span.start, span.end),
                         QPen(highlight, 2), radius=3)
        self._paint_relations(painter, by_uid, lo, hi)

    def _paint_relations(self, painter: QPainter, by_uid: dict[str, SpanData],
                         lo: int, hi: int) -> None:
        """An arc from each attribution's source to its content (or claim), arrow at
        the content; the cue, if any, hangs off the arc with a thin dotted line."""
        pal = self.palette()
        picked = set(self.selected)
        base = theme.mix(pal.color(QPalette.ColorRole.Text),
                         pal.color(QPalette.ColorRole.Base), 0.35)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        for rel in self.annotations.relations:
            head, child = by_uid.get(rel.head), by_uid.get(rel.child)
            if head is None or child is None:
                continue
            cue = by_uid.get(rel.cue) if rel.cue else None
            first = min(head.start, child.start)
            last = max(head.end, child.end)
            if first > hi or last < lo or first < lo - ARROW_REACH or last > hi + ARROW_REACH:
                continue  # off screen, or an end too far away to be worth laying out
            a, b = self._anchor(head), self._anchor(child)
            if a is None or b is None:
                continue
            strong = rel.uid == self.selected_relation or bool(
                picked & {rel.head, rel.child, rel.cue})
            paint_arrow(painter, a, b, highlight if strong else base, strong,
                        self._anchor(cue) if cue is not None else None)

    def _anchor(self, span: SpanData) -> QPointF | None:
        """Where an arrow meets a span: the middle of its first line's top edge."""
        rects = self.range_rects(span.start, span.end, limit=1, clip=False)
        if not rects:
            return None
        r = rects[0]
        return QPointF(r.center().x(), r.top() + 1)

    def range_rects(self, start: int, end: int, limit: int = 0,
                    clip: bool = True) -> list[QRectF]:
        """Viewport rectangles of ``[start, end)`` (code points), one per laid-out line;
        with ``clip`` only lines that are on screen."""
        s, e = self.to_position(start), self.to_position(end)
        doc = self.document()
        offset = self.contentOffset()
        height = self.viewport().height()
        out: list[QRectF] = []
        block = doc.findBlock(s)
        if clip:
            first = self.firstVisibleBlock()
            if first.isValid() and first.position() > block.position():
                block = first
        while block.isValid() and block.position() < e:
            geo = self.blockBoundingGeometry(block).translated(offset)
            if clip and geo.top() > height:
                break
            layout = block.layout()
            pos = block.position()
            if block.isVisible() and layout is not None:
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    ls = pos + line.textStart()
                    le = ls + line.textLength()
                    a, b = max(s, ls), min(e, le)
                    if a >= b:
                        continue
                    # A line's trailing space belongs to no visible word.
                    if b == le and b > a and self.document().characterAt(b - 1) == " ":
                        b -= 1
                    x0 = line.cursorToX(a - pos)[0]
                    x1 = line.cursorToX(b - pos)[0]
                    y = geo.top() + line.y()
                    if clip and (y > height or y + line.height() < 0):
                        continue
                    out.append(QRectF(geo.left() + min(x0, x1), y, abs(x1 - x0),
                                      line.height()))
                    if limit and len(out) >= limit:
                        return out
            block = block.next()
        return out

    def _block_rect(self, index: int) -> tuple[float, float] | None:
        """Viewport y-range of annotator block ``index`` (clipped to what is laid out)."""
        doc = self.document()
        first = doc.findBlock(self._block_starts_u16[index])
        last = doc.findBlock(self._block_ends_u16[index])
        if not first.isValid() or not last.isValid():
            return None
        offset = self.contentOffset()
        y0 = self.blockBoundingGeometry(first).translated(offset).top()
        y1 = self.blockBoundingGeometry(last).translated(offset).bottom() - self._extra(last)
        return y0, y1

    def _extra(self, block: QTextBlock) -> float:
        layout = self.document().documentLayout()
        return layout.extra(block) if isinstance(layout, _ParagraphLayout) else 0.0

    # -- events ----------------------------------------------------------------------
    def _cursor_moved(self) -> None:
        index = self.current_block() if self.blocks else None
        if index != self._current_block:
            self._current_block = index
            self.viewport().update()
            self._gutter.update()
            self.currentBlockChanged.emit(index)
        if not self._placing:
            # The caret chooses the suggestion under review wherever it goes.
            under = self.suggestion_under_cursor()
            self.set_current_suggestion(under.id if under is not None else None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers() and self.selected:
            self.spanClicked.emit(None, False)  # Escape drops the pick
            return
        super().keyPressEvent(event)

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
            # Colours derive from the palette: every format is made and set again.
            self._formats = {}
            self._formatted = {number: ("stale",) for number in self._formatted}
            self.redraw()
        elif event.type() == QEvent.Type.FontChange:
            self.document().setDefaultFont(self.font())
            self._set_spacing()
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
                out.append((i, geo.top(), geo.bottom() - self._extra(block), first))
            block = block.next()
        return out


def paint_arrow(painter: QPainter, a: QPointF, b: QPointF, color: QColor,
                strong: bool = False, cue: QPointF | None = None) -> None:
    """An attribution: an arc lifted above the text from the source (a dot) to what it
    attributes (the arrowhead); the cue, if any, hangs off the arc on a dotted line."""
    color = QColor(color)
    color.setAlpha(235 if strong else 170)
    pen = QPen(color, 2.0 if strong else 1.4)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    lift = 10.0 + min(14.0, abs(a.x() - b.x()) / 40 + abs(a.y() - b.y()) / 10)
    top = min(a.y(), b.y()) - lift
    path = QPainterPath(a)
    path.cubicTo(QPointF(a.x(), top), QPointF(b.x(), top), b)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setBrush(color)
    painter.setPen(Qt.PenStyle.NoPen)
    size = 6.0 if strong else 5.0
    painter.drawPolygon([b, QPointF(b.x() - size / 2, b.y() - size),
                         QPointF(b.x() + size / 2, b.y() - size)])
    painter.drawEllipse(a, 2.2, 2.2)
    if cue is not None:
        painter.setPen(QPen(color, 1.0, Qt.PenStyle.DotLine))
        painter.drawLine(cue, path.pointAtPercent(0.5))


class RelationArrows(QWidget):
    """Attribution arrows over any text editor's viewport (the adjudication text).

    A transparent child of the viewport that follows its size and scrolling; ``arrows``
    are (head start, head end, child start, child end) in Qt positions.
    """

    def __init__(self, editor: QTextEdit | QPlainTextEdit) -> None:
        super().__init__(editor.viewport())
        self.editor = editor
        self.arrows: list[tuple[int, int, int, int]] = []
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setObjectName("relationArrows")
        editor.viewport().installEventFilter(self)
        editor.verticalScrollBar().valueChanged.connect(lambda _v: self.update())
        self.resize(editor.viewport().size())

    def set_arrows(self, arrows: list[tuple[int, int, int, int]]) -> None:
        self.arrows = list(arrows)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.resize(self.editor.viewport().size())
        return False

    def _anchor(self, start: int, end: int) -> QPointF:
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(start)
        first = self.editor.cursorRect(cursor)
        cursor.setPosition(end)
        last = self.editor.cursorRect(cursor)
        x = (first.left() + last.left()) / 2 if first.top() == last.top() else first.left() + 12
        return QPointF(x, first.top() + 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.arrows:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.editor.palette()
        color = theme.mix(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base),
                          0.3)
        height = self.height()
        for hs, he, cs, ce in self.arrows:
            a, b = self._anchor(hs, he), self._anchor(cs, ce)
            if max(a.y(), b.y()) < -40 or min(a.y(), b.y()) > height + 40:
                continue
            paint_arrow(painter, a, b, color)
        painter.end()


def _block_index(sug: SuggestionRow, blocks: list[tuple[int, int]]) -> int | None:
    index = sug.attrs.get("block_index", sug.attrs.get("block"))
    if not isinstance(index, int):
        index = block_at(blocks, sug.start)
    return index if index is not None and 0 <= index < len(blocks) else None


def _parts(sug: SuggestionRow) -> list[tuple[int, int, str]]:
    """A span-level suggestion's drawn parts: an attribution's source, cue and content
    in their own labels, else itself."""
    if sug.layer != "attribution":
        return [(sug.start, sug.end, sug.label)]
    payload = AttributionPayload.decode(sug.attrs)
    return payload.labelled_parts() if payload is not None else []


def _make_format(look: Look, colors: dict[str, str]) -> QTextCharFormat:
    """One channel per layer: text colour (boilerplate), background (spans),
    underline (entities)."""
    fmt = QTextCharFormat()
    pal = theme.palette()
    if look.grey:
        base_text = pal.color(QPalette.ColorRole.Text)
        amount = 0.55 if look.grey == layers.GREY else 0.4
        fmt.setForeground(theme.mix(base_text, pal.color(QPalette.ColorRole.Base), amount))
    if look.spans:
        # Blend the washes: alpha adds up like stacked glass, hue is their average.
        remaining = 1.0
        r = g = b = weight = 0.0
        for label, strength in look.spans:
            c = theme.span_background(colors.get(label, "#cccccc"),
                                      strong=strength != layers.PLAIN)
            a = c.alphaF()
            remaining *= 1 - a
            r, g, b, weight = r + c.redF() * a, g + c.greenF() * a, b + c.blueF() * a, weight + a
        fmt.setBackground(QBrush(QColor.fromRgbF(r / weight, g / weight, b / weight,
                                                 1 - remaining)))
    if look.entity:
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(theme.entity_color(look.entity))
    return fmt


def _outline(painter: QPainter, rects: list[QRectF], pen: QPen, radius: float = 0) -> None:
    """One outline around a run of line rectangles (a span over several lines): the
    outer edges only, so it reads as one shape rather than a box per line."""
    if not rects:
        return
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if len(rects) == 1:
        painter.drawRoundedRect(rects[0].adjusted(-1.5, 0.5, 1.5, -0.5), radius, radius)
        return
    boxes = [r.adjusted(-1.5, 0.5, 1.5, -0.5) for r in rects]
    for i, r in enumerate(boxes):
        painter.drawLine(r.topLeft(), r.bottomLeft())
        painter.drawLine(r.topRight(), r.bottomRight())
        above = boxes[i - 1] if i else None
        below = boxes[i + 1] if i + 1 < len(boxes) else None
        for y, other in ((r.top(), above), (r.bottom(), below)):
            if other is None:
                painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
                continue
            # Only the parts of this edge the neighbouring line does not continue.
            if r.left() < other.left():
                painter.drawLine(QPointF(r.left(), y), QPointF(min(r.right(), other.left()), y))
            if r.right() > other.right():
                painter.drawLine(QPointF(max(r.left(), other.right()), y), QPointF(r.right(), y))


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
        for index, top, bottom, first in _merged(view.visible_block_segments()):
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


def _merged(segments: list[tuple[int, float, float, bool]]
            ) -> list[tuple[int, float, float, bool]]:
    """One bar per block: consecutive lines of the same block joined."""
    out: list[tuple[int, float, float, bool]] = []
    for index, top, bottom, first in segments:
        if out and out[-1][0] == index:
            out[-1] = (index, out[-1][1], bottom, out[-1][3])
        else:
            out.append((index, top, bottom, first))
    return out


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
