"""Export lines are byte-for-byte what ``json.dumps`` writes, whichever encoder made them.

orjson writes most records; the values where it would differ from the standard
library (small floats, NaN, huge integers, subclasses, non-string keys) must come out
exactly as ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` writes them.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import pytest

from annotator.services.export_lines import _dumps, _finite, _record_finite


class Kind(StrEnum):
    NAMED = "named"


VALUES: list[Any] = [
    {"a": 1, "b": "é\u2028\x1f\"\\\n", "c": None, "d": [True, False], "e": {}},
    {"score": 1e-05}, {"score": -2.5e-05}, {"score": 1e-7}, {"score": 5e-324},
    {"score": 0.1}, {"score": 1e16}, {"score": 1.7976931348623157e308}, {"score": -0.0},
    {"n": 2**70}, {"kind": Kind.NAMED}, {"text": "price 0.00001 and 3e-5 in prose"},
    {"pair": (1, 2)},
]


@pytest.mark.parametrize("value", VALUES)
def test_lines_equal_the_standard_library(value: Any) -> None:
    expected = (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    assert _dumps(value, _finite(value)) == expected


def test_non_finite_floats_are_written_as_json_writes_them() -> None:
    for value in ({"x": float("nan")}, {"x": [1, {"y": float("inf")}]}, {"x": -float("inf")}):
        assert not _finite(value)
        assert _dumps(value, False) == (json.dumps(value, separators=(",", ":")) + "\n").encode()
    record = {"meta": {}, "metrics": {"share": None}, "relations": [],
              "spans": [{"attrs": {"score": float("nan")}}]}
    assert not _record_finite(record)
    record["spans"][0]["attrs"]["score"] = 0.5
    assert _record_finite(record)


def test_non_string_keys_fall_back_to_json() -> None:
    value = {1: "a", 2.5: "b", None: "c"}
    assert _dumps(value, True) == (json.dumps(value, separators=(",", ":")) + "\n").encode()
