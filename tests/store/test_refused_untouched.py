"""Refused means untouched: every command leaves a file it refuses exactly as it was.

A foreign SQLite database, a project written by a newer release (both in rollback-
journal mode, which opening for writing would switch to WAL) and damaged project files
must keep their bytes, their mtime and their folder (no ``-wal``/``-shm`` beside them)
after every command, and each command says why in one line with exit code 2.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import open_project


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('Ada')")
    conn.commit()
    conn.close()


def _project(path: Path) -> None:
    open_project(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")  # checkpoints and leaves WAL mode
    conn.close()


def _newer(path: Path) -> None:
    _project(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    conn.commit()
    conn.close()


def _truncated(path: Path) -> None:
    _project(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _scrambled(path: Path) -> None:
    """Page one's schema overwritten: the header still says SQLite."""
    _project(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = bytes((i * 7 + 3) % 256 for i in range(100, 4096))
    path.write_bytes(bytes(data))


KINDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "foreign": (_foreign, "not an annotator project"),
    "newer": (_newer, "newer version"),
    "truncated": (_truncated, "damaged"),
    "scrambled": (_scrambled, "damaged"),
}


def _commands(tmp: Path) -> list[list[str]]:
    docs = tmp / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "a.txt").write_text("A title\n\nSome text of an article.\n", encoding="utf-8")
    return [
        ["list"],
        ["import", str(docs)],
        ["suggest"],
        ["train"],
        ["export", "--out", str(tmp / "out.jsonl")],
        ["assign", "--annotators", "alice,bob", "--out", str(tmp / "handout")],
        ["agreement"],
    ]


def _state(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_command_leaves_a_refused_file_untouched(
        kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, reason = KINDS[kind]
    folder = tmp_path / "proj"
    folder.mkdir()
    path = folder / "project.sqlite"
    make(path)
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = _state(path)
    for command in _commands(tmp_path):
        code = main(["--project", str(path), *command])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2, (command, err)
        assert len(err) == 1 and reason in err[0], (command, err)
        assert str(path) in err[0]
        assert _state(path) == before, command
    assert not (tmp_path / "out.jsonl").exists()
    assert not (tmp_path / "handout").exists()


def test_read_only_project_is_read_and_refuses_writes_in_one_line(
        capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> None:
    """Readable without leaving ``-wal``/``-shm`` behind; a write is one clear line."""
    top = Path(tempfile.mkdtemp(prefix="annotator-ro-"))  # tmp_path is root's alone
    request.addfinalizer(lambda: shutil.rmtree(top, ignore_errors=True))
    os.chmod(top, 0o777)
    path = top / "project.sqlite"
    _project(path)
    docs = top / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("A title\n\nSome text.\n", encoding="utf-8")
    os.chmod(docs, 0o755)
    os.chmod(docs / "a.txt", 0o644)
    path.chmod(0o444)
    before = _state(path)
    as_root = os.geteuid() == 0
    if as_root:  # permissions bind root only when it acts as another user
        import encodings.utf_8_sig  # noqa: F401 - loaded now: the interpreter's folder is root's
        os.setegid(65534)
        os.seteuid(65534)
    try:
        assert main(["--project", str(path), "list"]) == 0
        assert "0 documents" in capsys.readouterr().out
        assert main(["--project", str(path), "import", str(docs)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "read-only" in err[0] and str(path) in err[0], err
    finally:
        if as_root:
            os.seteuid(0)
            os.setegid(0)
    assert _state(path) == before
