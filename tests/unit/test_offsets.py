import random

import pytest

from annotator.core.offsets import OffsetMap, to_codepoint, to_utf16, utf16_length
from annotator.core.text import normalise_newlines

TEXT = "Hi 😀 مرحبا بالعالم e\u0301 👩‍👩‍👧 end 𝐀"


def _utf16_index(text: str, offset: int) -> int:
    """Independent reference: encode the prefix and count UTF-16 code units."""
    return len(text[:offset].encode("utf-16-le")) // 2


def test_every_offset_matches_utf16_encoding() -> None:
    mapping = OffsetMap(TEXT)
    for offset in range(len(TEXT) + 1):
        position = _utf16_index(TEXT, offset)
        assert mapping.to_utf16(offset) == position
        assert mapping.to_codepoint(position) == offset


def test_emoji_takes_two_units() -> None:
    assert to_utf16("a😀b", 2) == 3
    assert to_codepoint("a😀b", 3) == 2
    # Inside the surrogate pair rounds down to the emoji itself.
    assert to_codepoint("a😀b", 2) == 1
    assert utf16_length("a😀b") == 4


def test_arabic_and_combining_marks_are_one_unit_each() -> None:
    text = "مرحبا e\u0301"
    assert [to_utf16(text, i) for i in range(len(text) + 1)] == list(range(len(text) + 1))


def test_crlf_input_converted_after_normalisation() -> None:
    text = normalise_newlines("😀 one\r\ntwo 😀\r\nthree")
    mapping = OffsetMap(text)
    start = text.index("three")
    assert text[start:] == "three"
    assert mapping.to_utf16(start) == _utf16_index(text, start) == start + 2


def test_out_of_range_rejected() -> None:
    mapping = OffsetMap("ab")
    with pytest.raises(ValueError):
        mapping.to_utf16(3)
    with pytest.raises(ValueError):
        mapping.to_codepoint(5)


def test_random_texts_round_trip() -> None:
    rng = random.Random(3)
    alphabet = ["a", " ", "\n", "😀", "🇮🇶", "م", "e\u0301", "𝐀", "中"]
    for _ in range(50):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        mapping = OffsetMap(text)
        for offset in range(len(text) + 1):
            assert mapping.to_codepoint(mapping.to_utf16(offset)) == offset
            assert mapping.to_utf16(offset) == _utf16_index(text, offset)
