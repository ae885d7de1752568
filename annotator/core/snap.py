"""Turning what an annotator selected into what they meant: token and block snapping.

People select text with a mouse or Shift+arrows and are rarely exact: a drag starts in
the middle of a word, or takes the space and the comma after it. Stored spans should
not depend on that wobble (two annotators marking the same claim must agree on its
offsets, or span agreement drops for no reason), so a selection is snapped to token
boundaries before it is stored: a partly selected word is taken whole, and surrounding
whitespace and punctuation are trimmed. Holding Alt bypasses this (``exact``).

Offsets here are Python code points, as everywhere outside the GUI edge. The rules are
Unicode-aware so Arabic words (letters with combining vowel marks) and text after
emoji snap the same way as English.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence

# Zero-width (non-)joiners sit inside Persian/Arabic and emoji words; they belong to them.
_JOINERS = {"\u200c", "\u200d"}


def is_word_char(ch: str) -> bool:
    """Letters, digits and combining marks: the characters a token is made of."""
    return ch in _JOINERS or unicodedata.category(ch)[0] in "LNM"


def is_trimmable(ch: str) -> bool:
    """Whitespace, punctuation and invisible format characters (bidi marks, BOM, ZWSP).

    Symbols such as ``$`` or ``%`` are kept: "$5 million" must keep its dollar sign.
    """
    if ch in _JOINERS:
        return False
    cat = unicodedata.category(ch)
    return ch.isspace() or cat[0] in "PZ" or cat in ("Cc", "Cf")


def _ordered(text: str, start: int, end: int) -> tuple[int, int]:
    if start > end:
        start, end = end, start
    return max(0, start), min(len(text), end)


def snap(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Snap ``[start, end)`` to whole tokens with nothing around them; None if empty.

    A selection that ends or starts inside a word grows to cover the word; then
    whitespace and punctuation at either edge are trimmed (punctuation inside the span,
    like the comma in "Baghdad, Iraq", stays).
    """
    start, end = _ordered(text, start, end)
    if start >= end:
        return None
    n = len(text)
    # Grow to whole words at both edges (only when the edge cuts through a word).
    while 0 < start < n and is_word_char(text[start - 1]) and is_word_char(text[start]):
        start -= 1
    while 0 < end < n and is_word_char(text[end - 1]) and is_word_char(text[end]):
        end += 1
    # Trim surrounding whitespace and punctuation.
    while start < end and is_trimmable(text[start]):
        start += 1
    while end > start and is_trimmable(text[end - 1]):
        end -= 1
    return (start, end) if start < end else None


def exact(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The selection as is (Alt held): only ordered and clamped; None if empty."""
    start, end = _ordered(text, start, end)
    return (start, end) if start < end else None


# -- blocks --------------------------------------------------------------------------
def block_at(blocks: Sequence[tuple[int, int]], offset: int) -> int | None:
    """Index of the block under a cursor at ``offset``.

    A cursor right after a block's last character still belongs to it (that is where
    a click at the end of a line puts it); a cursor on a blank line between blocks
    belongs to the next block, the one the reader's eye goes to. ``blocks`` are
    ``(start, end)`` pairs in order.
    """
    if not blocks:
        return None
    starts = [b[0] for b in blocks]
    i = bisect_right(starts, offset) - 1
    if i >= 0 and offset <= blocks[i][1]:
        return i
    return min(i + 1, len(blocks) - 1)


def blocks_in_range(blocks: Sequence[tuple[int, int]], start: int, end: int) -> list[int]:
    """Indices of every block a selection ``[start, end)`` touches; when it covers only
    the gap between two blocks, the block after the gap (where the selection ends)."""
    start, end = min(start, end), max(start, end)
    if start == end:
        found = block_at(blocks, start)
        return [] if found is None else [found]
    hits = [i for i, (bs, be) in enumerate(blocks) if bs < end and be > start]
    if hits:
        return hits
    found = block_at(blocks, end)
    return [] if found is None else [found]
