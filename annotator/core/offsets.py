"""Code-point offsets <-> Qt's UTF-16 positions.

The store and every export count Python code points (as spaCy's ``Token.idx``). Qt's
``QTextCursor.position()`` counts UTF-16 code units, so a character outside the Basic
Multilingual Plane (most emoji) is one code point but two Qt positions. This module is
the single place that converts; the GUI calls it at its edge and nowhere else.

Combining marks and Arabic are one code unit per code point in both systems, so they
need no special care, but the tests pin that down.
"""

from __future__ import annotations

from bisect import bisect_right


class OffsetMap:
    """Converts offsets for one text in O(log n) using the positions of astral chars."""

    __slots__ = ("_astral", "_length")

    def __init__(self, text: str) -> None:
        # Code-point indices of characters that take two UTF-16 units.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._length = len(text)

    def to_utf16(self, offset: int) -> int:
        """Code-point offset -> UTF-16 position."""
        if not 0 <= offset <= self._length:
            raise ValueError(f"offset {offset} outside text of length {self._length}")
        return offset + bisect_right(self._astral, offset - 1)

    def to_codepoint(self, position: int) -> int:
        """UTF-16 position -> code-point offset.

        A position inside a surrogate pair (which Qt should never report) is rounded
        down to the start of that character.
        """
        if position < 0:
            raise ValueError(f"position {position} is negative")
        lo, hi = 0, len(self._astral)
        # Find how many astral chars lie strictly before the resulting offset.
        while lo < hi:
            mid = (lo + hi) // 2
            # The UTF-16 position where astral char number ``mid`` starts.
            if self._astral[mid] + mid < position:
                lo = mid + 1
            else:
                hi = mid
        # ``lo`` astral characters start before ``position``; the last may be split.
        offset = position - lo
        if lo and self._astral[lo - 1] + (lo - 1) + 1 == position:
            offset = self._astral[lo - 1]
        if offset > self._length:
            raise ValueError(f"position {position} outside text of length {self._length}")
        return offset


def to_utf16(text: str, offset: int) -> int:
    """One-off conversion; use ``OffsetMap`` when converting many offsets of one text."""
    return OffsetMap(text).to_utf16(offset)


def to_codepoint(text: str, position: int) -> int:
    """One-off conversion; use ``OffsetMap`` when converting many positions of one text."""
    return OffsetMap(text).to_codepoint(position)


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as Qt counts it."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
