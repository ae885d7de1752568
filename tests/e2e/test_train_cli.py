"""``annotator train`` from the command line, as a lead runs it on a real project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SET = Path(__file__).resolve().parents[1] / "data" / "attribution_set" / "articles.jsonl"


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"ANNOTATOR_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True,
                          text=True, env=env, timeout=600)


def test_train_with_nothing_done_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    project = tmp_path / "p.sqlite"
    (tmp_path / "a.txt").write_text("Headline\n\nA paragraph of text.\n", encoding="utf-8")
    assert run("import", "--project", str(project), str(tmp_path / "a.txt"),
               home=tmp_path).returncode == 0
    result = run("train", "--project", str(project), home=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no document is marked done" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_train_learns_both_models_prints_figures_and_reset_drops_them(tmp_path: Path) -> None:
    records = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()][:12]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    project = tmp_path / "p.sqlite"
    assert run("import", "--project", str(project), str(gold), home=tmp_path).returncode == 0
    result = run("train", "--project", str(project), home=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "learnt from 12 done documents" in out
    assert "attributions: learnt from 12 done documents" in out
    assert out.count("stored in the project as") == 2
    assert "held out" in out
    from annotator.services.block_models import project_attribution_model, project_block_model
    from annotator.services.retraining import DONE_COUNT
    from annotator.store import open_project

    opened = open_project(project)
    try:
        assert project_block_model(opened) is not None
        assert project_attribution_model(opened) is not None
        assert opened.get_setting(DONE_COUNT) == 12  # the window counts on from here
    finally:
        opened.close()
    reset = run("train", "--reset", "--project", str(project), home=tmp_path)
    assert reset.returncode == 0
    opened = open_project(project)
    try:
        assert project_block_model(opened) is None and project_attribution_model(opened) is None
    finally:
        opened.close()
