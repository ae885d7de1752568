"""A window on one project, as the parts around the main window see it.

The Project menu, the export dialog and retraining act on the window (its project, its
background jobs, its status bar) and the window builds them. They take a
``ProjectWindow`` and import this module rather than ``main_window``, so the GUI's
imports point one way and have no cycle (an import-linter contract keeps it so).
``MainWindow`` is the one kind there is.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.gui.document_model import DocumentListModel
from annotator.gui.label_palette import LabelPalette
from annotator.gui.workers import Background
from annotator.services.annotation import AnnotationService, OpenedDocument
from annotator.services.project import Project


class Retraining(Protocol):
    """What the Project menu asks of the window's retrainer."""

    def train_now(self) -> None: ...

    def document_done(self) -> None: ...


class ProjectWindow(QMainWindow):
    """The main window's face towards the Project menu, dialogs and background jobs."""

    project: Project
    service: AnnotationService
    background: Background
    retrainer: Retraining
    model: DocumentListModel
    labelPalette: LabelPalette
    projectMenu: QMenu
    current: OpenedDocument | None

    @classmethod
    def on_project(cls, project: Project, annotator: str | None = None) -> ProjectWindow:
        """A new window of this kind on ``project``: the Project menu opens another
        project this way, without importing the window's module."""
        raise NotImplementedError

    def notify(self, message: str) -> None:
        """One line in the status bar: a refusal, a problem, or what was done."""
        raise NotImplementedError

    def changed(self, document_id: int) -> None:
        """Show ``document_id`` again with its labels and suggestions as stored now."""
        raise NotImplementedError

    def reload_documents(self) -> None:
        """The document list shows what the project holds now (after an import)."""
        raise NotImplementedError

    def start_suggestions(self, check_first: bool = True) -> None:
        """Pre-annotate documents that lack suggestions, in the background."""
        raise NotImplementedError


def already_running(window: ProjectWindow, key: str, what: str) -> bool:
    """One job per key: a second would hide the first one's result and progress bar."""
    if window.background.is_running(key):
        window.notify(f"{what} is already running; wait for it or cancel it first")
        return True
    return False
