"""Mouse paths through the panel, the settings dialog, and the PySide6 6.12 guard."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QToolButton

from annotator.services.annotation import AnnotationService
from tests.gui.conftest import put_cursor

CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = ("Officials said the bridge will close in May.\n\n"
        "Share this article\n\n"
        "The closure will last two years, the ministry said.")


def test_review_a_suggestion_by_clicking(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.model import NewSuggestion
    from annotator.store.suggestions import replace_for_document

    (text,) = add_docs(TEXT)
    doc_id = AnnotationService(project, "alice").document_ids()[0]
    share = text.index("Share")
    with project.session() as session:
        replace_for_document(session, doc_id, "t", [
            NewSuggestion("block", "widget", share, share + 18, 0.9, "share",
                          {"block_index": 1}),
            NewSuggestion("claim", "CLAIM", 0, text.index("May") + 3, 0.5, "c"),
        ])
    window = open_window()
    panel = window.annotationPanel
    suggestions = panel.suggestionList
    assert suggestions.count() == 2
    # Click the block suggestion's row (the cursor jumps there), then the accept button.
    row = next(r for r in range(suggestions.count())
               if suggestions.item(r).text().startswith("widget?"))
    rect = suggestions.visualItemRect(suggestions.item(row))
    qtbot.mouseClick(suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.articleView.current_block() == 1
    accept = next(b for b in window.findChildren(QToolButton)
                  if b.defaultAction() is window.actions_by_id["accept_suggestion"])
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    assert AnnotationService(project, "alice").load(doc_id).blocks == {1: "widget"}
    # Now the claim: click its row, then reject.
    assert suggestions.count() == 1
    rect = suggestions.visualItemRect(suggestions.item(0))
    qtbot.mouseClick(suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    reject = next(b for b in window.findChildren(QToolButton)
                  if b.defaultAction() is window.actions_by_id["reject_suggestion"])
    qtbot.mouseClick(reject, Qt.MouseButton.LeftButton)
    assert suggestions.count() == 0
    verdicts = {s.layer: s.verdict for s in AnnotationService(project, "alice").suggestions(doc_id)}
    assert verdicts == {"block": "accepted", "claim": "rejected"}


def test_palette_click_and_settings_change_the_annotator(qtbot, project, add_docs,
                                                         open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(TEXT)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    put_cursor(view, text, text.index("Share"))
    qtbot.mouseClick(window.labelPalette.buttons["block:widget"], Qt.MouseButton.LeftButton)
    assert AnnotationService(project, "alice").load(doc_id).blocks == {1: "widget"}
    qtbot.keyClick(view, Qt.Key.Key_Comma, CTRL)
    dialog = window.findChild(QDialog, "settingsDialog")
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    name = dialog.findChild(QLineEdit, "annotatorName")
    name.selectAll()
    qtbot.keyClicks(name, "carla")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert window.service.name == "carla"
    assert project.get_setting("annotator") == "carla"
    # Carla starts from her own (empty) labels; alice's stay hers.
    assert window.articleView.annotations.blocks == {}
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    put_cursor(view, text, 0)
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert AnnotationService(project, "carla").load(doc_id).blocks == {0: "content"}
    assert AnnotationService(project, "alice").load(doc_id).blocks == {1: "widget"}


def test_many_qt_calls_do_not_exhaust_none(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void call and aborts
    the interpreter within minutes; the dependency pin excludes it, and this guards it."""
    code = ("import annotator.gui\n"
            "from PySide6.QtWidgets import QApplication, QLabel\n"
            "from PySide6.QtCore import QObject, Signal\n"
            "app = QApplication([])\n"
            "label = QLabel()\n"
            "class O(QObject):\n    s = Signal(int)\n"
            "o = O(); o.s.connect(lambda v: None)\n"
            "for i in range(30000):\n    label.setText('x'); o.s.emit(i)\n"
            "print('alive')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env={"QT_QPA_PLATFORM": "offscreen",
                                           "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-500:]
    assert "alive" in out.stdout
