"""CSV cells a spreadsheet would run as formulas are neutralised; numbers are not."""

from __future__ import annotations

import csv
import io

from annotator.core.csv_safe import SafeWriter, neutral_cell


def test_formula_triggers_get_a_leading_quote() -> None:
    for cell in ("=1+1", "+SUM(A1)", "-2+3", "@x", "\tx", "\rx", "=HYPERLINK(\"u\",\"c\")"):
        assert neutral_cell(cell) == "'" + cell


def test_numbers_and_plain_text_stay_as_they_are() -> None:
    for cell in ("-0.25", "+3", "-1e-05", "Mayor resigns", "", "a=b"):
        assert neutral_cell(cell) == cell
    assert neutral_cell(-0.5) == -0.5 and neutral_cell(3) == 3


def test_safe_writer_round_trips_through_the_csv_module() -> None:
    buffer = io.StringIO()
    SafeWriter(buffer, lineterminator="\n").writerow(["=cmd|' /C calc'!A0", "-0.1", "ok"])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == [
        "'=cmd|' /C calc'!A0", "-0.1", "ok"]
