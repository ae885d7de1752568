"""Hostile input to the import: each bad value or path refuses its own file with one line,
never the batch, and nothing it refused reaches the store."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.text import MAX_LINES
from annotator.services.importing import import_paths
from annotator.store import open_project


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def _cli(*args: str, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    env.pop("ANNOTATOR_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "annotator", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


BAD_RECORDS = {
    "a-surrogate-meta.jsonl": ('{"text": "t", "meta": {"k": "\\udfff"}}',
                               "a-surrogate-meta.jsonl:2: record.meta.k contains a lone surrogate"),
    "b-deep.jsonl": ('{"text": "t", "meta": ' + "[" * 5000 + "]" * 5000 + "}",
                     "b-deep.jsonl:2: JSON nested too deeply"),
    "c-digits.jsonl": ('{"text": "t", "meta": {"n": ' + "7" * 4300 + "}}",
                       "c-digits.jsonl:2: number 777777777777… has 4300 digits"),
    "d-nan.jsonl": ('{"text": "t", "meta": {"x": NaN}}',
                    "d-nan.jsonl:2: NaN is not a JSON number"),
    "e-surrogate-text.jsonl": ('{"text": "bad \\ud800 text"}',
                               "e-surrogate-text.jsonl:2: record.text contains a lone surrogate"),
}


def test_bad_values_refuse_their_file_with_one_line_exit_2_and_later_files_import(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (line, _) in BAD_RECORDS.items():
        (folder / name).write_text('{"text": "A good first record."}\n' + line + "\n")
    (folder / "z-good.jsonl").write_text('{"text": "Imported after all the bad files."}\n')
    project = tmp_path / "p.sqlite"
    done = _cli("--project", str(project), "import", str(folder), home=tmp_path)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == len(BAD_RECORDS), err
    for (_, message), line in zip(BAD_RECORDS.values(), lines, strict=True):
        assert line.startswith("annotator: error: ") and message in line, line
    assert "Traceback" not in err and "internal error" not in err
    assert out.strip() == f"1 imported, 0 duplicates, {len(BAD_RECORDS)} refused (6 files)"
    assert _count(project, "documents") == 1  # no good first record of a bad file went in
    exported = _cli("--project", str(project), "export", "--all", "--status", "any",
                    "--out", str(tmp_path / "out.jsonl"), home=tmp_path)
    _, err = exported.communicate(timeout=120)
    assert exported.returncode == 0, err


def test_a_file_name_that_is_not_utf8_is_reported_escaped_and_the_rest_import(
    project, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(bad, "wb") as fh:
        fh.write(b"An article with an odd name.")
    (folder / "good.txt").write_text("A good article.")
    summary = import_paths(project, [folder])
    assert summary.imported == 1
    assert summary.refused == [f"{folder}/caf\\xe9.txt: file name is not valid UTF-8; "
                               "rename the file to import it"]


def test_symlink_loops_and_broken_links_are_reported(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text("An article in a subfolder.")
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)
    (folder / "self.txt").symlink_to(folder / "self.txt")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    summary = import_paths(project, [folder])
    assert summary.imported == 1
    assert sorted(summary.refused) == [
        f"{folder}/gone.txt: broken symbolic link (to {folder}/nowhere.txt), skipped",
        f"{folder}/self.txt: symbolic link loop (too many levels of links), skipped",
        f"{folder}/sub/back: symbolic link loop (leads back to {folder}), skipped",
    ]


def test_explicit_encoding_still_refuses_binary_files(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 article.".encode("latin-1"))
    summary = import_paths(project, [tmp_path / "image.txt", tmp_path / "latin.txt"],
                           encoding="latin-1")
    assert summary.imported == 1
    assert summary.refused == [f"{tmp_path}/image.txt: binary file (contains NUL characters), "
                               "not text"]


def test_a_document_over_the_line_limit_is_refused_and_one_at_the_limit_imports(
    project, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Memory grows with a document's lines (each is a block), so they are capped; at
    the cap every line is still stored as its own block."""
    over = tmp_path / "over.txt"
    over.write_text("".join(f"l{i}\n" for i in range(MAX_LINES + 1)))
    at = tmp_path / "at.txt"
    at.write_text("\n".join(f"line {i}" for i in range(MAX_LINES)))
    summary = import_paths(project, [over, at])
    assert summary.refused == [f"{over}: document has {MAX_LINES + 1:,} lines, over the "
                               f"{MAX_LINES:,}-line limit for one article"]
    assert summary.imported == 1
    assert _count(project.path, "blocks") == MAX_LINES


def test_concurrent_imports_of_one_folder_count_duplicates_not_failures(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    n = 600
    for i in range(n):
        (folder / f"{i:04}.txt").write_text(f"Article number {i}.\n\nIts second paragraph.")
    project = tmp_path / "p.sqlite"
    open_project(project).close()
    runs = [_cli("--project", str(project), "import", str(folder), home=tmp_path)
            for _ in range(2)]
    results = [run.communicate(timeout=180) for run in runs]
    totals = [0, 0]
    for run, (out, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err
        assert "UNIQUE" not in err and "refused" in out
        imported, duplicates = (int(out.split()[0]), int(out.split(",")[1].split()[0]))
        assert imported + duplicates == n, out
        totals[0] += imported
        totals[1] += duplicates
    assert totals == [n, n]
    assert _count(project, "documents") == n
    assert _count(project, "blocks") == 2 * n


def test_a_text_another_importer_commits_meanwhile_is_a_duplicate_not_a_failure(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The race behind concurrent imports, made deterministic: every time this import
    has looked up which texts are stored, another importer (its own connections, as a
    second process has) commits one of the texts before this one writes."""
    from annotator.core.text import sha256
    from annotator.services import importing

    paths = []
    for i in range(5):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text(f"Article {i}.\n\nSecond paragraph.")
    by_hash = {sha256(p.read_text()): p for p in paths}
    other = open_project(project.path)
    real = importing.existing_hashes
    nested = [False]

    def racing(session, hashes):  # type: ignore[no-untyped-def]
        hashes = list(hashes)
        found = real(session, hashes)
        if not nested[0]:
            missing = [h for h in hashes if h not in found and h in by_hash]
            if missing:
                nested[0] = True
                try:
                    assert import_paths(other, [by_hash[missing[0]]]).imported == 1
                finally:
                    nested[0] = False
        return found

    monkeypatch.setattr(importing, "existing_hashes", racing)
    try:
        summary = import_paths(project, paths)
    finally:
        other.close()
    assert summary.refused == []
    assert summary.imported + summary.duplicates == 5 and summary.duplicates >= 1
    assert _count(project.path, "documents") == 5
    assert _count(project.path, "blocks") == 10


@pytest.mark.parametrize("encoding", [None, "latin-1"])
def test_records_over_the_per_record_limit_are_refused_naming_the_line(
    project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str | None
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("annotator.core.formats.MAX_RECORD_BYTES", 100)
    monkeypatch.setattr("annotator.services.importing.STREAM_BYTES", 0)
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "short"}) + "\n" + json.dumps({"text": "x" * 200})
                    + "\n")
    summary = import_paths(project, [path], encoding=encoding)
    assert summary.refused == [f"{path}:2: record is over the 0 MB limit for one line"]
    assert summary.imported == 0


def test_add_documents_stores_a_text_given_twice_once(project) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.model import DocumentData
    from annotator.core.text import sha256
    from annotator.store.documents import add_documents

    text = "Same text.\n\nTwice."
    doc = DocumentData(sha256(text), text, "Same text.", "a.txt", {}, [(0, 10), (12, 18)])
    with project.session() as session:
        ids = add_documents(session, [doc, doc])
    with project.session() as session:
        again = add_documents(session, [doc])
    assert list(ids) == [doc.sha256] and again == {}
    assert _count(project.path, "documents") == 1
    assert _count(project.path, "blocks") == 2


def test_add_documents_skips_texts_stored_meanwhile_and_names_the_new_ids(project) -> None:  # type: ignore[no-untyped-def]
    """A chunk some of whose texts another importer stored first: those are skipped,
    and the ids returned are those of the rows that went in (blocks attached to them)."""
    from annotator.core.model import DocumentData
    from annotator.core.text import sha256
    from annotator.store.documents import add_documents

    def doc(text: str) -> DocumentData:
        return DocumentData(sha256(text), text, text, "a.txt", {"n": len(text)},
                           [(0, len(text))])

    with project.session() as session:
        early = add_documents(session, [doc("Stored first."), doc("Also stored first!")])
    chunk = [doc("New one."), doc("Stored first."), doc("Another new one."),
             doc("Also stored first!"), doc("Last new one.")]
    with project.session() as session:
        ids = add_documents(session, chunk)
    with sqlite3.connect(project.path) as conn:
        stored = dict(conn.execute("select sha256, id from documents"))
        blocks = conn.execute("select document_id, start, \"end\" from blocks "
                              "order by document_id").fetchall()
        meta = conn.execute("select meta from documents where sha256 = ?",
                            (sha256("New one."),)).fetchone()[0]
    assert set(ids) == {sha256(t) for t in ("New one.", "Another new one.", "Last new one.")}
    assert {**early, **ids} == stored
    assert sorted(blocks) == sorted((i, 0, len(t)) for t in ("Stored first.", "Also stored first!",
            "New one.", "Another new one.", "Last new one.") for i in [stored[sha256(t)]])
    assert json.loads(meta) == {"n": 8}
