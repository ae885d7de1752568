"""The contract every long job follows: how it reports progress and learns to stop.

Import, suggest, export, merge, agreement, training and assignment run for seconds to
minutes, from the command line (a terminal progress bar, Ctrl+C) and from the window (a
progress bar with Cancel, on a pool thread). They all take the same two keyword arguments, so one
Qt runner (``gui/workers.py``) and one terminal bar serve every one of them:

- ``progress(done, total, stage)``: ``done`` of ``total`` units of ``stage`` (files,
  records, documents, bytes; ``stage`` names the step, e.g. ``"loading"`` then
  ``"computing"``). It is called on the job's own thread; a GUI relays it by signal.
- ``cancel``: a ``threading.Event`` the caller sets to ask the job to stop.

Cancelling means one thing everywhere: the job stops at its next check point (between
files, pages, documents or steps) and keeps only what is whole. What it committed stays
committed; what it had half done is taken back (an export writes no file, a streamed
file's chunks are removed, a training stores no model). A job whose result is a summary
of work done returns that summary with ``cancelled`` true, since the work it did is
real; a job whose result is one computed value (the agreement report) raises
``Cancelled``, since part of a value is no value. Either way the caller learns it from
the result, never by polling the event again.

An event rather than a callable: it is safe to set from any thread, a window can set it
while closing without knowing what the job polls, and "was it cancelled?" has a single
answer that every check point agrees on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T_co = TypeVar("T_co", covariant=True)

Progress = Callable[[int, int, str], None]
"""``progress(done, total, stage)``, called on the job's thread."""


class Job(Protocol[T_co]):
    """A long job as a runner calls it. Every service above is one once its other
    arguments are bound (``functools.partial(export, project, options, out)``)."""

    def __call__(self, *, progress: Progress, cancel: threading.Event) -> T_co: ...


class Cancelled(Exception):
    """The job's ``cancel`` event was set: there is no result, and nothing changed."""


def is_cancelled(cancel: threading.Event | None) -> bool:
    """True once the caller has asked the job to stop (``None``: it never will)."""
    return cancel is not None and cancel.is_set()


def check(cancel: threading.Event | None) -> None:
    """A check point for a job whose result is a value: raise ``Cancelled`` if asked."""
    if is_cancelled(cancel):
        raise Cancelled


def report(progress: Progress | None, done: int, total: int, stage: str) -> None:
    """Call ``progress`` if the caller gave one."""
    if progress is not None:
        progress(done, total, stage)


def counts(update: Callable[[int, int], Any]) -> Progress:
    """A progress callback for a plain ``update(done, total)`` bar that shows no stage."""

    def progress(done: int, total: int, _stage: str) -> None:
        update(done, total)

    return progress
