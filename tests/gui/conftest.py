"""GUI test helpers: a real window on a real SQLite project, driven like a person would.

Selections are made with a QTextCursor on the article view (what a mouse drag or
Shift+arrows produce), positions are computed here in UTF-16 independently of the app's
own ``OffsetMap`` so a conversion bug cannot cancel itself out, and every action is a
key press or a mouse click.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from annotator.services.importing import import_paths  # noqa: E402


def utf16(text: str, offset: int) -> int:
    """Qt's position for a code-point offset, computed the slow obvious way."""
    return len(text[:offset].encode("utf-16-le")) // 2


def select(view, text: str, start: int, end: int) -> None:  # type: ignore[no-untyped-def]
    """Select [start, end) (code points) in the article view, as a drag would."""
    cursor = view.textCursor()
    cursor.setPosition(utf16(text, start))
    cursor.setPosition(utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def put_cursor(view, text: str, offset: int) -> None:  # type: ignore[no-untyped-def]
    cursor = view.textCursor()
    cursor.setPosition(utf16(text, offset))
    view.setTextCursor(cursor)


def click(qtbot, view, text: str, offset: int, ctrl: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Click (optionally Ctrl+click) on the character at ``offset``."""
    cursor = view.textCursor()
    cursor.setPosition(utf16(text, offset))
    rect = view.cursorRect(cursor)
    pos = QPoint(rect.center().x() + 2, rect.center().y())
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, pos)


@pytest.fixture
def add_docs(project, tmp_path: Path) -> Callable[..., list[str]]:  # type: ignore[no-untyped-def]
    """Import texts (in order) into the project; returns their canonical texts."""

    def add(*texts: str) -> list[str]:
        folder = tmp_path / f"docs{len(list(tmp_path.glob('docs*')))}"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i:03}.txt").write_text(text, encoding="utf-8")
        import_paths(project, [folder])
        return list(texts)

    return add


@pytest.fixture
def open_window(qtbot, project):  # type: ignore[no-untyped-def]
    """Open the real main window on the project, focused on the article."""
    from annotator.gui import create_window

    def make(annotator: str | None = "alice", proj=None, focus: bool = True):  # type: ignore[no-untyped-def]
        window = create_window(proj or project, annotator)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        if focus:
            window.articleView.setFocus()
            qtbot.waitUntil(lambda: window.articleView.hasFocus())
        return window

    return make
