"""A non-editable wheel in a fresh virtual environment, run from another directory.

Proves migrations/ and resources/ ship inside the wheel. The heavy dependencies (Qt,
spaCy) come from the test environment's site-packages on PYTHONPATH: a path entry
there does not activate the editable install's .pth, so ``annotator`` itself can only
come from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_creates_project_and_imports(tmp_path: Path, samples) -> None:  # type: ignore[no-untyped-def]
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(dist), str(REPO)], check=True, timeout=300)
    (wheel,) = dist.glob("annotator-*.whl")
    fresh = tmp_path / "fresh"
    venv.create(fresh, with_pip=False)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(fresh / "bin" / "python"),
                    "install", "--quiet", "--no-deps", str(wheel)], check=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"],
           "ANNOTATOR_HOME": str(tmp_path / "home")}
    where = subprocess.run(
        [str(fresh / "bin" / "python"), "-c",
         "import annotator.paths as p; print(p.__file__); print(p.migrations_dir())"],
        cwd="/tmp", env=env, capture_output=True, text=True, check=True)
    module_file, migrations = where.stdout.split()
    assert module_file.startswith(str(fresh)) and migrations.startswith(str(fresh))
    shipped = subprocess.run(
        [str(fresh / "bin" / "python"), "-c",
         "from annotator.nlp.block_model import default_model, default_model_path; "
         "print(default_model_path()); print(len(default_model().trees))"],
        cwd="/tmp", env=env, capture_output=True, text=True, check=True)
    model_path, trees = shipped.stdout.split()
    assert model_path.startswith(str(fresh)) and int(trees) > 10  # the clutter model ships
    project = tmp_path / "wheel.sqlite"
    result = subprocess.run(
        [str(fresh / "bin" / "annotator"), "import", "--project", str(project),
         *map(str, samples)], cwd="/tmp", env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "3 imported" in result.stdout
    listing = subprocess.run([str(fresh / "bin" / "annotator"), "list", "--project",
                              str(project)], cwd="/tmp", env=env, capture_output=True,
                             text=True, timeout=120)
    assert "3 documents" in listing.stdout
