"""A block's fingerprint: the same line in several documents is a site's template.

Menus, footers, "Most read" headers and newsletter boxes repeat verbatim across the
pages of one site, while article prose does not. Fingerprints are stored with every
block so the suggester can ask, with one indexed query, how many other documents of the
project hold a block's line.
"""

from __future__ import annotations

import hashlib
import re

_NORM = re.compile(r"[\W_]+")


def line_key(text: str) -> str:
    """Lower-case words only: case, punctuation and spacing differ between page copies."""
    return _NORM.sub(" ", text.lower()).strip()


def fingerprint(text: str) -> str:
    """16 hex digits of the block's :func:`line_key` ("" for a block with no words)."""
    key = line_key(text)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16] if key else ""
