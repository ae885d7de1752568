"""Control characters from titles and file names never reach the terminal raw."""

from __future__ import annotations

from annotator.core.terminal import printable


def test_escape_sequences_and_newlines_are_shown_not_obeyed() -> None:
    text = "Title\x1b[2J\x1b]0;pwned\x07\nsecond line\rback\ttab"
    out = printable(text)
    assert out == "Title\\x1b[2J\\x1b]0;pwned\\x07\\nsecond line\\rback\\ttab"
    assert all(ch.isprintable() for ch in out)


def test_c1_bidi_and_line_separators_are_escaped() -> None:
    out = printable("a\x9bb\u202eevil\u2066c\u2028d\x85e\x7f")
    assert out == "a\\x9bb\\u202eevil\\u2066c\\u2028d\\x85e\\x7f"


def test_ordinary_text_and_windows_paths_are_unchanged() -> None:
    plain = "Ärzte warnen: «Café» — العربية 👍🏽 C:\\news\\a.txt"
    assert printable(plain) == plain
