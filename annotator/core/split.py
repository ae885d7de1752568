"""Deterministic train/dev/test splits by document.

A document's split depends only on its id (the SHA-256 of its text) and the seed, not
on the order or size of the corpus: every annotator's record of one article lands in
the same split (no leakage of a text between train and test), the same seed gives the
same split on every machine, and a document keeps its split when the corpus grows —
a model evaluated on last month's test set is not later trained on it. The price is
that proportions are met on average, not exactly (the law of large numbers does the
rest on real corpora).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

from annotator.core.errors import InputError

_TOLERANCE = 1e-6


def parse_split(spec: str) -> dict[str, float]:
    """``"train=0.8,dev=0.1,test=0.1"`` -> ``{"train": 0.8, "dev": 0.1, "test": 0.1}``.

    Names become file names, so they are restricted to letters, digits, ``-`` and
    ``_`` and must differ by more than case (case-insensitive disks would write two parts
    to one file); fractions must be non-negative and add up to 1.
    """
    parts: dict[str, float] = {}
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"--split: {item!r} is not NAME=FRACTION")
        if not all(ch.isalnum() or ch in "-_" for ch in name):
            raise InputError(f"--split: name {name!r} may only use letters, digits, - and _")
        if name in parts:
            raise InputError(f"--split: {name!r} is given twice")
        clash = next((other for other in parts if other.casefold() == name.casefold()), None)
        if clash is not None:
            raise InputError(f"--split: {clash!r} and {name!r} differ only in case (their "
                             "files would be one file on Windows and macOS)")
        try:
            fraction = float(value)
        except ValueError:
            raise InputError(f"--split: {value.strip()!r} is not a number") from None
        if not math.isfinite(fraction) or fraction < 0:
            raise InputError(f"--split: the fraction of {name!r} must be 0 or more")
        parts[name] = fraction
    if not parts:
        raise InputError("--split: give at least one NAME=FRACTION")
    total = sum(parts.values())
    if abs(total - 1.0) > _TOLERANCE:
        raise InputError(f"--split: fractions add up to {total:g}, not 1")
    return parts


def unit_interval(doc_id: str, seed: int) -> float:
    """A uniform number in [0, 1) from the document id and seed (SHA-256 based)."""
    digest = hashlib.sha256(f"{seed}:{doc_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign(doc_id: str, split: Mapping[str, float], seed: int = 0) -> str:
    """The split a document belongs to, in the order the parts were given."""
    point = unit_interval(doc_id, seed)
    cumulative = 0.0
    last = ""
    for name, fraction in split.items():
        if fraction <= 0:
            continue
        cumulative += fraction
        last = name
        if point < cumulative:
            return name
    return last  # rounding: a point just under 1 with fractions summing to 0.9999999
