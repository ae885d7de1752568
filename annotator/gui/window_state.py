"""The main window's geometry and layout (docks, toolbar) across runs.

Kept in a QSettings file in the configuration folder rather than in the project: the
layout belongs to the screen and the person at it, not to the data, and the same
layout should greet every project. ``ANNOTATOR_HOME`` moves it with everything else.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from annotator.paths import config_dir

# Bumped when docks are added or renamed so an old layout is not forced on new docks.
LAYOUT_VERSION = 1


def settings() -> QSettings:
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def restore(window: QMainWindow) -> bool:
    """Put back the last saved geometry and layout; False when none was saved."""
    store = settings()
    geometry = store.value("main/geometry")
    if not isinstance(geometry, QByteArray | bytes):
        return False
    window.restoreGeometry(QByteArray(geometry))
    state = store.value("main/state")
    if isinstance(state, QByteArray | bytes):
        window.restoreState(QByteArray(state), LAYOUT_VERSION)
    return True


def save(window: QMainWindow) -> None:
    store = settings()
    store.setValue("main/geometry", window.saveGeometry())
    store.setValue("main/state", window.saveState(LAYOUT_VERSION))
    store.remove("main/splitter")  # written by releases whose side panel was a splitter
    store.sync()
