"""Where data, configuration and shipped resources live.

``ANNOTATOR_HOME`` overrides the platform folders so tests and portable installs keep
everything in one place. Shipped folders (migrations, resources) sit at the repository
top in a source tree and under ``annotator/_data`` inside an installed wheel.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "annotator"
_PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    override = os.environ.get("ANNOTATOR_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    override = os.environ.get("ANNOTATOR_HOME")
    path = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


PROJECT_SUFFIX = ".annotator"  # still SQLite inside; the desktop opens it by this suffix
LEGACY_DEFAULT = "default.annotator.sqlite"


def default_project() -> Path:
    """``default.annotator`` in the data folder; where an earlier release made
    ``default.annotator.sqlite`` (and no new one exists yet) that file stays the default,
    so nobody's work seems to vanish after an upgrade."""
    folder = home()
    current = folder / f"default{PROJECT_SUFFIX}"
    legacy = folder / LEGACY_DEFAULT
    return legacy if legacy.exists() and not current.exists() else current


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name} folder is missing from this installation")


def migrations_dir() -> Path:
    return _shipped("migrations")


def resources_dir() -> Path:
    return _shipped("resources")
