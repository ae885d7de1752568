"""The main window: document list on the left, the selected article on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QListView, QMainWindow, QPlainTextEdit, QSplitter

from annotator.gui.document_model import DocumentIdRole, DocumentListModel
from annotator.store import Project, open_project
from annotator.store.documents import get_document


class MainWindow(QMainWindow):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.setWindowTitle(f"annotator — {project.label}")
        self.resize(1200, 800)
        self.model = DocumentListModel(project)
        self.documentList = QListView()
        self.documentList.setObjectName("documentList")
        self.documentList.setModel(self.model)
        self.documentList.setUniformItemSizes(True)
        self.articleView = QPlainTextEdit()
        self.articleView.setObjectName("articleView")
        self.articleView.setReadOnly(True)
        font = QFont(self.articleView.font())
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.articleView.setFont(font)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.documentList)
        splitter.addWidget(self.articleView)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 880])
        self.setCentralWidget(splitter)
        self.documentList.selectionModel().currentChanged.connect(self._show)
        self.statusBar().showMessage(f"{self.model.rowCount()} documents")
        if self.model.rowCount():
            self.documentList.setCurrentIndex(self.model.index(0))

    def _show(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = current.data(DocumentIdRole)
        if doc_id is None:
            return
        with self.project.sessions() as session:
            doc = get_document(session, doc_id)
            text = doc.text if doc else ""
        # setPlainText: article text is never interpreted as HTML.
        self.articleView.setPlainText(text)


def create_window(project: Project | str | Path) -> MainWindow:
    """Build the main window without starting the event loop (for tests and scripts)."""
    if not isinstance(project, Project):
        project = open_project(project)
    return MainWindow(project)
