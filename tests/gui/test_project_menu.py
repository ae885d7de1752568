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
    QMenu,
    QMessageBox,
    QToolButton,
    QWidget,
)

from annotator.gui.task_bar import TaskBar
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths


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
    qtbot.waitUntil(lambda: not window.findChildren(TaskBar))  # removed once the job ended


def test_cancel_background_suggestions_from_the_status_bar(
    qtbot, project, add_docs, open_window,  # type: ignore[no-untyped-def]
) -> None:
    add_docs(*[f"Headline {i} about the coalition talks\n\nOfficials said on Thursday that "
               f"talks would begin in {2000 + i}." for i in range(40)])
    window = open_window()
    window.start_suggestions()  # as at start-up: a quiet check finds 40 new documents
    qtbot.waitUntil(lambda: window.findChild(TaskBar, "taskBar:suggest") is not None)
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
    _action(window, "suggest").trigger()
    _action(window, "suggest").trigger()
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


# -- New…, Open…, recent projects, Quit ----------------------------------------------------
def _project_with(path: Path, *titles: str) -> None:
    from annotator.store import open_project

    folder = path.parent / f"{path.stem}-articles"
    folder.mkdir()
    for i, title in enumerate(titles):
        (folder / f"{i}.txt").write_text(f"{title}\n\nBody of {title}.", encoding="utf-8")
    other = open_project(path)
    import_paths(other, [folder])
    other.close()


def _titles(window) -> set[str]:  # type: ignore[no-untyped-def]
    return {window.model.index(r, 0).data() for r in range(window.model.rowCount())}


def _visible_main_windows():  # type: ignore[no-untyped-def]
    from annotator.gui.main_window import MainWindow

    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible()]


def test_open_another_project_from_the_menu(
    qtbot, project, add_docs, open_window, tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    add_docs("Harbour reopens after the storm\n\nShips returned on Monday.")
    other_path = tmp_path / "other.annotator"
    _project_with(other_path, "Council approves the budget for next year", "Rail strike ends after three long weeks")
    window = open_window()
    window.resize(1024, 700)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(other_path), "")))
    _action(window, "open_project").trigger()
    (new,) = _visible_main_windows()
    qtbot.addWidget(new)
    assert new is not window and not window.isVisible()
    assert _titles(new) == {"Council approves the budget for next year", "Rail strike ends after three long weeks"}
    assert new.project.path == other_path.resolve()
    assert new.service.name == "alice"  # the annotator name comes along
    assert new.size() == window.size()
    assert new.current is not None and new.current.title in _titles(new)

    # Recent projects: the one just opened first, then the one before.
    recent = new.findChild(QMenu, "recentMenu")
    recent.aboutToShow.emit()
    entries = [a.objectName() for a in recent.actions() if a.objectName().startswith("recent:/")]
    assert entries == [f"recent:{other_path.resolve()}", f"recent:{Path(project.path)}"]
    # Choosing the first project from the list switches back to it.
    back = next(a for a in recent.actions() if a.objectName() == entries[1])
    back.trigger()
    (again,) = _visible_main_windows()
    qtbot.addWidget(again)
    assert _titles(again) == {"Harbour reopens after the storm"}


def test_recent_projects_forget_missing_files(
    qtbot, project, open_window, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from annotator.gui import recent_projects

    gone = tmp_path / "gone.annotator"
    _project_with(gone, "Soon deleted")
    recent_projects.remember(gone)
    window = open_window()  # remembers its own project, first
    assert recent_projects.recent() == [Path(project.path), gone.resolve()]
    gone.unlink()
    recent = window.findChild(QMenu, "recentMenu")
    recent.aboutToShow.emit()
    names = [a.objectName() for a in recent.actions()]
    assert f"recent:{gone.resolve()}" not in names
    assert recent_projects.recent() == [Path(project.path)]


def test_new_project_creates_an_empty_project_file(
    qtbot, project, add_docs, open_window, tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    add_docs("Harbour reopens after the storm\n\nShips returned on Monday.")
    window = open_window()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "fresh"), "")))
    _action(window, "new_project").trigger()
    (new,) = _visible_main_windows()
    qtbot.addWidget(new)
    assert (tmp_path / "fresh.annotator").is_file()
    assert new.project.path == (tmp_path / "fresh.annotator").resolve()
    assert new.model.rowCount() == 0
    assert "Import articles" in new.statusBar().currentMessage()
    # An existing file is never overwritten: New on it changes nothing and says so.
    size = (tmp_path / "fresh.annotator").stat().st_size
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "fresh.annotator"), "")))
    _action(new, "new_project").trigger()
    assert _visible_main_windows() == [new]
    box = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.isVisible())
    assert "already exists" in box.text()
    box.close()
    assert (tmp_path / "fresh.annotator").stat().st_size == size


def test_opening_a_file_that_is_not_a_project_says_so(
    qtbot, project, open_window, tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    window = open_window()
    bad = tmp_path / "notes.sqlite"
    bad.write_text("just some notes", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(bad), "")))
    _action(window, "open_project").trigger()
    assert _visible_main_windows() == [window]
    box = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QMessageBox) and w.isVisible())
    assert "not an annotator project" in box.text()
    box.close()


def test_ctrl_q_quits(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    add_docs("Harbour reopens after the storm\n\nShips returned on Monday.")
    window = open_window()
    assert _action(window, "quit").shortcut().toString() == "Ctrl+Q"
    qtbot.keyClick(window.articleView, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_nothing_new_to_suggest_shows_no_progress_at_start(
    qtbot, project, add_docs, open_window,  # type: ignore[no-untyped-def]
) -> None:
    from annotator.services.suggest import run_suggest

    add_docs(*[f"Headline {i} about the harbour works\n\nThe port said on Friday that "
               f"work would end in {2030 + i}." for i in range(3)])
    run_suggest(project, model_name="blank:en")  # everything suggested before this start
    window = open_window()
    shown: list[str] = []
    window.background.busyChanged.connect(shown.append)
    window.start_suggestions()  # what start-up does
    qtbot.waitUntil(lambda: not window.background.busy, timeout=20_000)
    assert window.findChild(TaskBar) is None
    assert not any("Suggesting" in text for text in shown)
    assert "Suggesting" not in window.backgroundLabel.text()
    # A new document is work: now the progress bar shows, and the run covers it.
    add_docs("Ferry returns to the island route\n\nThe ferry sails again on Monday.")
    window.reload_documents()
    window.start_suggestions()
    qtbot.waitUntil(lambda: window.findChild(TaskBar, "taskBar:suggest") is not None)
    qtbot.waitUntil(lambda: not window.background.is_running("suggest"), timeout=120_000)
    with sqlite3.connect(project.path) as conn:
        runs = conn.execute("select count(*) from suggestion_runs").fetchone()[0]
    assert runs == 4
