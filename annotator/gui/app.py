"""Starting the application: QApplication, the project, the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import InputError
from annotator.paths import default_project
from annotator.services.demo import seed_demo
from annotator.store import open_project


def run_app(project_arg: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    try:
        project = open_project(project_arg or default_project())
    except InputError as exc:
        QMessageBox.critical(None, "annotator", str(exc))
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    if project_arg is None:
        seed_demo(project)
    from annotator.gui.main_window import create_window

    window = create_window(project)
    window.show()
    code = app.exec()
    project.close()
    return code
