"""The annotation window driven as a person would: selections, keys, clicks.

Every check reads the store through a fresh service, so what is asserted is what a
killed process would leave behind, not what the widgets happen to show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit

from annotator.services.annotation import AnnotationService
from tests.gui.conftest import click, put_cursor, select

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier

MIXED = (
    "Breaking 🎉🎉 news from the capital 🇮🇶\n\n"
    "قالَ الوزيرُ إنَّ المحادثاتِ ستستمر 👍🏽.\n\n"
    "The minister said the talks will continue on Monday, officials confirmed."
)
ARTICLE = (
    "Photo: the bridge at dawn\n\n"
    "Iraq's foreign ministry said the talks would start next week.\n\n"
    "Share this article\n\n"
    "Follow us on social media\n\n"
    "Officials expect a timetable by the end of the year."
)


def stored(project, doc_id: int):  # type: ignore[no-untyped-def]
    return AnnotationService(project, "alice").load(doc_id)


def test_span_after_emoji_and_arabic_slices_canonical_text(qtbot, project, add_docs,
                                                           open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(MIXED)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    assert view.toPlainText() == text
    # A sloppy drag: starts inside "the", takes the comma and space after "Monday".
    start = text.index("he talks")
    end = text.index("Monday") + len("Monday, ")
    select(view, text, start, end)
    qtbot.keyClick(view, Qt.Key.Key_1)
    spans = stored(project, doc_id).spans
    assert [(s.label, text[s.start:s.end]) for s in spans] == [
        ("CLAIM", "the talks will continue on Monday")]
    # The Arabic sentence, Alt held: exact characters, the trailing emoji kept out.
    arabic = text.index("قالَ")
    select(view, text, arabic, text.index(" 👍🏽"))
    qtbot.keyClick(view, Qt.Key.Key_2, ALT)
    spans = stored(project, doc_id).spans
    assert ("SOURCE", "قالَ الوزيرُ إنَّ المحادثاتِ ستستمر") in [
        (s.label, text[s.start:s.end]) for s in spans]
    # Undo both, redo both.
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(project, doc_id).spans == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert sorted(s.label for s in stored(project, doc_id).spans) == ["CLAIM", "SOURCE"]


def test_block_keys_label_the_block_under_the_cursor_and_the_selection(
        qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    put_cursor(view, text, 3)
    qtbot.keyClick(view, Qt.Key.Key_P)  # caption; the cursor moves on to block 1
    qtbot.keyClick(view, Qt.Key.Key_0)  # content
    assert stored(project, doc_id).blocks == {0: "caption", 1: "content"}
    assert view.current_block() == 2
    # Select from inside block 2 to inside block 3: both become navigation.
    select(view, text, text.index("this article"), text.index("social"))
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert stored(project, doc_id).blocks == {0: "caption", 1: "content", 2: "navigation",
                                              3: "navigation"}
    # The page shows it: boilerplate blocks are greyed and labelled in the gutter.
    assert view.annotations.blocks[3] == "navigation"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(project, doc_id).blocks == {0: "caption", 1: "content"}
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(project, doc_id).blocks == {}
    qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert stored(project, doc_id).blocks == {0: "caption"}
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(project, doc_id).blocks == {0: "caption", 1: "content", 2: "navigation",
                                              3: "navigation"}


def test_link_an_attribution_then_undo_redo_and_delete(qtbot, project, add_docs,
                                                        open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    source = "Iraq's foreign ministry"
    claim = "the talks would start next week"
    select(view, text, text.index(source), text.index(source) + len(source))
    qtbot.keyClick(view, Qt.Key.Key_2)
    select(view, text, text.index(claim), text.index(claim) + len(claim) + 1)
    qtbot.keyClick(view, Qt.Key.Key_1)
    # Click the source, Ctrl+click the claim, Ctrl+L.
    click(qtbot, view, text, text.index("foreign"))
    click(qtbot, view, text, text.index("would"), ctrl=True)
    assert len(window.annotationPanel.selected_spans()) == 2
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL)
    labels = stored(project, doc_id)
    by_uid = {s.uid: s for s in labels.spans}
    assert [(by_uid[r.head].label, text[by_uid[r.child].start:by_uid[r.child].end])
            for r in labels.relations] == [("SOURCE", claim)]
    assert window.annotationPanel.relationList.count() == 1
    # Selecting the source highlights what it is linked to.
    click(qtbot, view, text, text.index("foreign"))
    assert view.linked_uids() == {labels.relations[0].child}
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(project, doc_id).relations == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(stored(project, doc_id).relations) == 1
    # Delete the span under the cursor: its attribution goes too; undo brings both back.
    put_cursor(view, text, text.index("ministry"))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    after = stored(project, doc_id)
    assert [s.label for s in after.spans] == ["CLAIM"] and after.relations == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    after = stored(project, doc_id)
    assert len(after.spans) == 2 and len(after.relations) == 1


def test_ctrl_enter_marks_done_and_opens_the_next_then_undo(qtbot, project, add_docs,
                                                             open_window) -> None:  # type: ignore[no-untyped-def]
    texts = add_docs(ARTICLE, MIXED, "Third article, short.\n\nWith two blocks.")
    window = open_window()
    view = window.articleView
    first = window.current.id
    assert view.toPlainText() == texts[0]
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)
    assert stored(project, first).status == "done"
    assert view.toPlainText() == texts[1]
    assert window.progressLabel.text() == "Done 1 / 3"
    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)
    assert view.toPlainText() == texts[2]
    qtbot.keyClick(view, Qt.Key.Key_Left, ALT)
    qtbot.keyClick(view, Qt.Key.Key_Left, ALT)
    assert view.toPlainText() == texts[0]
    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)
    # Undo of "done" brings the first document back, no longer done.
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(project, first).status == "todo"
    assert window.current.id == first
    assert window.progressLabel.text() == "Done 0 / 3"


def test_a_new_window_on_the_same_project_shows_everything(qtbot, project, add_docs,
                                                           open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    put_cursor(view, text, 0)
    qtbot.keyClick(view, Qt.Key.Key_P)
    source = "Iraq's foreign ministry"
    select(view, text, text.index(source), text.index(source) + len(source))
    qtbot.keyClick(view, Qt.Key.Key_2)
    select(view, text, text.index("the talks"), text.index("week"))
    qtbot.keyClick(view, Qt.Key.Key_4)
    click(qtbot, view, text, text.index("foreign"))
    click(qtbot, view, text, text.index("talks"), ctrl=True)
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_2, CTRL)  # sourcing: partly sourced
    window.close()

    again = open_window(annotator=None, proj=project.url.removeprefix("sqlite:///"))
    assert again.service.name == "alice"  # remembered in the project
    shown = again.articleView
    assert shown.toPlainText() == text
    assert shown.annotations.blocks == {0: "caption"}
    assert sorted(s.label for s in shown.annotations.spans) == ["CONTENT", "SOURCE"]
    assert len(shown.annotations.relations) == 1
    assert again.annotationPanel.spanList.count() == 2
    assert again.annotationPanel.relationList.count() == 1
    rating = [b.objectName() for b in again.annotationPanel.ratingGroup.buttons()
              if b.isChecked()]
    assert rating == ["doc:sourcing:partly_sourced"]
    again.project.close()


def test_attributes_by_keyboard_in_the_panel(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    doc_id = window.current.id
    source = "Iraq's foreign ministry"
    select(view, text, text.index(source), text.index(source) + len(source))
    qtbot.keyClick(view, Qt.Key.Key_2)  # the new span is selected; F2 edits it
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox) and combo.objectName() == "attr:naming"
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # "named"
    assert stored(project, doc_id).spans[0].attrs == {"naming": "named"}
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    kind = QApplication.focusWidget()
    assert isinstance(kind, QComboBox) and kind.objectName() == "attr:kind"
    qtbot.keyClick(kind, Qt.Key.Key_Down)
    assert stored(project, doc_id).spans[0].attrs == {"naming": "named", "kind": "official"}
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(project, doc_id).spans[0].attrs == {"naming": "named"}


def test_suggestions_accept_reject_and_accept_all_blocks(qtbot, project, add_docs,
                                                         open_window) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.model import NewSuggestion
    from annotator.store.suggestions import replace_for_document

    (text,) = add_docs(ARTICLE)
    claim = "the talks would start next week"
    source = "Iraq's foreign ministry"
    cs, ss = text.index(claim), text.index(source)
    with project.session() as session:
        from annotator.services.annotation import AnnotationService as S

        doc_id = S(project, "alice").document_ids()[0]
        replace_for_document(session, doc_id, "test-1", [
            NewSuggestion("block", "caption", 0, 25, 0.9, "photo", {"block_index": 0}),
            NewSuggestion("block", "widget", text.index("Share"), text.index("Share") + 18,
                          0.8, "share", {"block_index": 2}),
            NewSuggestion("block", "widget", text.index("Follow"), text.index("media") + 5,
                          0.8, "follow", {"block_index": 3}),
            NewSuggestion("entity", "GPE", ss, ss + 4),
            NewSuggestion("attribution", "ATTRIBUTION", ss, cs + len(claim), 0.7, "said",
                          {"source": [ss, ss + len(source)],
                           "cue": [text.index("said"), text.index("said") + 4],
                           "content": [cs, cs + len(claim)], "naming": "named",
                           "kind": "official", "quote_type": "indirect"}),
            NewSuggestion("claim", "CLAIM", text.index("Officials"), len(text) - 1, 0.6, "c"),
        ])
    window = open_window()
    view = window.articleView
    assert window.annotationPanel.suggestionList.count() == 5  # entities are not reviewed
    # Every layer is drawn; touching stretches never repeat a format (Qt would skip one).
    drawn = view.extraSelections()
    assert drawn
    for a, b in zip(drawn, drawn[1:], strict=False):
        assert not (a.cursor.selectionEnd() == b.cursor.selectionStart()
                    and a.format == b.format)
    # Enter on block 0 accepts its suggestion.
    put_cursor(view, text, 2)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert stored(project, doc_id).blocks == {0: "caption"}
    # Ctrl+Shift+A accepts the rest of the block suggestions at once.
    qtbot.keyClick(view, Qt.Key.Key_A, CTRL | SHIFT)
    assert stored(project, doc_id).blocks == {0: "caption", 2: "widget", 3: "widget"}
    # F8 walks to the next pending suggestion: the attribution; Enter accepts it whole.
    put_cursor(view, text, 0)
    qtbot.keyClick(view, Qt.Key.Key_F8)
    assert view.cursor_offset() == ss
    qtbot.keyClick(view, Qt.Key.Key_Return)
    labels = stored(project, doc_id)
    assert sorted(s.label for s in labels.spans) == ["CONTENT", "CUE", "SOURCE"]
    assert [(r.label, r.attrs) for r in labels.relations] == [
        ("ATTRIBUTION", {"quote_type": "indirect"})]
    src = next(s for s in labels.spans if s.label == "SOURCE")
    assert src.attrs == {"naming": "named", "kind": "official"}
    # Backspace rejects the claim suggestion; it disappears from the page.
    qtbot.keyClick(view, Qt.Key.Key_F8)
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert view.pending() == []
    assert window.annotationPanel.suggestionList.count() == 0
    # Undo the rejection, the attribution and the accept-all, one key each.
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert len(view.pending()) == 1
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(project, doc_id).spans == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(project, doc_id).blocks == {0: "caption"}
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(project, doc_id).blocks == {0: "caption", 2: "widget", 3: "widget"}


def test_first_start_asks_who_is_annotating(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    add_docs(ARTICLE)
    window = open_window(annotator=None, focus=False)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "annotatorNameDialog") is not None)
    dialog = window.findChild(QDialog, "annotatorNameDialog")
    qtbot.waitUntil(dialog.isVisible)
    edit = dialog.findChild(QLineEdit, "annotatorName")
    assert edit.text()  # the system user name is proposed
    edit.selectAll()
    qtbot.keyClicks(edit, "gold")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    edit.selectAll()
    qtbot.keyClicks(edit, "bea")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert project.get_setting("annotator") == "bea"
    assert window.annotatorButton.text() == "bea"
    put_cursor(window.articleView, ARTICLE, 0)
    window.articleView.setFocus()
    qtbot.waitUntil(window.articleView.hasFocus)
    qtbot.keyClick(window.articleView, Qt.Key.Key_P)
    assert AnnotationService(project, "bea").load(window.current.id).blocks == {0: "caption"}


def test_search_filter_rating_and_help(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    add_docs(ARTICLE, MIXED, "A note on wheat exports.\n\nPrices rose.")
    window = open_window()
    view = window.articleView
    qtbot.keyClick(view, Qt.Key.Key_3, CTRL)  # sourcing: poorly sourced
    assert stored(project, window.current.id).doc_labels == {"sourcing": "poorly_sourced"}
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    assert window.searchBox.hasFocus()
    qtbot.keyClicks(window.searchBox, "WHEAT")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=3000)
    assert window.model.index(0).data() == "A note on wheat exports."
    window.searchBox.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=3000)
    window.statusFilter.setCurrentIndex(window.statusFilter.findData("done"))
    assert window.model.rowCount() == 1
    assert window.statusFilter.currentText().startswith("Done  (1)")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F1)
    help_dialog = window.findChild(QDialog, "keyHelpDialog")
    assert help_dialog is not None and help_dialog.isVisible()
    shown = help_dialog.browser.toPlainText()
    for needle in ("Ctrl+Shift+A", "Ctrl+L", "Ctrl+Return", "Backspace", "Alt+Left"):
        assert needle in shown


def test_article_text_is_never_html(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs("<b>Bold?</b> <img src=x> headline\n\nBody &amp; more <i>text</i>.")
    window = open_window()
    assert window.articleView.toPlainText() == text
    # QLabel.text() is the raw string in any format; what matters is how it is shown.
    assert window.docTitle.text().startswith("<b>Bold?</b>")
    assert window.docTitle.textFormat() == Qt.TextFormat.PlainText
    # The attribute editor's title quotes the span's text: plain too.
    select(window.articleView, text, 0, len("<b>Bold?</b>"))
    qtbot.keyClick(window.articleView, Qt.Key.Key_2)
    panel_title = window.annotationPanel.attributeTitle
    assert "Bold?" in panel_title.text()
    assert panel_title.textFormat() == Qt.TextFormat.PlainText


def test_link_by_keyboard_only(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    (text,) = add_docs(ARTICLE)
    window = open_window()
    view = window.articleView
    source, claim = "Iraq's foreign ministry", "the talks would start next week"
    select(view, text, text.index(source), text.index(source) + len(source))
    qtbot.keyClick(view, Qt.Key.Key_2)
    select(view, text, text.index(claim), text.index(claim) + len(claim))
    qtbot.keyClick(view, Qt.Key.Key_1)  # the new CLAIM is selected
    put_cursor(view, text, text.index("foreign"))
    qtbot.keyClick(view, Qt.Key.Key_Space, CTRL)  # add the SOURCE under the cursor
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL)
    assert len(stored(project, window.current.id).relations) == 1
    # Linking the same pair again is refused with a message, not a duplicate.
    click(qtbot, view, text, text.index("foreign"))
    click(qtbot, view, text, text.index("would"), ctrl=True)
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL)
    assert len(stored(project, window.current.id).relations) == 1
    assert "already linked" in window.statusBar().currentMessage()
