"""Bulk work without the cyclic garbage collector sweeping over and over."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while hundreds of thousands of small objects are made.

    Why: reading an agreement corpus, merging a batch of export records or importing a
    folder of articles creates hundreds of thousands of short-lived objects (parsed
    records, row dicts, spans), none of them in a reference cycle; the collector would
    still sweep the growing heap again and again, which costs up to a third of the time.
    It is switched back on (if it was on) as soon as the block ends, also on error or
    cancel.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
