"""The one background runner (gui/workers.py) with its status-bar TaskBar, on real jobs.

A real import is held at a gate after its second file so the test can look at the bar
and press Cancel while the worker is mid-job; the GUI answers meanwhile.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QToolButton

from annotator.core import jobs
from annotator.gui.task_bar import TaskBar, start_with_bar
from annotator.gui.workers import Background
from annotator.services.export import ExportOptions, export
from annotator.services.importing import import_paths
from annotator.services.project import Project


def _window(qtbot) -> tuple[QMainWindow, Background]:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    background = Background(window)
    window.show()
    return window, background


def _articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:02d}.txt").write_text(f"Article number {i}\n\nFares rise by {i}.\n",
                                             encoding="utf-8")
    return folder


def test_progress_reaches_the_bar_and_its_cancel_button_stops_a_real_import(
    qtbot, project: Project, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    window, background = _window(qtbot)
    folder = _articles(tmp_path / "in", 5)
    gate = threading.Event()
    results: list[Any] = []

    def held_import(*, progress: jobs.Progress, cancel: threading.Event) -> Any:
        def report(done: int, total: int, stage: str) -> None:
            progress(done, total, stage)
            if done == 2:
                gate.wait(10)  # the test presses Cancel while the worker waits here

        return import_paths(project, [folder], progress=report, cancel=cancel)

    stop = start_with_bar(window.statusBar(), background, "import", "Importing", held_import,
                          results.append, lambda line: results.append(line))
    bar = window.findChild(TaskBar, "taskBar:import")
    assert bar is not None and background.is_running("import")
    qtbot.waitUntil(lambda: bar.bar.value() == 2, timeout=10_000)
    assert bar.bar.maximum() == 5 and bar.bar.text() == "2 / 5"
    qtbot.mouseClick(bar.findChild(QToolButton, "cancelButton"), Qt.MouseButton.LeftButton)
    assert stop.is_set() and "stopping" in bar.label.text()
    gate.set()
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    summary = results[0]
    assert summary.cancelled and summary.imported == 2
    assert project.path is not None
    with sqlite3.connect(project.path) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (2,)
    assert not background.busy
    qtbot.waitUntil(lambda: window.findChild(TaskBar) is None)  # the bar leaves with the job


def test_a_failure_becomes_one_line_and_a_raised_cancel_is_not_a_failure(
    qtbot, project: Project, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    window, background = _window(qtbot)
    failures: list[str] = []
    done: list[Any] = []
    out = tmp_path / "no such folder" / "out.jsonl"
    start_with_bar(window.statusBar(), background, "export", "Exporting",
                   partial(export, project, ExportOptions(all_annotators=True), out),
                   done.append, failures.append)
    qtbot.waitUntil(lambda: not background.busy, timeout=10_000)
    assert done == [] and len(failures) == 1
    assert failures[0] == f"Exporting failed: {out.parent}: folder does not exist"

    cancelled: list[bool] = []
    gate = threading.Event()

    def value(*, progress: jobs.Progress, cancel: threading.Event) -> int:
        gate.wait(10)
        jobs.check(cancel)
        return 1

    background.start("value", "", value, done.append, failures.append,
                     lambda: cancelled.append(True))
    background.cancel("value")
    gate.set()
    qtbot.waitUntil(lambda: not background.busy, timeout=10_000)
    assert cancelled == [True] and done == [] and len(failures) == 1


def test_only_the_newest_job_of_a_key_reports_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    _, background = _window(qtbot)
    gate = threading.Event()
    done: list[str] = []
    progressed: list[tuple[str, int, int, str]] = []
    background.progressed.connect(lambda *args: progressed.append(args))

    def older(*, progress: jobs.Progress, cancel: threading.Event) -> str:
        gate.wait(10)
        progress(1, 1, "older")
        return "older"

    first = background.start("search", "Searching", older, done.append)
    second = background.start("search", "Searching", lambda *, progress, cancel: "newer",
                              done.append)
    assert first is not second and background.describe() == "Searching"
    qtbot.waitUntil(lambda: done == ["newer"], timeout=10_000)
    gate.set()
    qtbot.waitUntil(lambda: not background.busy, timeout=10_000)
    assert done == ["newer"] and progressed == []  # the older job's news is stale
