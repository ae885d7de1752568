"""Starting the application: QApplication, the project, who is annotating, the window.

Start-up stays fast (the window is usable in well under two seconds on a large
project): nothing heavy is imported before the window shows, and pre-annotation with
spaCy starts a few seconds later, in the background.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from annotator.core.errors import InputError
from annotator.paths import default_project
from annotator.services.demo import seed_demo
from annotator.store import open_project

SUGGEST_DELAY_MS = 3000


def run_app(project_arg: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setApplicationDisplayName("annotator")
    try:
        project = open_project(project_arg or default_project())
    except InputError as exc:
        QMessageBox.critical(None, "annotator", str(exc))
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    if project_arg is None:
        seed_demo(project)
    from annotator.gui.dialogs import AnnotatorNameDialog, system_user
    from annotator.gui.main_window import create_window

    name = project.get_setting("annotator")
    if not name:  # first start on this project: ask once, the system user proposed
        dialog = AnnotatorNameDialog(system_user())
        name = dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else system_user()
    try:
        window = create_window(project, name)
    except InputError as exc:  # e.g. a label schema whose keys clash
        QMessageBox.critical(None, "annotator", str(exc))
        print(f"annotator: error: {exc}", file=sys.stderr)
        project.close()
        return 2
    window.show()
    QTimer.singleShot(SUGGEST_DELAY_MS, window.start_suggestions)
    code = app.exec()
    project.close()
    return code
