"""The threshold merge: min annotators and min share, per layer, ties left unresolved."""

from __future__ import annotations

import pytest

from annotator.core.merge_majority import merge, votes_needed
from annotator.core.model import Annotations, RelationData, SpanData


@pytest.mark.parametrize(
    ("n", "min_annotators", "min_share", "needed"),
    [
        (3, 1, 0.5, 2),  # a majority of three is two
        (3, 2, 0.0, 2),
        (3, 1, 1 / 3, 1),  # one third of three is one, whatever the float rounding
        (3, 1, 0.34, 2),
        (4, 2, 0.5, 2),
        (4, 1, 0.75, 3),
        (3, 3, 1.0, 3),
        (2, 5, 0.5, 5),  # more annotators required than there are: nothing passes
    ],
)
def test_votes_needed(n: int, min_annotators: int, min_share: float, needed: int) -> None:
    assert votes_needed(n, min_annotators, min_share) == needed


def _versions() -> dict[str, Annotations]:
    """alice, bob and carol on one document with five blocks."""
    return {
        "alice": Annotations(
            blocks={0: "navigation", 4: "legal"},
            spans=[SpanData("a1", "SOURCE", 0, 10, {"naming": "named"}),
                   SpanData("a2", "CLAIM", 12, 40),
                   SpanData("a3", "CUE", 10, 12),
                   SpanData("a2-again", "CLAIM", 12, 40)],  # drawn twice: still one vote
            relations=[RelationData("a-r", "ATTRIBUTION", "a1", "a2", "a3",
                                   {"quote_type": "direct"})],
            doc_labels={"sourcing": "well_sourced"},
        ),
        "bob": Annotations(
            blocks={0: "navigation", 4: "promo"},
            spans=[SpanData("b1", "SOURCE", 0, 10, {"naming": "unnamed"}),
                   SpanData("b2", "CLAIM", 12, 40),
                   SpanData("b3", "CLAIM", 50, 60)],
            relations=[RelationData("b-r", "ATTRIBUTION", "b1", "b2", None,
                                   {"quote_type": "direct"})],
            doc_labels={"sourcing": "well_sourced"},
        ),
        "carol": Annotations(
            blocks={4: "widget"},
            spans=[SpanData("c1", "SOURCE", 0, 10, {"naming": "named"}),
                   SpanData("c2", "CLAIM", 12, 41),
                   SpanData("c3", "CUE", 10, 12)],
            relations=[RelationData("c-r", "ATTRIBUTION", "c1", "c2", "c3",
                                   {"quote_type": "indirect"})],
            doc_labels={"sourcing": "poorly_sourced"},
        ),
    }


def test_majority_of_three() -> None:
    result = merge(_versions(), min_annotators=2, min_share=0.5, n_blocks=5)
    assert result.votes_needed == 2
    # Block 0: navigation 2 : content 1. Block 4: three different labels, unresolved.
    # Blocks 1-3 nobody marked: content, which is left unmarked.
    assert result.blocks == {0: "navigation"}
    assert result.unresolved_blocks == [4]
    keys = [span.key for span in result.spans]
    assert keys == [("SOURCE", 0, 10), ("CUE", 10, 12), ("CLAIM", 12, 40)]
    source = result.spans[0]
    assert source.voters == ("alice", "bob", "carol") and source.attrs == {"naming": "named"}
    assert result.spans[2].voters == ("alice", "bob")
    # The relation is the same for alice and bob although their uids differ; carol's goes
    # to another CLAIM span. The cue: alice's CUE vs bob's none, a tie: the first voter's.
    (relation,) = result.relations
    assert relation.key == (("SOURCE", 0, 10), ("CLAIM", 12, 40), "ATTRIBUTION")
    assert relation.voters == ("alice", "bob") and relation.cue == ("CUE", 10, 12)
    assert relation.attrs == {"quote_type": "direct"}
    assert result.doc_labels == {"sourcing": "well_sourced"}
    assert result.unresolved_doc_labels == []


def test_unanimity_and_minimum_annotators() -> None:
    unanimous = merge(_versions(), min_annotators=1, min_share=1.0, n_blocks=5)
    assert [span.key for span in unanimous.spans] == [("SOURCE", 0, 10)]
    assert unanimous.relations == []  # never more than its spans
    assert unanimous.blocks == {} and unanimous.unresolved_blocks == [0, 4]
    assert unanimous.doc_labels == {} and unanimous.unresolved_doc_labels == ["sourcing"]

    anyone = merge(_versions(), min_annotators=1, min_share=0.0, n_blocks=5)
    assert ("CLAIM", 50, 60) in [span.key for span in anyone.spans]
    assert len(anyone.relations) == 2
    # With one vote enough, two labels of one block both pass: a tie, not a guess.
    assert 0 not in anyone.blocks and 0 in anyone.unresolved_blocks


def test_without_n_blocks_only_marked_blocks_vote() -> None:
    result = merge(_versions(), min_annotators=2, min_share=0.0, n_blocks=None)
    assert result.blocks == {0: "navigation"} and result.unresolved_blocks == [4]


def test_two_annotators_and_empty_input() -> None:
    two = {name: version for name, version in _versions().items() if name != "carol"}
    result = merge(two, min_annotators=2, min_share=0.5, n_blocks=5)
    assert [span.key for span in result.spans] == [("SOURCE", 0, 10), ("CLAIM", 12, 40)]
    assert result.spans[0].attrs == {"naming": "named"}  # tie 1:1 goes to alice
    empty = merge({}, n_blocks=3)
    assert empty.spans == [] and empty.blocks == {}


@pytest.mark.parametrize(("min_annotators", "min_share"), [(0, 0.5), (1, -0.1), (1, 1.5)])
def test_bad_thresholds(min_annotators: int, min_share: float) -> None:
    with pytest.raises(ValueError):
        merge(_versions(), min_annotators=min_annotators, min_share=min_share)
