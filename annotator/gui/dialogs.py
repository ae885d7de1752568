"""Dialogs: who is annotating, settings, and the F1 key help.

The annotator's name is asked once, at the first start on a project, with the system
user name proposed (most people just press Enter). It is stored in the project and can
be changed later in Settings; every label is saved under it.
"""

from __future__ import annotations

import getpass
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.keymap import Keymap
from annotator.core.vocabulary import RESERVED_ANNOTATORS
from annotator.services.retraining import DEFAULT_RETRAIN_EVERY


def system_user() -> str:
    try:
        return getpass.getuser() or "annotator"
    except (OSError, KeyError):
        return "annotator"


def name_problem(name: str) -> str | None:
    """Why a name cannot be used, or None when it can."""
    name = name.strip()
    if not name:
        return "Enter a name."
    if name in RESERVED_ANNOTATORS:
        return f"“{name}” is reserved; choose another name."
    if len(name) > 200:
        return "That name is too long."
    return None


class _NameDialog(QDialog):
    """A dialog that takes an annotator name: Ok stays off while the name is unusable."""

    nameEdit: QLineEdit
    problem: QLabel
    buttons: QDialogButtonBox

    def _ok_cancel(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    def _watch_name(self) -> None:
        self.nameEdit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        problem = name_problem(self.nameEdit.text())
        self.problem.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)


class AnnotatorNameDialog(_NameDialog):
    """Asks who is annotating; OK only while the name is usable."""

    def __init__(self, proposed: str, parent: QWidget | None = None,
                 first_start: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("annotatorNameDialog")
        self.setWindowTitle("Who is annotating?")
        layout = QVBoxLayout(self)
        intro = ("Every label you make is saved under this name, so the lead can tell "
                 "annotators apart and measure agreement.")
        if first_start:
            intro = "Welcome. " + intro + " You can change it later in Settings (Ctrl+,)."
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.nameEdit = QLineEdit(proposed)
        self.nameEdit.setObjectName("annotatorName")
        self.nameEdit.selectAll()
        layout.addWidget(self.nameEdit)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # quotes the typed name
        self.problem.setObjectName("nameProblem")
        layout.addWidget(self.problem)
        self.buttons = self._ok_cancel()
        layout.addWidget(self.buttons)
        self._watch_name()

    def name(self) -> str:
        return self.nameEdit.text().strip()


class SettingsDialog(_NameDialog):
    """Annotator name, reading size, entity underlines; and, for the whole project, how
    often the window retrains the clutter model (one dialog, so nobody hunts for it)."""

    def __init__(self, name: str, point_size: float, show_entities: bool,
                 retrain_every: int = DEFAULT_RETRAIN_EVERY,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        form = QFormLayout(self)
        self.nameEdit = QLineEdit(name)
        self.nameEdit.setObjectName("annotatorName")
        form.addRow("Annotator name", self.nameEdit)
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("", self.problem)
        self.sizeBox = QDoubleSpinBox()
        self.sizeBox.setObjectName("textSize")
        self.sizeBox.setRange(8.0, 28.0)
        self.sizeBox.setSingleStep(0.5)
        self.sizeBox.setSuffix(" pt")
        self.sizeBox.setValue(point_size)
        form.addRow("Article text size", self.sizeBox)
        self.entityBox = QCheckBox("Underline named entities")
        self.entityBox.setChecked(show_entities)
        form.addRow("", self.entityBox)
        self.retrainBox = QSpinBox()
        self.retrainBox.setObjectName("retrainEvery")
        self.retrainBox.setRange(0, 100_000)
        self.retrainBox.setSpecialValueText("never")
        self.retrainBox.setSuffix(" done documents")
        self.retrainBox.setValue(retrain_every)
        self.retrainBox.setToolTip("Retrain after every N done documents (0 = never); "
                                   "Project ▸ Train clutter model trains now.")
        form.addRow("Retrain clutter model after every", self.retrainBox)
        note = QLabel("0 = never. A project setting: it applies to everyone on it.")
        note.setObjectName("retrainNote")
        note.setWordWrap(True)
        form.addRow("", note)
        self.buttons = self._ok_cancel()
        form.addRow(self.buttons)
        self._watch_name()


class KeyHelpDialog(QDialog):
    """F1: every key, grouped, generated from the keymap so it is never out of date."""

    def __init__(self, keymap: Keymap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyHelpDialog")
        self.setWindowTitle("Keys")
        self.resize(640, 720)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("keyHelp")
        self.browser.setHtml(key_help_html(keymap))
        layout.addWidget(self.browser)
        tip = QLabel("Linking: select the SOURCE and the CLAIM or CONTENT span (and a CUE) "
                     "with Ctrl+click in the article or in the Spans list, then press Ctrl+L. "
                     "A block key moves the cursor on to the next block.")
        tip.setWordWrap(True)
        layout.addWidget(tip)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.NonModal)


def key_help_html(keymap: Keymap) -> str:
    """The help table as HTML (only our own, escaped strings go in)."""
    parts = ["<style>td{padding:2px 10px 2px 0} kbd{font-weight:600}</style>"]
    for group, bindings in keymap.groups():
        parts.append(f"<h3>{html.escape(group)}</h3><table>")
        for binding in bindings:
            keys = " or ".join(f"<kbd>{html.escape(k)}</kbd>" for k in binding.keys)
            parts.append(f"<tr><td>{keys}</td><td>{html.escape(binding.text)}</td></tr>")
        parts.append("</table>")
    return "".join(parts)
