"""The window `annotator` opens: documents listed, the selected one shown as text."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit, QTextEdit, QWidget

from annotator.gui import create_window
from annotator.services.importing import import_paths


def test_lists_documents_and_shows_the_selected_one(qtbot, project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("First headline of the day\n\nBody <b>not bold</b>.")
    (tmp_path / "b.txt").write_text("Second headline about talks\n\nAnother 😀 body.")
    import_paths(project, [tmp_path / "a.txt", tmp_path / "b.txt"])
    window = create_window(project)
    qtbot.addWidget(window)
    window.show()
    doc_list: QAbstractItemView = window.findChild(QAbstractItemView, "documentList")
    view = window.findChild(QWidget, "articleView")
    assert isinstance(view, QPlainTextEdit | QTextEdit)
    assert doc_list is not None and view is not None
    model = doc_list.model()
    titles = {model.index(r, 0).data() for r in range(model.rowCount())}
    assert {"First headline of the day", "Second headline about talks"} <= titles
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data() == "Second headline about talks")
    doc_list.setFocus()
    doc_list.setCurrentIndex(model.index(row, 0))
    qtbot.waitUntil(lambda: "Another 😀 body." in view.toPlainText())
    first = next(r for r in range(model.rowCount())
                 if model.index(r, 0).data() == "First headline of the day")
    doc_list.setCurrentIndex(model.index(first, 0))
    # Shown as text, never as HTML.
    qtbot.waitUntil(lambda: "Body <b>not bold</b>." in view.toPlainText())
    assert view.isReadOnly()
