"""The one boundary for untrusted values: what it refuses, and the one line it says."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from annotator.core import untrusted
from annotator.core.errors import InputError


def test_good_record_passes_unchanged() -> None:
    line = json.dumps({"text": "Body 😀 مرحبا", "meta": {"n": -(2**63), "x": 1.5e300,
                                                          "tags": ["a", None, True]}})
    record = untrusted.loads(line, "in.jsonl:1")
    assert record == json.loads(line)
    untrusted.check_record(record)


def test_lone_surrogate_in_meta_refused_with_its_path() -> None:
    with pytest.raises(InputError) as caught:
        untrusted.loads('{"text": "t", "meta": {"k": "\\udfff"}}', "in.jsonl:3")
    assert str(caught.value) == (
        "in.jsonl:3: record.meta.k contains a lone surrogate, not a Unicode character "
        "(U+DFFF) at character 0")


def test_lone_surrogate_in_text_and_keys_refused() -> None:
    with pytest.raises(InputError, match=r"^record\.text contains a lone surrogate"):
        untrusted.check_record({"text": "ok \ud800 no"})
    with pytest.raises(InputError, match="a key of record.meta contains a lone surrogate"):
        untrusted.check_record({"meta": {"\udc00": 1}})
    with pytest.raises(InputError, match="title contains a NUL character"):
        untrusted.check_text("a\x00b", "title")


def test_deep_nesting_refused_not_a_recursion_error() -> None:
    for depth in (untrusted.MAX_DEPTH + 1, 100_000):
        line = '{"text": "t", "meta": ' + "[" * depth + "]" * depth + "}"
        with pytest.raises(InputError, match=r"^a\.jsonl:1: (record is nested over|JSON nested)"):
            untrusted.loads(line, "a.jsonl:1")


def test_huge_integer_refused_before_conversion() -> None:
    line = '{"text": "t", "meta": {"n": ' + "9" * 4300 + "}}"
    with pytest.raises(InputError, match=r"has 4300 digits, over the 64-bit integer range"):
        untrusted.loads(line)
    with pytest.raises(InputError, match="outside the 64-bit integer range"):
        untrusted.loads('{"n": 9223372036854775808}')
    with pytest.raises(InputError, match=r"record\.n is a number outside"):
        untrusted.check_record({"n": 2**64})


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_refused(token: str) -> None:
    with pytest.raises(InputError, match="finite"):
        untrusted.loads('{"text": "t", "meta": {"x": ' + token + "}}")


def test_non_finite_python_values_refused() -> None:
    with pytest.raises(InputError, match=r"record\.meta\.x is nan; only finite numbers"):
        untrusted.check_record({"meta": {"x": float("nan")}})
    with pytest.raises(InputError, match="not a JSON value"):
        untrusted.check_json({"when": datetime(2024, 1, 1)}, "meta")


def test_too_many_values_refused() -> None:
    with pytest.raises(InputError, match="holds over"):
        untrusted.check_json([0] * (untrusted.MAX_NODES + 1), "meta")


def test_not_an_object() -> None:
    with pytest.raises(InputError, match="^x:2: a record must be a JSON object$"):
        untrusted.check_record([1], "x:2")
    with pytest.raises(InputError, match=r"^not valid JSON \(Expecting value, column 1\)$"):
        untrusted.loads("oops")


def test_times_in_range() -> None:
    assert untrusted.parse_time("2024-03-01T12:00:00Z") == datetime(2024, 3, 1, 12)
    assert untrusted.parse_time("2024-03-01T12:00:00+02:00") == datetime(2024, 3, 1, 10)
    with pytest.raises(InputError, match="out of range once converted to UTC"):
        untrusted.parse_time("9999-12-31T23:59:59.999999-01:00", '"updated_at"', "f:1")
    with pytest.raises(InputError, match=r"out of range \(years 1900–9998\)"):
        untrusted.parse_time("0001-01-01T00:00:00")
    with pytest.raises(InputError, match="not an ISO 8601 time"):
        untrusted.parse_time("yesterday")


def test_printable_path_escapes_controls_and_undecodable_names() -> None:
    assert untrusted.printable_path("a\x1b[31mred\nline") == "a\\x1b[31mred\\nline"
    assert untrusted.printable_path("caf\udce9.txt") == "caf\\xe9.txt"
    assert untrusted.printable_path("fine name ü 😀.txt") == "fine name ü 😀.txt"
    assert untrusted.printable_path("\u202eevil") == "\\u202eevil"
