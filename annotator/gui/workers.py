"""Background work: slow calls run on a QThreadPool, results return by signal.

The rule (as in Picard and Anki): a worker computes and returns a value; it never
touches a widget. Its result travels back through a signal owned by a QObject living
in the GUI thread, so the connected slot runs on the GUI thread (a queued connection).
``Background`` counts what is in flight so the status bar can say so, and tags each
job with a key so a newer search can make an older one's late result irrelevant.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives in the GUI thread; its signals carry a worker's outcome back there."""

    finished = Signal(int, object)
    failed = Signal(int, str)
    progress = Signal(int, int, int)


class _Task(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.job_id = job_id
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on a pool thread: no widgets here
        try:
            result = self.fn()
        except Exception as exc:  # reported to the GUI, which shows one line
            traceback.print_exc()
            self.relay.failed.emit(self.job_id, f"{type(exc).__name__}: {exc}")
        else:
            self.relay.finished.emit(self.job_id, result)


class Background(QObject):
    """Runs callables off the GUI thread and tells the GUI what is going on."""

    busyChanged = Signal(str)  # "" when idle, else what is running
    progressed = Signal(str, int, int)  # job key, done, total
    ended = Signal(str)  # job key, finished or failed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._relay.progress.connect(self._on_progress)
        self._progress: dict[int, tuple[int, int]] = {}
        self._next = 0
        self._jobs: dict[int, tuple[str, str, Callable[[Any], None],
                                    Callable[[str], None] | None]] = {}
        self._latest: dict[str, int] = {}
        self.stops: list[list[bool]] = []  # stop flags of cancellable jobs (TaskBar)

    def run(
        self, key: str, what: str, fn: Callable[[], Any], done: Callable[[Any], None],
        failed: Callable[[str], None] | None = None,
    ) -> int:
        """Run ``fn`` in the pool; ``done(result)`` is called on the GUI thread, unless a
        newer job with the same ``key`` was started meanwhile (its result wins)."""
        self._next += 1
        job_id = self._next
        self._jobs[job_id] = (key, what, done, failed)
        self._latest[key] = job_id
        self.pool.start(_Task(job_id, fn, self._relay))
        self.busyChanged.emit(self.describe())
        return job_id

    def run_reporting(
        self, key: str, what: str, fn: Callable[[Callable[[int, int], None]], Any],
        done: Callable[[Any], None], failed: Callable[[str], None] | None = None,
    ) -> int:
        """Like ``run``, but ``fn(report)`` may call ``report(done, total)`` from its
        thread; the status bar then shows "what done/total"."""
        relay = self._relay
        job_id = self._next + 1  # the id ``run`` is about to give this job

        def call() -> Any:
            return fn(lambda n, total: relay.progress.emit(job_id, n, total))

        return self.run(key, what, call, done, failed)

    def describe(self) -> str:
        names = []
        for job_id, (_, what, _, _) in sorted(self._jobs.items()):
            if not what:
                continue
            if job_id in self._progress:
                n, total = self._progress[job_id]
                what = f"{what} {n:,}/{total:,}"
            names.append(what)
        return ", ".join(dict.fromkeys(names))

    def stop_all(self) -> None:
        """Ask every cancellable job to stop (the window is closing)."""
        for flag in self.stops:
            flag[0] = True

    def is_running(self, key: str) -> bool:
        return any(job[0] == key for job in self._jobs.values())

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the pool is idle (tests, closing the window)."""
        return self.pool.waitForDone(msecs)

    @Slot(int, int, int)
    def _on_progress(self, job_id: int, n: int, total: int) -> None:
        if job_id in self._jobs:
            self._progress[job_id] = (n, total)
            self.progressed.emit(self._jobs[job_id][0], n, total)
            self.busyChanged.emit(self.describe())

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: Any) -> None:
        key, _, done, _ = self._jobs.pop(job_id, ("", "", None, None))
        self._progress.pop(job_id, None)
        if done is not None and self._latest.get(key) == job_id:
            done(result)
        self.ended.emit(key)
        self.busyChanged.emit(self.describe())

    @Slot(int, str)
    def _on_failed(self, job_id: int, message: str) -> None:
        key, what, _, failed = self._jobs.pop(job_id, ("", "", None, None))
        self._progress.pop(job_id, None)
        if failed is not None and self._latest.get(key) == job_id:
            failed(f"{what} failed: {message}")
        self.ended.emit(key)
        self.busyChanged.emit(self.describe())
