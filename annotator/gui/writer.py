"""The window's one writer: label writes that never block the event loop on a lock.

Every action commits at once. When nothing else holds the project, the write runs on
the GUI thread and takes a few milliseconds, bounded by a short busy wait
(``INLINE_WAIT_MS``), so the article updates under the key that was pressed. When the
database is locked by another process (a merge, an import, a colleague's window on a
shared file) or the file is read-only, the action goes to a queue drained by one
background thread, in order, retrying with back-off until it is stored. Once something
waits, later actions queue behind it so their order is kept.

The window learns what happens through signals: ``saved`` (the action is stored),
``refused`` (the service refused it: a one-line reason), ``failed`` (an unexpected
error: the action is not stored) and ``stalled`` (why actions are still waiting, or an
empty string when they went through). Nothing is dropped without one of these. The
thread runs service calls only and never touches a widget; its signals reach the window
on the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.core.errors import InputError
from annotator.services.project import Project, busy_wait, write_problem

INLINE_WAIT_MS = 50  # the longest a key press may wait for a lock on the GUI thread
RETRY_WAIT_MS = 1000  # each background attempt's own busy wait (polled finely)
FIRST_BACKOFF_S = 0.02
MAX_BACKOFF_S = {"busy": 0.1, "read-only": 2.0}  # a busy project frees up in moments
THREAD_NAME = "label-writer"
STALL_NOTICE_S = 1.0  # waiting longer than this is worth telling the annotator

MESSAGES = {
    "busy": "Not saved yet: another program is writing to the project; retrying",
    "read-only": "Not saved yet: the project file is read-only; saving as soon as it is "
                 "writable",
}


@dataclass
class Job:
    """One write: ``fn`` performs it through the service; ``owner`` is what the window
    gets back (the undo command)."""

    owner: Any
    fn: Callable[[], Any]


class Writer(QObject):
    saved = Signal(object)  # the job's owner
    refused = Signal(object, str)  # owner, one-line reason (the service said no)
    failed = Signal(object, str)  # owner, one-line reason (not stored)
    stalled = Signal(str)  # why writes wait; "" once they go through again
    pendingChanged = Signal(int)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._queue: deque[Job] = deque()
        self._lock = threading.Condition()
        self._stopping = False
        # Started by the first write that has to wait, not with the window: most sessions
        # never need it, and a script that never closes its window then ends with no
        # thread running. A daemon thread, not a QThread: a window destroyed without
        # closing (a crash, a test) must not take the process down with it.
        self._thread: threading.Thread | None = None

    # -- the GUI thread's side ---------------------------------------------------------
    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def write(self, owner: Any, fn: Callable[[], Any]) -> bool:
        """Perform ``fn`` now if the project is free, else queue it.

        Returns False when it was stored at once, True when it was queued (``saved``
        follows). A refusal of an immediate write raises ``InputError`` as the service
        did; other errors raise as they are.
        """
        with self._lock:
            if not self._queue:
                try:
                    with busy_wait(INLINE_WAIT_MS):
                        fn()
                    return False
                except Exception as exc:
                    if write_problem(exc) is None:
                        raise
            self._queue.append(Job(owner, fn))
            self._lock.notify_all()
            count = len(self._queue)
            if self._thread is None and not self._stopping:
                self._thread = threading.Thread(target=self._run, name=THREAD_NAME,
                                                daemon=True)
                self._thread.start()
        self.pendingChanged.emit(count)
        return True

    def wait_idle(self, msecs: int) -> bool:
        """Block until every queued write is stored (closing the window, tests)."""
        deadline = time.monotonic() + msecs / 1000
        with self._lock:
            while self._queue:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.05))
        return True

    def stop(self, msecs: int = 3000) -> None:
        """End the thread; whatever is still queued stays unsaved (the window warns)."""
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(msecs / 1000)

    # -- the writer thread's side ------------------------------------------------------
    def _run(self) -> None:  # service calls only, no widgets
        try:
            self._drain()
        except RuntimeError:  # the window (and this QObject) is gone: nobody to tell
            return

    def _drain(self) -> None:
        backoff = FIRST_BACKOFF_S
        waiting_since: float | None = None
        told = ""
        while True:
            with self._lock:
                while not self._queue and not self._stopping:
                    self._lock.wait()
                if self._stopping:
                    return
                job = self._queue[0]
            try:
                with busy_wait(RETRY_WAIT_MS):
                    job.fn()
            except Exception as exc:  # noqa: BLE001 - reported to the window as one line
                problem = write_problem(exc)
                if problem is None:
                    count = self._done(job)
                    if isinstance(exc, InputError):
                        self.refused.emit(job.owner, str(exc))
                    else:
                        self.failed.emit(job.owner,
                                         f"Not saved: {type(exc).__name__}: {exc}")
                    self.pendingChanged.emit(count)
                    continue
                if problem == "read-only":
                    self.project.reopen_writable()
                now = time.monotonic()
                waiting_since = waiting_since or now
                message = MESSAGES[problem]
                if message != told and (problem == "read-only"
                                        or now - waiting_since >= STALL_NOTICE_S):
                    told = message
                    self.stalled.emit(message)
                with self._lock:
                    if not self._stopping:
                        self._lock.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S[problem])
                continue
            backoff, waiting_since = FIRST_BACKOFF_S, None
            count = self._done(job)
            if told:
                told = ""
                self.stalled.emit("")
            self.saved.emit(job.owner)  # the window shows the label, then "Saved"
            self.pendingChanged.emit(count)

    def _done(self, job: Job) -> int:
        """Take the finished job off the queue; returns how many still wait."""
        with self._lock:
            if self._queue and self._queue[0] is job:
                self._queue.popleft()
            self._lock.notify_all()
            return len(self._queue)
