"""Engine creation with the SQLite pragmas the project relies on.

The pragmas are the only SQLite-specific statements in the store; everything else is
portable so a team can point ``--project`` at a PostgreSQL URL.

Two things here exist for the window's writes under contention (``gui/writer.py``):
``busy_wait`` bounds how long one thread's writes wait for another process's lock
(SQLite's busy timeout, set per connection when a session takes it from the pool), and
``write_problem`` tells a busy or read-only database apart from any other failure, so
the writer knows that trying again later can succeed.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import ParamSpec, TypeVar
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from annotator.core.errors import InputError

BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 16_384
"""Each connection's page cache (SQLite's default is 2 MB). An import inserts block
fingerprints into their index in no particular order; with 2 MB its pages leave the
cache and are read again, and a 10,000-article import's writes take about a fifth
longer (``tests/bench/bench_import.py``). The cache fills only as pages are read."""

class ReadOnlyProjectError(InputError):
    """A write to a project this process may not write (it may become writable)."""


_busy_timeout_ms: ContextVar[int] = ContextVar("busy_timeout_ms", default=BUSY_TIMEOUT_MS)


def to_url(path_or_url: str | Path) -> str:
    """A bare path becomes a SQLite URL; anything with ``://`` is taken as a URL."""
    text = str(path_or_url)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def read_only_uri(path: Path) -> str:
    """A SQLite URI that opens ``path`` for reading without creating or changing a file.

    ``mode=ro`` never writes the database; ``immutable=1`` also skips the ``-shm`` file
    a WAL database would otherwise get. Immutable is safe only while no ``-wal`` file
    holds committed pages, so with one present the WAL is read (its ``-shm`` exists).
    """
    uri = f"file:{quote(str(path))}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not (wal.exists() and wal.stat().st_size > 0):
        uri += "&immutable=1"
    return uri


def writable(path: Path) -> bool:
    """Can this process write the project file and the files SQLite keeps beside it?"""
    def can_write(target: Path) -> bool:
        try:
            return os.access(target, os.W_OK, effective_ids=os.access in os.supports_effective_ids)
        except OSError:
            return False

    return can_write(path) and can_write(path.parent)


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _set_busy_timeout(dbapi_connection, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """On every checkout: the busy timeout of the thread taking the connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(_busy_timeout_ms.get())}")
    cursor.close()


@contextmanager
def busy_wait(milliseconds: int) -> Iterator[None]:
    """Within this block, this thread's statements wait at most ``milliseconds`` for a
    lock another connection holds, then fail with "database is locked"."""
    token = _busy_timeout_ms.set(milliseconds)
    try:
        yield
    finally:
        _busy_timeout_ms.reset(token)


def write_problem(exc: BaseException) -> str | None:
    """``"busy"`` or ``"read-only"`` when a write failed for a reason that may pass,
    ``None`` for anything else."""
    if isinstance(exc, ReadOnlyProjectError):
        return "read-only"
    if not isinstance(exc, OperationalError | sqlite3.OperationalError):
        return None
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return "busy"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return "read-only"
    return None


POLL_MS = 20  # one attempt's busy wait inside ``retry_when_busy``

P = ParamSpec("P")
R = TypeVar("R")


def retry_when_busy(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a one-transaction write again while the database is busy, polling finely.

    SQLite's own busy handler sleeps up to 100 ms between tries and is not fair: a bulk
    writer (a merge, an import) that commits a chunk and starts the next at once can win
    every time while a single label write waits seconds. Short attempts (``POLL_MS``)
    retried a millisecond apart catch the gap between two chunks. The total wait is the
    caller's busy timeout (``busy_wait``), as without retries. ``fn`` must be one
    transaction, so running it again after a failed attempt is safe.
    """
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        budget = _busy_timeout_ms.get()
        deadline = time.monotonic() + budget / 1000
        while True:
            left_ms = int((deadline - time.monotonic()) * 1000)
            try:
                with busy_wait(max(1, min(POLL_MS, left_ms))):
                    return fn(*args, **kwargs)
            except OperationalError as exc:
                if write_problem(exc) != "busy" or time.monotonic() >= deadline:
                    raise
            time.sleep(0.001)

    return wrapper


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_MS / 1000)


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url``; ``read_only`` opens a SQLite file without writing to it
    or beside it (a project file this process may not write)."""
    if is_sqlite(url):
        path = sqlite_path(url)
        if read_only and path is not None:
            engine = create_engine(url, creator=partial(_connect_read_only, path))
            event.listen(engine, "connect", _set_read_only_pragmas)
        else:
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "checkout", _set_busy_timeout)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _set_read_only_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
