"""The Project menu as a lead uses it: import with progress, cancel, export, agreement."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QToolButton,
    QWidget,
)

from annotator.gui.task_bar import TaskBar
from annotator.services.annotation import AnnotationService


def _action(window, name: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.projectMenu.actions() if a.objectName() == f"action:{name}")


def test_import_articles_from_the_menu_runs_in_the_background(
    qtbot, project, add_docs, open_window, tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    add_docs("First article headline here\n\nBody of the first article.")
    window = open_window()
    titles = [f"Imported headline number {i} today" for i in range(3)]
    files = []
    for i, title in enumerate(titles):
        path = tmp_path / f"new{i}.txt"
        path.write_text(f"{title}\n\nBody text {i}.", encoding="utf-8")
        files.append(str(path))
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([*files, str(bad)], "")))
    # Suggestions would start a spaCy process after the import; this test is about import.
    monkeypatch.setattr(window, "start_suggestions", lambda: None)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.index("&Project") == menus.index("&Help") - 1
    _action(window, "import").trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=10_000)
    shown = {window.model.index(r, 0).data() for r in range(window.model.rowCount())}
    assert set(titles) <= shown
    qtbot.waitUntil(lambda: "1 refused" in window.statusBar().currentMessage())
    # The refused file is reported with its reason, in a message the user can open.
    box = next(w for w in QApplication.topLevelWidgets()
               if w.isVisible() and w.windowTitle() == "Some files were refused")
    assert "empty.txt: empty file" in box.detailedText()
    box.close()
    assert not window.findChildren(TaskBar)


def test_cancel_background_suggestions_from_the_status_bar(
    qtbot, project, add_docs, open_window,  # type: ignore[no-untyped-def]
) -> None:
    add_docs(*[f"Headline {i} about the coalition talks\n\nOfficials said on Thursday that "
               f"talks would begin in {2000 + i}." for i in range(40)])
    window = open_window()
    window.start_suggestions()
    bar = window.findChild(TaskBar, "taskBar:suggest")
    assert bar is not None and bar.isVisible()
    cancel = bar.findChild(QToolButton, "cancelButton")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not cancel.isEnabled() and "stopping" in bar.label.text()
    qtbot.waitUntil(lambda: not window.background.is_running("suggest"), timeout=60_000)
    # Cancelled: far from all 40 documents got suggestions, and what was written stays.
    with sqlite3.connect(project.path) as conn:
        done = conn.execute("select count(distinct document_id) from suggestions").fetchone()[0]
    assert done < 40
    assert window.findChild(TaskBar, "taskBar:suggest") is None or not bar.isVisible()
    # Starting again picks up where it stopped; a second start while running is refused.
    window.start_suggestions()
    window.start_suggestions()
    assert len([b for b in window.findChildren(TaskBar) if b.isVisible()]) == 1
    qtbot.waitUntil(lambda: not window.background.is_running("suggest"), timeout=120_000)
    with sqlite3.connect(project.path) as conn:
        done = conn.execute("select count(distinct document_id) from suggestions").fetchone()[0]
    assert done == 40


def test_export_dialog_writes_my_done_documents(
    qtbot, project, add_docs, open_window, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    texts = add_docs("Mayor resigns after the council vote\n\nThe mayor resigned on Monday.")
    window = open_window()
    service = AnnotationService(project, "alice")
    doc_id = window.current.id
    start = texts[0].index("The mayor")
    service.add_span(doc_id, "CLAIM", start, start + len("The mayor resigned on Monday"))
    service.set_status(doc_id, "done")
    from annotator.gui.export_dialog import ExportDialog

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    out = tmp_path / "out.jsonl"
    dialog.show()
    dialog.outEdit.setText(str(out))
    export_button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert export_button.text() == "Export"
    qtbot.mouseClick(export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(out.exists, timeout=30_000)
    qtbot.waitUntil(lambda: not window.background.is_running("export"), timeout=30_000)
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["annotator"] == "alice" and record["status"] == "done"
    assert [s["text"] for s in record["spans"]] == ["The mayor resigned on Monday"]


def test_agreement_window_opens_from_the_menu(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    add_docs("Some headline for agreement\n\nA body paragraph.")
    window = open_window()
    _action(window, "agreement").trigger()
    agreement = window._agreement_window
    assert isinstance(agreement, QWidget) and agreement.isVisible()
    agreement.close()
