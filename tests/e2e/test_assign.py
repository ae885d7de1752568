"""``annotator assign``: coverage, overlap share, determinism, files that import cleanly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.text import sha256
from annotator.services.importing import import_paths
from annotator.store import open_project
from annotator.store.documents import list_documents

N_DOCS = 53  # not a multiple of anything, so rounding shows


@pytest.fixture(scope="module")
def lead_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A project of N_DOCS documents; returns its path and sha256 -> text."""
    folder = tmp_path_factory.mktemp("assign")
    docs = folder / "docs"
    docs.mkdir()
    texts = {}
    for i in range(N_DOCS):
        text = (f"Story number {i} about the harbour\n\nThe harbour authority said on day {i} "
                "that ferries would run late. “Delays are expected,” she said. 🚢")
        (docs / f"{i:03}.txt").write_text(text, encoding="utf-8")
        texts[sha256(text)] = text
    path = folder / "lead.sqlite"
    project = open_project(path)
    try:
        summary = import_paths(project, [docs])
        assert summary.imported == N_DOCS
    finally:
        project.close()
    return path, texts


def _assign(project: Path, out: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["--project", str(project), "assign", "--annotators", "alice,bob,carol",
                 "--overlap", "0.2", "--out", str(out), *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def _files(out: Path) -> dict[str, list[dict]]:
    return {
        name: [json.loads(line) for line in (out / f"{name}.jsonl").read_text("utf-8").splitlines()]
        for name in ("alice", "bob", "carol")
    }


def test_every_document_once_and_the_overlap_to_everyone(
    lead_project: tuple[Path, dict[str, str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, texts = lead_project
    out = tmp_path / "handout"
    printed = _assign(project, out, "--seed", "7", capsys=capsys)
    files = _files(out)
    holders = Counter(record["id"] for records in files.values() for record in records)
    assert set(holders) == set(texts)  # every document goes to somebody
    shared = {sha for sha, count in holders.items() if count == 3}
    assert set(holders.values()) == {1, 3}  # once, or to everybody
    assert len(shared) == round(0.2 * N_DOCS) == 11  # 10.6 rounds to 11
    single = N_DOCS - len(shared)
    loads = [len(records) - len(shared) for records in files.values()]
    assert sum(loads) == single and max(loads) - min(loads) <= 1  # dealt evenly
    for records in files.values():
        for record in records:
            assert record["text"] == texts[record["id"]]
            assert record["meta"]["title"].startswith("Story number")
    manifest = json.loads((out / "assignment.json").read_text("utf-8"))
    assert set(manifest["shared"]) == shared and manifest["seed"] == 7
    assert "11 shared by all 3 annotators" in printed and "alice:" in printed


def test_same_seed_same_files_other_seed_other_files(
    lead_project: tuple[Path, dict[str, str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, _ = lead_project
    _assign(project, tmp_path / "one", "--seed", "3", capsys=capsys)
    _assign(project, tmp_path / "two", "--seed", "3", capsys=capsys)
    _assign(project, tmp_path / "three", "--seed", "4", capsys=capsys)
    for name in ("alice.jsonl", "bob.jsonl", "carol.jsonl", "assignment.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert (tmp_path / "one" / "alice.jsonl").read_bytes() != (
        tmp_path / "three" / "alice.jsonl").read_bytes()


def test_files_import_into_a_fresh_project_with_the_same_documents(
    lead_project: tuple[Path, dict[str, str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, texts = lead_project
    out = tmp_path / "handout"
    _assign(project, out, capsys=capsys)
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path)}
    fresh = tmp_path / "bob.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--project", str(fresh), "import",
         str(out / "bob.jsonl")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    bob = _files(out)["bob"]
    assert result.stdout.strip() == f"{len(bob)} imported, 0 duplicates, 0 refused (1 files)"
    imported = open_project(fresh, create=False)
    try:
        with imported.sessions() as session:
            rows = list_documents(session)
    finally:
        imported.close()
    # Same canonical text, so same sha256: bob's exported work will merge back in.
    assert {row.sha256 for row in rows} == {record["id"] for record in bob}
    assert all(row.sha256 in texts for row in rows)
    assert {row.title for row in rows} == {record["meta"]["title"] for record in bob}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--annotators", "alice,bob", "--overlap", "1.5"], "is not between 0 and 1"),
        (["--annotators", "alice,bob", "--overlap", "lots"], "not a share"),
        (["--annotators", "alice,gold"], "'gold' is reserved"),
        (["--annotators", "al/ice,bob"], "cannot be a file name"),
        (["--annotators", " , "], "give annotator names"),
    ],
)
def test_bad_input_one_line_exit_2(
    lead_project: tuple[Path, dict[str, str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], args: list[str], message: str,
) -> None:
    project, _ = lead_project
    try:
        code = main(["--project", str(project), "assign", "--out", str(tmp_path / "x"), *args])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and message in err, err
    assert not (tmp_path / "x").exists()


def test_existing_files_need_force(
    lead_project: tuple[Path, dict[str, str]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, _ = lead_project
    out = tmp_path / "handout"
    _assign(project, out, capsys=capsys)
    code = main(["--project", str(project), "assign", "--annotators", "alice,bob,carol",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "alice.jsonl: already exists; use --force" in err
    _assign(project, out, "--force", capsys=capsys)


def test_empty_project_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.sqlite"
    open_project(empty).close()
    code = main(["--project", str(empty), "assign", "--annotators", "a,b",
                 "--out", str(tmp_path / "out")])
    assert code == 2 and "no documents to assign" in capsys.readouterr().err
