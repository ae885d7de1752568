"""Linking an attribution as an annotator does it: mark, pick, Ctrl+L, and see it.

Every check of what was linked reads the store through a fresh service.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from annotator.services.annotation import AnnotationService
from tests.gui.conftest import click, put_cursor, select

CTRL = Qt.KeyboardModifier.ControlModifier
ARTICLE = (
    "Photo: the bridge at dawn\n\n"
    "Iraq's foreign ministry said the talks would start next week.\n\n"
    "Officials expect a timetable by the end of the year, a spokesman said."
)
SOURCE, CUE, CLAIM = "Iraq's foreign ministry", "said", "the talks would start next week"


def stored(project, doc_id: int):  # type: ignore[no-untyped-def]
    return AnnotationService(project, "alice").load(doc_id)


def mark(qtbot, view, text: str, piece: str, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    start = text.index(piece)
    select(view, text, start, start + len(piece))
    qtbot.keyClick(view, key)


def attributions(project, doc_id: int, text: str) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    labels = stored(project, doc_id)
    by_uid = {s.uid: s for s in labels.spans}

    def piece(uid: str | None) -> str | None:
        return None if uid is None else text[by_uid[uid].start:by_uid[uid].end]

    return [(piece(r.head), piece(r.child), piece(r.cue)) for r in labels.relations]


def test_mark_a_source_then_a_claim_and_ctrl_l_links_them(qtbot, project, add_docs,
                                                          open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    mark(qtbot, view, text, SOURCE, Qt.Key.Key_2)
    assert window.pickLabel.text().startswith("Picked 1: SOURCE")
    mark(qtbot, view, text, CLAIM, Qt.Key.Key_1)
    # The new CLAIM joined the SOURCE in the pick: both outlined, counted in the status bar.
    assert len(view.selected) == 2
    assert window.pickLabel.text() == "Picked 2: SOURCE + CLAIM  (Ctrl+L links)"
    before = view.viewport().grab().toImage()
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL)
    assert attributions(project, doc_id, text) == [(SOURCE, CLAIM, None)]
    # The attribution is drawn: an arc from the source to the claim appears above them.
    after = view.viewport().grab().toImage()
    top = view.range_rects(text.index(SOURCE), text.index(CLAIM) + len(CLAIM))[0].top()
    assert _differs_above(before, after, int(top))


def _differs_above(a: QImage, b: QImage, y: int) -> bool:
    """Some pixel in the band of rows just above ``y`` changed."""
    for row in range(max(0, y - 30), y - 1):
        for col in range(0, a.width(), 2):
            if a.pixel(col, row) != b.pixel(col, row):
                return True
    return False


def test_readme_flow_ctrl_click_never_unpicks_the_source_just_marked(
        qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    mark(qtbot, view, text, SOURCE, Qt.Key.Key_2)
    mark(qtbot, view, text, CUE, Qt.Key.Key_3)
    mark(qtbot, view, text, CLAIM, Qt.Key.Key_4)  # CONTENT
    assert window.pickLabel.text().startswith("Picked 3: SOURCE + CUE + CONTENT")
    # Following the README anyway: Ctrl+click the SOURCE, then the content.
    click(qtbot, view, text, text.index("foreign"), ctrl=True)
    click(qtbot, view, text, text.index("would"), ctrl=True)
    assert len(view.selected) == 3
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL)
    assert attributions(project, doc_id, text) == [(SOURCE, CLAIM, CUE)]
    assert "Linked SOURCE → CONTENT with its CUE" in window.statusBar().currentMessage()
    # A second SOURCE replaces the first in the pick (one per role)...
    click(qtbot, view, text, len(text) - 3)  # a plain click on no span clears the pick
    assert view.selected == [] and window.pickLabel.text() == ""
    mark(qtbot, view, text, "Officials", Qt.Key.Key_2)
    mark(qtbot, view, text, "a spokesman", Qt.Key.Key_2)
    assert window.pickLabel.text().startswith("Picked 1: SOURCE")
    # ... and Escape drops the pick.
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected == []


def test_link_from_the_spans_list_context_menu(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    mark(qtbot, view, text, SOURCE, Qt.Key.Key_2)
    click(qtbot, view, text, len(text) - 3)  # drop the pick
    mark(qtbot, view, text, CLAIM, Qt.Key.Key_1)
    spans = window.annotationPanel.spanList
    rows = {spans.item(r).text().split()[0]: r for r in range(spans.count())}
    # Click the SOURCE row, then right-click the CLAIM row: it joins, and the menu links.
    rect = spans.visualItemRect(spans.item(rows["SOURCE"]))
    qtbot.mouseClick(spans.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    rect = spans.visualItemRect(spans.item(rows["CLAIM"]))
    spans.customContextMenuRequested.emit(rect.center())  # what a right-click sends
    menu = window.annotationPanel._menu
    link = menu.actions()[0]
    assert link.text().startswith("Link 2 selected spans") and link.isEnabled()
    link.trigger()
    menu.close()
    assert attributions(project, doc_id, text) == [(SOURCE, CLAIM, None)]
    assert window.annotationPanel.relationList.count() == 1


def test_ctrl_space_adds_the_span_under_the_cursor(qtbot, project, add_docs,
                                                   open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    mark(qtbot, view, text, SOURCE, Qt.Key.Key_2)
    mark(qtbot, view, text, CLAIM, Qt.Key.Key_1)
    put_cursor(view, text, text.index("foreign"))
    qtbot.keyClick(view, Qt.Key.Key_Space, CTRL)  # already picked: stays picked
    assert len(view.selected) == 2


def test_drop_one_span_onto_another_in_the_list_links_them(qtbot, project, add_docs,
                                                           open_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    mark(qtbot, view, text, CLAIM, Qt.Key.Key_1)
    click(qtbot, view, text, len(text) - 3)
    mark(qtbot, view, text, SOURCE, Qt.Key.Key_2)
    spans = window.annotationPanel.spanList
    rows = {spans.item(r).text().split()[0]: r for r in range(spans.count())}
    source_rect = spans.visualItemRect(spans.item(rows["SOURCE"]))
    qtbot.mouseClick(spans.viewport(), Qt.MouseButton.LeftButton, pos=source_rect.center())
    # What the drag carries, dropped on the CLAIM row.
    mime = spans.model().mimeData([spans.indexFromItem(spans.item(rows["SOURCE"]))])
    target = spans.visualItemRect(spans.item(rows["CLAIM"])).center()
    drop = QDropEvent(QPointF(target), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    spans.dropEvent(drop)
    assert attributions(project, doc_id, text) == [(SOURCE, CLAIM, None)]
    assert spans.count() == 2  # nothing was copied or moved in the list


def test_adjudication_draws_the_shown_versions_attributions(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui.adjudication import AdjudicationView
    from annotator.store import open_project
    from tests.e2e.test_agreement_cli import build_project

    project = open_project(build_project(tmp_path / "agreement").path)
    service = AnnotationService(project, "alice")
    doc_id = next(d for d in service.document_ids() if service.load(d).relations)
    view = AdjudicationView(project, doc_id)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    view.showCombo.setCurrentIndex(view.showCombo.findData("alice"))
    assert len(view.relationArrows.arrows) == len(service.load(doc_id).relations) == 1
    # The arc is what the overlay adds to the text: compare with it hidden.
    after = view.textView.viewport().grab().toImage()
    view.relationArrows.hide()
    before = view.textView.viewport().grab().toImage()
    (hs, _, cs, _), = view.relationArrows.arrows
    top = min(view.relationArrows._anchor(hs, hs + 1).y(), view.relationArrows._anchor(cs, cs + 1).y())
    assert _differs_above(before, after, int(top))
    project.close()
