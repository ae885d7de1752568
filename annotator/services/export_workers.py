"""Worker processes for large text exports, and the pages they encode, in order.

One Python process encodes about 18 MB of records per CPU-second, short of the 20 MB/s
an export must reach, so a large JSONL or Prodigy export (``PARALLEL_MIN_RECORDS``)
hands pages of document ids to worker processes, one per core, and yields their
encoded pages in document order: the output is byte-for-byte the same. This process
encodes pages itself while the workers start. Frozen (PyInstaller) builds stay in
one process.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from typing import IO, Any

from annotator.core.framing import receive, send
from annotator.services.export_lines import EncodedPage, ExportJob, PageEncoder
from annotator.services.export_records import ExportOptions, suggestion_layers
from annotator.store import Project
from annotator.store import export_queries as q

PARALLEL_MIN_RECORDS = 20_000
MAX_WORKERS = 4
IN_FLIGHT = 3  # pages queued per worker: enough to keep it busy, few enough for flat memory
_WORKER_BOOT = "from annotator.services.export_workers import worker_main; worker_main()"


def _receive(stream: IO[bytes]) -> Any:
    return receive(stream, "an export worker process")


def worker_main() -> None:
    """An export worker: reads a ``ExportJob``, then page id lists (``None`` ends), and
    answers each with an ``EncodedPage`` page or ``("error", exception)``.

    Workers are plain ``python -c`` subprocesses speaking length-prefixed pickles over
    their pipes, not ``multiprocessing``: spawning re-imports the caller's main
    module, which runs the caller's script again when it lacks a ``__main__`` guard.
    Standard output is moved to standard error so a stray print cannot corrupt the
    pipe. Replies are written from the encoding thread itself: a separate writer
    thread would fight it for the GIL after every 64 kB the pipe takes.
    """
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    encoder: PageEncoder | None = None
    while (message := _receive(requests)) is not None:
        try:
            if isinstance(message, ExportJob):
                encoder = PageEncoder(message)
                encoder.ready()
                # A worker only makes short-lived records: keep the start-up heap (spaCy,
                # SQLAlchemy) out of every collection and collect young objects rarely.
                # Records hold no reference cycles, so memory stays flat.
                gc.freeze()
                gc.set_threshold(50_000, 20, 20)
                send(replies, ("ready",))
                continue
            assert encoder is not None
            reply: Any = encoder.encode(message)
        except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
            reply = ("error", exc)
        send(replies, reply)


def worker_count(options: ExportOptions, total: int) -> int:
    """Worker processes for a text export: only when it pays for their start-up (about
    a second each: Python, spaCy, the tokenizer) and never in a frozen build."""
    if options.workers is not None:
        return options.workers
    cpus = os.cpu_count() or 1
    if total < PARALLEL_MIN_RECORDS or cpus < 2 or getattr(sys, "frozen", False):
        return 0
    return min(cpus, MAX_WORKERS)


def _result(proc: subprocess.Popen[bytes]) -> EncodedPage:
    assert proc.stdout is not None
    reply = _receive(proc.stdout)
    if isinstance(reply, tuple) and reply[:1] == ("error",):
        raise reply[1]
    return reply  # type: ignore[no-any-return]


class _Starting:
    """Waits in a thread for a worker's "ready" (portable: no select() on pipes)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.ready = threading.Event()
        self.reply: Any = None
        self.thread = threading.Thread(target=self._wait, args=(proc,), daemon=True)
        self.thread.start()

    def _wait(self, proc: subprocess.Popen[bytes]) -> None:
        try:
            assert proc.stdout is not None
            self.reply = _receive(proc.stdout)
        except Exception as exc:  # noqa: BLE001 - re-raised by check()
            self.reply = ("error", exc)
        self.ready.set()

    def check(self) -> None:
        self.thread.join()
        if self.reply != ("ready",):
            raise self.reply[1] if isinstance(self.reply, tuple) else RuntimeError(
                "an export worker process failed to start")


def _stop(procs: list[subprocess.Popen[bytes]], finished: bool) -> None:
    """End the workers: politely after a complete export, at once after an error or a
    cancel (a worker may be blocked writing a page nobody will read)."""
    for proc in procs:
        stopped = False
        if finished:
            try:
                assert proc.stdin is not None
                send(proc.stdin, None)
                proc.stdin.close()
                proc.wait(timeout=10)
                stopped = True
            except (OSError, subprocess.TimeoutExpired):
                pass
        if not stopped:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()


def encoded_pages(project: Project, job: ExportJob, workers: int, *,
                  help_while_starting: bool = True) -> Iterator[EncodedPage]:
    """Encoded pages in document order. With workers, pages go round-robin and at most
    ``IN_FLIGHT`` per worker are queued, so memory stays flat however large the export.
    ``help_while_starting``: encode pages here until every worker is up (tests turn it
    off so that the workers encode every page)."""
    encoder = PageEncoder(job, project)
    options = job.options
    with project.sessions() as session:
        pages = q.iter_pages(session, list(job.chosen), options.statuses)
        if workers <= 1:
            for ids in pages:
                yield encoder.encode(ids)
        else:
            procs = [subprocess.Popen([sys.executable, "-c", _WORKER_BOOT], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE) for _ in range(workers)]
            finished = False
            try:
                for proc in procs:
                    assert proc.stdin is not None
                    send(proc.stdin, job)
                # Workers take about a second to start (Python, spaCy, the tokenizer);
                # this process encodes pages itself until every one has said so.
                starting = [_Starting(proc) for proc in procs]
                pending: deque[subprocess.Popen[bytes]] = deque()
                number = 0
                for ids in pages:
                    if starting:
                        if help_while_starting and not all(s.ready.is_set() for s in starting):
                            yield encoder.encode(ids)
                            continue
                        for waiter in starting:
                            waiter.check()
                        starting = []
                    proc = procs[number % workers]
                    number += 1
                    assert proc.stdin is not None
                    send(proc.stdin, ids)
                    pending.append(proc)
                    if len(pending) >= IN_FLIGHT * workers:
                        yield _result(pending.popleft())
                while pending:
                    yield _result(pending.popleft())
                finished = not starting or all(s.ready.is_set() for s in starting)
            finally:
                _stop(procs, finished)
        if options.suggestions:
            builder = encoder.ready()[1]
            as_spans = options.entities
            for doc, rows in q.iter_suggestions(session, suggestion_layers(options)):
                yield encoder.encode_records(1, [builder.from_suggestions(doc, rows, as_spans)])
