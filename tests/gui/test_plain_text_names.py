"""An annotator's name is text, never markup, wherever the window shows it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextDocument

from annotator.gui.adjudication import AdjudicationView
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from annotator.store import open_project
from annotator.store.documents import list_documents

NAME = '<b>Eve</b><img src="x">'


def _shown(tooltip: str) -> str:
    """What Qt displays for a tooltip (it renders rich text when it looks like HTML)."""
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def test_adjudication_shows_an_html_looking_name_literally(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Title\n\nThe council met on Monday.\n",
                                             encoding="utf-8")
    project = open_project(tmp_path / "p.sqlite")
    try:
        import_paths(project, [tmp_path / "docs"])
        with project.sessions() as session:
            doc_id = list_documents(session)[0].id
        for name, label in ((NAME, "navigation"), ("bob", "content")):
            service = AnnotationService(project, name)
            service.set_block_labels(doc_id, {0: label})
            service.set_status(doc_id, "done")
        view = AdjudicationView(project, doc_id)
        qtbot.addWidget(view)
        view.show()
        tips = [button.toolTip() for button in view.pickButtons]
        assert any(NAME in _shown(tip) for tip in tips), tips
        table = view.itemsTable
        cells = [table.item(r, c).toolTip() for r in range(table.rowCount())
                 for c in range(table.columnCount()) if table.item(r, c) is not None]
        assert any(NAME in _shown(tip) for tip in cells)
        view.close()
    finally:
        project.close()
