"""CSV cells that a spreadsheet cannot mistake for a formula.

Titles and names in a report come from scraped pages and annotators' files. A cell such
as ``=HYPERLINK(...)`` or ``@SUM(...)`` opened in Excel or LibreOffice runs as a formula,
so, as OWASP recommends, a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return gets a leading single quote. Numbers (``-0.25``) are left as they are:
a spreadsheet reads them as numbers, never as formulas, and the figures must stay
numeric for whoever sorts the table.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from typing import Any, TextIO

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def neutral_cell(value: Any) -> Any:
    """``value`` as written to a CSV cell, with a formula trigger neutralised."""
    if isinstance(value, str) and value.startswith(_TRIGGERS) and not _is_number(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose every row is passed through ``neutral_cell``."""

    def __init__(self, stream: TextIO, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutral_cell(cell) for cell in row])
