"""Import into a real SQLite project: dedup, atomic files, batches, formats."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from annotator.services.importing import import_paths
from annotator.store.documents import document_blocks, list_documents


def _count(project, table: str) -> int:  # type: ignore[no-untyped-def]
    with sqlite3.connect(project.path) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def test_samples_import_once(project, samples) -> None:  # type: ignore[no-untyped-def]
    first = import_paths(project, samples)
    assert (first.imported, first.duplicates, first.refused) == (3, 0, [])
    again = import_paths(project, samples)
    assert (again.imported, again.duplicates) == (0, 3)
    with project.sessions() as session:
        rows = list_documents(session)
        assert len(rows) == 3
        for row in rows:
            blocks = document_blocks(session, row.id)
            assert len(blocks) > 10
            assert len(row.sha256) == 64


def test_bad_files_refused_good_ones_imported(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text("A good article.\n\nWith two paragraphs.")
    (folder / "sub" / "also-good.html").write_text("<h1>Head line here</h1><p>Body text.</p>")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    (folder / "records.jsonl").write_text('{"text": "Fine record."}\n{"txt": "no text key"}\n')
    (folder / "ignored.pdf").write_bytes(b"%PDF")
    summary = import_paths(project, [folder, tmp_path / "missing.txt"])
    assert summary.imported == 2
    assert len(summary.refused) == 5
    refused = "\n".join(summary.refused)
    assert "empty.txt: empty file" in refused
    assert "binary.txt: binary file" in refused
    assert "latin.txt: not valid UTF-8" in refused
    assert 'records.jsonl:2: record has no "text" string' in refused
    assert "missing.txt: no such file or folder" in refused
    # The JSONL file's good first record was not stored: a file goes in whole or not at all.
    with project.sessions() as session:
        texts = {r.title for r in list_documents(session)}
    assert texts == {"A good article.", "Head line here"}
    assert _count(project, "documents") == 2


def test_same_text_twice_in_one_batch_is_one_document(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("Same text.\r\n")
    (tmp_path / "b.txt").write_bytes("\ufeffSame text.\n".encode())
    summary = import_paths(project, [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert (summary.imported, summary.duplicates) == (1, 1)


def test_jsonl_meta_title_and_source_kept(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "in.jsonl").write_text(
        '{"text": "Body one.", "id": "x-1", "meta": {"title": "Given", "source": "wire"}}\n')
    import_paths(project, [tmp_path / "in.jsonl"])
    with project.sessions() as session:
        (row,) = list_documents(session)
    assert (row.title, row.source) == ("Given", "wire")


def test_progress_and_cancel(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(f"Article number {i}.")
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()

    def progress(d: int, t: int, _stage: str) -> None:
        seen.append((d, t))
        if len(seen) >= 2:
            cancel.set()

    summary = import_paths(project, [tmp_path], progress=progress, cancel=cancel)
    assert seen == [(1, 5), (2, 5)]
    assert summary.cancelled and summary.imported == 2


def test_a_batch_the_database_refuses_is_retried_file_by_file(
    project, tmp_path: Path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    """The database rejects one file's document (as a concurrent importer's unique
    violation would): the batch rolls back whole, then the other files go in alone."""
    from sqlalchemy.exc import IntegrityError

    from annotator.services import importing

    real = importing.add_documents

    def refusing(session, docs):  # type: ignore[no-untyped-def]
        if any("POISON" in d.text for d in docs):
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return real(session, docs)

    monkeypatch.setattr(importing, "add_documents", refusing)
    for name, body in (("a", "First article."), ("b", "POISON article."), ("c", "Third one.")):
        (tmp_path / f"{name}.txt").write_text(body)
    summary = import_paths(project, [tmp_path])
    assert (summary.imported, summary.duplicates) == (2, 0)
    assert summary.refused == [f"{tmp_path / 'b.txt'}: could not be stored: "
                               "UNIQUE constraint failed"]
    assert _count(project, "documents") == 2
    assert _count(project, "blocks") == 2
