"""JSONL imports as streams: large and gzipped files, whole-or-nothing across chunks."""

from __future__ import annotations

import gzip
import json
import random
import sqlite3
import threading
from pathlib import Path

import pytest

from annotator.core.blocks import segment, spans
from annotator.core.fingerprint import fingerprint
from annotator.core.text import MAX_BYTES, sha256
from annotator.services import import_reading, importing
from annotator.services.importing import import_paths
from tests.events import SetAfter

WORDS = ("officials said the talks would resume on Thursday after a week of "
         "negotiations over security and withdrawal according to the ministry").split()


def _article(rng: random.Random, n: int) -> str:
    paragraphs = [f"Headline {n} on the talks"]
    while sum(map(len, paragraphs)) < 5000:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40)))
        paragraphs.append(words.capitalize() + f" ({n}).")
    return "\n\n".join(paragraphs)


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def _write_jsonl(path: Path, texts: list[str]) -> None:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"text": text, "meta": {"n": i}}) + "\n")


def test_a_25_mb_jsonl_imports_in_one_go(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(5)
    texts: list[str] = []
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < 25 * 1024 * 1024:
            texts.append(_article(rng, len(texts)))
            fh.write(json.dumps({"text": texts[-1], "meta": {"n": len(texts) - 1}}) + "\n")
    assert path.stat().st_size > MAX_BYTES  # over what a .txt may be: the limit is per record
    summary = import_paths(project, [path])
    assert (summary.imported, summary.duplicates, summary.refused) == (len(texts), 0, [])
    with sqlite3.connect(project.path) as conn:
        first = conn.execute("select id, sha256, title, meta from documents order by id "
                             "limit 1").fetchone()
        last = conn.execute("select sha256 from documents order by id desc limit 1").fetchone()
        blocks = conn.execute('select start, "end", fingerprint from blocks where '
                              'document_id = ? order by "index"', (first[0],)).fetchall()
    assert first[1:] == (sha256(texts[0]), "Headline 0 on the talks", '{"n": 0}')
    assert last[0] == sha256(texts[-1])
    assert blocks == [(b.start, b.end, fingerprint(texts[0][b.start : b.end]))
                      for b in segment(texts[0])]


def test_a_gzipped_jsonl_imports_directly(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(6)
    texts = [_article(rng, i) for i in range(30)]
    _write_jsonl(tmp_path / "articles.jsonl.gz", texts)
    summary = import_paths(project, [tmp_path])
    assert (summary.imported, summary.files, summary.refused) == (30, 1, [])
    again = import_paths(project, [tmp_path / "articles.jsonl.gz"])
    assert (again.imported, again.duplicates) == (0, 30)


def test_a_broken_gzip_file_is_refused_with_one_line(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cut.jsonl.gz"
    _write_jsonl(path, ["An article.", "Another one."] * 200)
    path.write_bytes(path.read_bytes()[:-20])  # cut off the end of the stream
    (tmp_path / "fake.jsonl.gz").write_bytes(b"not gzip at all")
    summary = import_paths(project, [path, tmp_path / "fake.jsonl.gz"])
    assert summary.imported == 0
    assert [line.split(": ", 1)[1].split(" (")[0] for line in summary.refused] == [
        "not a valid gzip file", "not a valid gzip file"]


def test_a_bad_record_deep_in_a_streamed_file_leaves_nothing(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(importing, "STREAM_BYTES", 0)
    monkeypatch.setattr(importing, "BATCH_DOCS", 10)
    path = tmp_path / "in.jsonl"
    _write_jsonl(path, [f"Article {i}." for i in range(95)])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"text": "x", "meta": {"v": Infinity}}\n')
    summary = import_paths(project, [path])
    assert summary.refused == [f"{path}:96: Infinity is not a JSON number (only finite "
                               "numbers are accepted)"]
    assert _count(project.path, "documents") == 0


def test_a_write_failing_after_some_chunks_takes_them_back(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The file is written in chunks (one transaction each); when a later chunk cannot
    be stored, the chunks already committed are removed: the file is whole or absent."""
    from sqlalchemy.exc import OperationalError

    monkeypatch.setattr(importing, "STREAM_BYTES", 0)
    monkeypatch.setattr(importing, "BATCH_DOCS", 10)
    real = importing.add_documents
    calls: list[int] = []

    def failing_third(session, docs):  # type: ignore[no-untyped-def]
        calls.append(len(docs))
        if len(calls) == 3:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real(session, docs)

    monkeypatch.setattr(importing, "add_documents", failing_third)
    (tmp_path / "a.txt").write_text("Stays: a file of its own.")
    path = tmp_path / "b.jsonl"
    _write_jsonl(path, [f"Article {i}." for i in range(45)])
    summary = import_paths(project, [tmp_path / "a.txt", path])
    assert calls[:3] == [1, 10, 10]
    assert summary.refused == [f"{path}: could not be stored: database is locked"]
    assert summary.imported == 1
    assert _count(project.path, "documents") == 1
    assert _count(project.path, "blocks") == 1


def test_cancel_in_the_middle_of_a_streamed_file_keeps_nothing_of_it(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(importing, "STREAM_BYTES", 0)
    monkeypatch.setattr(importing, "BATCH_DOCS", 10)
    path = tmp_path / "in.jsonl"
    _write_jsonl(path, [f"Article {i}." for i in range(50)])
    summary = import_paths(project, [path], cancel=SetAfter(2))  # after the second chunk
    assert summary.cancelled and summary.imported == 0
    assert _count(project.path, "documents") == 0


def test_export_records_in_a_gzipped_file_are_merged(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "An article to label.\n\nWith a second paragraph."
    record = {"id": sha256(text), "text": text, "meta": {}, "annotator": "bob",
              "status": "done", "updated_at": "2024-05-01T10:00:00Z",
              "blocks": [{"start": b.start, "end": b.end, "label": "content"}
                         for b in segment(text)],
              "spans": [], "relations": [], "doc_labels": {}}
    path = tmp_path / "bob.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")
    summary = import_paths(project, [path])
    assert (summary.imported, summary.merged, summary.refused) == (1, 1, [])


def test_the_import_computes_the_same_fingerprints_as_core_fingerprint(samples) -> None:  # type: ignore[no-untyped-def]
    """The import's byte-level fast path (ASCII blocks) must give ``fingerprint``'s values."""
    texts = [p.read_text(encoding="utf-8-sig").replace("\r\n", "\n") for p in samples]
    texts += ["Plain ASCII_with_underscores -- and   spaces\n\n...\n\nTABS\tand 42 numbers",
              "Mixed: café “quoted” text\n\nplain line\n\n___\n\nÜNÏCODE CAPS"]
    texts += ["...\n\nfirst block without words", "  lead space\n\n!!\n\n(last)  \n\n--",
              "wrapped lines that are\njoined into one block\n\n?", "one\n two \n\n\n  three!"]
    for text in texts:
        blocks = spans(text)
        assert import_reading.fingerprints(text, blocks) == [
            fingerprint(text[start:end]) for start, end in blocks]


def test_chunks_are_written_by_one_thread_while_the_next_is_prepared(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The pipeline: every write (and so every session) happens on one writer thread,
    chunk after chunk, in the files' order; refusal lines keep the files' order too, and
    every document and block arrives as the same rows a one-thread import would store."""
    monkeypatch.setattr(importing, "STREAM_BYTES", 0)
    monkeypatch.setattr(importing, "BATCH_DOCS", 7)
    real = importing.add_documents
    writers: list[tuple[int, list[str]]] = []

    def recording(session, docs):  # type: ignore[no-untyped-def]
        writers.append((threading.get_ident(), [d.text for d in docs]))
        return real(session, docs)

    monkeypatch.setattr(importing, "add_documents", recording)
    rng = random.Random(5)
    texts = [_article(rng, i) for i in range(40)]
    _write_jsonl(tmp_path / "a.jsonl", texts[:20])
    (tmp_path / "b.jsonl").write_text('{"text": "fine"}\nnot json\n')
    _write_jsonl(tmp_path / "c.jsonl", texts[20:] + texts[:3])  # (three duplicates)
    (tmp_path / "d.txt").write_bytes(b"\xff\xfe bad")
    summary = import_paths(project, [tmp_path])
    assert (summary.imported, summary.duplicates) == (40, 3)
    assert [line.split(":")[0] for line in summary.refused] == [
        str(tmp_path / "b.jsonl"), str(tmp_path / "d.txt")]
    assert {ident for ident, _ in writers} != {threading.get_ident()}
    assert len({ident for ident, _ in writers}) == 1
    assert [t for _, chunk in writers for t in chunk] == texts  # in order, duplicates dropped
    with sqlite3.connect(project.path) as conn:
        stored = conn.execute("select text from documents order by id").fetchall()
        rows = conn.execute('select d.text, b."index", b.start, b."end", b.fingerprint '
                            'from blocks b join documents d on d.id = b.document_id '
                            'order by b.id').fetchall()
    assert [t for (t,) in stored] == texts
    assert rows == [(text, i, start, end, fingerprint(text[start:end]))
                    for text in texts for i, (start, end) in enumerate(spans(text))]
