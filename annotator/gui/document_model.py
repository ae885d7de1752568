"""The document list: every document's id up front, titles fetched lazily by page.

Why this shape: a 100,000-document project must open in well under a second and scroll
smoothly. Ids (and this annotator's statuses, a small dict of what is not "to do") are
cheap to hold for every document, so filtering by status, counting, finding a row and
"the next one to do" are plain Python over lists. Titles are what costs: they are read
only for the rows the view actually paints, one page of ``PAGE`` rows at a time.

Full-text search is a table scan, so the window runs it on a worker and hands the
matching ids to ``set_search_result``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from annotator.core.vocabulary import OPEN_STATUSES, STATUSES, Status
from annotator.gui import icons, theme

PAGE = 200
DocumentIdRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex

TitleLoader = Callable[[Sequence[int]], dict[int, tuple[str, str]]]


class DocumentListModel(QAbstractListModel):
    """Rows are documents in id order, filtered by status and by a search result."""

    countsChanged = Signal()

    def __init__(self, ids: Sequence[int], statuses: dict[int, str],
                 load_titles: TitleLoader) -> None:
        super().__init__()
        self._all_ids = list(ids)
        self._statuses = dict(statuses)
        self._load_titles = load_titles
        self._titles: dict[int, tuple[str, str]] = {}
        self._search: list[int] | None = None
        self._status_filter: str | None = None
        self._rows: list[int] = list(self._all_ids)

    # -- Qt model --------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        doc_id = self._rows[index.row()]
        if role == DocumentIdRole:
            return doc_id
        if role == StatusRole:
            return self.status(doc_id)
        if role == Qt.ItemDataRole.DisplayRole:
            title, _ = self._title(index.row())
            return title or f"Document {doc_id}"
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.status_icon(self.status(doc_id))
        if role == Qt.ItemDataRole.ToolTipRole:
            title, source = self._title(index.row())
            status = theme.STATUS_TEXT[self.status(doc_id)]
            lines = [title, source, f"#{doc_id} · {status}"]
            return theme.tooltip("\n".join(line for line in lines if line))
        return None

    def _title(self, row: int) -> tuple[str, str]:
        doc_id = self._rows[row]
        found = self._titles.get(doc_id)
        if found is None:
            start = row - row % PAGE
            page = [i for i in self._rows[start : start + PAGE] if i not in self._titles]
            self._titles.update(self._load_titles(page))
            if len(self._titles) > 20 * PAGE:  # keep memory flat while scrolling far
                keep = set(self._rows[max(0, start - PAGE) : start + 2 * PAGE])
                self._titles = {k: v for k, v in self._titles.items() if k in keep}
            found = self._titles.get(doc_id, ("", ""))
        return found

    # -- filtering -------------------------------------------------------------------
    @property
    def status_filter(self) -> str | None:
        return self._status_filter

    @property
    def search_active(self) -> bool:
        return self._search is not None

    def set_status_filter(self, status: str | None) -> None:
        self._status_filter = status
        self._refilter()

    def set_search_result(self, ids: Sequence[int] | None) -> None:
        """Restrict the list to ``ids`` (a search result), or show all with ``None``."""
        self._search = None if ids is None else list(ids)
        self._refilter()

    def set_all_ids(self, ids: Sequence[int], statuses: dict[int, str]) -> None:
        """Replace everything (another annotator's statuses, a re-read project)."""
        self._all_ids = list(ids)
        self._statuses = dict(statuses)
        self._titles.clear()
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        base = self._all_ids if self._search is None else self._search
        wanted = self._status_filter
        self._rows = base if wanted is None else [i for i in base if self.status(i) == wanted]
        self.endResetModel()
        self.countsChanged.emit()

    # -- lookups ---------------------------------------------------------------------
    def all_ids(self) -> list[int]:
        return list(self._all_ids)

    def status(self, doc_id: int) -> str:
        return self._statuses.get(doc_id, Status.TODO)

    def doc_id(self, row: int) -> int | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, doc_id: int) -> int | None:
        """Rows are in id order, so a binary search: no 100,000-entry dict to build
        before the window can show its first document."""
        row = bisect_left(self._rows, doc_id)
        return row if row < len(self._rows) and self._rows[row] == doc_id else None

    def title(self, doc_id: int) -> str:
        row = self.row_of(doc_id)
        if row is not None:
            return self._title(row)[0]
        return self._load_titles([doc_id]).get(doc_id, ("", ""))[0]

    def counts(self) -> dict[str, int]:
        """Documents per status among the listed base (the search result or all)."""
        base = self._all_ids if self._search is None else self._search
        if self._search is None:
            found = Counter(self._statuses.values())
            found[Status.TODO] = len(base) - sum(v for k, v in found.items() if k != Status.TODO)
        else:
            found = Counter(self.status(i) for i in base)
        return {s: found.get(s, 0) for s in STATUSES} | {"all": len(base)}

    def progress(self) -> tuple[int, int]:
        """(done, total) over the whole project for this annotator."""
        done = sum(1 for s in self._statuses.values() if s == Status.DONE)
        return done, len(self._all_ids)

    def set_status(self, doc_id: int, status: str) -> None:
        """Record a status change; the row stays listed until the filter is re-applied
        (a row vanishing under the reader's eyes is disorienting)."""
        if status == Status.TODO:
            self._statuses.pop(doc_id, None)
        else:
            self._statuses[doc_id] = status
        row = self.row_of(doc_id)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index)
        self.countsChanged.emit()

    def neighbour(self, doc_id: int | None, step: int) -> int | None:
        """The listed document ``step`` rows away (Alt+Left/Right)."""
        if not self._rows:
            return None
        row = self.row_of(doc_id) if doc_id is not None else None
        if row is None:
            return self._rows[0]
        target = row + step
        return self._rows[target] if 0 <= target < len(self._rows) else None

    def next_to_do(self, doc_id: int | None) -> int | None:
        """The next document not done or skipped after ``doc_id``: first among the
        listed rows (wrapping round), then in the whole project."""
        for pool in (self._rows, self._all_ids):
            if not pool:
                continue
            start = 0
            if doc_id is not None:
                row = self.row_of(doc_id) if pool is self._rows else None
                if row is None:
                    # both lists are in id order
                    row = bisect_right(pool, doc_id) - 1
                start = row + 1
            n = len(pool)
            for k in range(n):
                candidate = pool[(start + k) % n]
                if candidate != doc_id and self.status(candidate) in OPEN_STATUSES:
                    return candidate
        return None
