"""Render docs/screenshot.png: the window on the demo articles, partly annotated.

Run ``QT_QPA_PLATFORM=offscreen python -m tests.gui.screenshot [OUT.png]``. Builds a
throwaway project from ``resources/demo`` (or ``../shared/samples``), runs the
pre-annotation (spaCy, a few seconds), then labels a few blocks, spans and two
attributions with the same keys an annotator uses, and grabs the window.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.gui.conftest import put_cursor, select, utf16  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier


def _select_piece(view, text: str, piece: str, nth: int = 0) -> None:  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    select(view, text, start, start + len(piece))


def _click(view, text: str, piece: str, ctrl: bool = False, nth: int = 0) -> None:  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    cursor = view.textCursor()
    cursor.setPosition(utf16(text, start + 2))
    rect = view.cursorRect(cursor)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     CTRL if ctrl else Qt.KeyboardModifier.NoModifier, rect.center())


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - kept alive
    from annotator.gui import create_window
    from annotator.services.importing import import_paths
    from annotator.services.suggest import run_suggest
    from annotator.store import open_project

    demo = REPO / "resources" / "demo"
    if not any(demo.glob("*.txt")):
        demo = REPO.parent / "shared" / "samples"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ANNOTATOR_HOME"] = tmp
        project = open_project(Path(tmp) / "demo.sqlite")
        import_paths(project, [demo])
        run_suggest(project)
        window = create_window(project, "alice")
        window.resize(1500, 1100)
        window.show()
        window.activateWindow()
        QTest.qWaitForWindowExposed(window)
        target = next((r for r in range(window.model.rowCount())
                       if "Mobile clinic" in (window.model.index(r).data() or "")), 0)
        window.documentList.setCurrentIndex(window.model.index(target))
        view = window.articleView
        view.setFocus()
        QTest.qWait(50)
        text = view.toPlainText()
        key = lambda k, mod=Qt.KeyboardModifier.NoModifier: QTest.keyClick(view, k, mod)  # noqa: E731
        # Blocks: the language switcher and section are navigation, the player a widget...
        put_cursor(view, text, 0)
        for k in (Qt.Key.Key_N, Qt.Key.Key_N, Qt.Key.Key_W, Qt.Key.Key_W, Qt.Key.Key_0,
                  Qt.Key.Key_M, Qt.Key.Key_M, Qt.Key.Key_W, Qt.Key.Key_W):
            key(k)
        key(Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)  # accept the rest
        # A quote: SOURCE, CUE, CONTENT, linked.
        _select_piece(view, text, "Dr Samir Nassar", 1)
        key(Qt.Key.Key_2)
        _select_piece(view, text, "said Dr")
        view.move_to(view.selection_range()[0], view.selection_range()[0] + 4)  # type: ignore[index]
        key(Qt.Key.Key_3)
        _select_piece(view, text, "The problem is not the surgery,")
        key(Qt.Key.Key_4)
        _click(view, text, "Samir Nassar", nth=1)
        _click(view, text, "said Dr", ctrl=True)
        _click(view, text, "problem is not", ctrl=True)
        key(Qt.Key.Key_L, CTRL)
        # A claim and its (named) source.
        _select_piece(view, text, "it has performed more than 3,800 cataract operations in "
                                  "61 villages")
        key(Qt.Key.Key_1)
        _select_piece(view, text, "the foundation.")
        key(Qt.Key.Key_2)
        key(Qt.Key.Key_F2)
        combo = QApplication.focusWidget()
        QTest.keyClick(combo, Qt.Key.Key_Down)
        view.setFocus()
        _click(view, text, "it has performed")
        _click(view, text, "foundation.", ctrl=True)
        key(Qt.Key.Key_L, CTRL)
        key(Qt.Key.Key_2, CTRL)  # sourcing: partly sourced
        # Show the quote's source selected: its linked cue and content light up.
        _click(view, text, "Samir Nassar", nth=1)
        view.verticalScrollBar().setValue(0)
        put_cursor(view, text, text.index("\"The problem is not"))
        QTest.qWait(100)
        window.grab().save(str(out))
        window.close()
        project.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshot.png")
