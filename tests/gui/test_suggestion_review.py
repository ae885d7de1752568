"""Reviewing suggestions: the list, the text and the keys all point at one suggestion."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import NewSuggestion
from annotator.services.annotation import AnnotationService
from annotator.store.suggestions import replace_for_document
from tests.gui.conftest import put_cursor, utf16

ARTICLE = (
    "Photo: the bridge at dawn\n\n"
    "Iraq's foreign ministry said the talks would start next week.\n\n"
    "Share this article\n\n"
    "Officials expect a timetable by the end of the year."
)


def suggest(project, text: str) -> int:  # type: ignore[no-untyped-def]
    source, claim = "Iraq's foreign ministry", "the talks would start next week"
    ss, cs = text.index(source), text.index(claim)
    doc_id = AnnotationService(project, "alice").document_ids()[0]
    with project.session() as session:
        replace_for_document(session, doc_id, "t", [
            NewSuggestion("block", "caption", 0, 25, 0.95, "photo", {"block_index": 0}),
            NewSuggestion("attribution", "ATTRIBUTION", ss, cs + len(claim), 0.9, "said",
                          {"source": [ss, ss + len(source)],
                           "cue": [text.index("said"), text.index("said") + 4],
                           "content": [cs, cs + len(claim)]}),
            NewSuggestion("claim", "CLAIM", cs, cs + len(claim), 0.45, "would"),
            NewSuggestion("block", "widget", text.index("Share"), text.index("Share") + 18,
                          0.9, "share", {"block_index": 2}),
            NewSuggestion("entity", "GPE", ss, ss + 4),
        ])
    return doc_id


def verdicts(project, doc_id: int) -> dict[int, str | None]:  # type: ignore[no-untyped-def]
    return {s.id: s.verdict for s in AnnotationService(project, "alice").suggestions(doc_id)}


def listed(panel) -> list[str]:  # type: ignore[no-untyped-def]
    return [panel.suggestionList.item(r).text() for r in range(panel.suggestionList.count())]


def test_f8_then_enter_accepts_the_suggestion_the_list_shows(qtbot, project, add_docs,
                                                              open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    doc_id = suggest(project, text)
    window = open_window()
    view, panel = window.articleView, window.annotationPanel
    put_cursor(view, text, len(text) - 2)  # in no suggestion
    assert panel.selected_suggestion() is None
    qtbot.keyClick(view, Qt.Key.Key_F8)  # wraps round to the first: the caption block
    qtbot.keyClick(view, Qt.Key.Key_F8)  # the attribution
    shown = panel.selected_suggestion()
    row = panel.suggestionList.currentItem().text()
    assert shown == view.current_suggestion and row.startswith("ATTRIBUTION?")
    # The text shows it: its parts are tinted where the caret is.
    tinted = [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()]
    assert (utf16(text, text.index("Iraq")), utf16(text, text.index(" said"))) in tinted
    qtbot.keyClick(view, Qt.Key.Key_F8)  # the claim (same start as the content)
    shown = panel.selected_suggestion()
    assert panel.suggestionList.currentItem().text().startswith("CLAIM?")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert verdicts(project, doc_id)[shown] == "accepted"
    labels = AnnotationService(project, "alice").load(doc_id)
    assert [(s.label, text[s.start:s.end]) for s in labels.spans] == [
        ("CLAIM", "the talks would start next week")]
    assert not any(t.startswith("CLAIM?") for t in listed(panel))


def test_choosing_in_the_list_shows_it_and_the_button_acts_on_it(qtbot, project, add_docs,
                                                                  open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    doc_id = suggest(project, text)
    window = open_window()
    view, panel = window.articleView, window.annotationPanel
    suggestions = panel.suggestionList
    # In text order; the low-scored claim is marked unsure.
    assert [t.split("?")[0] for t in listed(panel)] == ["caption", "ATTRIBUTION", "CLAIM",
                                                        "widget"]
    assert listed(panel)[2].endswith("(0.45)")
    rect = suggestions.visualItemRect(suggestions.item(3))
    qtbot.mouseClick(suggestions.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    chosen = panel.selected_suggestion()
    assert view.current_suggestion == chosen and view.current_block() == 2
    # Arrow keys in the list move the review too, and the caret follows.
    suggestions.setFocus()
    qtbot.keyClick(suggestions, Qt.Key.Key_Up)
    chosen = panel.selected_suggestion()
    assert view.current_suggestion == chosen
    assert view.cursor_offset() == text.index("the talks")
    assert "selected suggestion" in window.actions_by_id["reject_suggestion"].toolTip()
    window.actions_by_id["reject_suggestion"].trigger()  # the ✗ button's action
    assert verdicts(project, doc_id)[chosen] == "rejected"


def test_a_block_labelled_by_key_leaves_the_list_and_next_unsure(qtbot, project, add_docs,
                                                                 open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    suggest(project, text)
    window = open_window()
    view, panel = window.articleView, window.annotationPanel
    put_cursor(view, text, text.index("Share") + 2)
    qtbot.keyClick(view, Qt.Key.Key_W)  # the key the suggestion proposed
    assert not any(t.startswith("widget?") for t in listed(panel))
    assert all(s.layer != "block" or s.start != text.index("Share") for s in view.pending())
    # Next unsure: the claim scored 0.45, wherever the caret is.
    put_cursor(view, text, 0)
    panel.nextUnsureAction.trigger()
    assert panel.suggestionList.currentItem().text().startswith("CLAIM?")
    assert view.cursor_offset() == text.index("the talks")
    assert "scored 0.45" in window.statusBar().currentMessage()


def test_enter_in_the_list_accepts_the_row_selected_there(qtbot, project, add_docs,
                                                          open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    doc_id = suggest(project, text)
    window = open_window()
    panel = window.annotationPanel
    suggestions = panel.suggestionList
    suggestions.setFocus()
    qtbot.waitUntil(suggestions.hasFocus)
    qtbot.keyClick(suggestions, Qt.Key.Key_Home)
    qtbot.keyClick(suggestions, Qt.Key.Key_Down)  # the attribution
    chosen = panel.selected_suggestion()
    assert suggestions.currentItem().text().startswith("ATTRIBUTION?")
    qtbot.keyClick(suggestions, Qt.Key.Key_Return)
    assert verdicts(project, doc_id)[chosen] == "accepted"
    labels = AnnotationService(project, "alice").load(doc_id)
    assert sorted(s.label for s in labels.spans) == ["CONTENT", "CUE", "SOURCE"]
