"""The annotation window: document list, article, label palette and annotation panel.

The window owns the flow, the widgets only display and report: every key and click
becomes a command over ``AnnotationService`` (committed at once, undoable through one
``QUndoStack``). Keys come from ``core.keymap`` so menus, the F1 help and the label
palette always agree with what the keys do.

Key scopes (see ``actions.py``): the bare label keys act while the article or the
document list has the focus, never while typing in the search box or an attribute
field; everything with a modifier is window-wide. What the keys do to the document is
in ``labelling.py``: the window owns one ``Labeller`` and wires keys and signals to it.

Linking (Ctrl+L) uses the *pick*: clicking a span in the article picks it, Ctrl+click
(or Ctrl+Space on the span under the cursor) adds one, a newly made span joins the pick
(replacing a picked span of the same role), and the Spans list offers the same by mouse,
context menu or drag.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import keymap as keymap_mod
from annotator.core import schema as schema_mod
from annotator.core.errors import InputError
from annotator.core.vocabulary import STATUSES, Status
from annotator.gui import dock_layout, icons, project_menu, theme, window_state
from annotator.gui.actions import build_actions, build_toolbar, fill_menus
from annotator.gui.annotation_panel import AnnotationPanel
from annotator.gui.article_view import ArticleView
from annotator.gui.commands import ServiceCommand, SetStatus
from annotator.gui.dialogs import AnnotatorNameDialog, KeyHelpDialog, SettingsDialog, system_user
from annotator.gui.document_model import DocumentIdRole, DocumentListModel
from annotator.gui.label_palette import LabelPalette
from annotator.gui.labelling import Labeller
from annotator.gui.project_window import ProjectWindow
from annotator.gui.retraining import Retrainer
from annotator.gui.workers import Background
from annotator.gui.writer import INLINE_WAIT_MS, Writer
from annotator.services import retraining
from annotator.services.annotation import AnnotationService, OpenedDocument
from annotator.services.project import Project, busy_wait, open_project

SEARCH_DELAY_MS = 250
FILTERS: list[tuple[str | None, str]] = [(None, "All"), *[(s, theme.STATUS_TEXT[s])
                                                           for s in STATUSES]]


class MainWindow(ProjectWindow):
    def __init__(self, project: Project, annotator: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.schema = schema_mod.from_dict(project.get_setting("schema"))
        self.keymap = keymap_mod.build(self.schema)
        self.prefs: dict[str, Any] = dict(project.get_setting("gui") or {})
        stored = project.get_setting("annotator")
        self.ask_name = annotator is None and not stored
        name = annotator or stored or system_user()
        self.service = AnnotationService(project, name)
        if annotator and annotator != stored:
            project.set_setting("annotator", self.service.name)
        self.current: OpenedDocument | None = None
        self._opened_at = time.monotonic()
        self._dialogs: list[QWidget] = []
        self.undoStack = QUndoStack(self)
        self.background = Background(self)
        self.writer = Writer(project, self)  # label writes: never wait on a lock here
        self._close_unsaved = False
        self.retrainer = Retrainer(self)

        self.setWindowTitle(f"annotator — {project.label}")
        self.resize(1440, 900)
        self._build_actions()
        self._build_widgets()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self.labeller = Labeller(
            self, view=self.articleView, panel=self.annotationPanel, palette=self.labelPalette,
            pick_label=self.pickLabel, actions=self.actions_by_id, undo_stack=self.undoStack,
            schema=self.schema, keymap=self.keymap)
        self._connect()
        self.articleView.set_show_entities(bool(self.prefs.get("show_entities", True)))
        self._set_font_size(float(self.prefs.get("font_size", theme.DEFAULT_POINT_SIZE)))
        first = self.prefs.get("last_document")
        if first is None or self.model.row_of(first) is None:
            first = self.model.next_to_do(None) or self.model.doc_id(0)
        self.show_document(first)
        self.articleView.setFocus()
        window_state.restore(self)  # the size, place and dock layout of the last run

    @classmethod
    def on_project(cls, project: Project, annotator: str | None = None) -> MainWindow:
        return cls(project, annotator)

    # -- construction ----------------------------------------------------------------
    def _build_actions(self) -> None:
        # What acts on the document goes to the labeller, looked up when the key is
        # pressed: it is made after the widgets, which need these actions first.
        handlers = {
            "accept_suggestion": lambda: self.labeller.accept_suggestion(),
            "reject_suggestion": lambda: self.labeller.reject_suggestion(),
            "accept_all_blocks": lambda: self.labeller.accept_all_blocks(),
            "next_suggestion": lambda: self.labeller.goto_suggestion(+1),
            "prev_suggestion": lambda: self.labeller.goto_suggestion(-1),
            "pick_span": lambda: self.labeller.pick_span_under_cursor(),
            "delete": lambda: self.labeller.delete(),
            "edit_attrs": lambda: self.labeller.edit_attrs(),
            "next_block": lambda: self.labeller.step_block(+1),
            "prev_block": lambda: self.labeller.step_block(-1),
            "prev_doc": lambda: self.step_document(-1),
            "next_doc": lambda: self.step_document(+1),
            "done_next": lambda: self.finish(Status.DONE),
            "skip_next": lambda: self.finish(Status.SKIPPED),
            "search": self.focus_search,
            "undo": self.undoStack.undo,
            "redo": self.undoStack.redo,
            "settings": self.open_settings,
            "help": self.show_keys,
            "block": lambda label: self.labeller.label_blocks(label),
            "span": lambda name: self.labeller.mark_span(name, False),
            "span_exact": lambda name: self.labeller.mark_span(name, True),
            "link": lambda name: self.labeller.link(name),
            "doc": lambda name, value: self.labeller.set_doc_label(name, value),
        }
        self.actions_by_id = build_actions(self, self.keymap, handlers)
        toggle = self.actions_by_id["toggle_entities"]
        toggle.setCheckable(True)
        toggle.setChecked(bool(self.prefs.get("show_entities", True)))
        toggle.toggled.connect(self.set_show_entities)
        self.actions_by_id["undo"].setEnabled(False)
        self.actions_by_id["redo"].setEnabled(False)
        self._refresh_icons()

    def _refresh_icons(self) -> None:
        for action_id, action in self.actions_by_id.items():
            name = "link" if action_id.startswith("link:") else action_id
            if name in icons.GLYPHS:
                action.setIcon(icons.icon(name))

    def _build_widgets(self) -> None:
        # Left: search, status filter, the document list.
        self.searchBox = QLineEdit()
        self.searchBox.setObjectName("searchBox")
        self.searchBox.setPlaceholderText("Search titles and text  (Ctrl+F)")
        self.searchBox.setClearButtonEnabled(True)
        self.searchBox.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.statusFilter = QComboBox()
        self.statusFilter.setObjectName("statusFilter")
        for status, text in FILTERS:
            self.statusFilter.addItem(icons.status_icon(status) if status else QIcon(),
                                      text, status)
        self.model = DocumentListModel(self.service.document_ids(), self.service.statuses(),
                                       self.service.document_titles)
        self.documentList = QListView()
        self.documentList.setObjectName("documentList")
        self.documentList.setModel(self.model)
        self.documentList.setUniformItemSizes(True)
        self.documentList.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documentList.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.documentList.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.documentList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.countsLabel = QLabel()
        self.countsLabel.setObjectName("countsLabel")
        self.countsLabel.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 4, 4)
        left_layout.addWidget(self.searchBox)
        left_layout.addWidget(self.statusFilter)
        left_layout.addWidget(self.documentList, 1)
        left_layout.addWidget(self.countsLabel)

        # Middle: a quiet header and the article.
        self.docTitle = QLabel()
        self.docTitle.setObjectName("docTitle")
        self.docTitle.setTextFormat(Qt.TextFormat.PlainText)  # article text, never HTML
        self.docTitle.setWordWrap(True)
        self.docMeta = QLabel()
        self.docMeta.setObjectName("docMeta")
        self.docMeta.setTextFormat(Qt.TextFormat.PlainText)
        self.articleView = ArticleView()
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 8, 0, 0)
        middle_layout.setSpacing(2)
        header = QWidget()
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(24, 0, 24, 6)
        header_layout.addWidget(self.docTitle)
        header_layout.addWidget(self.docMeta)
        middle_layout.addWidget(header)
        middle_layout.addWidget(self.articleView, 1)

        # Right: palette above the annotation panel.
        self.labelPalette = LabelPalette(self.schema, self.keymap)
        panel_actions = {k: self.actions_by_id[k] for k in (
            "delete", "accept_suggestion", "reject_suggestion", "accept_all_blocks")}
        panel_actions["link"] = self.actions_by_id["link"]
        self.annotationPanel = AnnotationPanel(self.schema, panel_actions)
        suggestions = dock_layout.take_suggestion_section(self.annotationPanel)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 4, 4, 4)
        right_layout.addWidget(self.labelPalette)
        right_layout.addWidget(self.annotationPanel, 1)
        self.sidePanel = dock_layout.side_scroll(right)

        self.setCentralWidget(middle)
        self.docks = dock_layout.install(self, left, self.sidePanel, suggestions)
        for binding in self.keymap.bindings:
            if binding.scope == keymap_mod.VIEW:
                action = self.actions_by_id[binding.action]
                self.articleView.addAction(action)
                self.documentList.addAction(action)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        base = self.articleView.font()
        self.docTitle.setFont(theme.heading_font(base, 1.3))
        self.docMeta.setFont(theme.small_font(self.font(), 0.95))
        pal = self.docMeta.palette()
        pal.setColor(self.docMeta.foregroundRole(), theme.muted_text())
        self.docMeta.setPalette(pal)

    def _build_menus_and_toolbar(self) -> None:
        fill_menus(self.menuBar(), self.actions_by_id)
        self.projectMenu = project_menu.install(self)
        dock_layout.add_view_toggles(self, self.docks)
        self.toolbar = build_toolbar(self.actions_by_id)
        self.addToolBar(self.toolbar)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.annotatorButton = QToolButton()
        self.annotatorButton.setObjectName("annotatorButton")
        self.annotatorButton.setAutoRaise(True)
        self.annotatorButton.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.annotatorButton.setIcon(icons.icon("annotator"))
        self.annotatorButton.setToolTip("Labels are saved under this name; click to change")
        self.annotatorButton.clicked.connect(self.open_settings)
        self.progressLabel = QLabel()
        self.progressLabel.setObjectName("progressLabel")
        self.backgroundLabel = QLabel()
        self.backgroundLabel.setObjectName("backgroundLabel")
        self.saveLabel = QLabel("Saved")
        self.saveLabel.setObjectName("saveLabel")
        self.writer.saved.connect(self._write_saved)
        self.writer.refused.connect(self._write_lost)
        self.writer.failed.connect(self._write_lost)
        self.writer.stalled.connect(self._write_stalled)
        self.writer.pendingChanged.connect(self._pending_changed)
        self.pickLabel = QLabel()
        self.pickLabel.setObjectName("pickLabel")
        self.pickLabel.setToolTip("Spans picked for linking: click picks one, Ctrl+click "
                                  "adds one, Escape clears; Ctrl+L links them")
        bar.addPermanentWidget(self.pickLabel)
        bar.addPermanentWidget(self.saveLabel)
        bar.addPermanentWidget(self.backgroundLabel)
        bar.addPermanentWidget(self.progressLabel)
        bar.addPermanentWidget(self.annotatorButton)
        self._update_annotator()
        self._background_changed("")

    def _connect(self) -> None:
        self.documentList.selectionModel().currentChanged.connect(self._list_current_changed)
        self.model.countsChanged.connect(self._update_counts)
        self.statusFilter.currentIndexChanged.connect(self._filter_changed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.searchBox.textChanged.connect(lambda _t: self._search_timer.start())
        self.searchBox.returnPressed.connect(self._run_search)
        self.background.busyChanged.connect(self._background_changed)
        labeller = self.labeller
        self.articleView.spanClicked.connect(labeller.span_clicked)
        self.articleView.currentBlockChanged.connect(labeller.current_block_changed)
        self.articleView.currentSuggestionChanged.connect(labeller.view_suggestion_changed)
        self.labelPalette.labelChosen.connect(labeller.palette_chosen)
        self.labelPalette.entitiesToggled.connect(self.actions_by_id["toggle_entities"].setChecked)
        panel = self.annotationPanel
        panel.spanSelectionChanged.connect(labeller.panel_spans_selected)
        panel.relationSelected.connect(labeller.panel_relation_selected)
        panel.spanAttrsEdited.connect(labeller.set_span_attrs)
        panel.relationAttrsEdited.connect(labeller.set_relation_attrs)
        panel.suggestionActivated.connect(labeller.suggestion_activated)
        panel.nextUnsureRequested.connect(labeller.goto_unsure)
        panel.linkRequested.connect(labeller.link_spans)
        panel.docLabelChosen.connect(labeller.set_doc_label)
        self.undoStack.canUndoChanged.connect(self.actions_by_id["undo"].setEnabled)
        self.undoStack.canRedoChanged.connect(self.actions_by_id["redo"].setEnabled)
        self.undoStack.undoTextChanged.connect(
            lambda t: self.actions_by_id["undo"].setText(f"Undo {t}" if t else "Undo"))
        self.undoStack.redoTextChanged.connect(
            lambda t: self.actions_by_id["redo"].setText(f"Redo {t}" if t else "Redo"))
        self._update_counts()

    # -- the commands' context ---------------------------------------------------------
    def changed(self, document_id: int) -> None:
        """After a command: show its document with fresh labels and status."""
        if self.current is None or self.current.id != document_id:
            self.show_document(document_id)
            return
        annotations = self.service.load(document_id)
        suggestions = self.service.suggestions(document_id)
        self.current = replace(self.current, annotations=annotations, suggestions=suggestions)
        labeller = self.labeller
        labeller.keep_existing(annotations)
        self.articleView.set_layers(annotations, suggestions)
        self.articleView.set_selected(labeller.selected_spans, labeller.selected_relation)
        self.annotationPanel.set_document(self.current.text, annotations, suggestions)
        self.annotationPanel.set_selection(labeller.selected_spans, labeller.selected_relation)
        labeller.show_pick()
        if self.model.status(document_id) != annotations.status:
            self.model.set_status(document_id, annotations.status)
        self._update_header()
        self.labeller.current_block_changed(self.articleView.current_block())

    def notify(self, message: str) -> None:
        """One line in the status bar: a refusal, a problem, or what was done."""
        self.statusBar().showMessage(message, 6000)

    def perform(self, command: ServiceCommand) -> bool:
        """Do the command (committed at once, or queued while the project is busy or
        read-only: see ``writer.py``), then put it on the undo stack."""
        try:
            self.writer.write(command, command._do)
        except InputError as exc:
            self.notify(str(exc))
            return False
        command._skip_redo = True  # done (or queued): the push must not do it again
        self.undoStack.push(command)
        return True

    def write(self, command: ServiceCommand, fn: Callable[[], Any]) -> None:
        """Undo and redo write through the same queue, so they keep their order."""
        self.writer.write(command, fn)

    def _write_saved(self, command: ServiceCommand) -> None:
        doc_id = command.document_id
        if self.current is not None and self.current.id == doc_id:
            self.changed(doc_id)
        else:
            self.model.set_status(doc_id, self.service.load(doc_id).status)

    def _write_lost(self, command: ServiceCommand, message: str) -> None:
        command.setObsolete(True)  # the next undo or redo drops it from the stack
        self.notify(message)
        self._write_saved(command)

    def _write_stalled(self, message: str) -> None:
        if message:
            self.notify(message)
        self._pending_changed(self.writer.pending, message)

    def _pending_changed(self, count: int, why: str = "") -> None:
        if count == 0:
            self.saveLabel.setText("Saved")
            self.saveLabel.setToolTip("Every action is saved as you make it")
        else:
            self.saveLabel.setText(f"Saving {count}…" if count > 1 else "Saving…")
            self.saveLabel.setToolTip(why or "Waiting for the project to be free")

    # -- documents -------------------------------------------------------------------
    def show_document(self, document_id: int | None) -> None:
        """Open a document (None: nothing) and select it in the list."""
        opened = None
        if document_id is not None:
            try:
                opened = self.service.open(document_id)
            except InputError as exc:
                self.notify(str(exc))
                return
        self.current = opened
        self._opened_at = time.monotonic()
        self.labeller.clear_pick()
        self.articleView.show_document(opened, self.schema)
        self.annotationPanel.set_document(opened.text if opened else "",
                                          opened.annotations if opened else
                                          self.articleView.annotations,
                                          opened.suggestions if opened else [])
        self.annotationPanel.set_selection([], None)
        self.labeller.show_pick()
        self.labelPalette.set_entity_types(sorted(
            {s.label for s in opened.suggestions if s.layer == "entity"}) if opened else [])
        if opened is not None and self.model.status(opened.id) != opened.annotations.status:
            self.model.set_status(opened.id, opened.annotations.status)
        self._select_in_list(document_id)
        self._update_header()
        self.labeller.current_block_changed(self.articleView.current_block())

    def _select_in_list(self, document_id: int | None) -> None:
        row = self.model.row_of(document_id) if document_id is not None else None
        selection = self.documentList.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.model.index(row)
        if self.documentList.currentIndex() != index:
            selection.blockSignals(True)
            self.documentList.setCurrentIndex(index)
            selection.blockSignals(False)
            self.documentList.viewport().update()
        self.documentList.scrollTo(index)

    def _list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = current.data(DocumentIdRole)
        if doc_id is not None and (self.current is None or self.current.id != doc_id):
            self.show_document(doc_id)

    def step_document(self, step: int) -> None:
        target = self.model.neighbour(self.current.id if self.current else None, step)
        if target is None:
            self.notify("No more articles in this list" if step > 0 else
                        "This is the first article in the list")
            return
        self.show_document(target)

    def finish(self, status: str) -> None:
        """Ctrl+Enter (done) / Ctrl+Shift+Enter (skipped): record it, open the next."""
        if self.current is None:
            return
        doc_id = self.current.id
        seconds = max(0.0, time.monotonic() - self._opened_at)
        if not self.perform(SetStatus(self, doc_id, status, seconds)):
            return
        if status == Status.DONE:
            self.retrainer.document_done()
        target = self.model.next_to_do(doc_id)
        if target is None:
            self.notify("Every document is done or skipped. Well done.")
            return
        self.show_document(target)
        self.articleView.setFocus()

    def _update_header(self) -> None:
        doc = self.current
        if doc is None:
            self.docTitle.setText("No documents yet")
            self.docMeta.setText("Import articles with `annotator import FILES…`")
            return
        title = doc.title or f"Document {doc.id}"
        self.docTitle.setText(title)
        status = theme.STATUS_TEXT.get(doc.annotations.status, doc.annotations.status)
        rating = ", ".join(f"{k}: {v.replace('_', ' ')}"
                           for k, v in doc.annotations.doc_labels.items())
        parts = [doc.source, f"{len(doc.text):,} characters", f"{len(doc.blocks)} blocks",
                 status, rating]
        self.docMeta.setText("  ·  ".join(p for p in parts if p))
        self.setWindowTitle(f"{title} — annotator")

    # -- filtering and search ------------------------------------------------------------
    def _filter_changed(self, _index: int) -> None:
        self.model.set_status_filter(self.statusFilter.currentData())
        self._select_in_list(self.current.id if self.current else None)

    def focus_search(self) -> None:
        self.searchBox.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.searchBox.selectAll()

    def _run_search(self) -> None:
        self._search_timer.stop()
        query = self.searchBox.text().strip()
        if not query:
            self.background.run("search", "", lambda: None, lambda _r: None)  # cancel late
            self._search_done(None)
            return
        service = self.service
        self.background.run("search", "Searching", lambda: service.document_ids(query),
                            self._search_done, self.notify)

    def _search_done(self, ids: list[int] | None) -> None:
        self.model.set_search_result(ids)
        self._select_in_list(self.current.id if self.current else None)

    def _update_counts(self) -> None:
        counts = self.model.counts()
        for i, (status, text) in enumerate(FILTERS):
            n = counts["all"] if status is None else counts[status]
            self.statusFilter.setItemText(i, f"{text}  ({n:,})")
        shown = self.model.rowCount()
        where = " matching the search" if self.model.search_active else ""
        self.countsLabel.setText(f"{shown:,} of {counts['all']:,} documents{where}")
        done, total = self.model.progress()
        self.progressLabel.setText(f"Done {done:,} / {total:,}")

    def _background_changed(self, what: str) -> None:
        self.backgroundLabel.setText(f"{what}…" if what else "")  # saveLabel says "Saved"
        self.backgroundLabel.setToolTip("Background work in progress" if what else "")

    # -- view and settings -----------------------------------------------------------
    def set_show_entities(self, show: bool) -> None:
        self.articleView.set_show_entities(show)
        self.labelPalette.entityToggle.blockSignals(True)
        self.labelPalette.entityToggle.setChecked(show)
        self.labelPalette.entityToggle.blockSignals(False)
        self.prefs["show_entities"] = show

    def _set_font_size(self, size: float) -> None:
        self.articleView.setFont(theme.reading_font(size))
        self.prefs["font_size"] = size
        self._apply_fonts()

    def show_keys(self) -> None:
        dialog = KeyHelpDialog(self.keymap, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialogs = [dialog]
        dialog.show()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.service.name, self.articleView.font().pointSizeF(),
                                self.articleView.show_entities,
                                retraining.retrain_every(self.project),
                                self)
        self._dialogs = [dialog]
        dialog.accepted.connect(lambda: self._settings_accepted(dialog))
        dialog.finished.connect(self._back_to_reading)
        dialog.open()
        dialog.activateWindow()  # keys go to the dialog, not the article behind it
        dialog.nameEdit.setFocus()

    def _settings_accepted(self, dialog: SettingsDialog) -> None:
        self._set_font_size(dialog.sizeBox.value())
        self.actions_by_id["toggle_entities"].setChecked(dialog.entityBox.isChecked())
        self.set_annotator(dialog.nameEdit.text())
        if dialog.retrainBox.value() != retraining.retrain_every(self.project):
            retraining.set_retrain_every(self.project, dialog.retrainBox.value())
        self._save_prefs()

    def set_annotator(self, name: str) -> None:
        """Label from now on as ``name`` (stored in the project); shows their labels."""
        name = name.strip()
        if name != self.service.name:
            try:
                service = AnnotationService(self.project, name)
            except InputError as exc:
                self.notify(str(exc))
                return
            self.service = service
            self.undoStack.clear()  # commands belong to the previous annotator
            self.model.set_all_ids(self.service.document_ids(), self.service.statuses())
            self.show_document(self.current.id if self.current else self.model.doc_id(0))
        self.project.set_setting("annotator", self.service.name)
        self.ask_name = False
        self._update_annotator()

    def reload_documents(self) -> None:
        """After an import or a gold save: the list shows what the project now holds."""
        self.model.set_all_ids(self.service.document_ids(), self.service.statuses())
        if self.current is None and self.model.rowCount():
            self.show_document(self.model.doc_id(0))
        self._update_counts()

    def _update_annotator(self) -> None:
        self.annotatorButton.setText(self.service.name)

    def ask_for_name(self) -> AnnotatorNameDialog:
        """The first-start question; Cancel keeps the proposed name (and asks no more)."""
        dialog = AnnotatorNameDialog(self.service.name, self)
        self._dialogs = [dialog]
        dialog.accepted.connect(lambda: self.set_annotator(dialog.name()))
        dialog.rejected.connect(lambda: self.set_annotator(self.service.name))
        dialog.finished.connect(self._back_to_reading)
        dialog.open()
        dialog.activateWindow()
        dialog.nameEdit.setFocus()
        return dialog

    def _back_to_reading(self) -> None:
        """After a dialog: keys go to the article again."""
        self.activateWindow()
        self.articleView.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.ask_name:
            self.ask_name = False
            QTimer.singleShot(0, self.ask_for_name)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._refresh_icons()
            self._apply_fonts()

    # -- background pre-annotation ------------------------------------------------------
    def start_suggestions(self, check_first: bool = True) -> None:
        """Pre-annotate documents that lack suggestions, in the background.

        spaCy loads in a child process (``services.suggest``), so the window is usable at
        once; the current document goes first, and its suggestions appear as soon as
        they are written. Called by ``run_app`` after the window is shown (tests and
        scripts that only build a window do not start it).

        With ``check_first`` a quiet check (no spaCy, no progress bar) runs first, and
        "Suggesting…" with its progress bar appears only when there is work to do; the
        Project menu's Suggest skips the check, so a changed spaCy model is noticed too.
        """
        from functools import partial

        from annotator.gui.task_bar import start_with_bar
        from annotator.services.suggest import run_suggest

        if self.background.is_running("suggest") or self.background.is_running("suggest-check"):
            return
        if check_first:
            from annotator.services.suggest_check import documents_to_suggest

            project = self.project
            self.background.run("suggest-check", "", lambda: documents_to_suggest(project),
                                self._suggest_checked, self.notify)
            return
        ids = self.model.all_ids()
        first = self.current.id if self.current else None
        order = ([first] if first is not None else []) + [i for i in ids if i != first]
        start_with_bar(self.statusBar(), self.background, "suggest", "Suggesting",
                       partial(run_suggest, self.project, only=order),
                       self._suggestions_done, self._suggestions_failed)
        if getattr(self, "_suggest_poll", None) is None:
            self._suggest_poll = QTimer(self)
            self._suggest_poll.setInterval(1500)
            self._suggest_poll.timeout.connect(self._refresh_suggestions)
        self._suggest_poll.start()

    def _suggest_checked(self, pending: list[int]) -> None:
        if pending:
            self.start_suggestions(check_first=False)

    def _refresh_suggestions(self) -> None:
        """While pre-annotation runs, pick up suggestions for the open document."""
        doc = self.current
        if doc is None or doc.suggestions:
            return
        fresh = self.service.suggestions(doc.id)
        if fresh:
            self.changed(doc.id)
            self.labelPalette.set_entity_types(sorted(
                {s.label for s in fresh if s.layer == "entity"}))

    def _suggestions_failed(self, message: str) -> None:
        self._suggest_poll.stop()
        self.notify(message)

    def _suggestions_done(self, summary: Any) -> None:
        if getattr(self, "_suggest_poll", None) is not None:
            self._suggest_poll.stop()
        self._refresh_suggestions()
        if summary is not None and (getattr(summary, "processed", 0)
                                    or getattr(summary, "updated", 0)):
            self.notify(f"Suggestions ready: {summary.line()}")

    def _save_prefs(self) -> None:
        if self.current is not None:
            self.prefs["last_document"] = self.current.id
        try:
            with busy_wait(INLINE_WAIT_MS):  # a busy project costs the preferences only
                self.project.set_setting("gui", self.prefs)
        except Exception as exc:  # closing must not fail on a locked database
            self.notify(f"Could not save window settings: {exc}")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.writer.wait_idle(2000) and not self._close_unsaved:
            self._close_unsaved = True  # closing again discards them, knowingly
            self.notify(f"{self.writer.pending} actions are not saved yet (the project is "
                        "busy or read-only); close again to discard them")
            event.ignore()
            return
        self.writer.stop()
        self._save_prefs()
        window_state.save(self)
        # Every cancellable job (suggest, import, export, training) stops at its next check
        # point, so the wait is short; what they committed stays.
        self.background.stop_all()
        self.background.wait(15000)
        super().closeEvent(event)


def create_window(project: Project | str | Path, annotator: str | None = None) -> MainWindow:
    """Build the main window without starting the event loop (for tests and scripts).

    Without ``annotator`` the name stored in the project is used; on a project that has
    none, the window proposes the system user name and asks once when first shown.
    """
    if not isinstance(project, Project):
        project = open_project(project)
    return MainWindow(project, annotator)
