"""The command line as a user runs it: real processes, real files, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import COMMANDS, build_parser
from annotator.services.importing import import_paths


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    env.pop("ANNOTATOR_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_import_then_list_on_the_default_project(tmp_path: Path, samples) -> None:  # type: ignore[no-untyped-def]
    result = run("import", *map(str, samples), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3 imported, 0 duplicates, 0 refused (3 files)"
    listing = run("list", home=tmp_path)
    assert listing.returncode == 0
    assert "Talks set to end anti-ISIS coalition" in listing.stdout
    assert "3 documents" in listing.stdout
    assert (tmp_path / "default.annotator").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: empty file"),
        ("bin.txt", b"\x00\xff\x00", "bin.txt: binary file"),
        ("bad.txt", b"ok\n\xc3\x28", "bad.txt: not valid UTF-8 (line 2"),
        ("bad.jsonl", b'{"text": "a"}\n{nope\n', "bad.jsonl:2: not valid JSON"),
        ("notext.jsonl", b'{"title": "a"}\n', 'notext.jsonl:1: record has no "text"'),
    ],
)
def test_bad_input_one_line_exit_2_nothing_stored(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("A fine article.")
    project = tmp_path / "p.sqlite"
    result = run("import", "--project", str(project), str(bad), str(good), home=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert "1 imported" in result.stdout
    assert run("list", "--project", str(project), home=tmp_path).stdout.count("\n") == 3


def test_oversized_file_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (4 * 1024 * 1024 + 1))
    result = run("import", "--project", str(tmp_path / "p.sqlite"), str(big), home=tmp_path)
    assert result.returncode == 2
    assert "big.txt: file is 21.0 MB, over the 20 MB limit" in result.stderr


def test_missing_path_and_bad_project(tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nowhere"), home=tmp_path)
    assert result.returncode == 2 and "nowhere: no such file or folder" in result.stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    result = run("list", "--project", str(notes), home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"annotator: error: {notes}: not an annotator project (not an SQLite database)")


def test_usage_error_is_one_line(tmp_path: Path) -> None:
    result = run("import", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "required: PATH" in result.stderr


def test_version_and_help_on_every_command(tmp_path: Path) -> None:
    version = run("--version", home=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("annotator ")
    parser = build_parser()
    names = [a for a in parser._subparsers._group_actions[0].choices]  # type: ignore[union-attr]
    assert len(names) == len(COMMANDS)
    for name in names:
        result = run(name, "--help", home=tmp_path)
        assert result.returncode == 0 and "--project" in result.stdout, name


def test_no_display_is_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["ANNOTATOR_HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "annotator"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == ("annotator: error: no display to open the window on "
                                     "(set DISPLAY, or run a command: annotator --help)")


def test_bad_database_url_and_unwritable_output_are_exit_2(tmp_path: Path) -> None:
    result = run("list", "--project", "nosuchdb://somewhere/x", home=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "nosuchdb://somewhere/x: not a project file or database URL" in result.stderr
    from annotator.services.annotation import AnnotationService
    from annotator.store import open_project

    (tmp_path / "a.txt").write_text("An article.")
    project = open_project(tmp_path / "p.sqlite")
    import_paths(project, [tmp_path / "a.txt"])
    for name in ("alice", "bob"):
        service = AnnotationService(project, name)
        service.set_block_labels(1, {0: "content"})
        service.set_status(1, "done")
    project.close()
    for command in (["agreement", "--out", "/proc/report.json"],  # nobody can write there
                    ["export", "--all", "--out", "/proc/export.jsonl"]):
        result = run(command[0], "--project", str(tmp_path / "p.sqlite"), *command[1:],
                     home=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "/proc/" in result.stderr
