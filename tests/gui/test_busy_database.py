"""A busy or read-only project never freezes the window nor loses a label silently.

Another connection holds the write lock (``BEGIN EXCLUSIVE``) or the file is read-only:
the label key returns at once, the status bar says "Saving…" and why it waits, the
action is on the undo stack, and the label is stored as soon as the project is free.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.gui import create_window
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from annotator.store import open_project

ARTICLE = "Council approves budget\n\nThe council approved the budget on Monday.\n"
NOBODY = 65534


def _blocks_on_disk(path: Path) -> dict[int, str]:
    """The stored block labels, read by a connection of the test's own."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {index: label for index, label in conn.execute(
            "SELECT block_index, label FROM block_labels")}
    finally:
        conn.close()


def _make_project(folder: Path) -> Path:
    (folder / "docs").mkdir()
    (folder / "docs" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "project.sqlite"
    project = open_project(path)
    import_paths(project, [folder / "docs"])
    AnnotationService(project, "alice")
    project.set_setting("annotator", "alice")
    project.close()
    return path


def _show(qtbot, project):  # type: ignore[no-untyped-def]
    window = create_window(project, "alice")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    window.articleView.setFocus()
    qtbot.waitUntil(lambda: window.articleView.hasFocus())
    return window


def test_label_key_under_a_held_lock_waits_in_the_background(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _make_project(tmp_path)
    project = open_project(path)
    window = _show(qtbot, project)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        qtbot.keyClick(window.articleView, Qt.Key.Key_N)
        assert time.monotonic() - started < 1.0  # not the 10 s busy timeout
        assert window.saveLabel.text() == "Saving…"
        assert window.undoStack.count() == 1
        qtbot.waitUntil(lambda: "another program is writing" in
                        window.statusBar().currentMessage(), timeout=5000)
        qtbot.keyClick(window.articleView, Qt.Key.Key_P)  # queues behind the first
        assert window.saveLabel.text() == "Saving 2…"
        assert _blocks_on_disk(path) == {}
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    qtbot.waitUntil(lambda: window.saveLabel.text() == "Saved", timeout=5000)
    assert _blocks_on_disk(path) == {0: "navigation", 1: "caption"}
    assert window.articleView.annotations.blocks == {0: "navigation", 1: "caption"}
    assert window.undoStack.count() == 2
    qtbot.keyClick(window.articleView, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _blocks_on_disk(path) == {0: "navigation"}
    # Undo under the lock waits in line too, and happens once the project is free.
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    qtbot.keyClick(window.articleView, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.saveLabel.text() == "Saving…"
    assert _blocks_on_disk(path) == {0: "navigation"}
    holder.execute("ROLLBACK")
    holder.close()
    qtbot.waitUntil(lambda: window.saveLabel.text() == "Saved", timeout=5000)
    assert _blocks_on_disk(path) == {}
    assert window.articleView.annotations.blocks == {}
    window.close()
    project.close()


@contextlib.contextmanager
def _unprivileged() -> Iterator[None]:
    """File permissions bind root only when it acts as another user (CI runs as root)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@contextlib.contextmanager
def _privileged() -> Iterator[None]:
    if os.getuid() != 0:
        yield
        return
    os.seteuid(0)
    try:
        yield
    finally:
        os.seteuid(NOBODY)


def test_read_only_project_leaves_no_files_and_saves_once_writable(qtbot, monkeypatch, request) -> None:  # type: ignore[no-untyped-def]
    top = Path(tempfile.mkdtemp(prefix="annotator-ro-"))  # tmp_path is root's alone
    request.addfinalizer(lambda: shutil.rmtree(top, ignore_errors=True))
    os.chmod(top, 0o777)
    home = top / "home"
    home.mkdir(mode=0o777)
    os.chmod(home, 0o777)
    monkeypatch.setenv("ANNOTATOR_HOME", str(home))  # the window's settings, writable
    folder = top / "project"
    folder.mkdir()
    os.chmod(folder, 0o777)  # beside the file, SQLite could create -wal and -shm
    path = _make_project(folder)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    with _unprivileged():
        project = open_project(path)
        assert project.read_only
        window = _show(qtbot, project)
        assert sorted(p.name for p in folder.iterdir()) == ["docs", "project.sqlite"]
        qtbot.keyClick(window.articleView, Qt.Key.Key_N)
        assert window.saveLabel.text() == "Saving…"
        qtbot.waitUntil(lambda: "read-only" in window.statusBar().currentMessage(),
                        timeout=5000)
        assert window.undoStack.count() == 1
        assert sorted(p.name for p in folder.iterdir()) == ["docs", "project.sqlite"]
        with _privileged():
            path.chmod(0o666)
        qtbot.waitUntil(lambda: window.saveLabel.text() == "Saved", timeout=8000)
        # the view redraws from the stored labels on the next turn of the event loop
        qtbot.waitUntil(lambda: window.articleView.annotations.blocks == {0: "navigation"},
                        timeout=2000)
        window.close()
        project.close()
    assert sorted(p.name for p in folder.iterdir()) == ["docs", "project.sqlite"]
    assert _blocks_on_disk(path) == {0: "navigation"}
