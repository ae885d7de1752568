"""Text made safe to print on a terminal.

Titles, file names and annotator names come from scraped pages and other people's
files. Printed raw, an ESC sequence can recolour or rewrite the terminal, a newline can
split "one line per problem" into two, and a bidi override can make a name read
backwards. Every such character is shown as a visible escape (``\\x1b``, ``\\n``,
``\\u202e``) instead, so a line stays one line and shows what the data really holds.
"""

from __future__ import annotations

_BIDI_CONTROLS = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_LINE_SEPARATORS = [0x2028, 0x2029, 0x0085]


def _escape(code: int) -> str:
    named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    if code in named:
        return named[code]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_TABLE: dict[int, str] = {
    code: _escape(code)
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI_CONTROLS,
                 *_LINE_SEPARATORS]
}


def printable(text: str) -> str:
    """``text`` with control, C1, bidi and line-separator characters escaped."""
    return text.translate(_TABLE)
