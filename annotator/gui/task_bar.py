"""A progress bar with a Cancel button in the status bar, one per long job.

Import, pre-annotation, export and training run in ``Background``'s pool; this widget
follows one job by its key through ``Background.progressed``/``ended`` and sets the
job's cancel event on Cancel. The job looks at the event between files, pages or
documents (``core.jobs``), so a cancel keeps everything already committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStatusBar,
    QToolButton,
    QWidget,
)

from annotator.core.jobs import Job
from annotator.gui import icons
from annotator.gui.workers import Background


class TaskBar(QWidget):
    def __init__(self, background: Background, key: str, what: str, stop: threading.Event,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"taskBar:{key}")
        self.key = key
        self.stop = stop
        self.label = QLabel(what)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.setRange(0, 0)  # busy until the first report gives a total
        self.bar.setTextVisible(True)
        self.cancelButton = QToolButton()
        self.cancelButton.setObjectName("cancelButton")
        self.cancelButton.setText("Cancel")
        self.cancelButton.setIcon(icons.icon("cancel"))
        self.cancelButton.setAutoRaise(True)
        self.cancelButton.setToolTip(f"Stop {what.lower()}; what is done so far is kept")
        self.cancelButton.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancelButton)
        background.progressed.connect(self._progressed)
        background.ended.connect(self._ended)

    def cancel(self) -> None:
        self.stop.set()
        self.cancelButton.setEnabled(False)
        self.label.setText(self.label.text() + " (stopping)")

    def _progressed(self, key: str, done: int, total: int, _stage: str) -> None:
        if key == self.key:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)
            self.bar.setFormat(f"{done:,} / {total:,}")

    def _ended(self, key: str) -> None:
        if key == self.key:
            self.hide()
            self.deleteLater()


def start_with_bar(
    status: QStatusBar, background: Background, key: str, what: str, job: Job[Any],
    done: Callable[[Any], None] | None, failed: Callable[[str], None] | None = None,
) -> threading.Event:
    """Start ``job`` (``Background.start``) and follow it with a ``TaskBar`` in
    ``status``; returns the job's cancel event."""
    stop = background.start(key, what, job, done, failed)
    status.addPermanentWidget(TaskBar(background, key, what, stop))
    return stop
