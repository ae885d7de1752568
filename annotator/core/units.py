"""Counts and sizes as a person reads them in a summary line.

Kept apart from any one command so that every summary (export, import, ...) says
"1 record", "3 records" and "3.4 MB" the same way.
"""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """``n`` with thousands separators and ``word``, plural unless ``n`` is one:
    "1 record", "12,000 records"."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def human_size(n: int) -> str:
    """Bytes as a person reads them: "812 bytes", "12 KB", "3.4 MB" (1 KB = 1000 bytes)."""
    if n < 1000:
        return plural(n, "byte")
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if n < scale * 1000 or unit == "GB":
            value = n / scale
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{n} bytes"  # not reached
