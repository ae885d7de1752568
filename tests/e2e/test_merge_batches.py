"""Merging many records at once: set-based batches, replaced spans, concurrent merges.

Real SQLite files, real export files and, for concurrency, two real ``annotator``
processes merging the same file into the same project at the same time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.core.blocks import segment
from annotator.core.text import sha256
from annotator.services.export import ExportOptions, iter_records
from annotator.services.merge import merge_paths
from annotator.store import open_project

WORDS = "the ministry said talks would continue according to officials on Thursday".split()


def article(n: int) -> str:
    body = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(40))
    return (f"Talks, day {n}\n\nThe spokesman said the talks will go on. {body}.\n\n"
            f"Related: more on day {n}")


def record(text: str, annotator: str, spans: list[tuple[str, str, str]],
           relations: list[tuple[str, str, str]], *, when: str = "2024-01-01T10:00:00Z",
           sourcing: str = "well_sourced") -> dict[str, Any]:
    """An export record; spans are (uid, label, piece of the text)."""
    blocks = [{"start": b.start, "end": b.end, "label": None} for b in segment(text)]
    blocks[-1]["label"] = "related"
    out = []
    for uid, label, piece in spans:
        start = text.index(piece)
        out.append({"id": uid, "label": label, "start": start, "end": start + len(piece),
                    "text": piece, "attrs": {}})
    return {
        "id": sha256(text), "text": text, "meta": {"title": text.split("\n")[0]},
        "annotator": annotator, "status": "done", "updated_at": when, "blocks": blocks,
        "spans": out,
        "relations": [{"id": uid, "label": "ATTRIBUTION", "head": head, "child": child,
                       "cue": None, "attrs": {"quote_type": "indirect"}}
                      for uid, head, child in relations],
        "doc_labels": {"sourcing": sourcing},
    }


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def stored(project) -> dict[tuple[str, str], dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {(r["id"], r["annotator"]): r
            for r in iter_records(project, ExportOptions(all_annotators=True, statuses=None))}


def labels(rec: dict[str, Any]) -> tuple[Any, ...]:
    spans = {s["id"]: (s["label"], s["start"], s["end"]) for s in rec["spans"]}
    return (sorted(spans.values()),
            sorted((spans[r["head"]], spans[r["child"]]) for r in rec["relations"]),
            rec["doc_labels"], rec["status"], rec["updated_at"])


def test_newer_records_replace_spans_in_place(tmp_path: Path) -> None:
    """Spans kept, dropped, added and renamed; relations re-linked; one batch or many."""
    text = article(1)
    first = record(text, "alice", [("a", "SOURCE", "The spokesman"), ("b", "CUE", "said"),
                                   ("c", "CLAIM", "the talks will go on")],
                   [("r1", "a", "c")])
    newer = record(text, "alice", [("a", "SOURCE", "The spokesman"),
                                   ("d", "CLAIM", "the talks will go on."),
                                   ("e", "CUE", "said the")],
                   [("r2", "a", "d")], when="2024-01-02T10:00:00Z", sourcing="partly_sourced")
    fewer = record(text, "alice", [("z", "CLAIM", "talks")], [],
                   when="2024-01-03T10:00:00Z")
    project = open_project(tmp_path / "lead.sqlite")
    try:
        for step, rec in enumerate((first, newer, fewer)):
            counts = merge_paths(project, [write(tmp_path / f"{step}.jsonl", [rec])])
            assert (counts.merged, counts.refused) == (1, [])
            got = stored(project)[(rec["id"], "alice")]
            assert labels(got) == labels(rec)
            assert {s["id"] for s in got["spans"]} == {s["id"] for s in rec["spans"]}
        # The three versions in one file (one batch): the last one stands.
        other = open_project(tmp_path / "other.sqlite")
        try:
            counts = merge_paths(other, [write(tmp_path / "all.jsonl", [first, newer, fewer])])
            assert (counts.merged, counts.replaced) == (3, 2)
            assert labels(stored(other)[(fewer["id"], "alice")]) == labels(fewer)
        finally:
            other.close()
    finally:
        project.close()


def test_a_uid_passes_between_annotators_in_one_batch(tmp_path: Path) -> None:
    """Bob's newer record drops uid "x", which Carol's record in the same batch uses."""
    text = article(2)
    project = open_project(tmp_path / "lead.sqlite")
    try:
        merge_paths(project, [write(tmp_path / "a.jsonl", [
            record(text, "bob", [("x", "SOURCE", "The spokesman")], []),
            record(text, "carol", [("y", "SOURCE", "The spokesman")], []),
        ])])
        bob = record(text, "bob", [("w", "CLAIM", "talks")], [], when="2024-02-01T00:00:00Z")
        carol = record(text, "carol", [("x", "CLAIM", "the talks"), ("y", "CUE", "said")],
                       [], when="2024-02-01T00:00:00Z")
        counts = merge_paths(project, [write(tmp_path / "b.jsonl", [bob, carol])])
        assert (counts.merged, counts.replaced, counts.refused) == (2, 2, [])
        now = stored(project)
        assert labels(now[(bob["id"], "bob")]) == labels(bob)
        assert labels(now[(carol["id"], "carol")]) == labels(carol)
        assert {s["id"] for s in now[(carol["id"], "carol")]["spans"]} == {"x", "y"}
    finally:
        project.close()


def many_records(tmp_path: Path, n: int) -> Path:
    records = []
    for i in range(n):
        text = article(i)
        records.append(record(text, "alice", [(f"s{i}", "SOURCE", "The spokesman"),
                                              (f"c{i}", "CLAIM", "the talks will go on")],
                              [(f"r{i}", f"s{i}", f"c{i}")]))
        records.append(record(text, "bob", [(f"t{i}", "SOURCE", "The spokesman")], []))
    return write(tmp_path / "team.jsonl", records)


def cli(*args: str | Path, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    env.pop("ANNOTATOR_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "annotator", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.parametrize("n", [1000])
def test_two_merges_of_the_same_records_at_once(tmp_path: Path, n: int) -> None:
    team = many_records(tmp_path, n)
    target = tmp_path / "lead.sqlite"
    open_project(target).close()
    runs = [cli("--project", target, "import", team, home=tmp_path / "home") for _ in range(2)]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    for code, out, err in results:
        assert code == 0, err
        problems = [line for line in err.splitlines() if "annotator:" in line]
        assert problems == [] and "Traceback" not in err and "Error" not in err
        assert "0 refused" in out
    merged = [int(out.split(" merged")[0].rsplit(" ", 1)[-1]) for _, out, _ in results]
    unchanged = [int(out.split(" unchanged")[0].rsplit(" ", 1)[-1]) for _, out, _ in results]
    imported = [int(out.split(" imported")[0]) for _, out, _ in results]
    # Every record merged once, and found unchanged by the other merge.
    assert sum(merged) == 2 * n and sum(unchanged) == 2 * n
    assert sum(imported) == n
    project = open_project(target)
    try:
        got = stored(project)
    finally:
        project.close()
    expected = {(r["id"], r["annotator"]): r for r in map(json.loads, team.read_text(
        encoding="utf-8").splitlines())}
    assert got.keys() == expected.keys()
    assert all(labels(got[key]) == labels(expected[key]) for key in expected)


def run(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    env.pop("ANNOTATOR_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


def test_untrusted_values_refuse_their_record_only(tmp_path: Path) -> None:
    """Each bad value: one line naming the line, exit 2; the good records merged, and the
    project still exports."""
    good = [record(article(i), "alice", [(f"s{i}", "SOURCE", "The spokesman")], [])
            for i in range(3)]
    surrogate = json.dumps({**good[0], "annotator": "bob", "meta": {"k": "\udfff"}})
    nan = json.dumps({**good[0], "annotator": "carol",
                      "spans": [{**good[0]["spans"][0], "attrs": {"x": float("nan")}}]})
    huge = json.dumps({**good[0], "annotator": "dan"}).replace(
        '"attrs": {}', '"attrs": {"n": ' + "9" * 4300 + "}")
    deep = json.dumps({**good[0], "annotator": "erin", "meta": {"k": [[[]]]}}).replace(
        "[[[]]]", "[" * 5000 + "]" * 5000)
    late = json.dumps({**good[1], "annotator": "fay",
                       "updated_at": "9999-12-31T23:59:59.999999-01:00"})
    nul = json.dumps({**good[1], "annotator": "gus", "doc_labels": {"sourcing": "a\x00b"}})
    lines = [json.dumps(good[0]), surrogate, nan, huge, deep, late, nul, json.dumps(good[1]),
             json.dumps(good[2])]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "lead.sqlite"
    result = run("--project", target, "import", path, home=tmp_path / "home")
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("annotator:")]
    assert [line.split(": ")[2] for line in errors] == [f"{path}:{n}" for n in range(2, 8)]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "lone surrogate" in errors[0] and "finite" in errors[1]
    assert "64-bit" in errors[2] and "nested" in errors[3] and "out of range" in errors[4]
    assert "NUL" in errors[5]
    assert "3 merged (0 replaced)" in result.stdout
    out = tmp_path / "all.jsonl"
    exported = run("--project", target, "export", "--all", "--status", "any", "--out", out,
                   home=tmp_path / "home")
    assert exported.returncode == 0, exported.stderr
    assert {json.loads(x)["annotator"] for x in out.read_text(encoding="utf-8").splitlines()} \
        == {"alice"}


@pytest.mark.parametrize("first", ['{"text": "a", "meta": {"k": %s}}',
                                   '{"annotator": "a", "text": "a", "meta": {"k": %s}}'])
def test_a_deeply_nested_first_record_is_one_line(tmp_path: Path, first: str) -> None:
    """Found by fuzzing: sniffing the first record for ``annotator`` hit the recursion
    limit and the whole import stopped with an internal error."""
    path = tmp_path / "deep.jsonl"
    path.write_text(first % ("[" * 5000 + "]" * 5000) + "\n", encoding="utf-8")
    result = run("--project", tmp_path / "p.sqlite", "import", path, home=tmp_path / "home")
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if "annotator:" in line] == [
        f"annotator: error: {path}:1: JSON nested too deeply (over 64 levels)"]


def test_an_over_long_record_is_refused_and_the_rest_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain and gzipped export files share one line reader: a record over the per-line
    limit is one refusal, read past without holding it, and the records after it merge."""
    first, second = (record(article(n), "bob", [("x", "SOURCE", "The spokesman")], [])
                     for n in (3, 4))
    big = record(article(5) + " padding" * 400, "bob", [], [])
    path = write(tmp_path / "bob.jsonl", [first, big, second])
    limit = len(json.dumps(big, ensure_ascii=False)) - 10
    assert len(json.dumps(first, ensure_ascii=False)) < limit
    monkeypatch.setattr("annotator.core.formats.MAX_RECORD_BYTES", limit)
    project = open_project(tmp_path / "lead.sqlite")
    try:
        counts = merge_paths(project, [path])
        assert counts.merged == 2
        assert counts.refused == [f"{path}:2: record is over the 0 MB limit for one line"]
        assert set(stored(project)) == {(first["id"], "bob"), (second["id"], "bob")}
    finally:
        project.close()
