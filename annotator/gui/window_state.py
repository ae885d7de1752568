"""The main window's geometry and layout (docks, toolbar, splitter) across runs.

Kept in a QSettings file in the configuration folder rather than in the project: the
layout belongs to the screen and the person at it, not to the data, and the same
layout should greet every project. ``ANNOTATOR_HOME`` moves it with everything else.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

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
    splitter = window.findChild(QSplitter, "mainSplitter")
    sizes = store.value("main/splitter")
    if splitter is not None and isinstance(sizes, QByteArray | bytes):
        splitter.restoreState(QByteArray(sizes))
    return True


def save(window: QMainWindow) -> None:
    store = settings()
    store.setValue("main/geometry", window.saveGeometry())
    store.setValue("main/state", window.saveState(LAYOUT_VERSION))
    splitter = window.findChild(QSplitter, "mainSplitter")
    if splitter is not None:
        store.setValue("main/splitter", splitter.saveState())
    store.sync()
