import copy
from typing import Any

from annotator.core import keymap, schema


def test_default_schema_layers_and_keys() -> None:
    s = schema.default()
    assert s.block("content").key == "0" and not s.block("content").boilerplate
    assert s.boilerplate_names == {"navigation", "caption", "metadata", "related", "promo",
                                   "unrelated", "widget", "legal", "comment"}
    assert s.block_names[-2:] == ["legal", "comment"]
    assert s.block("comment").key == "C"
    assert [(x.name, x.key) for x in s.spans] == [("CLAIM", "1"), ("SOURCE", "2"),
                                                  ("CUE", "3"), ("CONTENT", "4")]
    assert s.span("SOURCE").attrs["naming"] == ["named", "unnamed", "vague"]
    rel = s.relation("ATTRIBUTION")
    assert (rel.head, rel.child, rel.cue) == (["SOURCE"], ["CLAIM", "CONTENT"], ["CUE"])


def test_not_applicable_is_outside_the_sourcing_scale() -> None:
    sourcing = schema.default().document("sourcing")
    assert sourcing.ordinal
    assert "not_applicable" in sourcing.values
    assert sourcing.scale == ["well_sourced", "partly_sourced", "poorly_sourced"]


def _previous_release() -> dict[str, Any]:
    """The default schema as the release before ``comment`` shipped it."""
    raw = copy.deepcopy(schema.default().raw)
    raw["block"] = [b for b in raw["block"] if b["name"] != "comment"]
    return raw


def test_a_new_default_label_is_added_after_its_neighbour_with_its_key() -> None:
    old = _previous_release()
    before = copy.deepcopy(old)
    up = schema.add_new_default_blocks(old, schema.default().raw, None)
    assert up.added == ["comment"] and up.unkeyed == []
    assert schema.block_label_names(up.raw) == schema.default().block_names
    assert schema.from_dict(up.raw).block("comment").key == "C"
    assert set(up.seen) == set(schema.default().block_names)
    assert old == before  # pure: the stored dict is not modified
    # Once offered, offering again changes nothing.
    again = schema.add_new_default_blocks(up.raw, schema.default().raw, up.seen)
    assert again.added == [] and again.raw == up.raw


def test_a_label_the_lead_removed_is_not_added_back() -> None:
    default = schema.default().raw
    current = copy.deepcopy(default)
    current["block"] = [b for b in current["block"] if b["name"] != "comment"]
    up = schema.add_new_default_blocks(current, default, schema.default().block_names)
    assert up.added == [] and "comment" not in schema.block_label_names(up.raw)
    # A project from before the record existed keeps the old labels it deleted, too.
    old = _previous_release()
    old["block"] = [b for b in old["block"] if b["name"] != "widget"]
    up = schema.add_new_default_blocks(old, default, None)
    assert up.added == ["comment"]
    assert "widget" not in schema.block_label_names(up.raw)
    assert "widget" in up.seen


def test_a_clashing_key_is_dropped_and_the_label_still_added() -> None:
    old = _previous_release()
    old["block"].append({"name": "correction", "key": "c", "color": "#000000",
                         "boilerplate": False})
    up = schema.add_new_default_blocks(old, schema.default().raw, None)
    assert up.added == ["comment"] and up.unkeyed == ["comment"]
    names = schema.block_label_names(up.raw)
    assert names.index("comment") == names.index("legal") + 1
    merged = schema.from_dict(up.raw)
    assert merged.block("comment").key == ""
    assert merged.block("correction").key == "c"
    km = keymap.build(merged)  # the project still opens: no clash
    assert km.action_for("C") == "block:correction"
    assert km.get("block:comment") is None


def test_without_its_neighbour_the_label_goes_after_the_nearest_earlier_one() -> None:
    old = _previous_release()
    old["block"] = [b for b in old["block"] if b["name"] in ("content", "widget")]
    up = schema.add_new_default_blocks(old, schema.default().raw,
                                       list(schema.BLOCKS_OFFERED_BEFORE_RECORD))
    assert schema.block_label_names(up.raw) == ["content", "widget", "comment"]
