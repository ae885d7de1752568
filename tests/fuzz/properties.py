"""What may come out of the import, merge and HTML parsers, whatever goes in.

Three outcomes only: exit 0 with the data stored, or exit 2 with one line per problem
and nothing half-stored. Anything else (exit 1, a traceback, a multi-line message,
a record half-written) is a bug. The properties here are plain functions over
generated input so that the test suite (a small budget) and ``tests/bench/bench_fuzz.py``
(a larger one) run exactly the same checks.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.blocks import segment
from annotator.core.errors import InputError
from annotator.core.html_page import read_page
from annotator.core.text import sha256

# -- values ---------------------------------------------------------------------------------
LONE_SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
TEXT_CHARS = st.one_of(
    st.characters(codec="utf-8"),  # any scalar value
    st.sampled_from("\n\r\t \u2028\ufeff\x00\x1b<>&\"'"),
    LONE_SURROGATES,
)
texts = st.text(TEXT_CHARS, max_size=60)
numbers = st.one_of(
    st.integers(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, texts),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)
times = st.one_of(
    st.none(), texts, st.datetimes().map(lambda t: t.isoformat()),
    st.sampled_from(["9999-12-31T23:59:59.999999-01:00", "0001-01-01T00:00:00+01:00",
                     "2024-01-01T10:00:00Z", "2024-13-01", ""]),
)


def _dumps(value: Any) -> str:
    """JSON as a file would hold it; a lone surrogate is written as its ``\\u`` escape."""
    return json.dumps(value, ensure_ascii=True)


# -- article files ------------------------------------------------------------------------
@st.composite
def article_lines(draw: st.DrawFn) -> str:
    """One line of a JSONL file of articles: a record, or something that is not one."""
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return draw(st.text(TEXT_CHARS, max_size=40))  # not JSON at all
    record: dict[str, Any] = {"text": draw(st.one_of(texts, json_values))}
    if draw(st.booleans()):
        record["meta"] = draw(json_values)
    if draw(st.booleans()):
        record["id"] = draw(json_values)
    line = _dumps(record)
    if choice == 1:  # very deep or very long numbers written by hand
        depth = draw(st.integers(1, 3000))
        line = line[:-1] + ', "meta": {"k": ' + "[" * depth + "]" * depth + "}}"
    elif choice == 2:
        line = line[:-1] + ', "meta": {"n": ' + "9" * draw(st.integers(15, 5000)) + "}}"
    return line


@st.composite
def article_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, content) of a file ``annotator import`` reads as articles."""
    suffix = draw(st.sampled_from([".txt", ".jsonl", ".html"]))
    if suffix == ".jsonl":
        body = "\n".join(draw(st.lists(article_lines(), max_size=4)))
    elif suffix == ".html":
        body = draw(html_pages())
    else:
        body = draw(st.text(TEXT_CHARS, max_size=300))
    encoded = body.encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        encoded = draw(st.binary(max_size=200))
    if draw(st.integers(0, 9)) == 0:
        encoded = b"\xef\xbb\xbf" + encoded
    return suffix, encoded


# -- HTML -------------------------------------------------------------------------------------
TAGS = ["p", "div", "span", "a", "br", "li", "ul", "nav", "footer", "h1", "title", "head",
        "body", "html", "script", "style", "pre", "table", "td", "tr", "b", "figure",
        "figcaption", "iframe", "svg", "template", "section", "x-widget"]
ATTRS = ["class", "id", "hidden", "style", "aria-hidden", "role", "href", "data-x", "lang"]


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 9))
        tag = draw(st.sampled_from(TAGS))
        if kind <= 2:
            attrs = "".join(
                f' {draw(st.sampled_from(ATTRS))}="{draw(texts)}"'
                for _ in range(draw(st.integers(0, 3))))
            parts.append(f"<{tag}{attrs}>")
        elif kind <= 4:
            parts.append(f"</{tag}>")
        elif kind == 5:
            parts.append(draw(st.sampled_from(["<!-- c -->", "<!--", "&amp;", "&#0;", "&#xD800;",
                                               "&nbsp;", "<!DOCTYPE html>", "<![CDATA[x]]>",
                                               "&#1114112;", "<?xml?>"])))
        else:
            parts.append(draw(texts))
    return "".join(parts)


def check_html(markup: str) -> None:
    """A page is read, or refused with one line; what is read is consistent."""
    try:
        page = read_page(markup, extract=False)
    except InputError as exc:
        assert "\n" not in str(exc), str(exc)
        return
    page.text.encode("utf-8")  # valid Unicode: it will be stored and exported
    assert "\x00" not in page.text
    last = 0
    for region in page.regions:
        assert last <= region.start <= region.end <= len(page.text)
        last = region.end
        json.dumps(region.evidence, ensure_ascii=False).encode("utf-8")
    page.title.encode("utf-8")


# -- running the command ----------------------------------------------------------------------
def run_cli(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def count_rows(project: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(project)) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("documents", "blocks", "spans", "relations", "block_labels",
                              "doc_labels", "progress")}


def check_outcome(code: int, out: str, err: str, path: Path) -> list[str]:
    """Exit 0 or 2 only; on 2, every line is one problem naming the file."""
    assert code in (0, 2), (code, err)
    problems = [line for line in err.splitlines() if line.startswith("annotator:")]
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 0:
        assert problems == [], err
    else:
        assert problems and all(line.startswith("annotator: error: ") for line in problems), err
        named = str(path).replace("\\", "\\\\")
        assert all(named in line or str(path) in line for line in problems), err
    return problems


def check_import(project: Path, suffix: str, content: bytes) -> None:
    """Importing one article file: all of it or none of it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"article{suffix}"
        path.write_bytes(content)
        before = count_rows(project)
        code, out, err = run_cli("--project", project, "import", path)
        after = count_rows(project)
    check_outcome(code, out, err, path)
    imported = int(out.split(" imported")[0]) if " imported" in out else 0
    assert after["documents"] - before["documents"] == imported, (out, before, after)
    if code == 2:  # the file was refused whole
        assert after == before, (err, before, after)


# -- merge files --------------------------------------------------------------------------------
BASE_TEXT = "Talks go on\n\nThe spokesman said the talks will go on.\n\nRelated: more"


def base_record(annotator: str) -> dict[str, Any]:
    text = BASE_TEXT
    blocks = [{"start": b.start, "end": b.end, "label": None} for b in segment(text)]
    start = text.index("The spokesman")
    claim = text.index("the talks")
    return {
        "id": sha256(text), "text": text, "meta": {"title": "Talks go on"},
        "annotator": annotator, "status": "done", "updated_at": "2024-01-01T10:00:00Z",
        "blocks": blocks,
        "spans": [{"id": f"{annotator}-s", "label": "SOURCE", "start": start,
                   "end": start + 13, "text": "The spokesman", "attrs": {}},
                  {"id": f"{annotator}-c", "label": "CLAIM", "start": claim,
                   "end": claim + 22, "attrs": {"checkworthy": "yes"}}],
        "relations": [{"id": f"{annotator}-r", "label": "ATTRIBUTION", "head": f"{annotator}-s",
                       "child": f"{annotator}-c", "cue": None, "attrs": {}}],
        "doc_labels": {"sourcing": "well_sourced"},
    }


PATHS = [("annotator",), ("status",), ("updated_at",), ("id",), ("text",), ("meta",),
         ("blocks", 0, "label"), ("blocks", 1, "start"), ("blocks",), ("spans", 0, "start"),
         ("spans", 0, "end"), ("spans", 0, "label"), ("spans", 0, "attrs"), ("spans", 1, "id"),
         ("spans", 0, "text"), ("spans",), ("relations", 0, "head"), ("relations", 0, "id"),
         ("relations", 0, "attrs"), ("relations",), ("doc_labels",), ("doc_labels", "sourcing")]


@st.composite
def merge_records(draw: st.DrawFn, annotator: str) -> str:
    """An export record with a few of its values replaced by anything at all."""
    record = base_record(annotator)
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(PATHS))
        target: Any = record
        for step in path[:-1]:  # an earlier change may have replaced a container
            ok = (isinstance(target, dict) and step in target) or (
                isinstance(target, list) and isinstance(step, int) and step < len(target))
            target = target[step] if ok else None
        key = path[-1]
        if not isinstance(target, dict if isinstance(key, str) else list) or (
                isinstance(target, list) and key >= len(target)):
            continue
        if path == ("updated_at",):
            target[key] = draw(times)
        elif draw(st.booleans()):
            target[key] = draw(json_values)
        else:
            target[key] = draw(st.one_of(st.integers(-5, 80), texts))
    line = _dumps(record)
    if draw(st.integers(0, 7)) == 0:
        cut = draw(st.integers(0, len(line)))
        line = line[:cut]
    return line


@st.composite
def merge_files(draw: st.DrawFn) -> list[str]:
    """Lines of an export file: records of distinct annotators, so each can be found."""
    count = draw(st.integers(1, 4))
    return [draw(merge_records(f"fuzz{i}")) for i in range(count)]


def stored_labels(project: Path) -> dict[str, tuple[Any, ...]]:
    """Per fuzz annotator: (spans, number of relations, document labels) as stored."""
    found: dict[str, tuple[Any, ...]] = {}
    with contextlib.closing(sqlite3.connect(project)) as conn:
        for (name,) in conn.execute("SELECT name FROM annotators WHERE name LIKE 'fuzz%'"):
            spans = sorted(conn.execute(
                'SELECT label, start, "end" FROM spans JOIN annotators a ON a.id = annotator_id '
                "WHERE a.name = ?", (name,)).fetchall())
            relations = conn.execute(
                "SELECT count(*) FROM relations JOIN annotators a ON a.id = annotator_id "
                "WHERE a.name = ?", (name,)).fetchone()[0]
            labels = dict(conn.execute(
                "SELECT d.name, value FROM doc_labels d JOIN annotators a ON a.id = annotator_id "
                "WHERE a.name = ?", (name,)).fetchall())
            progress = conn.execute(
                "SELECT count(*) FROM progress JOIN annotators a ON a.id = annotator_id "
                "WHERE a.name = ?", (name,)).fetchone()[0]
            if progress or spans or labels:
                found[name] = ([tuple(s) for s in spans], relations, labels)
    return found


def check_merge(project: Path, lines: list[str]) -> None:
    """Each record is merged whole or refused with one line naming its line (or the file
    is refused whole, when it does not read as export records at all)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        with contextlib.closing(sqlite3.connect(project)) as conn:  # a clean slate
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("DELETE FROM annotators WHERE name LIKE 'fuzz%'")
            conn.commit()
        code, out, err = run_cli("--project", project, "import", path)
        problems = check_outcome(code, out, err, path)
    refused = {int(number) for number in (
        line.split(f"{path}:", 1)[1].split(":", 1)[0] for line in problems
        if f"{path}:" in line) if number.isdigit()}
    stored = stored_labels(project)
    file_refused = code == 2 and not stored
    for number, line in enumerate(lines, start=1):
        name = f"fuzz{number - 1}"
        got = stored.get(name)
        if number in refused:
            assert got is None, (line, got)
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            assert file_refused or got is None, (line, got)
            continue
        if not isinstance(record, dict) or record.get("annotator") != name:
            continue  # renamed (or machine suggestions, reported apart)
        if got is None:
            empty = not (record.get("spans") or record.get("doc_labels")
                         or record.get("status") not in (None, "todo"))
            assert file_refused or empty, (line, err)
            continue
        spans = sorted((s["label"], s["start"], s["end"]) for s in record.get("spans") or [])
        assert got == (spans, len(record.get("relations") or []),
                       record.get("doc_labels") or {}), (line, got)
