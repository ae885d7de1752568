"""A list model of the project's documents that fetches rows lazily.

Rows arrive in pages through ``canFetchMore``/``fetchMore`` so a 100,000-document
project opens as fast as a small one; only ids, titles and status counts are held.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.store import Project
from annotator.store.documents import DocumentRow, list_documents

PAGE = 500
DocumentIdRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractListModel):
    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self._all: list[DocumentRow] = []
        self._shown = 0
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        with self.project.sessions() as session:
            self._all = list_documents(session)
        self._shown = min(PAGE, len(self._all))
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent: _Index) -> None:
        extra = min(PAGE, len(self._all) - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + extra - 1)
        self._shown += extra
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= self._shown:
            return None
        row = self._all[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title or f"Document {row.id}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n{row.source} · {row.chars} characters · {row.done} done"
        if role == DocumentIdRole:
            return row.id
        return None
