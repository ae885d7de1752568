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

from annotator.core.blocks import Block

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
    words = _WORD.findall(line)
    return (
        repeats == 1
        and "\n" not in line
        and 4 <= len(words) <= 25
        and len(line) <= 160
        and not line.rstrip().endswith((".", ":", ";", ",", "]", ")", "|"))
        and ". " not in line
        and not _LIST_MARK.match(line)
        and (line[:1].isalnum() or line[:1] in "\"'“‘")
        and len(_MENU_SEPARATORS.findall(line)) < 2
        and not _FURNITURE.match(line)
        and sum(w.isdigit() for w in words) < len(words) / 2
    )


def pick_title(text: str, blocks: list[Block]) -> str:
    pieces = [text[b.start : b.end] for b in blocks]
    counts = Counter(pieces)
    prose = [len(_WORD.findall(p)) >= 25 or len(p) > 200 for p in pieces]
    for i, piece in enumerate(pieces):
        if prose[i] and i + 1 < len(pieces) and prose[i + 1]:  # two body paragraphs: no headline
            break
        if _headline_like(piece, counts[piece]):
            return piece.strip()
    sentences = [p for p in pieces if len(_WORD.findall(p)) >= 4] or pieces or [text]
    first = _SENTENCE_END.split(" ".join(sentences[0].split()), maxsplit=1)[0]
    return first if len(first) <= MAX_TITLE else first[:MAX_TITLE].rsplit(" ", 1)[0] + "…"
