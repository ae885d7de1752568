"""Shared fixtures: a real project file per test, the real samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "samples"
# The evaluation set keeps copies of the three samples, for a checkout without ../shared.
SAMPLE_COPIES = REPO / "tests" / "data" / "clutter"
SAMPLE_NAMES = ("al-fassel-commission-review", "dawn-coalition-committee",
                "the-national-coalition-talks")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's real data folder."""
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    from annotator.store import open_project

    proj = open_project(tmp_path / "project.sqlite")
    yield proj
    proj.close()


@pytest.fixture
def samples() -> list[Path]:
    files = sorted(SAMPLES.glob("*.txt"))
    if not files:
        files = [SAMPLE_COPIES / f"{name}.txt" for name in SAMPLE_NAMES]
    assert all(f.is_file() for f in files), "the real samples are missing"
    return files
