"""The Agreement window lays out the same tables as the saved reports, cell for cell."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from annotator.core.report_tables import ReportTables, Table
from annotator.gui.agreement_window import AgreementWindow
from annotator.store import open_project
from tests.unit.test_report_tables import _report


def _shown(widget: QTableWidget) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    header = tuple(widget.horizontalHeaderItem(c).text() for c in range(widget.columnCount()))
    rows = tuple(tuple(widget.item(r, c).text() for c in range(widget.columnCount()))
                 for r in range(widget.rowCount()))
    return header, rows


def test_window_tables_are_the_report_tables(qtbot: QtBot, tmp_path: Path) -> None:
    project = open_project(tmp_path / "p.annotator")
    try:
        window = AgreementWindow(project, start=False)
        qtbot.addWidget(window)
        result = _report()
        window.show_report(result)
        tables = ReportTables(result)
        expected: dict[str, Table] = {
            "overviewTable": tables.overall,
            "blocksTable": tables.blocks,
            "confusionTable": tables.confusion,
            "spansTable": tables.spans,
            "relationsTable": tables.relations,
            "pairsTable": tables.pairs,
            # the window words two headers for the page they sit on
            "excludedTable": tables.excluded.renamed({"what": "left out, or counted"}),
            "docLabelsTable": tables.doc_labels.renamed({"label": "document label"}),
        }
        for name, table in expected.items():
            assert _shown(getattr(window, name)) == (table.columns, table.rows), name
        model = window.documentsModel
        assert model.rowCount() == tables.n_documents
        columns = tables.documents().pick(*model.COLUMNS)
        for r, row in enumerate(columns.rows):
            assert tuple(model.data(model.index(r, c)) for c in range(len(row))) == row
        window.close()
    finally:
        project.close()
