"""The window's side panels as dock widgets, so small and high-DPI screens stay usable.

At 1024×700 three fixed columns left the article about 300 px wide, pushed the
Sourcing radios out of view and gave the Suggestions list a horizontal scrollbar. As
docks, the document list (left), the labels and annotations (right, scrollable) and
the Suggestions list (right, below) start narrow, can be resized, closed (View menu),
floated or moved, and the article takes whatever width is left. Every dock has an
``objectName`` so ``QMainWindow.saveState``/``restoreState`` can keep the user's layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.annotation_panel import AnnotationPanel

# Start widths (logical pixels): at 1024 px the article keeps more than 500 px.
DOCUMENTS_WIDTH = 190
SUGGESTIONS_SHARE = 0.3  # of the right column's height
SUGGESTIONS_TITLE = "Suggestions"


@dataclass
class Docks:
    documents: QDockWidget
    annotations: QDockWidget
    suggestions: QDockWidget | None

    def all(self) -> list[QDockWidget]:
        return [d for d in (self.documents, self.annotations, self.suggestions) if d]


def take_suggestion_section(panel: AnnotationPanel) -> QWidget | None:
    """Move the panel's Suggestions header and list into a widget of their own.

    The panel lays its sections out one after another (a header row, then the list);
    the pair moves as it is, buttons included. None when the panel's layout is not
    the expected one: the list then simply stays in the panel.
    """
    layout = panel.layout()
    if not isinstance(layout, QBoxLayout):
        return None
    index = layout.indexOf(panel.suggestionList)
    if index < 1 or layout.itemAt(index - 1).layout() is None:
        return None
    section = QWidget()
    section.setObjectName("suggestionSection")
    section_layout = QVBoxLayout(section)
    section_layout.setContentsMargins(4, 0, 4, 4)
    section_layout.setSpacing(4)
    layout.takeAt(index)  # the list
    header = layout.takeAt(index - 1).layout()
    section_layout.addLayout(header)
    title = header.itemAt(0).widget() if header.count() else None
    if isinstance(title, QLabel) and title.text() == SUGGESTIONS_TITLE:
        title.hide()  # the dock's title bar says it already
    section_layout.addWidget(panel.suggestionList, 1)
    return section


def side_scroll(content: QWidget) -> QScrollArea:
    """A vertical-only scroll area as wide as its content needs (never a side scroll)."""
    scroll = QScrollArea()
    scroll.setObjectName("sidePanel")
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    bar = scroll.verticalScrollBar().sizeHint().width()
    scroll.setMinimumWidth(content.minimumSizeHint().width() + bar + 2)
    return scroll


def _dock(window: QMainWindow, name: str, title: str, widget: QWidget,
          area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                         | Qt.DockWidgetArea.RightDockWidgetArea)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, dock)
    return dock


def install(window: QMainWindow, documents: QWidget, side: QScrollArea,
            suggestions: QWidget | None) -> Docks:
    """Put the three panels around the article and give them their start sizes."""
    window.setDockNestingEnabled(True)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    window.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    left = Qt.DockWidgetArea.LeftDockWidgetArea
    right = Qt.DockWidgetArea.RightDockWidgetArea
    docks = Docks(_dock(window, "documentsDock", "Documents", documents, left),
                  _dock(window, "annotationsDock", "Labels and annotations", side, right),
                  None)
    if suggestions is not None:
        docks.suggestions = _dock(window, "suggestionsDock", SUGGESTIONS_TITLE, suggestions,
                                   right)
        window.splitDockWidget(docks.annotations, docks.suggestions, Qt.Orientation.Vertical)
    horizontal = Qt.Orientation.Horizontal
    window.resizeDocks([docks.documents, docks.annotations],
                       [DOCUMENTS_WIDTH, side.minimumWidth()], horizontal)
    if docks.suggestions is not None:
        height = max(window.height(), 600)
        share = int(height * SUGGESTIONS_SHARE)
        window.resizeDocks([docks.annotations, docks.suggestions], [height - share, share],
                           Qt.Orientation.Vertical)
    return docks


def add_view_toggles(window: QMainWindow, docks: Docks) -> QMenu | None:
    """A "Panels" submenu in View: each dock can be hidden and brought back."""
    view = next((a.menu() for a in window.menuBar().actions()
                 if a.text().replace("&", "") == "View" and a.menu()), None)
    if view is None:
        return None
    panels = QMenu("&Panels", window)
    panels.setObjectName("panelsMenu")
    for dock in docks.all():
        toggle = dock.toggleViewAction()
        toggle.setObjectName(f"toggle:{dock.objectName()}")
        panels.addAction(toggle)
    view.addSeparator()
    view.addMenu(panels)
    return panels
