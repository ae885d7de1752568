"""The Agreement window: the report's numbers in tables and charts, and the way to gold.

Everything shown comes from one report dict (``services.agreement.compute``) through the
same tables (``core.report_tables``) and charts (``core.report_render``) the CLI uses,
so the window, the text, CSV and HTML reports show the same figures, each beside the
number of units behind it. The report is
computed by the window's own ``Background`` runner (``gui/workers.py``, one thread), whose
worker never touches a widget: progress and the result come back by signal (queued to
the GUI thread), and Cancel sets the job's event, which the service looks at between
pages. Double-clicking a document (or Adjudicate) opens its adjudication view as
a tab of this window, so a lead goes from a number to a gold version without leaving it.

The main window opens it with ``open_agreement_window(project, parent=self)``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import report_render as render
from annotator.core.errors import InputError
from annotator.core.report_tables import (
    DEFINITIONS_AT_THE_END,
    DOCUMENT_COLUMNS,
    LAYER_TITLES,
    ReportTables,
    Table,
    fmt,
)
from annotator.core.vocabulary import RESERVED_ANNOTATORS, SUGGESTIONS
from annotator.gui import theme
from annotator.gui.adjudication import AdjudicationView
from annotator.gui.workers import Background
from annotator.services import agreement
from annotator.services.project import Project

_ModelIndex = QModelIndex | QPersistentModelIndex
_NUMERIC = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


REPORT_KEY = "agreement"  # the window's one job: a newer computation supersedes an older


# -- documents table -----------------------------------------------------------------------------


class DocumentsModel(QAbstractTableModel):
    """The ranked documents: thousands of rows, so a model rather than table items."""

    COLUMNS = DOCUMENT_COLUMNS[:DOCUMENT_COLUMNS.index("annotators") + 1]
    _LAYERS = tuple(LAYER_TITLES)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_documents(self, documents: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = [{**doc, "rank": rank} for rank, doc in enumerate(documents, start=1)]
        self.endResetModel()

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def _value(self, doc: dict[str, Any], column: int) -> Any:
        if column == 0:
            return doc["rank"]
        if column == 1:
            return doc["disagreement"]
        if 2 <= column <= 5:
            return doc["layers"].get(self._LAYERS[column - 2])
        if column == 6:
            return doc["title"]
        return ", ".join(doc["annotators"])

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._value(doc, column)
            return fmt(value) if 1 <= column <= 5 else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column <= 5:
            return _NUMERIC
        if role == Qt.ItemDataRole.ToolTipRole:
            return theme.tooltip(f"{doc['title']}\n{doc['id']}\nDouble-click to adjudicate")
        if role == Qt.ItemDataRole.BackgroundRole and column == 1 and doc["disagreement"]:
            return QColor(render.heat_color(1.0 - doc["disagreement"]))
        if role == Qt.ItemDataRole.UserRole:
            return doc["id"]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        def key(doc: dict[str, Any]) -> Any:
            value = self._value(doc, column)
            if isinstance(value, str):
                return (0, value.casefold())
            return (0 if value is not None else 1, value if value is not None else 0)

        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


# -- helpers -------------------------------------------------------------------------------------


def _table(source: Table) -> QTableWidget:
    """A read-only table of strings; numeric columns right-aligned."""
    rows, numeric = source.rows, source.numeric
    table = QTableWidget(len(rows), len(source.columns))
    table.setHorizontalHeaderLabels(list(source.columns))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            item = QTableWidgetItem(str(cell))
            if numeric[c]:
                item.setTextAlignment(_NUMERIC)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.resizeRowsToContents()
    # Exactly as big as its content: figures stay beside their labels and their n, and
    # the page (not each table) scrolls when the report is long.
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    frame = 2 * table.frameWidth()
    width = sum(table.columnWidth(c) for c in range(table.columnCount())) + frame
    height = (table.horizontalHeader().sizeHint().height()
              + sum(table.rowHeight(r) for r in range(table.rowCount())) + frame)
    table.setFixedSize(width, height)
    return table


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _svgs(charts: dict[str, str], *keys: str) -> list[QWidget]:
    return [_svg(charts[key]) for key in keys if key in charts]


class _Page(QScrollArea):
    """A report tab: rows of tables and charts, left-aligned, scrolling when long."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)

    def fill(self, rows: Sequence[Sequence[QWidget]]) -> None:
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setSpacing(10)
        for row in rows:
            line = QHBoxLayout()
            line.setSpacing(24)
            for widget in row:
                line.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
            line.addStretch(1)
            column.addLayout(line)
        column.addStretch(1)
        old = self.takeWidget()
        self.setWidget(inner)
        if old is not None:
            old.deleteLater()


def _svg(svg: str) -> QSvgWidget:
    widget = QSvgWidget()
    widget.load(QByteArray(svg.encode("utf-8")))
    size = widget.renderer().defaultSize()
    widget.setFixedSize(size)
    return widget


# -- the window ----------------------------------------------------------------------------------


class AgreementWindow(QMainWindow):
    """Agreement per layer, label and pair; ranked documents; adjudication tabs."""

    reportReady = Signal(object)
    goldSaved = Signal(str)  # sha256 of a document whose gold changed

    def __init__(self, project: Project, annotators: Sequence[str] | None = None,
                 parent: QWidget | None = None, *, start: bool = True) -> None:
        super().__init__(parent)
        if parent is not None:
            self.setWindowFlag(Qt.WindowType.Window, True)
        self.project = project
        self.report: dict[str, Any] | None = None
        self.error: str | None = None
        self.adjudications: dict[str, AdjudicationView] = {}
        self.background = Background(self, threads=1)
        self.background.progressed.connect(self._on_progress)
        self._running = False
        self._selected: list[str] | None = list(annotators) if annotators is not None else None

        self.setWindowTitle(f"Agreement — {project.label}")
        self.resize(1280, 860)
        self._build()
        if start:
            self.compute()

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        self.annotatorsButton = QToolButton()
        self.annotatorsButton.setText("Annotators")
        self.annotatorsButton.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.annotatorsMenu = QMenu(self.annotatorsButton)
        self.annotatorsButton.setMenu(self.annotatorsMenu)
        self.annotatorsMenu.aboutToShow.connect(self._fill_annotator_menu)
        self.recomputeButton = QPushButton("Recompute")
        self.recomputeButton.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.recomputeButton.clicked.connect(self.compute)
        self.progressBar = QProgressBar()
        self.progressBar.setMinimumWidth(240)
        self.progressBar.setMaximumWidth(320)
        self.progressBar.setTextVisible(True)
        self.cancelButton = QPushButton("Cancel")
        self.cancelButton.clicked.connect(self.cancel)
        self.saveButton = QPushButton("Save report…")
        self.saveButton.clicked.connect(self.save_report_dialog)
        self.saveButton.setEnabled(False)
        self.summaryLabel = QLabel("Computing agreement…")
        self.summaryLabel.setWordWrap(True)
        self.summaryLabel.setTextFormat(Qt.TextFormat.PlainText)

        bar = QHBoxLayout()
        bar.addWidget(self.annotatorsButton)
        bar.addWidget(self.recomputeButton)
        bar.addWidget(self.progressBar)
        bar.addWidget(self.cancelButton)
        bar.addStretch(1)
        bar.addWidget(self.saveButton)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.overviewPage = _Page()
        self.blocksPage = _Page()
        self.spansPage = _Page()
        self.relationsPage = _Page()
        self.pairsPage = _Page()
        self.documentsModel = DocumentsModel(self)
        self.documentsView = QTableView()
        self.documentsView.setModel(self.documentsModel)
        self.documentsView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documentsView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documentsView.setSortingEnabled(True)
        self.documentsView.setAlternatingRowColors(True)
        self.documentsView.verticalHeader().setVisible(False)
        self.documentsView.horizontalHeader().setStretchLastSection(True)
        self.documentsView.doubleClicked.connect(self._document_activated)
        self.adjudicateButton = QPushButton("Adjudicate selected document")
        self.adjudicateButton.clicked.connect(self._adjudicate_selected)
        documents = QWidget()
        documents_layout = QVBoxLayout(documents)
        hint = QLabel("Documents counted in the report, most disputed first. "
                      "Double-click one to settle it into the gold version.")
        hint.setWordWrap(True)
        documents_layout.addWidget(hint)
        documents_layout.addWidget(self.documentsView, 1)
        documents_layout.addWidget(self.adjudicateButton, 0, Qt.AlignmentFlag.AlignRight)
        self.documentsPage = documents

        for page, title in ((self.overviewPage, "Overview"), (self.documentsPage, "Documents"),
                            (self.blocksPage, "Blocks"), (self.spansPage, "Spans"),
                            (self.relationsPage, "Relations"), (self.pairsPage, "Pairs")):
            self.tabs.addTab(page, title)
        for index in range(self.tabs.count()):  # the report's own tabs stay
            self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide,
                                            None)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.summaryLabel)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        close = QAction("Close", self)
        close.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        close.triggered.connect(self.close)
        self.addAction(close)
        self._set_running(False)

    def _fill_annotator_menu(self) -> None:
        self.annotatorsMenu.clear()
        names = agreement.known_annotators(self.project)
        people = [n for n in names if n not in RESERVED_ANNOTATORS]
        selected = set(self._selected) if self._selected is not None else set(people)
        everyone = self.annotatorsMenu.addAction("Everyone (except gold)")
        everyone.triggered.connect(lambda: self.set_annotators(None))
        self.annotatorsMenu.addSeparator()
        for name in [n for n in names if n != SUGGESTIONS]:
            action = self.annotatorsMenu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in selected)
            action.toggled.connect(lambda on, name=name: self._toggle_annotator(name, on))

    def _toggle_annotator(self, name: str, on: bool) -> None:
        current = self._selected
        if current is None:
            current = [n for n in agreement.known_annotators(self.project)
                       if n not in RESERVED_ANNOTATORS]
        chosen = [n for n in current if n != name] + ([name] if on else [])
        if len(chosen) < 2:
            self.summaryLabel.setText("Choose at least two annotators to compare.")
            return
        self.set_annotators(sorted(chosen))

    def set_annotators(self, names: Sequence[str] | None) -> None:
        """Compare only ``names`` (None: everyone except gold) and recompute."""
        self._selected = list(names) if names is not None else None
        self.compute()

    # -- computing -----------------------------------------------------------------------------
    def compute(self) -> None:
        """(Re)compute the report in the worker; a running computation is cancelled."""
        self.cancel()  # a previous job, if any, stops and its late result is ignored
        self.error = None
        self._set_running(True)
        self.progressBar.setRange(0, 0)
        self.progressBar.setFormat("Reading documents…")
        self.summaryLabel.setText("Computing agreement…")
        self.background.start(REPORT_KEY, "", partial(agreement.compute, self.project,
                                                      self._selected),
                              self._on_finished, self._on_failed, self._on_cancelled)

    def cancel(self) -> None:
        self.background.cancel(REPORT_KEY)

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.progressBar.setVisible(running)
        self.cancelButton.setVisible(running)
        self.recomputeButton.setEnabled(not running)

    @property
    def running(self) -> bool:
        return self._running

    @Slot(str, int, int, str)
    def _on_progress(self, _key: str, done: int, total: int, stage: str) -> None:
        if stage == agreement.LOADING:
            self.progressBar.setRange(0, max(total, 1))
            self.progressBar.setValue(done)
            self.progressBar.setFormat("Reading documents %v/%m")
        else:
            self.progressBar.setRange(0, 0)
            self.progressBar.setFormat("Computing…")

    def _on_finished(self, report: dict[str, Any]) -> None:
        self._set_running(False)
        self.show_report(report)

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.error = message
        self.summaryLabel.setText(f"Could not compute the agreement: {message}")

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self.summaryLabel.setText("Cancelled. Press Recompute to start again.")

    # -- showing -------------------------------------------------------------------------------
    def show_report(self, report: dict[str, Any]) -> None:
        """Fill every tab from ``report`` (also usable with a report computed elsewhere)."""
        self.report = report
        self.saveButton.setEnabled(True)
        who = ", ".join(report["annotators"]) or "nobody"
        tables = ReportTables(report)
        self.summaryLabel.setText(tables.nothing_to_compare
                                  or f"{tables.summary}. Compared: {who}.")
        charts = render.charts(report, tables)

        self.overviewTable = _table(tables.overall)
        self.excludedTable = _table(tables.excluded.renamed({"what": "left out, or counted"}))
        self.overviewPage.fill([
            [self.overviewTable, *_svgs(charts, "overall")],
            [_heading("What was counted and what was left out")],
            [self.excludedTable],
        ])

        self.blocksTable = _table(tables.blocks)
        self.confusionTable = _table(tables.confusion)
        self.blocksPage.fill([
            [self.blocksTable, *_svgs(charts, "blocks_per_label")],
            [_heading(tables.confusion.title)],
            [self.confusionTable],
        ])

        self.spansTable = _table(tables.spans)
        notes = [QLabel(text.replace(DEFINITIONS_AT_THE_END,
                                     "Definitions: in the report saved as HTML or JSON."))
                 for text in tables.spans.notes]
        for note in notes:
            note.setWordWrap(True)
        self.spansPage.fill([[self.spansTable, *_svgs(charts, "spans_per_label")],
                             *[[note] for note in notes]])

        self.relationsTable = _table(tables.relations)
        self.docLabelsTable = _table(tables.doc_labels.renamed({"label": "document label"}))
        self.relationsPage.fill([
            [self.relationsTable, *_svgs(charts, "relations_per_label")],
            [_heading(tables.doc_labels.title)],
            [self.docLabelsTable],
        ])

        self.pairsTable = _table(tables.pairs)
        maps = [_svg(svg) for key, svg in charts.items() if key.startswith("pairs_")]
        self.pairsPage.fill([[self.pairsTable],
                             *[maps[i : i + 2] for i in range(0, len(maps), 2)]])

        self.documentsModel.set_documents(report["documents"])
        self.documentsView.resizeColumnsToContents()
        self.documentsView.horizontalHeader().setSectionResizeMode(
            DocumentsModel.COLUMNS.index("title"), QHeaderView.ResizeMode.Stretch)
        self.adjudicateButton.setEnabled(bool(report["documents"]))
        self.reportReady.emit(report)

    # -- documents and adjudication -------------------------------------------------------------
    def _document_activated(self, index: QModelIndex) -> None:
        sha = self.documentsModel.data(index, Qt.ItemDataRole.UserRole)
        if sha:
            self.open_adjudication(sha)

    def _adjudicate_selected(self) -> None:
        rows = self.documentsView.selectionModel().selectedRows()
        index = rows[0] if rows else self.documentsModel.index(0, 0)
        if index.isValid():
            self._document_activated(index)

    def open_adjudication(self, sha256: str) -> AdjudicationView | None:
        """Open (or bring forward) the adjudication tab of one document (by sha256).

        None, after telling the user why, when the document cannot be opened (it was
        deleted since the report was computed, say).
        """
        view = self.adjudications.get(sha256)
        if view is None:
            compared = self.report["annotators"] if self.report else None
            try:
                view = AdjudicationView(self.project, sha256, compared)
            except InputError as exc:
                QMessageBox.warning(self, "Adjudication", str(exc))
                return None
            view.saved.connect(self.goldSaved)
            self.adjudications[sha256] = view
            title = view.versions.title or sha256[:12]
            short = title if len(title) <= 28 else title[:27] + "…"
            self.tabs.addTab(view, f"Adjudicate: {short}")
            self.tabs.setTabToolTip(self.tabs.indexOf(view), theme.tooltip(title))
        self.tabs.setCurrentWidget(view)
        return view

    def _close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, AdjudicationView):
            if not widget.confirm_close():
                return
            self.adjudications.pop(widget.versions.sha256, None)
            self.tabs.removeTab(index)
            widget.deleteLater()

    # -- saving the report ----------------------------------------------------------------------
    def save_report_dialog(self) -> None:
        if self.report is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save agreement report", "agreement.html",
            "HTML page (*.html);;JSON (*.json);;CSV (*.csv);;Text (*.txt)",
        )
        if path:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> None:
        """Write the shown report; the format follows the file's extension."""
        assert self.report is not None
        suffix = path.suffix.lower()
        title = f"Agreement — {self.project.label}"
        if suffix == ".json":
            content = json.dumps(self.report, indent=2, ensure_ascii=False) + "\n"
        elif suffix == ".csv":
            content = render.to_csv(self.report)
        elif suffix in (".txt", ".text"):
            content = render.to_text(self.report, title=title)
        else:
            content = render.to_html(self.report, title=title)
        path.write_text(content, encoding="utf-8")

    # -- closing --------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        for view in list(self.adjudications.values()):
            if not view.confirm_close():
                event.ignore()
                return
        self.background.stop_all()
        self.background.wait(5000)  # the worker stops at the next page; then nothing emits
        super().closeEvent(event)


def open_agreement_window(project: Project, parent: QWidget | None = None,
                          annotators: Sequence[str] | None = None) -> AgreementWindow:
    """Open the Agreement window as a top-level window and start computing.

    With a ``parent`` (the main window) it closes with it; it deletes itself when closed.
    """
    window = AgreementWindow(project, annotators, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
