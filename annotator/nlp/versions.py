"""Suggestion versions computed from what decides, never bumped by hand.

A hand-bumped "clutter-1" stayed the same through a commit that changed which
suggestions were made, so projects kept stale ones. A version here is a hash of the
source of the modules that decide (and of their data files), so any change to them is a
new version and ``suggest`` re-checks the documents.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=16)
def source_digest(*names: str) -> str:
    """12 hex digits over the named files of ``annotator/nlp`` (or absolute paths)."""
    h = hashlib.sha256()
    for name in names:
        path = Path(name) if Path(name).is_absolute() else _HERE / name
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]
