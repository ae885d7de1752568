"""Quotations in a text: where they open and close, paired within each block.

Why on the text and not on tokens: a quotation often spans several sentences (and
sentence splits inside quotes are where the small parser errs most), and news style
continues a long quote over paragraphs by reopening it without closing it. The finder
reads these spans to attach a quote to a cue next to it, to keep quotation marks in
a content span and never split a quotation.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.blocks import segment

_DOUBLE = '"“”«»„'


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation ``[start, end)`` including its marks; ``open_ended`` when a paragraph
    opens a quote that the next paragraph continues (news style for long quotes)."""

    start: int
    end: int
    open_ended: bool = False


def find_quotes(text: str) -> list[Quote]:
    """Quotations in ``text``, paired within each block, in order.

    Straight double quotes alternate open/close; curly ones say which they are. A block
    that ends inside an open quotation yields an open-ended quote to the block's end
    (the next paragraph will reopen it). Single quotes count only when they clearly
    pair up (``'word ... word'``), since ``’`` is mostly an apostrophe.
    """
    quotes: list[Quote] = []
    for block in segment(text):
        quotes.extend(_block_quotes(text, block.start, block.end))
    return quotes


def _block_quotes(text: str, start: int, end: int) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in _DOUBLE:
            continue
        if ch in "“«„" or (ch == '"' and open_at is None):
            open_at = i
        elif open_at is not None:
            found.append(Quote(open_at, i + 1))
            open_at = None
    if open_at is not None and end - open_at > 1:
        found.append(Quote(open_at, end, open_ended=True))
    found.extend(_single_quotes(text, start, end, found))
    found.sort(key=lambda q: q.start)
    return found


def _single_quotes(text: str, start: int, end: int, doubles: list[Quote]) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in "'‘’" or any(q.start <= i < q.end for q in doubles):
            continue
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if ch in "'‘" and (before.isspace() or before in "([") and after.isalnum():
            open_at = i
        elif ch in "'’" and open_at is not None and not before.isspace() and not after.isalnum():
            found.append(Quote(open_at, i + 1))
            open_at = None
    return found
