"""The ``comment`` block label from the keyboard: C labels, Ctrl+C still copies.

Checks read the store through a fresh service, as the other window tests do, so what is
asserted is what was committed, not what the widgets show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.dialogs import key_help_html
from annotator.services.annotation import AnnotationService
from tests.gui.conftest import put_cursor, select

CTRL = Qt.KeyboardModifier.ControlModifier

ARTICLE = (
    "Council approves new bus lanes\n\n"
    "The council voted on Tuesday to add bus lanes on three main roads, officials said.\n\n"
    "12 comments\n\n"
    "Log in to comment\n\n"
    "Reply"
)


def test_c_labels_the_block_comment_and_ctrl_c_still_copies(
        qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id

    # The palette and the F1 help both offer it, with its key.
    assert window.labelPalette.buttons["block:comment"].text().endswith("C")
    assert "boilerplate: comment" in key_help_html(window.keymap)

    # Ctrl+C copies the selection and labels nothing.
    phrase = "officials said"
    select(view, text, text.index(phrase), text.index(phrase) + len(phrase))
    QApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, CTRL)
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == phrase)
    assert AnnotationService(project, "alice").load(doc_id).blocks == {}

    # C labels the block under the cursor comment, and the cursor moves on to the next.
    put_cursor(view, text, text.index("12 comments") + 3)
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert AnnotationService(project, "alice").load(doc_id).blocks == {2: "comment"}
    assert view.current_block() == 3
    qtbot.keyClick(view, Qt.Key.Key_C)
    assert AnnotationService(project, "alice").load(doc_id).blocks == {2: "comment",
                                                                      3: "comment"}
