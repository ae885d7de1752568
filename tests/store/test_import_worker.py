"""A large import is read by a worker process: the same rows, the same refusals, and a
cancel or a dead reader leaves nothing half-written."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from annotator.core.framing import WorkerGone
from annotator.services import importing
from annotator.services.importing import import_paths
from annotator.store import open_project
from tests.events import SetAfter

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


def _folder(tmp_path: Path) -> Path:
    """Every kind of input: text and HTML files, a streamed JSONL in several chunks, the
    same text twice, a file with a bad record, and a file that is not an article."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(SAMPLES.glob("*.txt")):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "page.html").write_text(
        "<html><head><title>A page</title></head><body><nav>Home | News</nav>"
        "<article><h1>Officials meet</h1><p>The ministry said talks would resume.</p>"
        "</article></body></html>", encoding="utf-8")
    with open(folder / "stream.jsonl", "w", encoding="utf-8") as fh:
        for i in range(23):
            fh.write(json.dumps({"text": f"Article {i}\n\nThe council met on day {i}.",
                                 "meta": {"n": i}}) + "\n")
    (folder / "twice.txt").write_text("Article 3\n\nThe council met on day 3.",
                                      encoding="utf-8")
    (folder / "bad.jsonl").write_text('{"text": "fine"}\n{"text": 3}\n', encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    return folder


def _rows(path: Path) -> tuple[list[Any], list[Any]]:
    with sqlite3.connect(path) as conn:
        docs = conn.execute("select id, sha256, title, text, source, meta from documents "
                            "order by id").fetchall()
        blocks = conn.execute('select document_id, "index", start, "end", evidence, '
                              'fingerprint from blocks order by id').fetchall()
    return docs, blocks


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "STREAM_BYTES", 0)  # every JSONL file is streamed
    monkeypatch.setattr(importing, "BATCH_DOCS", 5)


def _spawned(monkeypatch: pytest.MonkeyPatch,
             procs: list[subprocess.Popen[bytes]] | None = None) -> list[list[str]]:
    """Record the processes the import starts (they still run)."""
    started: list[list[str]] = []
    real = subprocess.Popen

    def recording(args: list[str], *rest: Any, **options: Any) -> subprocess.Popen[bytes]:
        started.append(list(args))
        proc = real(args, *rest, **options)
        if procs is not None:
            procs.append(proc)
        return proc

    monkeypatch.setattr(importing.subprocess, "Popen", recording)
    return started


@pytest.mark.usefixtures("small_chunks")
def test_the_worker_stores_what_reading_here_stores(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    started = _spawned(monkeypatch)
    here = open_project(tmp_path / "here.annotator")
    monkeypatch.setattr(importing, "WORKER_MIN_BYTES", 1 << 40)
    by_here = import_paths(here, [folder])
    here.close()
    assert started == []

    there = open_project(tmp_path / "there.annotator")
    monkeypatch.setattr(importing, "WORKER_MIN_BYTES", 0)
    by_worker = import_paths(there, [folder])
    there.close()
    assert len(started) == 1 and importing.READER_BOOT in started[0]

    assert by_worker == by_here
    samples = len(list(SAMPLES.glob("*.txt")))
    assert samples and (by_here.imported, by_here.duplicates) == (samples + 1 + 23, 1)
    assert [line.split(": ", 1)[0] for line in by_here.refused] == [
        f"{folder / 'bad.jsonl'}:2", f"{folder / 'empty.txt'}"]
    assert _rows(tmp_path / "there.annotator") == _rows(tmp_path / "here.annotator")


def _a_file_then_a_stream(tmp_path: Path) -> list[Path]:
    """A one-article file, then a JSONL file of 40 records (8 chunks with small_chunks)."""
    (tmp_path / "a.txt").write_text("One article.\n", encoding="utf-8")
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps({"text": f"Article {i}."}) + "\n" for i in range(40)),
                    encoding="utf-8")
    return [tmp_path / "a.txt", path]


@pytest.mark.usefixtures("small_chunks")
def test_cancel_while_the_worker_reads_a_streamed_file_keeps_nothing_of_it(
        project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(importing, "WORKER_MIN_BYTES", 0)
    paths = _a_file_then_a_stream(tmp_path)
    procs: list[subprocess.Popen[bytes]] = []
    _spawned(monkeypatch, procs)
    # unset for 4 looks (the start, a.txt, b's first two chunks), set at b's third chunk
    summary = import_paths(project, paths, cancel=SetAfter(4))
    assert summary.cancelled
    assert len(procs) == 1 and procs[0].returncode is not None  # the reader is gone
    assert summary.imported == 1
    with sqlite3.connect(project.path) as conn:
        assert conn.execute("select text from documents").fetchall() == [("One article.\n",)]


def test_a_reader_that_dies_is_one_error_and_stores_nothing(
        project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(importing, "WORKER_MIN_BYTES", 0)
    monkeypatch.setattr(importing, "READER_BOOT", "import sys; sys.exit(3)")
    (tmp_path / "a.txt").write_text("One article.\n", encoding="utf-8")
    with pytest.raises(WorkerGone, match="the import's reader process ended unexpectedly"):
        import_paths(project, [tmp_path / "a.txt"])
    with sqlite3.connect(project.path) as conn:
        assert conn.execute("select count(*) from documents").fetchone() == (0,)


@pytest.mark.parametrize("worker", [False, True])
@pytest.mark.usefixtures("small_chunks")
def test_ctrl_c_in_the_middle_of_a_streamed_file_takes_its_chunks_back(
        project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker: bool) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+C arrives in the main thread as KeyboardInterrupt, wherever it is: here while
    it looks whether to stop, once the streamed file's third chunk was handed over."""
    monkeypatch.setattr(importing, "WORKER_MIN_BYTES", 0 if worker else 1 << 40)
    paths = _a_file_then_a_stream(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        import_paths(project, paths, cancel=SetAfter(4, raising=KeyboardInterrupt))
    with sqlite3.connect(project.path) as conn:  # a.txt went in whole before; b not at all
        assert conn.execute("select text from documents").fetchall() == [("One article.\n",)]
        assert conn.execute("select count(*) from blocks").fetchone() == (1,)


def test_the_reader_loads_nothing_heavy() -> None:
    """The worker starts in a few hundredths of a second because the reading half
    imports no SQLAlchemy (nor spaCy, numpy or lxml, which an HTML file loads later)."""
    import sys

    code = ("import sys, annotator.services.import_reading; "
            "print(sorted(m for m in ('sqlalchemy', 'spacy', 'numpy', 'lxml') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
