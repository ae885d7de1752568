"""Picking a document's title: the first headline-like block.

Scraped pages often start with a section label ("Security"), repeated photo captions
or a language switcher before the headline, and some wire stories have no headline at
all. A headline is a short single line of several words that is not a sentence: no
sentence-ending full stop, no caption credit after an inner full stop, and it appears
once. Without one, the first sentence of the first paragraph stands in.
"""

from __future__ import annotations

import re
from collections import Counter

from annotator.core.blocks import Block

MAX_TITLE = 120
_WORD = re.compile(r"\w+", re.UNICODE)
_LIST_MARK = re.compile(r"^\s*(?:[-*•·–—▪●◦]|\d{1,3}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _headline_like(line: str, repeats: int) -> bool:
    words = _WORD.findall(line)
    return (
        repeats == 1
        and "\n" not in line
        and 4 <= len(words) <= 25
        and len(line) <= 160
        and not line.rstrip().endswith((".", ":", ";", ",", "]", ")", "|"))
        and ". " not in line
        and not _LIST_MARK.match(line)
        and sum(w.isdigit() for w in words) < len(words) / 2
    )


def pick_title(text: str, blocks: list[Block]) -> str:
    pieces = [text[b.start : b.end] for b in blocks]
    counts = Counter(pieces)
    for piece in pieces:
        if len(piece) > 300 or len(_WORD.findall(piece)) >= 30:  # the body has started
            break
        if _headline_like(piece, counts[piece]):
            return piece.strip()
    prose = [p for p in pieces if len(_WORD.findall(p)) >= 4] or pieces or [text]
    first = _SENTENCE_END.split(" ".join(prose[0].split()), maxsplit=1)[0]
    return first if len(first) <= MAX_TITLE else first[:MAX_TITLE].rsplit(" ", 1)[0] + "…"
