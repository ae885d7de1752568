"""The Project menu: import, export, suggest, train the clutter model, agreement.

These are a lead's occasional actions, so they live in a menu with ordinary shortcuts
rather than in the annotators' keymap. Each long job runs in the window's
``Background`` pool with a ``TaskBar`` (progress and Cancel) in the status bar; the
GUI thread only opens dialogs and shows results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from annotator.gui import icons
from annotator.gui.task_bar import TaskBar
from annotator.services.importing import import_paths

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

ARTICLE_FILTER = "Articles (*.txt *.jsonl *.html *.htm);;All files (*)"
RECORD_FILTER = "Annotation records (*.jsonl);;All files (*)"


def install(window: MainWindow) -> QMenu:
    """Add the Project menu before Help; returns it (tests find actions by name)."""
    menu = QMenu("&Project", window)
    menu.setObjectName("projectMenu")
    entries = [
        ("import", "Import articles…", "Ctrl+I", lambda: import_articles(window)),
        ("import_annotations", "Import annotations…", "Ctrl+Shift+I",
         lambda: import_annotations(window)),
        ("export", "Export…", "Ctrl+Shift+E", lambda: export(window)),
        None,
        ("suggest", "Suggest for new documents", "", lambda: window.start_suggestions()),
        ("train", "Train clutter model", "", lambda: window.retrainer.train_now()),
        None,
        ("agreement", "Agreement and adjudication…", "Ctrl+Shift+G",
         lambda: open_agreement(window)),
    ]
    for entry in entries:
        if entry is None:
            menu.addSeparator()
            continue
        name, title, key, slot = entry
        action = QAction(icons.icon(name), title, window)
        action.setObjectName(f"action:{name}")
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _=False, f=slot: f())
        window.addAction(action)
        menu.addAction(action)
    bar = window.menuBar()
    help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    bar.insertMenu(help_menu, menu) if help_menu else bar.addMenu(menu)
    return menu


def action(window: MainWindow, name: str) -> QAction | None:
    """The Project menu's action ``name`` (as in ``install``), or None."""
    return next((a for a in window.projectMenu.actions() if a.objectName() == f"action:{name}"),
                None)


def track(window: MainWindow, key: str, what: str) -> list[bool]:
    """Show a progress bar with Cancel for job ``key``; returns the job's stop flag."""
    stop = [False]
    window.background.stops.append(stop)
    window.statusBar().addPermanentWidget(TaskBar(window.background, key, what, stop))
    return stop


def already_running(window: MainWindow, key: str, what: str) -> bool:
    """One job per key: a second would hide the first one's result and progress bar."""
    if window.background.is_running(key):
        window.error(f"{what} is already running; wait for it or cancel it first")
        return True
    return False


def run_import(window: MainWindow, paths: list[str], what: str) -> None:
    """Import files off the GUI thread, then refresh the list and pre-annotate."""
    if not paths or already_running(window, "import", "An import"):
        return
    project = window.project
    stop = track(window, "import", what)

    def work(report: Any) -> Any:
        return import_paths(project, paths, progress=report, cancelled=lambda: stop[0])

    def done(summary: Any) -> None:
        window.reload_documents()
        window.error(f"{what}: {summary.line()}")
        if summary.refused:
            box = QMessageBox(QMessageBox.Icon.Warning, "Some files were refused",
                              f"{len(summary.refused)} file(s) or record(s) were refused; "
                              "everything else was imported.", parent=window)
            box.setDetailedText("\n".join(summary.refused))
            box.open()
        if summary.imported:
            window.start_suggestions()

    window.background.run_reporting("import", what, work, done, window.error)


def import_articles(window: MainWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(window, "Import articles", "", ARTICLE_FILTER)
    run_import(window, paths, "Importing")


def import_annotations(window: MainWindow) -> None:
    """Annotators' export files: records with an "annotator" are merged as labels."""
    paths, _ = QFileDialog.getOpenFileNames(window, "Import annotations", "", RECORD_FILTER)
    run_import(window, paths, "Importing annotations")


def export(window: MainWindow) -> None:
    from annotator.gui.export_dialog import ExportDialog

    dialog = ExportDialog(window)
    dialog.open()


def open_agreement(window: MainWindow) -> None:
    from annotator.gui.agreement_window import open_agreement_window

    agreement = open_agreement_window(window.project, parent=window)
    agreement.goldSaved.connect(lambda _sha: _gold_saved(window))
    window._agreement_window = agreement  # keep a reference while it is open


def _gold_saved(window: MainWindow) -> None:
    """Gold is a done document too: it counts towards retraining the clutter model."""
    window.reload_documents()
    window.retrainer.document_done()
