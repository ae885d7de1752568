"""Background work: the one runner for every slow call the window makes.

The rule (as in Picard and Anki): a worker computes and returns a value; it never
touches a widget. Its progress and outcome travel back through signals of a QObject
living in the GUI thread, so the connected slots run on the GUI thread (a queued
connection). Long jobs follow ``core.jobs``: ``Background.start`` calls
``job(progress=..., cancel=...)`` on a pool thread, relays ``progress(done, total,
stage)`` by signal, and cancels by setting the job's event, the same event a ``TaskBar``
Cancel button or a closing window sets. A plain call (a search, a count) is the same
thing without progress or Cancel (``Background.run``).

``Background`` counts what is in flight so the status bar can say so, and tags each job
with a key so a newer job under the same key makes an older one's late result (and its
progress) irrelevant: only the newest job of a key reports back.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from annotator.core.errors import InputError
from annotator.core.jobs import Cancelled, Job


class _Relay(QObject):
    """Lives in the GUI thread; its signals carry a worker's progress and outcome there.

    It has no parent and each task holds it, so a task still running when the window
    is gone emits into an object that still exists (Qt has already dropped the
    connections to the deleted ``Background``)."""

    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)
    progress = Signal(int, int, int, str)


def failure_line(exc: BaseException) -> str:
    """One line for the user: an ``InputError`` says what is wrong in its own words;
    anything else is named by its type (its traceback goes to stderr)."""
    text = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
    return next((line for line in text.splitlines() if line.strip()), type(exc).__name__)


class _Task(QRunnable):
    def __init__(self, job_id: int, job: Job[Any], cancel: threading.Event,
                 relay: _Relay) -> None:
        super().__init__()
        self.job_id, self.job, self.cancel, self.relay = job_id, job, cancel, relay
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on a pool thread: no widgets here
        job_id, relay = self.job_id, self.relay

        def progress(done: int, total: int, stage: str) -> None:
            relay.progress.emit(job_id, done, total, stage)

        try:
            result = self.job(progress=progress, cancel=self.cancel)
        except Cancelled:
            relay.cancelled.emit(job_id)
        except Exception as exc:  # reported to the GUI, which shows one line
            if not isinstance(exc, InputError):
                traceback.print_exc()
            relay.failed.emit(job_id, failure_line(exc))
        else:
            relay.finished.emit(job_id, result)


@dataclass
class _Running:
    key: str
    what: str
    done: Callable[[Any], None] | None
    failed: Callable[[str], None] | None
    cancelled: Callable[[], None] | None
    cancel: threading.Event
    progress: tuple[int, int] | None = None


class Background(QObject):
    """Runs jobs off the GUI thread and tells the GUI what is going on."""

    busyChanged = Signal(str)  # "" when idle, else what is running
    progressed = Signal(str, int, int, str)  # job key, done, total, stage
    ended = Signal(str)  # job key: finished, failed or cancelled

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._relay = _Relay()
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._relay.cancelled.connect(self._on_cancelled)
        self._relay.progress.connect(self._on_progress)
        self._next = 0
        self._jobs: dict[int, _Running] = {}
        self._latest: dict[str, int] = {}

    def start(
        self, key: str, what: str, job: Job[Any], done: Callable[[Any], None] | None,
        failed: Callable[[str], None] | None = None,
        cancelled: Callable[[], None] | None = None,
    ) -> threading.Event:
        """Run ``job(progress=..., cancel=...)`` in the pool; returns its cancel event.

        On the GUI thread, and only for the newest job of ``key``: ``progressed`` as it
        reports, then ``done(result)`` (a summary says itself if it was cancelled),
        ``failed(line)`` (prefixed "what failed: " when the job has a name) or, when
        the job raised ``Cancelled``, ``cancelled()``. ``what`` names the job in the
        status bar; an unnamed job runs quietly.
        """
        self._next += 1
        job_id = self._next
        cancel = threading.Event()
        self._jobs[job_id] = _Running(key, what, done, failed, cancelled, cancel)
        self._latest[key] = job_id
        self.pool.start(_Task(job_id, job, cancel, self._relay))
        self.busyChanged.emit(self.describe())
        return cancel

    def run(
        self, key: str, what: str, fn: Callable[[], Any], done: Callable[[Any], None] | None,
        failed: Callable[[str], None] | None = None,
    ) -> threading.Event:
        """A plain call as a job: it neither reports progress nor looks at its event."""
        return self.start(key, what, lambda *, progress, cancel: fn(), done, failed)

    def describe(self) -> str:
        names = []
        for running in (self._jobs[i] for i in sorted(self._jobs)):
            what = running.what
            if not what:
                continue
            if running.progress is not None:
                n, total = running.progress
                what = f"{what} {n:,}/{total:,}"
            names.append(what)
        return ", ".join(dict.fromkeys(names))

    def cancel(self, key: str) -> None:
        """Ask every running job of ``key`` to stop."""
        for running in self._jobs.values():
            if running.key == key:
                running.cancel.set()

    def stop_all(self) -> None:
        """Ask every running job to stop (the window is closing)."""
        for running in self._jobs.values():
            running.cancel.set()

    def is_running(self, key: str) -> bool:
        return any(running.key == key for running in self._jobs.values())

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the pool is idle (tests, closing the window)."""
        return self.pool.waitForDone(msecs)

    def _current(self, job_id: int) -> _Running | None:
        """The job if it is still the newest of its key (else its news is stale)."""
        running = self._jobs.get(job_id)
        if running is None or self._latest.get(running.key) != job_id:
            return None
        return running

    @Slot(int, int, int, str)
    def _on_progress(self, job_id: int, n: int, total: int, stage: str) -> None:
        running = self._current(job_id)
        if running is not None:
            running.progress = (n, total)
            self.progressed.emit(running.key, n, total, stage)
            self.busyChanged.emit(self.describe())

    def _end(self, job_id: int) -> tuple[_Running | None, bool]:
        """Forget the job; returns it and whether its outcome still matters."""
        running = self._jobs.pop(job_id, None)
        newest = running is not None and self._latest.get(running.key) == job_id
        return running, newest

    def _ended(self, running: _Running | None) -> None:
        if running is not None:
            self.ended.emit(running.key)
        self.busyChanged.emit(self.describe())

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: Any) -> None:
        running, newest = self._end(job_id)
        if newest and running is not None and running.done is not None:
            running.done(result)
        self._ended(running)

    @Slot(int, str)
    def _on_failed(self, job_id: int, line: str) -> None:
        running, newest = self._end(job_id)
        if newest and running is not None and running.failed is not None:
            running.failed(f"{running.what} failed: {line}" if running.what else line)
        self._ended(running)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        running, newest = self._end(job_id)
        if newest and running is not None and running.cancelled is not None:
            running.cancelled()
        self._ended(running)
