"""The window at 1024×700 and at 1600×1000: real widgets measured after they are shown.

At 1024×700 the article used to be about 300 px wide, the Sourcing radios scrolled
out of reach and the Suggestions list needed a horizontal scrollbar.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QRadioButton, QToolBar

from annotator.core.model import NewSuggestion
from annotator.nlp.pipeline import block_suggestions
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from annotator.store.documents import document_blocks
from annotator.store.suggestions import replace_for_document


@pytest.fixture
def suggested(project, samples: list[Path]):  # type: ignore[no-untyped-def]
    """The real samples with the rule detector's clutter suggestions and long claims."""
    import_paths(project, samples)
    with project.session() as session:
        from annotator.store.documents import document_ids

        for doc_id in document_ids(session):
            text = AnnotationService(project, "alice").open(doc_id).text
            blocks = [(s, e) for _, s, e in document_blocks(session, doc_id)]
            found = [NewSuggestion(**s) for s in block_suggestions(text, blocks)]
            found += [NewSuggestion("claim", "CLAIM", s, e, 0.6) for s, e in blocks if e - s > 200][
                :8
            ]
            replace_for_document(session, doc_id, "layout-test", found)
    return project


def _shown(qtbot, open_window, width: int, height: int):  # type: ignore[no-untyped-def]
    window = open_window()
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    qtbot.wait(50)  # let the dock layout settle
    return window


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (1600, 1000)])
def test_article_docks_and_suggestions_fit(
    qtbot,
    suggested,
    open_window,  # type: ignore[no-untyped-def]
    width: int,
    height: int,
) -> None:
    window = _shown(qtbot, open_window, width, height)
    assert window.articleView.width() > 500
    docks = window.findChildren(QDockWidget)
    assert {d.objectName() for d in docks} == {
        "documentsDock",
        "annotationsDock",
        "suggestionsDock",
    }
    assert all(d.isVisible() for d in docks)
    assert all(t.objectName() for t in window.findChildren(QToolBar))
    # The Suggestions list is in its own dock, lists real suggestions, never scrolls sideways.
    sugg = window.annotationPanel.suggestionList
    assert sugg.count() > 3 and sugg.isVisible()
    assert window.docks.suggestions.isAncestorOf(sugg)
    assert not sugg.horizontalScrollBar().isVisible()
    assert sugg.viewport().width() <= window.docks.suggestions.width()
    assert sugg.height() >= 4 * sugg.sizeHintForRow(0)
    side = window.sidePanel
    assert not side.horizontalScrollBar().isVisible()
    assert window.labelPalette.width() <= side.viewport().width()
    assert window.width() == width  # nothing forced the window wider than the screen


def test_sourcing_radios_stay_reachable_at_1024x700(qtbot, suggested, open_window) -> None:  # type: ignore[no-untyped-def]
    window = _shown(qtbot, open_window, 1024, 700)
    radio = window.findChild(QRadioButton, "doc:sourcing:partly_sourced")
    window.sidePanel.ensureWidgetVisible(radio)
    qtbot.waitUntil(lambda: not radio.visibleRegion().isEmpty())
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton)
    doc_id = window.current.id
    assert AnnotationService(window.project, "alice").load(doc_id).doc_labels == {
        "sourcing": "partly_sourced"
    }


def test_a_closed_dock_gives_the_article_its_width(qtbot, suggested, open_window) -> None:  # type: ignore[no-untyped-def]
    window = _shown(qtbot, open_window, 1024, 700)
    before = window.articleView.width()
    toggle = window.docks.documents.toggleViewAction()
    view_menu = window.findChild(type(window.projectMenu), "panelsMenu")
    assert toggle in view_menu.actions()
    toggle.trigger()
    qtbot.waitUntil(lambda: window.articleView.width() > before + 150)
    toggle.trigger()
    qtbot.waitUntil(lambda: window.docks.documents.isVisible())
    assert window.documentList.isVisible()
