"""The side panel: this document's spans, attributions, attributes, suggestions, rating.

The spans list is also the linking selection: it allows multi-selection (Ctrl/Shift
click, or Ctrl+click spans in the article), and Ctrl+L links what is selected there.
Right-click a span (or drag it onto another) to link it. Selecting one span (or one
attribution) opens its attributes below as combo boxes:
Tab moves between them, arrow keys or typing pick a value, and each change is one
undoable command. Nothing here writes to the store; it emits signals the window turns
into commands.

The Suggestions list is the review queue in text order, and its selection is *the*
suggestion under review: F8, a click in the list or the caret entering a suggestion
selects it, the text tints it, and Enter / Backspace / the buttons act on it. Block
suggestions of blocks the annotator has labelled are settled and leave the list.
A suggestion is *unsure* when its score is below ``UNSURE_BELOW``; "Next unsure" walks
to those.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Annotations, SuggestionRow
from annotator.core.schema import Schema
from annotator.gui import theme
from annotator.gui.article_view import relation_summary
from annotator.gui.label_palette import swatch

UidRole = Qt.ItemDataRole.UserRole + 1
UNSET = "—"
UNSURE_BELOW = 0.6  # a suggestion scored below this is "unsure"


def _clip(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class AnnotationPanel(QWidget):
    spanSelectionChanged = Signal(list)  # span uids
    relationSelected = Signal(object)  # relation uid or None
    spanAttrsEdited = Signal(str, dict)
    relationAttrsEdited = Signal(str, dict)
    suggestionActivated = Signal(int)  # chosen in the list: review this one
    nextUnsureRequested = Signal()
    linkRequested = Signal(list)  # span uids to link (context menu or drag)
    docLabelChosen = Signal(str, str)

    def __init__(self, schema: Schema, actions: dict[str, QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        self.schema = schema
        self.text = ""
        self.annotations = Annotations()
        self._editor_key: tuple | None = None
        self._updating = False
        self._current_sid: int | None = None  # the suggestion under review
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        layout.addLayout(_header("Spans", [actions[a] for a in ("link", "delete")
                                           if a in actions]))
        self.spanList = _SpanList(self)
        self.spanList.setObjectName("spanList")
        self.spanList.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.spanList.setToolTip("Ctrl+click to select several; Ctrl+L links them. "
                                 "Right-click a span, or drag it onto another, to link")
        self.spanList.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.spanList.customContextMenuRequested.connect(self._span_menu)
        self.spanList.itemSelectionChanged.connect(self._span_selection)
        layout.addWidget(self.spanList, 3)
        _compact(self.spanList)

        layout.addLayout(_header("Attributions", []))
        self.relationList = QListWidget()
        self.relationList.setObjectName("relationList")
        self.relationList.itemSelectionChanged.connect(self._relation_selection)
        layout.addWidget(self.relationList, 2)
        _compact(self.relationList)

        self.attributeEditor = QWidget()
        self.attributeEditor.setObjectName("attributeEditor")
        self._form = QFormLayout(self.attributeEditor)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.attributeTitle = QLabel("Attributes: select a span or attribution (F2)")
        self.attributeTitle.setTextFormat(Qt.TextFormat.PlainText)  # holds article text
        self.attributeTitle.setObjectName("attributeTitle")
        self.attributeTitle.setWordWrap(True)
        layout.addWidget(self.attributeTitle)
        layout.addWidget(self.attributeEditor)

        review = [actions[a] for a in ("accept_suggestion", "reject_suggestion")
                  if a in actions]
        for action, verb in zip(review, ("Accept", "Reject"), strict=False):
            # The buttons act on the list's selection, as Enter and Backspace do.
            key = action.shortcut().toString() or ""
            action.setToolTip(theme.tooltip(f"{verb} the selected suggestion (the one "
                                            f"tinted in the text)  {key}"))
        self.nextUnsureAction = QAction("Next unsure", self)
        self.nextUnsureAction.setObjectName("action:next_unsure")
        self.nextUnsureAction.setToolTip(theme.tooltip(
            f"Go to the next suggestion scored below {UNSURE_BELOW:.1f}"))
        self.nextUnsureAction.triggered.connect(self.nextUnsureRequested)
        layout.addLayout(_header("Suggestions", [*review, *[actions[a] for a in (
            "accept_all_blocks",) if a in actions], self.nextUnsureAction]))
        self.suggestionList = QListWidget()
        self.suggestionList.setObjectName("suggestionList")
        self.suggestionList.setToolTip("Pending machine suggestions in text order; the "
                                       "selected one is tinted in the text. Enter accepts "
                                       "it, Backspace rejects it, F8 selects the next")
        self.suggestionList.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.suggestionList.currentItemChanged.connect(self._suggestion_current)
        self.suggestionList.addActions(review)  # Enter / Backspace work in the list too
        layout.addWidget(self.suggestionList, 2)
        _compact(self.suggestionList)

        self.ratingGroup = QButtonGroup(self)
        self.ratingGroup.setExclusive(True)
        for doc in schema.documents[:1]:
            layout.addLayout(_header(doc.name.replace("_", " ").capitalize(), []))
            row = QVBoxLayout()
            row.setSpacing(0)
            for i, value in enumerate(doc.values, start=1):
                radio = QRadioButton(f"{value.replace('_', ' ')}   Ctrl+{i}")
                radio.setObjectName(f"doc:{doc.name}:{value}")
                radio.clicked.connect(lambda _=False, n=doc.name, v=value:
                                      self.docLabelChosen.emit(n, v))
                self.ratingGroup.addButton(radio)
                row.addWidget(radio)
            layout.addLayout(row)

    # -- filling ---------------------------------------------------------------------
    def set_document(self, text: str, annotations: Annotations,
                     suggestions: list[SuggestionRow]) -> None:
        """Rebuild the lists for the document's current labels (selection kept)."""
        self.text = text
        self.annotations = annotations
        self._updating = True
        try:
            chosen = set(self.selected_spans())
            self.spanList.clear()
            colors = {s.name: s.color for s in self.schema.spans}
            for span in annotations.spans:
                attrs = ", ".join(str(v) for v in span.attrs.values())
                item = QListWidgetItem(swatch(colors.get(span.label, "#ccc")),
                                       f"{span.label}  {_clip(text[span.start:span.end])}"
                                       + (f"  · {attrs}" if attrs else ""))
                item.setData(UidRole, span.uid)
                item.setToolTip(theme.tooltip(text[span.start:span.end]))
                self.spanList.addItem(item)
                item.setSelected(span.uid in chosen)
            current_rel = self.selected_relation()
            self.relationList.clear()
            by_uid = {s.uid: s for s in annotations.spans}
            for rel in annotations.relations:
                attrs = ", ".join(str(v) for v in rel.attrs.values())
                item = QListWidgetItem(relation_summary(rel, by_uid, text)
                                       + (f"  · {attrs}" if attrs else ""))
                item.setData(UidRole, rel.uid)
                self.relationList.addItem(item)
                item.setSelected(rel.uid == current_rel)
            current_sug = self._current_sid
            self.suggestionList.clear()
            block_colors = {b.name: b.color for b in self.schema.blocks}
            unsure_font = QFont(self.suggestionList.font())
            unsure_font.setItalic(True)
            for sug in reviewable(suggestions, annotations):
                color = block_colors.get(sug.label) or colors.get(sug.label, "#999")
                what = "block" if sug.layer == "block" else sug.layer
                unsure = sug.score < UNSURE_BELOW
                item = QListWidgetItem(swatch(color, outline=True),
                                       f"{sug.label}?  {what}: {_clip(text[sug.start:sug.end], 44)}"
                                       + (f"  ({sug.score:.2f})" if unsure else ""))
                item.setData(UidRole, sug.id)
                if unsure:
                    item.setFont(unsure_font)
                item.setToolTip(theme.tooltip(f"{sug.layer} {sug.label}, score {sug.score:.2f}"
                                              + (" (unsure)" if unsure else "")
                                              + (f", rule {sug.rule}" if sug.rule else "")))
                self.suggestionList.addItem(item)
                if sug.id == current_sug:
                    self.suggestionList.setCurrentItem(item)
            # Exclusive groups cannot show "no rating", so switch that off while setting.
            self.ratingGroup.setExclusive(False)
            for button in self.ratingGroup.buttons():
                _, name, value = button.objectName().split(":", 2)
                button.setChecked(annotations.doc_labels.get(name) == value)
            self.ratingGroup.setExclusive(True)
        finally:
            self._updating = False
        self._refresh_editor()

    def set_selection(self, uids: list[str], relation: str | None = None) -> None:
        """Mirror the window's span selection (from clicks in the article)."""
        self._updating = True
        try:
            wanted = set(uids)
            first = None
            for row in range(self.spanList.count()):
                item = self.spanList.item(row)
                item.setSelected(item.data(UidRole) in wanted)
                if first is None and item.isSelected():
                    first = item
            if first is not None:
                self.spanList.scrollToItem(first)
            for row in range(self.relationList.count()):
                item = self.relationList.item(row)
                item.setSelected(item.data(UidRole) == relation)
        finally:
            self._updating = False
        self._refresh_editor()

    def selected_spans(self) -> list[str]:
        return [item.data(UidRole) for item in self.spanList.selectedItems()]

    def selected_relation(self) -> str | None:
        items = self.relationList.selectedItems()
        return items[0].data(UidRole) if items else None

    def selected_suggestion(self) -> int | None:
        item = self.suggestionList.currentItem()
        return item.data(UidRole) if item is not None and item.isSelected() else None

    def set_current_suggestion(self, sid: int | None) -> None:
        """Select (and show) the suggestion under review without re-announcing it."""
        self._current_sid = sid
        self._updating = True
        try:
            for row in range(self.suggestionList.count()):
                item = self.suggestionList.item(row)
                if item.data(UidRole) == sid:
                    self.suggestionList.setCurrentItem(item)
                    self.suggestionList.scrollToItem(item)
                    break
            else:
                self.suggestionList.setCurrentItem(None)  # type: ignore[arg-type]
                self.suggestionList.clearSelection()
        finally:
            self._updating = False

    def focus_editor(self) -> bool:
        """F2: put the keyboard in the first attribute box, if there is one."""
        combo = self.attributeEditor.findChild(QComboBox)
        if combo is not None:
            combo.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return False

    # -- reactions -------------------------------------------------------------------
    def _span_selection(self) -> None:
        if self._updating:
            return
        if self.spanList.selectedItems():
            self._updating = True
            self.relationList.clearSelection()
            self._updating = False
        self._refresh_editor()
        self.spanSelectionChanged.emit(self.selected_spans())

    def _relation_selection(self) -> None:
        if self._updating:
            return
        relation = self.selected_relation()
        if relation is not None:
            self._updating = True
            self.spanList.clearSelection()
            self._updating = False
        self._refresh_editor()
        self.relationSelected.emit(relation)

    def _suggestion_current(self, item: QListWidgetItem | None, _previous: object) -> None:
        if self._updating or item is None:
            return
        self._current_sid = item.data(UidRole)
        self.suggestionActivated.emit(self._current_sid)

    def _span_menu(self, pos: QPoint) -> None:
        """Right-click: link the selected spans (the clicked one joins them)."""
        item = self.spanList.itemAt(pos)
        if item is not None and not item.isSelected():
            item.setSelected(True)
        chosen = self.selected_spans()
        menu = QMenu(self.spanList)
        link = menu.addAction(f"Link {len(chosen)} selected spans as attribution  Ctrl+L")
        link.setEnabled(len(chosen) >= 2)
        link.triggered.connect(lambda: self.linkRequested.emit(chosen))
        if item is not None:
            only = menu.addAction("Select only this span")
            only.triggered.connect(lambda: self.spanList.setCurrentItem(
                item, QItemSelectionModel.SelectionFlag.ClearAndSelect))
        menu.popup(self.spanList.viewport().mapToGlobal(pos))
        self._menu = menu  # kept alive while shown (and reachable from tests)

    def _refresh_editor(self) -> None:
        """Show combo boxes for the one selected span or relation's attributes."""
        spans = {s.uid: s for s in self.annotations.spans}
        rels = {r.uid: r for r in self.annotations.relations}
        chosen = self.selected_spans()
        relation = self.selected_relation()
        target: tuple | None = None
        if len(chosen) == 1 and chosen[0] in spans:
            span = spans[chosen[0]]
            target = ("span", span.uid, span.label, self.schema.span(span.label).attrs,
                      span.attrs, f"{span.label}: {_clip(self.text[span.start:span.end], 50)}")
        elif relation is not None and relation in rels:
            rel = rels[relation]
            target = ("relation", rel.uid, rel.label, self.schema.relation(rel.label).attrs,
                      rel.attrs, f"{rel.label}: {relation_summary(rel, spans, self.text, 24)}")
        key = target[:3] if target else None
        if key != self._editor_key:
            self._editor_key = key
            while self._form.rowCount():
                self._form.removeRow(0)
            if target is None:
                self.attributeTitle.setText("Attributes: select a span or attribution (F2)")
                return
            kind, uid, _, allowed, _, title = target
            self.attributeTitle.setText(title if allowed else f"{title} (no attributes)")
            for name, values in allowed.items():
                combo = QComboBox()
                combo.setObjectName(f"attr:{name}")
                combo.addItems([UNSET, *values])
                combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                combo.currentTextChanged.connect(
                    lambda _t, k=kind, u=uid: self._attr_changed(k, u))
                self._form.addRow(name.replace("_", " "), combo)
                if self.attributeEditor.isVisible():  # else Qt shows it only later
                    combo.show()
                    self._form.labelForField(combo).show()
        if target is None:
            return
        values = target[4]
        for combo in self.attributeEditor.findChildren(QComboBox):
            name = combo.objectName().removeprefix("attr:")
            combo.blockSignals(True)
            combo.setCurrentText(str(values.get(name, UNSET)))
            combo.blockSignals(False)

    def _attr_changed(self, kind: str, uid: str) -> None:
        attrs: dict[str, str] = {}
        for combo in self.attributeEditor.findChildren(QComboBox):
            value = combo.currentText()
            if value != UNSET:
                attrs[combo.objectName().removeprefix("attr:")] = value
        if kind == "span":
            self.spanAttrsEdited.emit(uid, attrs)
        else:
            self.relationAttrsEdited.emit(uid, attrs)


def _header(text: str, actions: list[QAction]) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 6, 0, 0)
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 0.92)
    label.setFont(font)
    row.addWidget(label)
    row.addStretch(1)
    for action in actions:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        row.addWidget(button)
    return row


def _compact(widget: QListWidget) -> None:
    """Lists share whatever height is left (no greedy size hint), never below 4 rows."""
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    widget.setMinimumHeight(widget.fontMetrics().height() * 4 + 8)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)


def reviewable(suggestions: list[SuggestionRow], annotations: Annotations) -> list[SuggestionRow]:
    """Pending suggestions an annotator reviews, in text order: no entities, and no
    block suggestion whose block the annotator has already labelled."""
    out = []
    for sug in suggestions:
        if sug.layer == "entity" or sug.verdict is not None:
            continue
        if sug.layer == "block":
            index = sug.attrs.get("block_index", sug.attrs.get("block"))
            if isinstance(index, int) and index in annotations.blocks:
                continue
        out.append(sug)
    return sorted(out, key=lambda s: (s.start, s.end, s.id))


class _SpanList(QListWidget):
    """The spans list; dropping one span onto another asks to link the two."""

    def __init__(self, panel: AnnotationPanel) -> None:
        super().__init__()
        self.panel = panel
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.LinkAction)

    def dropEvent(self, event: QDropEvent) -> None:
        target = self.itemAt(event.position().toPoint())
        dragged = self.panel.selected_spans()
        event.ignore()  # never move or copy rows: the list mirrors the store
        if target is None:
            return
        uid = target.data(UidRole)
        if uid not in dragged:
            self.panel.linkRequested.emit([*dragged, uid])
