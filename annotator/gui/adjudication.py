"""The adjudication view: one document's versions side by side, settled into gold.

Left, the article with one version overlaid (the gold draft by default, or any
annotator's): its span labels as coloured backgrounds, its boilerplate blocks greyed, and
every disputed stretch underlined in red whichever version is shown. Right, the items
(blocks, span stretches, relations, document labels) with one column per annotator and
one for the gold draft, disputed items first-class: a cell is green where the annotator's
version is what the draft holds. A lead picks a version per item (double-click a cell,
or select a row and press 1-9), or merges the whole document by majority with INCEpTION's
two thresholds, then saves. Picks, merges and saves are on a ``QUndoStack``; undoing a save
puts the stored gold back as it was (``services.adjudication`` returns what that needs).

All the logic is in ``services.adjudication``; this module only shows drafts and turns
clicks into calls. Article text is shown as plain text, never as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement.data import DEFAULT_BLOCK_LABEL
from annotator.core.errors import InputError
from annotator.core.offsets import OffsetMap
from annotator.core.report_render import fmt
from annotator.core.vocabulary import GOLD
from annotator.gui import theme
from annotator.gui.article_view import RelationArrows
from annotator.services import adjudication as adj
from annotator.services.agreement import project_schema
from annotator.services.project import Project

AGREE = QColor("#d7f0d2")  # the annotator's version is what the draft holds
DIFFER = QColor("#fde2cf")  # a disputed item where this version was not taken
DISPUTED = QColor("#d32f2f")  # underline of disputed stretches in the text
KIND_TITLES = {"block": "Block", "spans": "Spans", "relation": "Relation",
               "doc_label": "Document"}


def _blend(color: str, amount: float, base: QColor | None = None) -> QColor:
    """``color`` faded towards the page colour, so text on it stays legible."""
    page = base or QColor("white")
    ink = QColor(color)
    return QColor(
        round(page.red() + (ink.red() - page.red()) * amount),
        round(page.green() + (ink.green() - page.green()) * amount),
        round(page.blue() + (ink.blue() - page.blue()) * amount),
    )


class _DraftChange(QUndoCommand):
    """A pick or a merge: swaps the whole (immutable) draft."""

    def __init__(self, view: AdjudicationView, before: adj.Draft, after: adj.Draft,
                 text: str) -> None:
        super().__init__(text)
        self.view, self.before, self.after = view, before, after

    def redo(self) -> None:
        self.view.set_draft(self.after)

    def undo(self) -> None:
        self.view.set_draft(self.before)


class _SaveGold(QUndoCommand):
    """A save, already written when pushed; undo restores the gold before it."""

    def __init__(self, view: AdjudicationView, saved: adj.SavedGold) -> None:
        super().__init__("save gold")
        self.view, self.saved = view, saved
        self._written = True

    def redo(self) -> None:
        if not self._written:
            adj.redo_save(self.view.project, self.saved)
        self._written = False
        self.view.gold_changed(self.saved.after)

    def undo(self) -> None:
        adj.undo_save(self.view.project, self.saved)
        self.view.gold_changed(self.saved.before)


class AdjudicationView(QWidget):
    """Settle one document (sha256 or id) into gold; see the module docstring."""

    saved = Signal(str)  # sha256, after a save or the undo/redo of one

    def __init__(self, project: Project, document: str | int,
                 annotators: Sequence[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.schema = project_schema(project)
        self.versions = adj.load(project, document, annotators)
        self.items = adj.items(self.versions, [d.name for d in self.schema.documents])
        self.draft = adj.initial_draft(self.versions)
        self.stored: adj.Draft | None = (adj.draft_from(self.versions.gold)
                                         if self.versions.gold is not None else None)
        self.undoStack = QUndoStack(self)
        self.offsets = OffsetMap(self.versions.text)
        self._rows: list[adj.Item] = []
        self._build()
        self.refresh()

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        """The document's title and figures above two halves side by side: the text
        on the left, the items to settle and what to do with them on the right."""
        versions = self.versions
        self.titleLabel = QLabel(versions.title or versions.sha256[:12])
        self.titleLabel.setTextFormat(Qt.TextFormat.PlainText)
        font = self.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.titleLabel.setFont(font)
        self.titleLabel.setWordWrap(True)
        self.statsLabel = QLabel(self._stats())
        self.statsLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.statsLabel.setWordWrap(True)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._build_text_side())
        self.splitter.addWidget(self._build_items_side())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.titleLabel)
        layout.addWidget(self.statsLabel)
        layout.addWidget(self.splitter, 1)

    def _build_text_side(self) -> QWidget:
        """The article with the chosen version painted over it, and a legend."""
        versions = self.versions
        self.showCombo = QComboBox()
        self.showCombo.addItem("Gold draft", None)
        for name in versions.annotators:
            self.showCombo.addItem(name, name)
        self.showCombo.currentIndexChanged.connect(lambda _i: self._paint_text())
        self.textView = QTextEdit()
        self.textView.setReadOnly(True)
        self.textView.setAcceptRichText(False)
        self.textView.setPlainText(versions.text)
        self.textView.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.relationArrows = RelationArrows(self.textView)  # the shown attributions
        legend = QLabel(self._legend())
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        show_row = QHBoxLayout()
        show_row.addWidget(QLabel("Show in the text:"))
        show_row.addWidget(self.showCombo)
        show_row.addStretch(1)
        left_layout.addLayout(show_row)
        left_layout.addWidget(self.textView, 1)
        left_layout.addWidget(legend)
        return left

    def _build_items_side(self) -> QWidget:
        """The items table, then one row each for taking a version, merging by
        majority, and undo, redo and save."""
        self.disputedOnly = QCheckBox("Disputed items only")
        self.disputedOnly.setChecked(True)
        self.disputedOnly.toggled.connect(lambda _on: self.refresh())
        self.countLabel = QLabel()
        self._build_items_table()
        picks = self._build_pick_row()
        majority = self._build_majority_row()
        actions = self._build_save_row()

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.disputedOnly)
        top.addStretch(1)
        top.addWidget(self.countLabel)
        right_layout.addLayout(top)
        right_layout.addWidget(self.itemsTable, 1)
        right_layout.addLayout(picks)
        right_layout.addLayout(majority)
        right_layout.addLayout(actions)
        return right

    def _build_items_table(self) -> None:
        """One row per item, one column per annotator's version and the draft."""
        versions = self.versions
        header = ["item", *versions.annotators, "gold draft"]
        self.itemsTable = QTableWidget(0, len(header))
        self.itemsTable.setHorizontalHeaderLabels(header)
        self.itemsTable.verticalHeader().setVisible(False)
        self.itemsTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.itemsTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.itemsTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemsTable.setWordWrap(True)
        self.itemsTable.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Every column shares the width and rows grow to their wrapped text, so the
        # annotators' versions and the gold draft are all in view side by side.
        self.itemsTable.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.itemsTable.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.itemsTable.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemsTable.itemSelectionChanged.connect(self._selection_changed)
        self.itemsTable.cellDoubleClicked.connect(self._cell_double_clicked)

    def _build_pick_row(self) -> QHBoxLayout:
        """A button per annotator (and keys 1–9) taking their version of the item."""
        versions = self.versions
        self.pickButtons: list[QPushButton] = []
        picks = QHBoxLayout()
        picks.addWidget(QLabel("Take:"))
        for number, name in enumerate(versions.annotators, start=1):
            button = QPushButton(f"{number}  {name}")
            button.setToolTip(theme.tooltip(f"Take {name}'s version of the selected item "
                                            f"({number})"))  # a name is never markup
            button.clicked.connect(lambda _c=False, name=name: self.pick_annotator(name))
            if number <= 9:
                shortcut = QShortcut(QKeySequence(str(number)), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(lambda name=name: self.pick_annotator(name))
            self.pickButtons.append(button)
            picks.addWidget(button)
        picks.addStretch(1)
        return picks

    def _build_majority_row(self) -> QHBoxLayout:
        """The majority merge's two thresholds, and where a draft may start from."""
        versions = self.versions
        n = max(len(versions.annotators), 1)
        self.minAnnotators = QSpinBox()
        self.minAnnotators.setRange(1, n)
        self.minAnnotators.setValue(min(2, n))
        self.minAnnotators.setToolTip("An item is taken when at least this many annotators "
                                      "made it…")
        self.minShare = QSpinBox()
        self.minShare.setRange(0, 100)
        self.minShare.setSingleStep(5)
        self.minShare.setSuffix(" %")
        self.minShare.setValue(50)
        self.minShare.setToolTip("…and they are at least this share of the annotators")
        self.mergeButton = QPushButton("Merge by majority")
        self.mergeButton.clicked.connect(self.merge_majority)
        self.startButton = QToolButton()
        self.startButton.setText("Start from")
        self.startButton.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        start_menu = QMenu(self.startButton)
        start_menu.addAction("What everybody agrees on", lambda: self.start_from("agreed"))
        start_menu.addAction("The saved gold", lambda: self.start_from(GOLD))
        start_menu.addSeparator()
        for name in versions.annotators:
            start_menu.addAction(f"{name}'s version", lambda name=name: self.start_from(name))
        self.startButton.setMenu(start_menu)
        majority = QHBoxLayout()
        majority.addWidget(QLabel("Majority: at least"))
        majority.addWidget(self.minAnnotators)
        majority.addWidget(QLabel("annotators and"))
        majority.addWidget(self.minShare)
        majority.addWidget(QLabel("of them"))
        majority.addWidget(self.mergeButton)
        majority.addStretch(1)
        majority.addWidget(self.startButton)
        return majority

    def _build_save_row(self) -> QHBoxLayout:
        """Undo, redo, the last thing done, and Save as gold (Ctrl+S)."""
        # Qt's own undo/redo actions follow the stack (enabled state, "Undo take bob's
        # spans") through C++ connections, so nothing in Python outlives the widgets.
        self.undoAction = self.undoStack.createUndoAction(self, "Undo")
        self.redoAction = self.undoStack.createRedoAction(self, "Redo")
        self.undoButton = QToolButton()
        self.redoButton = QToolButton()
        for action, button, sequence, word in (
            (self.undoAction, self.undoButton, QKeySequence.StandardKey.Undo, "Undo"),
            (self.redoAction, self.redoButton, QKeySequence.StandardKey.Redo, "Redo"),
        ):
            # A fixed button word; the full "Undo take bob's spans" is the tooltip.
            action.setIconText(word)
            action.setShortcut(QKeySequence(sequence))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        self.saveButton = QPushButton("Save as gold")
        self.saveButton.setToolTip("Store this draft as the document's gold version (Ctrl+S)")
        self.saveButton.clicked.connect(self.save)
        self.statusLabel = QLabel()
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        actions = QHBoxLayout()
        actions.addWidget(self.undoButton)
        actions.addWidget(self.redoButton)
        actions.addWidget(self.statusLabel, 1)
        actions.addWidget(self.saveButton)
        return actions

    def _stats(self) -> str:
        report = self.versions.report
        who = ", ".join(self.versions.annotators) or "nobody"
        if not report or not report.get("counted"):
            return f"Versions: {who}. Not counted in the agreement report (fewer than two done)."
        layers = "  ·  ".join(f"{name.replace('_', ' ')} {fmt(value)}"
                              for name, value in report["layers"].items() if value is not None)
        return (f"Disagreement {fmt(report['disagreement'])}  ({layers}).  Versions: {who}."
                + ("  Gold saved before." if self.versions.gold is not None else ""))

    def _legend(self) -> str:
        parts = [f'<span style="background:{_blend(label.color, 0.55).name()}">'
                 f"&nbsp;{escape(label.name)}&nbsp;</span>" for label in self.schema.spans]
        return ("Spans: " + " ".join(parts) + '  ·  <span style="color:#d32f2f;'
                'text-decoration:underline">disputed</span>  ·  boilerplate blocks greyed')

    # -- state -----------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Changed since opened or saved, and not what is stored as gold."""
        return not self.undoStack.isClean() and self.draft != self.stored

    def set_draft(self, draft: adj.Draft) -> None:
        self.draft = draft
        self.refresh()

    def gold_changed(self, stored: Any) -> None:
        """Called by the save command after the store changed (save, undo, redo)."""
        self.stored = adj.draft_from(stored) if stored is not None else None
        self.refresh()
        self.saved.emit(self.versions.sha256)

    # -- actions -------------------------------------------------------------------------------
    def current_item(self) -> adj.Item | None:
        row = self.itemsTable.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def pick(self, item: adj.Item, choice: adj.Choice) -> bool:
        """Put ``choice`` into the draft for ``item`` (undoable); False with a reason shown."""
        try:
            after = adj.pick(self.draft, item, choice)
        except InputError as exc:
            self.statusLabel.setText(str(exc))
            return False
        if after != self.draft:
            who = ", ".join(choice.annotators) or "nobody"
            self.undoStack.push(_DraftChange(self, self.draft, after,
                                             f"take {who}'s {KIND_TITLES[item.kind].lower()}"))
        return True

    def pick_annotator(self, name: str) -> bool:
        item = self.current_item()
        if item is None:
            self.statusLabel.setText("Select an item first.")
            return False
        choice = item.choice_of(name)
        return choice is not None and self.pick(item, choice)

    def merge_majority(self) -> None:
        """Replace the draft by the threshold merge of the whole document (undoable)."""
        share = self.minShare.value() / 100.0
        after = adj.majority(self.versions, self.minAnnotators.value(), share)
        self.undoStack.push(_DraftChange(
            self, self.draft, after,
            f"majority merge (≥ {self.minAnnotators.value()}, ≥ {self.minShare.value()} %)"))

    def start_from(self, source: str) -> None:
        if source == "agreed":
            after = adj.majority(self.versions, max(len(self.versions.annotators), 1), 1.0)
        elif source == GOLD:
            after = self.stored if self.stored is not None else adj.Draft()
        else:
            after = adj.draft_from(self.versions.versions[source])
        self.undoStack.push(_DraftChange(self, self.draft, after, f"start from {source}"))

    def save(self) -> bool:
        """Store the draft as gold (undoable). False, with the reason shown, if refused."""
        try:
            saved = adj.save(self.project, self.versions, self.draft)
        except InputError as exc:
            self.statusLabel.setText(f"Not saved: {exc}")
            return False
        self.undoStack.push(_SaveGold(self, saved))
        self.undoStack.setClean()
        self._update_status()
        return True

    def confirm_close(self) -> bool:
        """Ask before an unsaved draft is thrown away."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self, "Unsaved gold draft",
            theme.tooltip(f"The gold draft of “{self.versions.title}” is not saved. "
                          "Discard it?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # -- showing -------------------------------------------------------------------------------
    def _item_title(self, item: adj.Item) -> str:
        if item.kind == "block":
            return f"Block {item.key + 1}: “{self.versions.span_text(item.start, item.end, 40)}”"
        if item.kind == "spans":
            return f"Spans at “{self.versions.span_text(item.start, item.end, 40)}”"
        if item.kind == "relation":
            return f"{item.key[2].title()} to “{self.versions.span_text(*item.key[1][1:], 30)}”"
        return f"Document: {item.key}"

    def refresh(self) -> None:
        """Redraw the table and the text from the current draft."""
        selected = self.current_item()
        only = self.disputedOnly.isChecked()
        self._rows = [item for item in self.items if not only or not item.agreed]
        disputed = sum(not item.agreed for item in self.items)
        self.countLabel.setText(f"{disputed} of {len(self.items)} items disputed")
        table = self.itemsTable
        table.blockSignals(True)
        table.setRowCount(len(self._rows))
        names = self.versions.annotators
        for row, item in enumerate(self._rows):
            value = adj.current(self.draft, item)
            title = QTableWidgetItem(self._item_title(item))
            title.setToolTip(theme.tooltip(title.text()))
            if not item.agreed:
                font = QFont(title.font())
                font.setBold(True)
                title.setFont(font)
            table.setItem(row, 0, title)
            for column, name in enumerate(names, start=1):
                choice = item.choice_of(name)
                cell = QTableWidgetItem(choice.text if choice else "")
                cell.setToolTip(theme.tooltip(f"{name}: {cell.text()}\n"
                                              "Double-click to take this version"))
                if choice is not None and choice.value == value:
                    cell.setBackground(QBrush(AGREE))
                elif not item.agreed:
                    cell.setBackground(QBrush(DIFFER))
                table.setItem(row, column, cell)
            gold = QTableWidgetItem(adj.describe_current(self.draft, item, self.versions))
            gold.setToolTip(theme.tooltip(gold.text()))
            if any(choice.value == value for choice in item.choices):
                gold.setBackground(QBrush(AGREE))
            table.setItem(row, len(names) + 1, gold)
        table.blockSignals(False)
        if selected is not None and selected in self._rows:
            table.selectRow(self._rows.index(selected))
        elif self._rows and table.currentRow() < 0:
            table.selectRow(0)
        self._update_status()
        self._paint_text()
        self._selection_changed()

    def _update_status(self) -> None:
        if self.stored is None:
            text = "No gold saved for this document yet."
        elif self.draft == self.stored:
            text = "The draft is the saved gold."
        else:
            text = "The draft differs from the saved gold."
        self.statusLabel.setText(text)

    def _selection_changed(self) -> None:
        item = self.current_item()
        for button, name in zip(self.pickButtons, self.versions.annotators, strict=True):
            button.setEnabled(item is not None and item.choice_of(name) is not None)
        if item is None or item.kind == "doc_label":
            return
        cursor = self.textView.textCursor()
        cursor.setPosition(self.offsets.to_utf16(item.start))
        cursor.setPosition(self.offsets.to_utf16(item.end), QTextCursor.MoveMode.KeepAnchor)
        self.textView.setTextCursor(cursor)
        self.textView.ensureCursorVisible()

    def _cell_double_clicked(self, row: int, column: int) -> None:
        names = self.versions.annotators
        if 0 <= row < len(self._rows) and 1 <= column <= len(names):
            item = self._rows[row]
            choice = item.choice_of(names[column - 1])
            if choice is not None:
                self.pick(item, choice)

    def _selection(self, start: int, end: int, fmt_: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.textView.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt_
        return selection

    def _paint_text(self) -> None:
        """Overlay the shown version and underline disputed stretches (extra selections,
        so the article stays plain text and nothing is ever parsed as HTML)."""
        name = self.showCombo.currentData()
        if name is None:
            shown_blocks = dict(self.draft.blocks)
            shown_spans = list(self.draft.spans)
            links = [(head[1:], child[1:]) for head, child, _ in self.draft.relations]
        else:
            data = self.versions.versions[name]
            shown_blocks = dict(data.blocks)
            shown_spans = [s.key for s in data.spans]
            by_uid = {s.uid: (s.start, s.end) for s in data.spans}
            links = [(by_uid[r.head], by_uid[r.child]) for r in data.relations
                     if r.head in by_uid and r.child in by_uid]
        to_utf16 = self.offsets.to_utf16
        self.relationArrows.set_arrows([(to_utf16(h[0]), to_utf16(h[1]), to_utf16(c[0]),
                                         to_utf16(c[1])) for h, c in links])
        base = self.palette().color(QPalette.ColorRole.Base)
        colors = {label.name: label.color for label in self.schema.blocks}
        span_colors = {label.name: label.color for label in self.schema.spans}
        selections = []
        for index, (start, end) in enumerate(self.versions.blocks):
            label = shown_blocks.get(index, DEFAULT_BLOCK_LABEL)
            if label == DEFAULT_BLOCK_LABEL or start >= end:
                continue
            block_format = QTextCharFormat()
            block_format.setForeground(QBrush(QColor("#6d6d6d")))
            block_format.setBackground(QBrush(_blend(colors.get(label, "#bdbdbd"), 0.18, base)))
            block_format.setToolTip(theme.tooltip(label))
            selections.append(self._selection(start, end, block_format))
        for label, start, end in sorted(shown_spans, key=lambda k: (k[1], -k[2])):
            span_format = QTextCharFormat()
            span_format.setBackground(QBrush(_blend(span_colors.get(label, "#cccccc"), 0.55,
                                                    base)))
            span_format.setToolTip(theme.tooltip(label))
            selections.append(self._selection(start, end, span_format))
        for item in self.items:
            if item.agreed or item.kind == "doc_label" or item.start >= item.end:
                continue
            dispute = QTextCharFormat()
            dispute.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            dispute.setUnderlineColor(DISPUTED)
            selections.append(self._selection(item.start, item.end, dispute))
        self.textView.setExtraSelections(selections)
