"""Render the README screenshots: the window on the demo articles, partly annotated.

Run ``QT_QPA_PLATFORM=offscreen python -m tests.gui.screenshot [OUT.png WIDTHxHEIGHT]``.
Without arguments it writes ``docs/screenshot.png`` (1600×1000) and
``docs/screenshot-small.png`` (1024×700). Builds a throwaway project from
``resources/demo`` (or ``../shared/samples``), runs the pre-annotation (spaCy, a few
seconds), then labels a few blocks, spans and two attributions with the same keys an
annotator uses (mark SOURCE, CUE and CONTENT, press Ctrl+L), selects a suggestion
with F8, and grabs the window: boilerplate greyed, entities underlined inside outlined
suggestions and washed spans, attribution arrows.
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


def main(shots: list[tuple[Path, tuple[int, int]]]) -> None:
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
        for out, (width, height) in shots:
            window = create_window(project, "alice")
            window.resize(width, height)
            window.show()
            window.activateWindow()
            QTest.qWaitForWindowExposed(window)
            if not window.current.annotations.spans:
                _annotate(window)
            _pose(window)
            window.grab().save(str(out))
            window.close()
            print(f"wrote {out} ({width}×{height})")
        project.close()


def _annotate(window) -> None:  # type: ignore[no-untyped-def]
    target = next((r for r in range(window.model.rowCount())
                   if "Mobile clinic" in (window.model.index(r).data() or "")), 0)
    window.documentList.setCurrentIndex(window.model.index(target))
    view = window.articleView
    view.setFocus()
    QTest.qWait(50)
    text = view.text
    key = lambda k, mod=Qt.KeyboardModifier.NoModifier: QTest.keyClick(view, k, mod)  # noqa: E731
    # Blocks: the language switcher and section are navigation, the player a widget...
    put_cursor(view, text, 0)
    for k in (Qt.Key.Key_N, Qt.Key.Key_N, Qt.Key.Key_W, Qt.Key.Key_W, Qt.Key.Key_0,
              Qt.Key.Key_M, Qt.Key.Key_M, Qt.Key.Key_W, Qt.Key.Key_W):
        key(k)
    key(Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)  # accept the rest
    # A quote: SOURCE, CUE, CONTENT, each joining the pick as it is made; Ctrl+L links.
    _select_piece(view, text, "Dr Samir Nassar", 1)
    key(Qt.Key.Key_2)
    _select_piece(view, text, "said Dr")
    view.move_to(view.selection_range()[0], view.selection_range()[0] + 4)  # type: ignore[index]
    key(Qt.Key.Key_3)
    _select_piece(view, text, "The problem is not the surgery,")
    key(Qt.Key.Key_4)
    key(Qt.Key.Key_L, CTRL)
    # A claim and its (named) source: mark both, Ctrl+L.
    _select_piece(view, text, "it has performed more than 3,800 cataract operations in "
                              "61 villages")
    key(Qt.Key.Key_1)
    _select_piece(view, text, "the foundation.")
    key(Qt.Key.Key_2)
    key(Qt.Key.Key_L, CTRL)
    key(Qt.Key.Key_2, CTRL)  # sourcing: partly sourced


def _pose(window) -> None:  # type: ignore[no-untyped-def]
    """Pick the quote's source (its cue and content light up), select the next
    suggestion with F8 (listed, tinted and outlined), and scroll to the annotations."""
    view = window.articleView
    text = view.text
    view.setFocus()
    _click(view, text, "Samir Nassar", nth=1)
    put_cursor(view, text, text.index("The provincial health") - 2)
    QTest.keyClick(view, Qt.Key.Key_F8)
    block = view.document().findBlock(utf16(text, text.index("The mobile clinic is run by")))
    view.verticalScrollBar().setValue(max(0, block.firstLineNumber() - 3))
    QTest.qWait(100)


if __name__ == "__main__":
    if len(sys.argv) > 2:
        w, h = (int(n) for n in sys.argv[2].lower().split("x"))
        main([(Path(sys.argv[1]), (w, h))])
    else:
        main([(REPO / "docs" / "screenshot.png", (1600, 1000)),
              (REPO / "docs" / "screenshot-small.png", (1024, 700))])
