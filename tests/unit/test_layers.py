"""The layer sweep and the display copy of the text: every layer keeps its channel."""

from __future__ import annotations

from pathlib import Path

from annotator.core.blocks import segment
from annotator.core.layers import (
    ENTITY,
    GREY,
    GREYISH,
    LINKED,
    PICKED,
    PLAIN,
    SPAN,
    Layer,
    Look,
    Run,
    display_text,
    sweep,
)

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


def test_overlapping_layers_each_keep_their_channel() -> None:
    layers = [Layer(0, 20, GREY, "related"), Layer(5, 12, SPAN, "CLAIM", "c"),
              Layer(8, 10, ENTITY, "GPE"), Layer(9, 15, SPAN, "SOURCE", "s")]
    runs = sweep(layers, 0, 20)
    assert runs == [
        Run(0, 5, Look(GREY)),
        Run(5, 8, Look(GREY, (("CLAIM", PLAIN),))),
        Run(8, 9, Look(GREY, (("CLAIM", PLAIN),), "GPE")),
        Run(9, 10, Look(GREY, (("CLAIM", PLAIN), ("SOURCE", PLAIN)), "GPE")),
        Run(10, 12, Look(GREY, (("CLAIM", PLAIN), ("SOURCE", PLAIN)))),
        Run(12, 15, Look(GREY, (("SOURCE", PLAIN),))),
        Run(15, 20, Look(GREY)),
    ]
    # The whole block is grey, with no gap anywhere.
    assert runs[0].start == 0 and runs[-1].end == 20
    assert all(a.end == b.start for a, b in zip(runs, runs[1:], strict=False))
    assert all(r.look.grey == GREY for r in runs)


def test_touching_equal_looks_merge_and_uncovered_text_is_left_out() -> None:
    layers = [Layer(0, 4, ENTITY, "GPE"), Layer(4, 8, ENTITY, "GPE"),
              Layer(10, 12, SPAN, "CLAIM", "x")]
    assert sweep(layers, 0, 20) == [Run(0, 8, Look(entity="GPE")),
                                    Run(10, 12, Look(spans=(("CLAIM", PLAIN),)))]


def test_picked_and_linked_spans_and_the_window() -> None:
    layers = [Layer(0, 10, SPAN, "SOURCE", "a"), Layer(20, 30, SPAN, "CLAIM", "b"),
              Layer(40, 50, SPAN, "CLAIM", "c")]
    runs = sweep(layers, 5, 45, picked={"a"}, linked={"b"})
    assert runs == [Run(5, 10, Look(spans=(("SOURCE", PICKED),))),
                    Run(20, 30, Look(spans=(("CLAIM", LINKED),))),
                    Run(40, 45, Look(spans=(("CLAIM", PLAIN),)))]


def test_a_given_label_wins_over_a_suggested_one_and_inner_entity_wins() -> None:
    layers = [Layer(0, 10, GREYISH, "caption"), Layer(0, 10, GREY, "related"),
              Layer(0, 10, ENTITY, "ORG"), Layer(2, 4, ENTITY, "GPE")]
    assert [(r.start, r.end, r.look.grey, r.look.entity) for r in sweep(layers, 0, 10)] == [
        (0, 2, GREY, "ORG"), (2, 4, GREY, "GPE"), (4, 10, GREY, "ORG")]


def test_wire_copy_flows_and_keeps_every_offset() -> None:
    text = (DEMO / "korvan-wheat-exports.txt").read_text(encoding="utf-8")
    blocks = [(b.start, b.end) for b in segment(text)]
    shown = display_text(text, blocks)
    assert len(shown) == len(text)
    assert "after a larger than expected harvest" in shown
    assert "after a larger than\nexpected harvest" in text
    # Only breaks inside a block change; block boundaries stay line breaks.
    changed = [i for i, (a, b) in enumerate(zip(text, shown, strict=True)) if a != b]
    assert len(changed) > 10
    assert all(text[i] == "\n" and shown[i] == " " for i in changed)
    for (_, end), (start, _) in zip(blocks, blocks[1:], strict=False):
        assert "\n" in shown[end:start]


def test_text_without_hard_breaks_is_returned_as_is() -> None:
    text = "One paragraph.\n\nAnother one."
    assert display_text(text, [(0, 14), (16, 28)]) is text
