"""A cancel event that a test sets at an exact check point, not at a moment in time."""

from __future__ import annotations

import threading


class SetAfter(threading.Event):
    """Reads as unset for the first ``looks`` checks, then as set; or, with ``raising``,
    raises it instead (Ctrl+C arrives as ``KeyboardInterrupt`` wherever the main thread
    happens to be, here while the job looks whether to stop)."""

    def __init__(self, looks: int, raising: type[BaseException] | None = None) -> None:
        super().__init__()
        self.looks, self.raising, self.asked = looks, raising, 0

    def is_set(self) -> bool:
        self.asked += 1
        if self.asked <= self.looks:
            return False
        if self.raising is not None:
            raise self.raising
        return True
