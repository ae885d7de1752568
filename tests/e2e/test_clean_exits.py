"""A killed command leaves nothing behind: no orphan worker, no stale temporary file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from annotator.cli import main
from annotator.services.importing import import_paths
from annotator.store import open_project


def _project(tmp: Path, n: int = 3) -> Path:
    docs = tmp / "docs"
    docs.mkdir()
    for i in range(n):
        (docs / f"{i}.txt").write_text(f"Story {i}\n\nThe minister said on Monday that the "
                                       f"plan {i} would go ahead.\n", encoding="utf-8")
    path = tmp / "project.sqlite"
    project = open_project(path)
    import_paths(project, [docs])
    project.close()
    return path


def _children(pid: int) -> dict[int, str]:
    """Live child processes of ``pid`` and their command lines, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().decode(
                    errors="replace").replace("\0", " ")
        except (OSError, IndexError, ValueError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_killed_suggest_takes_its_worker_with_it(tmp_path: Path) -> None:
    path = _project(tmp_path)
    parent = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--project", str(path), "suggest"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        worker = None
        deadline = time.monotonic() + 60
        while worker is None and time.monotonic() < deadline:
            worker = next((pid for pid, cmd in _children(parent.pid).items()
                           if "spawn_main" in cmd), None)
            time.sleep(0.05)
        assert worker is not None, "the suggest worker never started"
        time.sleep(1.0)  # let it get on with loading the model
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 15
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(worker), "the spaCy worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_stale_part_file_of_a_killed_export_is_removed(tmp_path: Path) -> None:
    path = _project(tmp_path, n=1)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs: a killed export's
    out = tmp_path / "out.jsonl"
    stale = tmp_path / f".out.jsonl.{gone.pid}.part"
    stale.write_bytes(b'{"half": "a record')
    other = tmp_path / f".other.jsonl.{gone.pid}.part"  # another target's: left alone
    other.write_bytes(b"")
    assert main(["--project", str(path), "export", "--all", "--out", str(out)]) == 0
    assert out.is_file()
    assert not stale.exists()
    assert other.exists()
    assert sorted(p.name for p in tmp_path.glob(".*.part")) == [other.name]
