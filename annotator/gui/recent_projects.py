"""The user's recent project files, most recent first, kept in the window's settings.

They share the settings file of the window's layout (``window_state``): it lives in
the configuration folder, so ``ANNOTATOR_HOME`` keeps tests and portable installs away
from the user's own list. A file that no longer exists is dropped whenever the list is
read.
"""

from __future__ import annotations

from pathlib import Path

from annotator.gui.window_state import settings

KEY = "recentProjects"
LIMIT = 10


def _stored() -> list[str]:
    value = settings().value(KEY, [])
    if isinstance(value, str):  # QSettings gives a one-element list back as a string
        value = [value]
    return [str(v) for v in value or []]


def _store(items: list[str]) -> None:
    store = settings()
    store.setValue(KEY, items)
    store.sync()


def recent() -> list[Path]:
    """Recent projects that still exist, most recent first (missing ones are forgotten)."""
    items = _stored()
    kept = [item for item in items if Path(item).is_file()]
    if kept != items:
        _store(kept)
    return [Path(item) for item in kept]


def remember(path: Path | None) -> None:
    """Put ``path`` first (a database URL without a file is not listed)."""
    if path is None:
        return
    text = str(Path(path).resolve())
    items = [text] + [item for item in _stored() if item != text]
    _store(items[:LIMIT])


def forget(path: Path) -> None:
    text = str(Path(path).resolve())
    _store([item for item in _stored() if item != text])


def clear() -> None:
    _store([])
