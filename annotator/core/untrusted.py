"""The one boundary for values that come from files: checked once, before the store.

Why one module: a value that the store accepts but cannot give back (a lone surrogate
in a title, ``NaN`` in ``meta``, a time that overflows when converted to UTC) does not
fail where it came in; it fails later, in every export of the project, far from the
file that caused it. So every text and ``meta`` value read from an import or a merge
passes through here, and anything outside these bounds refuses its record or file
with one line:

- text: Unicode scalar values only (no lone surrogates) and no NUL character (neither
  UTF-8 nor PostgreSQL's text and JSON types can hold them);
- JSON: at most ``MAX_DEPTH`` levels of nesting and ``MAX_NODES`` values in one
  record; integers within 64 bits (a 4,300-digit number is refused before Python
  converts it); finite numbers only (``NaN`` and ``Infinity`` are not JSON);
- times: ISO 8601, between ``MIN_YEAR`` and ``MAX_YEAR`` once converted to UTC.

API (pure, standard library only; every error is an ``InputError`` whose message says
what is wrong, prefixed with ``where`` when given):

- ``loads(line, where=None)``: parse one JSON document within the bounds;
- ``check_record(obj, where=None)``: a parsed record is a JSON object within the bounds;
- ``check_text(value, what="text", where=None)``: one string;
- ``check_json(value, what="value", where=None)``: any JSON value (``meta``, ``attrs``);
- ``parse_time(value, what="time", where=None)``: an ISO 8601 string to naive UTC;
- ``check_time(value, what="time", where=None)``: a ``datetime`` to naive UTC;
- ``printable_path(path)``: a file name made safe for one line of terminal output.
"""

from __future__ import annotations

import json
import math
import os
import re
from datetime import UTC, datetime
from typing import Any, NoReturn

from annotator.core.errors import InputError
from annotator.core.terminal import printable

MAX_DEPTH = 64
"""Nesting levels of arrays and objects in one record (the record itself is level 1)."""
MAX_NODES = 1_000_000
"""Values (strings, numbers, arrays, objects...) in one record."""
MAX_INT = 2**63 - 1
"""Integers must fit a signed 64-bit column: SQLite's and PostgreSQL's ``bigint``."""
_MAX_INT_DIGITS = len(str(MAX_INT))
MIN_YEAR = 1900
MAX_YEAR = 9998
"""Times outside these years (in UTC) are refused: arithmetic near datetime's ends overflows."""

_BAD_CHAR = re.compile(r"[\x00\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _fail(message: str, where: str | None) -> NoReturn:
    raise InputError(message, where=where)


def check_text(value: str, what: str = "text", where: str | None = None) -> None:
    """Refuse a string holding a lone surrogate or a NUL character."""
    if value.isascii():
        if "\x00" in value:
            _fail(f"{what} contains a NUL character (U+0000) at character {value.index(chr(0))}",
                  where)
        return
    bad = _BAD_CHAR.search(value)
    if bad is not None:
        char = bad.group()
        kind = "a NUL character" if char == "\x00" else "a lone surrogate, not a Unicode character"
        _fail(f"{what} contains {kind} (U+{ord(char):04X}) at character {bad.start()}", where)


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_INT_DIGITS:
        raise _Refused(f"number {digits[:12]}… has {len(digits.lstrip('-'))} digits, "
                       "over the 64-bit integer range")
    number = int(digits)
    if not -MAX_INT - 1 <= number <= MAX_INT:
        raise _Refused(f"number {digits} is outside the 64-bit integer range")
    return number


def _parse_float(digits: str) -> float:
    number = float(digits)
    if not math.isfinite(number):
        raise _Refused(f"number {digits[:24]} is too large to be a finite number")
    return number


def _parse_constant(name: str) -> NoReturn:
    raise _Refused(f"{name} is not a JSON number (only finite numbers are accepted)")


class _Refused(ValueError):
    """Raised from inside the JSON decoder's hooks; turned into an ``InputError``."""


_DECODER = json.JSONDecoder(parse_int=_parse_int, parse_float=_parse_float,
                            parse_constant=_parse_constant)


def loads(line: str, where: str | None = None) -> Any:
    """Parse one JSON document, refusing what ``check_json`` would refuse.

    Numbers are bounded while parsing (Python would otherwise spend time on, or raise
    for, a 4,300-digit integer); nesting deeper than the interpreter can follow is
    refused instead of raising ``RecursionError``. The result still goes through
    ``check_json`` for strings, depth and size.
    """
    try:
        value = _DECODER.decode(line)
    except _Refused as exc:
        _fail(str(exc), where)
    except json.JSONDecodeError as exc:
        _fail(f"not valid JSON ({exc.msg}, column {exc.colno})", where)
    except RecursionError:
        _fail(f"JSON nested too deeply (over {MAX_DEPTH} levels)", where)
    check_json(value, "record", where)
    return value


def check_json(value: Any, what: str = "value", where: str | None = None) -> None:
    """Refuse a value that is not plain, bounded, finite JSON with valid strings.

    Walks the value without recursion, so depth is measured rather than hit; the path
    to a bad value (``meta.tags[3]``) is spelled out only when one is found.
    """
    stack: list[tuple[Any, int, _Trail]] = [(value, 1, None)]
    nodes = 0
    while stack:
        item, depth, trail = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            _fail(f"{what} holds over {MAX_NODES:,} JSON values", where)
        if isinstance(item, str):
            if not item.isascii() or "\x00" in item:
                check_text(item, _spell(what, trail), where)
        elif item is None or isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not -MAX_INT - 1 <= item <= MAX_INT:
                _fail(f"{_spell(what, trail)} is a number outside the 64-bit integer range",
                      where)
        elif isinstance(item, float):
            if not math.isfinite(item):
                _fail(f"{_spell(what, trail)} is {item!r}; only finite numbers are accepted",
                      where)
        elif isinstance(item, dict):
            if depth > MAX_DEPTH:
                _fail(f"{what} is nested over {MAX_DEPTH} levels deep", where)
            for key, sub in item.items():
                if not isinstance(key, str):
                    _fail(f"{_spell(what, trail)} has a key that is not a string", where)
                if not key.isascii() or "\x00" in key:
                    check_text(key, f"a key of {_spell(what, trail)}", where)
                stack.append((sub, depth + 1, (trail, key)))
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                _fail(f"{what} is nested over {MAX_DEPTH} levels deep", where)
            stack.extend((sub, depth + 1, (trail, i)) for i, sub in enumerate(item))
        else:
            _fail(f"{_spell(what, trail)} is not a JSON value ({type(item).__name__})", where)


_Trail = tuple[Any, str | int] | None
"""Where a value sits: (the parent's trail, key or index), None for the top."""


def _spell(what: str, trail: _Trail) -> str:
    steps: list[str] = []
    while trail is not None:
        trail, step = trail
        steps.append(f"[{step}]" if isinstance(step, int) else f".{printable(step)[:40]}")
    return what + "".join(reversed(steps))


def check_record(obj: Any, where: str | None = None) -> None:
    """A parsed JSONL record: a JSON object whose every value is within the bounds."""
    if not isinstance(obj, dict):
        _fail("a record must be a JSON object", where)
    check_json(obj, "record", where)


def check_time(value: datetime, what: str = "time", where: str | None = None) -> datetime:
    """The time as naive UTC (the store's form), refused if out of range."""
    try:
        utc = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    except (OverflowError, ValueError):
        _fail(f"{what} {value.isoformat()} is out of range once converted to UTC", where)
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        _fail(f"{what} {value.isoformat()} is out of range (years {MIN_YEAR}–{MAX_YEAR})",
              where)
    return utc


def parse_time(value: str, what: str = "time", where: str | None = None) -> datetime:
    """An ISO 8601 string (``Z`` allowed) as naive UTC; refused if unreadable or out of range."""
    check_text(value, what, where)
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        _fail(f"{what} is not an ISO 8601 time: {printable(value)[:60]!r}", where)
    return check_time(parsed, what, where)


def _escape_byte(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def printable_path(path: os.PathLike[str] | str) -> str:
    """A path for an error line: bytes of a name that is not valid UTF-8 (which Python
    holds as surrogate escapes) shown as ``\\xNN``, control characters escaped as
    ``core.terminal.printable`` does. So such a file is named, on one line, and the
    other files go on."""
    return printable(_SURROGATE.sub(_escape_byte, os.fspath(path)))
