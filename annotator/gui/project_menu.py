"""The Project menu: new, open, recent, import, export, suggest, train, agreement, quit.

These are a lead's occasional actions, so they live in a menu with ordinary shortcuts
rather than in the annotators' keymap. Each long job runs in the window's
``Background`` pool with a ``TaskBar`` (progress and Cancel) in the status bar; the
GUI thread only opens dialogs and shows results.

Opening another project (New…, Open…, a recent one) replaces the window by one on
that project, with the same geometry and docks: the old window's close saves its
settings and stops its background jobs the usual way, and no state (undo stack, open
document, running suggestions) can leak from one project into the other.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox
from shiboken6 import isValid

from annotator.core.errors import InputError
from annotator.core.jobs import Progress
from annotator.gui import icons, recent_projects
from annotator.gui.project_window import ProjectWindow, already_running
from annotator.gui.task_bar import start_with_bar
from annotator.paths import PROJECT_SUFFIX
from annotator.services.project import open_project

ARTICLE_FILTER = "Articles (*.txt *.jsonl *.html *.htm);;All files (*)"
RECORD_FILTER = "Annotation records (*.jsonl);;All files (*)"
PROJECT_FILTER = "Annotator projects (*.annotator *.sqlite);;All files (*)"
SUGGEST_DELAY_MS = 3000
_windows: list[ProjectWindow] = []  # every project window of this instance, kept alive here


def adopt(window: ProjectWindow, replacing: ProjectWindow | None = None) -> None:
    """Register a project window, however it was opened (the first launch, the Project
    menu, a later launch's hand-over): it is kept alive, its project is closed when the
    application quits, and it is among the windows a later launch hands projects to."""
    _windows[:] = [w for w in _windows if isValid(w) and w is not window and w is not replacing]
    _windows.append(window)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(window.project.close)


def open_windows() -> list[ProjectWindow]:
    """The registered project windows still shown, oldest first."""
    return [w for w in _windows if isValid(w) and w.isVisible()]


def install(window: ProjectWindow) -> QMenu:
    """Add the Project menu before Help; returns it (tests find actions by name)."""
    menu = QMenu("&Project", window)
    menu.setObjectName("projectMenu")
    entries = [
        ("new_project", "New project…", "Ctrl+N", lambda: new_project(window)),
        ("open_project", "Open project…", "Ctrl+O", lambda: open_project_dialog(window)),
        "recent",
        None,
        ("import", "Import articles…", "Ctrl+I", lambda: import_articles(window)),
        ("import_annotations", "Import annotations…", "Ctrl+Shift+I",
         lambda: import_annotations(window)),
        ("export", "Export…", "Ctrl+Shift+E", lambda: export(window)),
        None,
        ("suggest", "Suggest for new documents", "",
         lambda: window.start_suggestions(check_first=False)),
        ("train", "Train clutter model", "", lambda: window.retrainer.train_now()),
        None,
        ("agreement", "Agreement and adjudication…", "Ctrl+Shift+G",
         lambda: open_agreement(window)),
        None,
        ("quit", "Quit", "Ctrl+Q", quit_application),
    ]
    for entry in entries:
        if entry is None:
            menu.addSeparator()
            continue
        if entry == "recent":
            recent = menu.addMenu("Recent projects")
            recent.setObjectName("recentMenu")
            recent.aboutToShow.connect(lambda m=recent: fill_recent(window, m))
            fill_recent(window, recent)
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
    recent_projects.remember(window.project.path)
    return menu


def action(window: ProjectWindow, name: str) -> QAction | None:
    """The Project menu's action ``name`` (as in ``install``), or None."""
    return next((a for a in window.projectMenu.actions() if a.objectName() == f"action:{name}"),
                None)


def run_import(window: ProjectWindow, paths: list[str], what: str) -> None:
    """Import files off the GUI thread, then refresh the list and pre-annotate."""
    if not paths or already_running(window, "import", "An import"):
        return
    project = window.project

    def work(*, progress: Progress, cancel: threading.Event) -> Any:
        from annotator.services.importing import import_paths  # not needed to start

        return import_paths(project, paths, progress=progress, cancel=cancel)

    def done(summary: Any) -> None:
        window.reload_documents()
        window.notify(f"{what}: {summary.line()}")
        if summary.refused:
            box = QMessageBox(QMessageBox.Icon.Warning, "Some files were refused",
                              f"{len(summary.refused)} file(s) or record(s) were refused; "
                              "everything else was imported.", parent=window)
            box.setDetailedText("\n".join(summary.refused))
            box.open()
        if summary.imported:
            window.start_suggestions()

    start_with_bar(window.statusBar(), window.background, "import", what, work, done,
                   window.notify)


def import_articles(window: ProjectWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(window, "Import articles", "", ARTICLE_FILTER)
    run_import(window, paths, "Importing")


def import_annotations(window: ProjectWindow) -> None:
    """Annotators' export files: records with an "annotator" are merged as labels."""
    paths, _ = QFileDialog.getOpenFileNames(window, "Import annotations", "", RECORD_FILTER)
    run_import(window, paths, "Importing annotations")


def export(window: ProjectWindow) -> None:
    from annotator.gui.export_dialog import ExportDialog

    dialog = ExportDialog(window)
    dialog.open()


def open_agreement(window: ProjectWindow) -> None:
    from annotator.gui.agreement_window import open_agreement_window

    agreement = open_agreement_window(window.project, parent=window)
    agreement.goldSaved.connect(lambda _sha: _gold_saved(window))
    window._agreement_window = agreement  # keep a reference while it is open


def _gold_saved(window: ProjectWindow) -> None:
    """Gold is a done document too: it counts towards retraining the clutter model."""
    window.reload_documents()
    window.retrainer.document_done()


# -- projects ---------------------------------------------------------------------------
def fill_recent(window: ProjectWindow, menu: QMenu) -> None:
    """The recent projects, most recent first; files that are gone are left out."""
    menu.clear()
    current = window.project.path.resolve() if window.project.path else None
    items = recent_projects.recent()
    for number, path in enumerate(items, start=1):
        entry = menu.addAction(f"&{number % 10}  {path.name}   ({path.parent})")
        entry.setObjectName(f"recent:{path}")
        entry.setToolTip(str(path))
        if path == current:
            entry.setCheckable(True)
            entry.setChecked(True)
        entry.triggered.connect(lambda _=False, p=path: switch_project(window, p))
    if not items:
        menu.addAction("No recent projects").setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction("Clear list")
    clear.setObjectName("recent:clear")
    clear.setEnabled(bool(items))
    clear.triggered.connect(recent_projects.clear)


def open_project_dialog(window: ProjectWindow) -> None:
    where = str(window.project.path.parent) if window.project.path else ""
    path, _ = QFileDialog.getOpenFileName(window, "Open project", where, PROJECT_FILTER)
    if path:
        switch_project(window, Path(path))


def new_project(window: ProjectWindow) -> None:
    """Create an empty project file; an existing file is never overwritten."""
    where = str(window.project.path.parent) if window.project.path else ""
    path, _ = QFileDialog.getSaveFileName(window, "New project", where, PROJECT_FILTER)
    if not path:
        return
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(PROJECT_SUFFIX)
    if target.exists():
        _warn(window, "Project not created",
              f"{target} already exists. Choose Open project… to open it, or another name.")
        return
    new = switch_project(window, target, create=True)
    if new is not None:
        new.notify("New project: add articles with Project → Import articles… (Ctrl+I)")


def switch_project(window: ProjectWindow, path: Path, *, create: bool = False
                   ) -> ProjectWindow | None:
    """Show project ``path`` in place of ``window``'s; returns the window now showing it.

    A file that cannot be opened (gone, not a project, from a newer release) leaves the
    current window as it is and says why; a gone file also leaves the recent list.
    """
    if window.project.path is not None and window.project.path.resolve() == path.resolve():
        return window
    try:
        project = open_project(path, create=create)
    except InputError as exc:
        if not path.exists():
            recent_projects.forget(path)
        _warn(window, "Project not opened", str(exc))
        return None
    try:
        new = type(window).on_project(project,
                                      project.get_setting("annotator") or window.service.name)
    except InputError as exc:  # e.g. a label schema whose keys clash
        project.close()
        _warn(window, "Project not opened", str(exc))
        return None
    new.resize(window.size())
    new.move(window.pos())
    new.restoreState(window.saveState())
    maximized = window.isMaximized()
    # The old window may refuse to close (actions not saved yet: it says so); then it
    # stays, and the new one is dropped before anyone saw it.
    if not window.close():
        new.deleteLater()
        project.close()
        return None
    recent_projects.remember(project.path)
    adopt(new, replacing=window)
    new.showMaximized() if maximized else new.show()
    new.activateWindow()
    QTimer.singleShot(SUGGEST_DELAY_MS, new,  # not for a window closed meanwhile
                      lambda: new.start_suggestions() if new.isVisible() else None)
    window.project.close()
    return new


def quit_application() -> None:
    """Ctrl+Q: close every window; each saves its settings and stops its jobs."""
    QApplication.closeAllWindows()


def _warn(window: ProjectWindow, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=window)
    box.setObjectName("projectMessage")
    box.open()
