"""Picking a document's title: the first headline-like block.

Scraped pages often start with a section label ("Security"), repeated photo captions
or a language switcher before the headline, and some wire stories have no headline at
all. A headline is a short single line of several words that is not a sentence: no
sentence-ending full stop, no caption credit after an inner full stop, not a menu or
breadcrumb (several separators), not page furniture ("Skip to main content"), and it
appears once. The search stops where the body starts (two long paragraphs in a row).
Without one, the first sentence of the first paragraph stands in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from annotator.core.model import Block

MAX_TITLE = 120
_WORD = re.compile(r"\w+", re.UNICODE)
_LIST_MARK = re.compile(r"^\s*(?:[-*•·–—▪●◦]|\d{1,3}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MENU_SEPARATORS = re.compile(r"\s(?:[|›»·/>•]|::)\s")
_FURNITURE = re.compile(
    r"^(?:skip to|listen to|jump to|sign (?:in|up)|subscribe|advertisement|menu\b|"
    r"share (?:this|on)|read more|related|most (?:read|popular)|trending|breaking\b)",
    re.IGNORECASE,
)


def _headline_like(line: str, repeats: int) -> bool:
    """Cheap tests first: most blocks fail on length or punctuation before any regex."""
    if (
        repeats != 1
        or len(line) > 160
        or "\n" in line
        or ". " in line
        or line.rstrip().endswith((".", ":", ";", ",", "]", ")", "|"))
        or not (line[:1].isalnum() or line[:1] in "\"'“‘")
    ):
        return False
    words = _WORD.findall(line)
    return (
        4 <= len(words) <= 25
        and not _LIST_MARK.match(line)
        and len(_MENU_SEPARATORS.findall(line)) < 2
        and not _FURNITURE.match(line)
        and sum(w.isdigit() for w in words) < len(words) / 2
    )


def _prose(piece: str) -> bool:
    """A body paragraph: long, or 25 words or more (counted only when short enough)."""
    return len(piece) > 200 or _word_count(piece) >= 25


def _word_count(piece: str) -> int:
    return len(_WORD.findall(piece))


_QUICK_LOOKS = 4
"""Candidates whose repeats are first looked for in the text itself: a headline is
usually among the first, and counting the blocks' texts would cost more; past these
the blocks are counted once (a page of many short lines must not be searched again
for each)."""


def pick_title(text: str, blocks: Sequence[Block]) -> str:
    return title_of_spans(text, [(b.start, b.end) for b in blocks])


def title_of_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``pick_title`` over ``(start, end)`` pairs (``blocks.spans``). One pass over the
    blocks up to the body, each cut out of the text only when looked at; words are
    counted only where it matters."""
    count = len(spans)
    counts: Counter[str] | None = None  # repeats, counted only when needed
    looked = 0
    here = text[spans[0][0] : spans[0][1]] if count else ""
    prose_next = _prose(here) if count else False
    for i in range(count):
        prose_here = prose_next
        if i + 1 < count:
            nxt = text[spans[i + 1][0] : spans[i + 1][1]]
            prose_next = _prose(nxt)
        else:
            nxt, prose_next = "", False
        if prose_here and prose_next:  # two body paragraphs: no headline
            break
        if len(here) <= 160 and "\n" not in here:
            looked += 1
            if looked <= _QUICK_LOOKS and text.count(here) == 1:
                repeats = 1  # (found once in the whole text: no other block holds it)
            else:
                if counts is None:
                    counts = Counter(text[s:e] for s, e in spans)
                repeats = counts[here]
            if _headline_like(here, repeats):
                return here.strip()
        here = nxt
    first_piece = next((p for p in (text[s:e] for s, e in spans) if _word_count(p) >= 4), None)
    if first_piece is None:
        first_piece = text[spans[0][0] : spans[0][1]] if count else text
    first = _SENTENCE_END.split(" ".join(first_piece.split()), maxsplit=1)[0]
    return first if len(first) <= MAX_TITLE else first[:MAX_TITLE].rsplit(" ", 1)[0] + "…"

