"""The version the program reports is the one the package is built with."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import annotator

ROOT = Path(__file__).resolve().parents[2]


def test_version_constant_matches_pyproject_and_installed_metadata() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert annotator.__version__ == project["version"]
    assert annotator.__version__ == version("annotator")
