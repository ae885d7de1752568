"""Block segmentation: the units annotators label as content or boilerplate.

Rules (DESIGN.md): paragraphs are separated by blank lines; hard-wrapped lines are
joined into their paragraph; list items and short lines are each their own block.

Hard wrapping is recognised by the classic fill test: a line was broken by the wrapper
(not by the author) when the next line's first word would not have fitted on it. The
wrap width is taken from the group of lines itself, so 72- and 80-column wire copy both
work. Long lines (over ``MAX_WRAP_WIDTH``) were never wrapped by a tool; identical
consecutive lines (repeated photo captions) are never joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_WRAP_WIDTH = 100
MIN_WRAP_WIDTH = 40
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·–—▪●◦]|\d{1,3}[.)])\s+")


@dataclass(frozen=True, slots=True)
class Block:
    """A block is ``[start, end)`` in the canonical text, surrounding space excluded."""

    index: int
    start: int
    end: int


def _first_word_len(line: str) -> int:
    stripped = line.lstrip()
    return len(stripped.split(maxsplit=1)[0]) if stripped else 0


def _is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line))


def _wrap_width(lengths: list[int]) -> int:
    """The width the group was wrapped at: its longest line that a wrapper could make."""
    candidates = [n for n in lengths if n <= MAX_WRAP_WIDTH]
    return max(candidates, default=0)


def _joins(lines: list[str]) -> list[bool]:
    """For each line but the last: is the break after it a wrap (join with the next)?"""
    lengths = [len(line.rstrip()) for line in lines]
    width = _wrap_width(lengths)
    result = []
    for i in range(len(lines) - 1):
        here, nxt = lines[i], lines[i + 1]
        wrapped = (
            width >= MIN_WRAP_WIDTH
            and lengths[i] <= MAX_WRAP_WIDTH
            and lengths[i] >= MIN_WRAP_WIDTH
            and lengths[i] + 1 + _first_word_len(nxt) > width
            and here.strip() != nxt.strip()
            and not _is_list_item(nxt)
            and not nxt[:1].isspace()  # an indented line opens a new paragraph
        )
        result.append(wrapped)
    return result


def segment(text: str) -> list[Block]:
    """Split canonical text into blocks, in order, never overlapping."""
    blocks: list[Block] = []
    group: list[tuple[int, str]] = []  # (start offset, line) of consecutive non-blank lines

    def flush() -> None:
        if not group:
            return
        joins = _joins([line for _, line in group])
        para_start = group[0][0] + (len(group[0][1]) - len(group[0][1].lstrip()))
        for i, (start, line) in enumerate(group):
            if i < len(joins) and joins[i]:
                continue
            end = start + len(line.rstrip())
            blocks.append(Block(len(blocks), para_start, end))
            if i + 1 < len(group):
                nstart, nline = group[i + 1]
                para_start = nstart + (len(nline) - len(nline.lstrip()))
        group.clear()

    offset = 0
    for line in text.split("\n"):
        if line.strip():
            group.append((offset, line))
        else:
            flush()
        offset += len(line) + 1
    flush()
    return blocks
