"""The stored payload of an attribution suggestion: one shape, one encode and decode.

Projects already hold suggestions in this shape, so the encoded JSON is checked key by
key, and the real suggester's output (real spaCy model, a real article) must read back
and re-encode to exactly what it stored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.suggestion_payload import AttributionPayload
from annotator.core.text import normalise_newlines

TEXTS = Path(__file__).resolve().parents[1] / "data" / "attribution" / "texts"


def test_encodes_the_attributes_then_the_parts_as_pairs_or_null() -> None:
    payload = AttributionPayload.of(
        (0, 12), None, (20, 48),
        {"naming": "named", "kind": "official", "quote_type": "indirect",
         "evidence": ["verb", "ner"]},
    )
    stored = json.dumps(payload.encode())
    assert stored == ('{"naming": "named", "kind": "official", "quote_type": "indirect", '
                      '"evidence": ["verb", "ner"], "source": [0, 12], "cue": null, '
                      '"content": [20, 48]}')
    back = AttributionPayload.decode(json.loads(stored))
    assert back == payload
    assert back is not None and back.extent == (0, 48)
    assert back.labelled_parts() == [(0, 12, "SOURCE"), (20, 48, "CONTENT")]
    assert back.source_attrs() == {"naming": "named", "kind": "official"}
    assert back.relation_attrs() == {"quote_type": "indirect", "evidence": ["verb", "ner"]}


def test_a_part_that_is_not_an_ordered_pair_of_integers_reads_as_absent() -> None:
    stored = {"quote_type": "direct", "source": [5, 5], "cue": ["3", "7"], "content": [9, 30]}
    payload = AttributionPayload.decode(stored)
    assert payload is not None
    assert (payload.source, payload.cue, payload.content) == (None, None, (9, 30))
    assert payload.attrs == {"quote_type": "direct"}
    assert AttributionPayload.decode({"source": [0, 4], "content": None}) is None
    assert AttributionPayload.decode({"checkworthy": "yes"}) is None


@pytest.fixture(scope="module")
def suggested() -> list[dict]:  # type: ignore[type-arg]
    from annotator.nlp.model import load_model
    from annotator.nlp.pipeline import doc_suggestions

    model = load_model()
    text = normalise_newlines((TEXTS / "dawn-coalition-committee.txt").read_text("utf-8"))
    rows = doc_suggestions(model.nlp(text), model)
    return [row for row in rows if row["layer"] == "attribution"]


def test_what_the_suggester_stores_reads_back_unchanged(suggested: list[dict]) -> None:  # type: ignore[type-arg]
    assert suggested
    for row in suggested:
        stored = json.loads(json.dumps(row["attrs"]))
        payload = AttributionPayload.decode(stored)
        assert payload is not None
        assert json.dumps(payload.encode()) == json.dumps(row["attrs"])
        assert payload.extent == (row["start"], row["end"])
