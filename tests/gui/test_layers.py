"""What the article view draws, read back from the laid-out document's formats.

The project is a real sample with real pre-annotation (spaCy entities, clutter, claim
and attribution suggestions); blocks are labelled with the keys an annotator presses.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QTextCharFormat

from annotator.gui import theme
from annotator.services.annotation import AnnotationService
from annotator.services.importing import import_paths
from tests.gui.conftest import click, select

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "resources" / "demo"


def grey_of(amount: float):  # type: ignore[no-untyped-def]
    pal = theme.palette()
    return theme.mix(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base),
                     amount)


def test_boilerplate_is_grey_across_whole_blocks_and_entities_survive_suggestions(
        qtbot, project, samples, open_window) -> None:  # type: ignore[no-untyped-def]
    from annotator.services.suggest import run_suggest

    dawn = next(f for f in samples if f.name.startswith("dawn"))
    import_paths(project, [dawn])
    run_suggest(project)
    window = open_window()
    view = window.articleView
    text = view.text
    doc_id = window.current.id
    # The case: "Iraq also ..." labelled related; and the first two blocks by key.
    click(qtbot, view, text, text.index("Iraq also") + 2)
    qtbot.keyClick(view, Qt.Key.Key_R)
    click(qtbot, view, text, 1)
    qtbot.keyClick(view, Qt.Key.Key_U)
    labels = AnnotationService(project, "alice").load(doc_id).blocks
    boiler = window.schema.boilerplate_names
    labelled = [i for i, label in labels.items() if label in boiler]
    assert len(labelled) == 2
    suggested = [i for i in view.block_suggestions
                 if view.block_suggestions[i].label in boiler and i not in labels]
    assert suggested, "the sample has clutter the suggester flags"
    grey, greyish = grey_of(0.55), grey_of(0.4)
    for indexes, colour in ((labelled, grey), (suggested, greyish)):
        for i in indexes:
            start, end = view.blocks[i]
            for offset in range(start, end):
                if text[offset].isspace():
                    continue
                fmt = view.drawn_look(offset)
                assert fmt.foreground().color() == colour, (i, text[start:end][:40], offset)
    # Entities keep their underline wherever a claim or attribution is suggested.
    reviewed = [s for s in window.current.suggestions if s.layer in ("claim", "attribution")]
    entities = [s for s in window.current.suggestions if s.layer == "entity"]
    covered = [e for e in entities
               if any(r.start <= e.start and e.end <= r.end for r in reviewed)
               and not any(o is not e and o.start < e.end and e.start < o.end
                           for o in entities)]
    assert len(covered) >= 10
    for entity in covered:
        for offset in range(entity.start, entity.end):
            fmt = view.drawn_look(offset)
            assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
            assert fmt.underlineColor() == theme.entity_color(entity.label), text[
                entity.start:entity.end]


def test_wire_copy_flows_as_paragraphs_and_offsets_stay_canonical(
        qtbot, project, open_window) -> None:  # type: ignore[no-untyped-def]
    import_paths(project, [DEMO / "korvan-wheat-exports.txt"])
    window = open_window()
    view = window.articleView
    text = view.text
    doc_id = window.current.id
    brk = text.index("larger than\nexpected") + len("larger than")
    # On screen the hard break is a space inside one paragraph (one Qt block) ...
    assert view.toPlainText()[brk] == " " and len(view.toPlainText()) == len(text)
    paragraph = view.document().findBlock(brk)
    assert paragraph.contains(brk - 30) and paragraph.contains(brk + 30)
    # ... drawn with one gutter bar, and space before the next paragraph.
    index = next(i for i, (s, e) in enumerate(view.blocks) if s <= brk < e)
    view.move_to_block(index)
    bars = [seg for seg in view.visible_block_segments() if seg[0] == index]
    assert len(bars) == 1
    nxt = paragraph.next()
    gap = (view.blockBoundingGeometry(nxt).top()
           - view.blockBoundingGeometry(paragraph).top()
           - paragraph.layout().boundingRect().height())
    assert gap >= view.fontMetrics().lineSpacing() * 0.5
    # A click after the re-flowed break lands on the canonical offset of that character.
    click(qtbot, view, text, brk + 3)
    assert view.cursor_offset() in (brk + 3, brk + 4)
    # A span made across it stores canonical offsets: the stored text keeps its "\n".
    select(view, text, text.index("larger than"), brk + len("\nexpected harvest"))
    qtbot.keyClick(view, Qt.Key.Key_1)
    spans = AnnotationService(project, "alice").load(doc_id).spans
    assert [text[s.start:s.end] for s in spans] == ["larger than\nexpected harvest"]


def test_a_dark_palette_redraws_every_layer_in_its_colours(qtbot, project, open_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    import_paths(project, [DEMO / "korvan-wheat-exports.txt"])
    window = open_window()
    view = window.articleView
    text = view.text
    click(qtbot, view, text, text.index("Advertisement") + 2)
    qtbot.keyClick(view, Qt.Key.Key_A)  # promo
    offset = text.index("Scroll to continue")
    assert view.drawn_look(offset).foreground().color() == grey_of(0.55)
    app = QApplication.instance()
    light = app.palette()
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e6e6e6"),
                         (QPalette.ColorRole.Window, "#2b2b2b")):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: view.drawn_look(offset).foreground().color() == grey_of(0.55))
        assert theme.is_dark() and grey_of(0.55).lightness() < 140
    finally:
        app.setPalette(light)
