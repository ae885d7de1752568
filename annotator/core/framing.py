"""Messages between this process and its worker processes: length-prefixed pickles.

Workers (export encoders, the import's reader) are plain ``python -c`` subprocesses
talking over their standard pipes rather than ``multiprocessing``, whose spawning
re-imports the caller's main module. Only the project's own processes are at either
end of a pipe, so pickle is safe here; it is never used on files.
"""

from __future__ import annotations

import pickle
from typing import IO, Any


class WorkerGone(RuntimeError):
    """The other end closed its pipe in the middle of the conversation."""


def send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little"))
    stream.write(data)
    stream.flush()


def receive(stream: IO[bytes], who: str = "a worker process") -> Any:
    header = stream.read(8)
    if len(header) < 8:
        raise WorkerGone(f"{who} ended unexpectedly")
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    if len(data) < size:
        raise WorkerGone(f"{who} ended unexpectedly")
    return pickle.loads(data)
