from annotator.core import schema


def test_default_schema_layers_and_keys() -> None:
    s = schema.default()
    assert s.block("content").key == "0" and not s.block("content").boilerplate
    assert s.boilerplate_names == {"navigation", "caption", "metadata", "related", "promo",
                                   "unrelated", "widget", "legal"}
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
