"""What the project writes for people to open: spreadsheets and terminal lines.

Titles and names come from scraped pages and other people's files, so the CSV report
must not carry a formula and the terminal must not obey an escape sequence.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from annotator.store import open_project
from annotator.store.documents import list_documents

FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'


def _two_annotators_done(path: Path, folder: Path, title: str) -> None:
    folder.mkdir()
    (folder / "a.txt").write_text(f"{title}\n\nThe council met on Monday and voted.\n",
                                  encoding="utf-8")
    project = open_project(path)
    try:
        import_paths(project, [folder])
        with project.sessions() as session:
            doc_id = list_documents(session)[0].id
        for name, label in (("+SUM(A1:A9)", "navigation"), ("@x", "content")):
            service = AnnotationService(project, name)
            service.set_block_labels(doc_id, {0: label})
            service.set_status(doc_id, "done")
    finally:
        project.close()


def test_agreement_csv_neutralises_formulas(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.sqlite"
    _two_annotators_done(path, tmp_path / "docs", FORMULA_TITLE)
    assert main(["--project", str(path), "agreement", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    cells = [cell for row in rows[1:] for cell in row]
    assert f"'{FORMULA_TITLE}" in cells
    assert "'+SUM(A1:A9)+@x" in cells  # the pair of annotators' names
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    # Numbers stay numbers, negative ones included.
    values = [row[5] for row in rows[1:] if row[5]]
    assert values and all(float(v) == float(v) for v in values)


def test_list_and_import_errors_escape_control_characters(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.sqlite"
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Title \x1b[31mred\x1b[0m \u202eevil\n\nBody text here.\n",
                                  encoding="utf-8")
    (folder / "bad\x1b[2J\nname.txt").write_bytes(b"\xff\xfe\x00bad")
    assert main(["--project", str(path), "import", str(folder)]) == 2
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("annotator:")]
    assert len(errors) == 1, captured.err
    assert "bad\\x1b[2J\\" in errors[0] and "name.txt" in errors[0]  # shown, not obeyed
    assert "\x1b" not in captured.err

    assert main(["--project", str(path), "list"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "Title \\x1b[31mred\\x1b[0m \\u202eevil" in out


def test_split_names_that_differ_only_in_case_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.sqlite"
    _two_annotators_done(path, tmp_path / "docs", "A title")
    out = tmp_path / "out"
    assert main(["--project", str(path), "export", "--split", "x=0.5,X=0.5",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "differ only in case" in err[0]
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("name", [".", "..", "a/b", "..\\x"])
def test_assign_refuses_names_that_are_not_file_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = tmp_path / "p.sqlite"
    _two_annotators_done(path, tmp_path / "docs", "A title")
    out = tmp_path / "handout"
    assert main(["--project", str(path), "assign", "--annotators", f"alice,{name}",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot be a file name" in err[0], err
    assert not out.exists()
    assert not (tmp_path / "alice.jsonl").exists()
