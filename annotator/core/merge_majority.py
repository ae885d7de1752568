"""Majority (threshold) merge of several annotators' work on one document.

Follows INCEpTION's threshold-based merge with its two knobs: an item is taken when at
least ``min_annotators`` annotators made it *and* they are at least ``min_share`` of the
annotators being merged. What counts as "the same item":

* blocks: the label of a block (a done annotator's unmarked block is ``content``);
* spans: exactly the same ``(label, start, end)``;
* relations: the same head span key, child span key and label (spans compared by key,
  so two annotators' relations agree although their span uids differ);
* document labels: the same value of the same label.

Blocks and document labels hold one value each: when two values both pass the threshold
(possible with a low share) neither is taken, as INCEpTION treats ties of single-valued
layers, and the item is reported ``unresolved``. A relation can only pass when its two
spans pass too (every voter of a relation has both spans), so the result is consistent.
Attributes (and a relation's cue) go with the most common version among the voters, ties
to the first annotator in name order. Pure Python over ``core.model``'s values (each
annotator's ``Annotations``; only blocks, spans, relations and document labels are read):
the adjudication service and the tests use it without a database.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core.model import Annotations, RelationKey, SpanKey, relation_key


@dataclass(frozen=True, slots=True)
class MergedSpan:
    key: SpanKey
    attrs: Mapping[str, Any]
    voters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergedRelation:
    key: RelationKey
    cue: SpanKey | None
    attrs: Mapping[str, Any]
    voters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What passed the threshold, with who voted for it, and what stayed unresolved."""

    votes_needed: int
    blocks: dict[int, str]
    spans: list[MergedSpan]
    relations: list[MergedRelation]
    doc_labels: dict[str, str]
    unresolved_blocks: list[int]
    unresolved_doc_labels: list[str]


def votes_needed(n_annotators: int, min_annotators: int, min_share: float) -> int:
    """Smallest vote count meeting both thresholds (a share is met up to rounding noise)."""
    if n_annotators < 1:
        return 1
    by_share = math.ceil(min_share * n_annotators - 1e-9)
    return max(1, min_annotators, by_share)


def _check(min_annotators: int, min_share: float) -> None:
    if min_annotators < 1:
        raise ValueError("min_annotators must be at least 1")
    if not 0.0 <= min_share <= 1.0:
        raise ValueError("min_share must lie between 0 and 1")


def _common(versions: Sequence[tuple[str, Mapping[str, Any]]]) -> Mapping[str, Any]:
    """The attributes most voters gave; ties go to the first voter (name order)."""
    counts = Counter(tuple(sorted(attrs.items())) for _, attrs in versions)
    best = max(counts.values())
    for _, attrs in versions:
        if counts[tuple(sorted(attrs.items()))] == best:
            return dict(attrs)
    return {}


def _single_valued(
    votes: Mapping[Any, Counter[str]], needed: int
) -> tuple[dict[Any, str], list[Any]]:
    """Per item (block, document label): the value that passes, or unresolved on a tie."""
    taken: dict[Any, str] = {}
    unresolved: list[Any] = []
    for item in sorted(votes):
        passing = [value for value, count in votes[item].items() if count >= needed]
        if len(passing) == 1:
            taken[item] = passing[0]
        else:  # nothing passes, or a tie between values that both pass
            unresolved.append(item)
    return taken, unresolved


def merge(
    versions: Mapping[str, Annotations],
    *,
    min_annotators: int = 2,
    min_share: float = 0.5,
    n_blocks: int | None = None,
    default_block_label: str | None = "content",
) -> MergeResult:
    """Threshold merge of ``versions`` (annotator name -> work) of one document.

    ``n_blocks`` (with ``default_block_label``) makes every block a vote of every
    annotator, unmarked blocks voting for the default, as the agreement report counts a
    done document. Without it only marked blocks vote. Merged blocks holding the default
    label are left out of ``blocks`` (unmarked means default), but they are resolved.
    """
    _check(min_annotators, min_share)
    names = sorted(versions)
    needed = votes_needed(len(names), min_annotators, min_share)

    block_votes: dict[int, Counter[str]] = {}
    indices = (
        range(n_blocks) if n_blocks is not None
        else sorted({i for v in versions.values() for i in v.blocks})
    )
    for index in indices:
        counter: Counter[str] = Counter()
        for name in names:
            label = versions[name].blocks.get(index, default_block_label)
            if label is not None:
                counter[label] += 1
        block_votes[index] = counter
    blocks, unresolved_blocks = _single_valued(block_votes, needed)
    blocks = {i: label for i, label in blocks.items() if label != default_block_label}

    span_voters: dict[SpanKey, list[tuple[str, Mapping[str, Any]]]] = {}
    key_of: dict[str, dict[str, SpanKey]] = {}
    for name in names:
        keys = key_of[name] = {}
        seen: set[SpanKey] = set()
        for span in versions[name].spans:
            keys[span.uid] = span.key
            if span.key in seen:  # one vote per annotator, however often they drew it
                continue
            seen.add(span.key)
            span_voters.setdefault(span.key, []).append((name, span.attrs))
    spans = [
        MergedSpan(key, _common(voters), tuple(name for name, _ in voters))
        for key, voters in sorted(span_voters.items(), key=lambda item: (item[0][1],
                                                                         item[0][2], item[0][0]))
        if len(voters) >= needed
    ]
    kept = {span.key for span in spans}

    relation_voters: dict[RelationKey, list[tuple[str, SpanKey | None, Mapping[str, Any]]]] = {}
    for name in names:
        keys = key_of[name]
        seen_relations: set[RelationKey] = set()
        for relation in versions[name].relations:
            key = relation_key(relation, keys)
            if key is None:
                continue  # dangling: not a relation anyone can vote for
            if key in seen_relations:
                continue
            seen_relations.add(key)
            cue = keys.get(relation.cue) if relation.cue else None
            relation_voters.setdefault(key, []).append((name, cue, relation.attrs))
    relations = []
    for key, voters in sorted(relation_voters.items(), key=lambda item: (item[0][1][1:],
                                                                         item[0][0][1:],
                                                                         item[0][2])):
        if len(voters) < needed or key[0] not in kept or key[1] not in kept:
            continue
        cues = Counter(cue for _, cue, _ in voters)
        best = max(cues.values())
        cue = next(cue for _, cue, _ in voters if cues[cue] == best)
        relations.append(MergedRelation(
            key, cue if cue in kept else None,
            _common([(name, attrs) for name, _, attrs in voters]),
            tuple(name for name, _, _ in voters),
        ))

    label_votes: dict[str, Counter[str]] = {}
    for name in names:
        for label, value in versions[name].doc_labels.items():
            label_votes.setdefault(label, Counter())[value] += 1
    doc_labels, unresolved_labels = _single_valued(label_votes, needed)
    return MergeResult(needed, blocks, spans, relations, doc_labels, unresolved_blocks,
                       unresolved_labels)
