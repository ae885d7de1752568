"""Canonical text: the one string every offset in the project points into.

The canonical form (README: "What an import does to the text"): decoded, BOM
dropped, line endings normalised to ``\\n``, nothing else changed. Keeping
normalisation this small means an annotator's offsets survive a round trip through any
tool that reads the same bytes.
"""

from __future__ import annotations

import hashlib

from annotator.core.errors import InputError

MAX_BYTES = 20 * 1024 * 1024
MAX_LINES = 100_000
"""Lines one document may hold. A news article has a few hundred; a file of millions of
short lines is a data dump, and segmenting it would take memory in proportion (every
line is a block the window lists), so it is refused with one line instead."""
_BOMS = ("\ufeff",)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM is dropped."""
    if text.startswith(_BOMS):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, *, where: str, encoding: str | None = None) -> str:
    """Decode file bytes to canonical text, refusing what is not an article.

    Binary data is recognised by NUL bytes (UTF-16 files included, which we do not
    guess at: the user can pass ``--encoding utf-16``), and with an explicit encoding by
    NUL characters in the decoded text (every byte decodes in latin-1, so only the
    decoded text can tell).
    """
    if len(data) > MAX_BYTES:
        raise InputError(f"file is {len(data) / 1e6:.1f} MB, over the 20 MB limit", where=where)
    text = normalise_newlines(decode_bytes(data, where=where, encoding=encoding))
    if not text.strip():
        raise InputError("empty file (no text to annotate)", where=where)
    return text


def decode_bytes(data: bytes, *, where: str, encoding: str | None = None,
                 line: int | None = None, bom: bool = True) -> str:
    """``data`` decoded, or the one line that says why it is not text.

    Whole files (``decode``) and the lines of a streamed JSONL file (``core.formats``)
    are refused for the same reasons in the same words. ``line`` is the line ``data``
    is of its file (a decoding error then names the byte within that line); ``None``
    for a whole file. Without an ``encoding``, ``bom`` drops a leading UTF-8 BOM.
    """
    if encoding is None:
        if b"\x00" in data:
            raise InputError("binary file (contains NUL bytes), not text", where=where)
        try:
            return data.decode("utf-8-sig" if bom else "utf-8")
        except UnicodeDecodeError as exc:
            if line is None:
                number = data[: exc.start].count(b"\n") + 1
                at = f"line {number}, byte {exc.start}"
            else:
                at = f"line {line}, byte {exc.start} of the line"
            raise InputError(
                f"not valid UTF-8 ({at}); pass --encoding to read it in another encoding",
                where=where,
            ) from None
    try:
        text = data.decode(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", where=where) from None
    except UnicodeDecodeError as exc:
        at = f"byte {exc.start}" if line is None else f"line {line}, byte {exc.start} of the line"
        raise InputError(f"cannot be decoded as {encoding} ({at})", where=where) from None
    if "\x00" in text:
        raise InputError("binary file (contains NUL characters), not text", where=where)
    return text


def check_lines(text: str, where: str | None = None) -> None:
    """Refuse a document of more than ``MAX_LINES`` lines (counted in one C pass)."""
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_LINES:
        raise InputError(f"document has {lines:,} lines, over the {MAX_LINES:,}-line limit "
                         "for one article", where=where)


def sha256(text: str) -> str:
    """Document identity: the SHA-256 of the canonical text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
