"""Token snapping of a selection, and which blocks a cursor or selection means."""

from __future__ import annotations

import pytest

from annotator.core.snap import block_at, blocks_in_range, exact, snap

TEXT = "The ministry said: “the talks, in Baghdad, will continue.” Officials agreed."


def _sel(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ("ministry", "ministry"),
        (" ministry ", "ministry"),
        ("inistr", "ministry"),  # inside one word: the whole word
        ("e ministry sa", "The ministry said"),  # both edges cut words
        ("“the talks, in Baghdad, will continue.” ", "the talks, in Baghdad, will continue"),
        (": “the", "the"),
        ("Officials agreed.", "Officials agreed"),
    ],
)
def test_snap_takes_whole_words_without_surrounding_punctuation(selected: str, expected: str) -> None:
    start, end = snap(TEXT, *_sel(TEXT, selected)) or (0, 0)
    assert TEXT[start:end] == expected


def test_snap_returns_none_for_space_or_punctuation_only() -> None:
    assert snap(TEXT, *_sel(TEXT, ": “")) is None
    assert snap(TEXT, 5, 5) is None


def test_snap_accepts_a_backwards_selection() -> None:
    start, end = _sel(TEXT, "ministry")
    assert snap(TEXT, end, start) == (start, end)


def test_snap_handles_arabic_with_marks_and_text_after_emoji() -> None:
    text = "🎉🎉 قالَ الوزيرُ إنَّ المحادثاتِ ستستمر. Then, the minister said."
    # A selection that cuts the Arabic word with a vowel mark in the middle.
    word = "الوزيرُ"
    start = text.index(word)
    assert snap(text, start + 2, start + 4) == (start, start + len(word))
    # After emoji: offsets are code points, so the slice is exact.
    s, e = snap(text, *_sel(text, " the minister said."))  # type: ignore[misc]
    assert text[s:e] == "the minister said"


def test_snap_keeps_symbols_that_belong_to_the_span() -> None:
    text = "It cost $5 million (roughly)."
    s, e = snap(text, *_sel(text, " $5 million "))  # type: ignore[misc]
    assert text[s:e] == "$5 million"


def test_snap_trims_bidi_marks_and_nbsp() -> None:
    text = "a\u200f\u00a0السلام\u00a0b"
    s, e = snap(text, 1, len(text) - 1)  # type: ignore[misc]
    assert text[s:e] == "السلام"


def test_exact_keeps_every_character() -> None:
    start, end = _sel(TEXT, " ministry ")
    assert exact(TEXT, end, start) == (start, end)
    assert exact(TEXT, 3, 3) is None


BLOCKS = [(0, 10), (12, 30), (32, 40)]


@pytest.mark.parametrize(("offset", "index"), [(0, 0), (5, 0), (10, 0), (11, 1), (12, 1),
                                                (31, 2), (40, 2), (45, 2)])
def test_block_at(offset: int, index: int) -> None:
    assert block_at(BLOCKS, offset) == index


def test_block_at_no_blocks() -> None:
    assert block_at([], 3) is None
    assert blocks_in_range([], 0, 4) == []


def test_blocks_in_range() -> None:
    assert blocks_in_range(BLOCKS, 5, 14) == [0, 1]
    assert blocks_in_range(BLOCKS, 14, 5) == [0, 1]
    assert blocks_in_range(BLOCKS, 3, 39) == [0, 1, 2]
    assert blocks_in_range(BLOCKS, 10, 12) == [1]  # only the gap: the next block
    assert blocks_in_range(BLOCKS, 20, 20) == [1]
