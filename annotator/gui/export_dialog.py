"""File → Export…: the CLI's export options in a dialog, run off the GUI thread.

The dialog only gathers ``ExportOptions`` and a target; ``services.export.export``
does the work in the window's background pool with a progress bar and Cancel (a
cancelled export writes no file).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.core.errors import InputError
from annotator.core.split import parse_split
from annotator.core.vocabulary import GOLD, SUGGESTIONS, Status
from annotator.gui.project_window import ProjectWindow, already_running
from annotator.gui.task_bar import start_with_bar
from annotator.services.export import FORMATS, ExportOptions, export, parse_statuses
from annotator.services.project import annotator_names

SUFFIX = {"jsonl": ".jsonl", "spacy": ".spacy", "prodigy": ".jsonl"}
WHOSE = ["me", "annotator", "all", GOLD, SUGGESTIONS]


class ExportDialog(QDialog):
    def __init__(self, window: ProjectWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Export")
        self.setObjectName("exportDialog")
        self.formatBox = QComboBox()
        self.formatBox.addItems(list(FORMATS))
        self.whoseBox = QComboBox()
        self.whoseBox.addItems([f"My labels ({window.service.name})", "One annotator's labels",
                                "Every annotator's labels", "Gold (adjudicated)",
                                "Machine suggestions"])
        self.annotatorBox = QComboBox()
        self.annotatorBox.addItems(annotator_names(window.project))
        self.annotatorBox.setEnabled(False)
        self.whoseBox.currentIndexChanged.connect(
            lambda i: self.annotatorBox.setEnabled(WHOSE[i] == "annotator"))
        self.statusBox = QComboBox()
        self.statusBox.setEditable(True)
        self.statusBox.addItems([Status.DONE, f"{Status.DONE},{Status.IN_PROGRESS}", "any"])
        self.statusBox.setToolTip("Documents the annotator has in this status. In a done "
                                  "document an unmarked block is exported as content; in "
                                  "one not done, as null.")
        self.splitCheck = QCheckBox("Split into")
        self.splitEdit = QLineEdit("train=0.8,dev=0.1,test=0.1")
        self.splitEdit.setEnabled(False)
        self.splitCheck.toggled.connect(self.splitEdit.setEnabled)
        self.seedBox = QSpinBox()
        self.seedBox.setRange(0, 2**31 - 1)
        split_row = QHBoxLayout()
        split_row.addWidget(self.splitCheck)
        split_row.addWidget(self.splitEdit, 1)
        split_row.addWidget(self.seedBox)
        self.outEdit = QLineEdit(str(Path.home() / "annotator-export.jsonl"))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.outEdit, 1)
        out_row.addWidget(browse)
        self.formatBox.currentTextChanged.connect(self._suffix)
        form = QFormLayout(self)
        form.addRow("Format", self.formatBox)
        form.addRow("Whose labels", self.whoseBox)
        form.addRow("Annotator", self.annotatorBox)
        form.addRow("Status", self.statusBox)
        form.addRow("Split (seed)", _wrap(split_row))
        form.addRow("Save to", _wrap(out_row))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _suffix(self, fmt: str) -> None:
        path = Path(self.outEdit.text())
        self.outEdit.setText(str(path.with_suffix(SUFFIX[fmt])))

    def _browse(self) -> None:
        if self.splitCheck.isChecked():
            chosen = QFileDialog.getExistingDirectory(self, "Export into folder")
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.outEdit.text())
        if chosen:
            self.outEdit.setText(chosen)

    def options(self) -> ExportOptions:
        """The chosen options; raises InputError with a message for the user."""
        whose = WHOSE[self.whoseBox.currentIndex()]
        return ExportOptions(
            format=self.formatBox.currentText(),
            annotators=((self.window_.service.name,) if whose == "me" else
                        (self.annotatorBox.currentText(),) if whose == "annotator" else ()),
            all_annotators=whose == "all",
            gold=whose == GOLD,
            suggestions=whose == SUGGESTIONS,
            statuses=parse_statuses(self.statusBox.currentText()),
            split=parse_split(self.splitEdit.text()) if self.splitCheck.isChecked() else None,
            seed=self.seedBox.value(),
        )

    def accept(self) -> None:
        try:
            options = self.options()
        except InputError as exc:
            self.window_.notify(str(exc))
            return
        out = Path(self.outEdit.text()).expanduser()
        super().accept()
        run_export(self.window_, options, out)


def run_export(window: ProjectWindow, options: ExportOptions, out: Path) -> None:
    if already_running(window, "export", "An export"):
        return
    start_with_bar(window.statusBar(), window.background, "export", "Exporting",
                   partial(export, window.project, options, out),
                   lambda summary: window.notify(summary.line()), window.notify)


def _wrap(layout: QHBoxLayout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget
