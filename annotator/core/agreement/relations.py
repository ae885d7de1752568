"""Relation agreement: pairwise F1 over (head, child, label), two ways.

*Strict* counts a relation as shared only when both annotators drew it between spans with
identical offsets and labels; a boundary quibble on the source span then costs the
attribution as well. *Matched* maps one annotator's spans onto the other's through the
one-to-one overlap matching of ``spans.match_spans`` and compares relations between the
mapped spans, so it measures agreement on *who said what* separately from boundaries.
Either way F1 is ``2 * matches / (n_a + n_b)``, and a relation matches at most once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from annotator.core.agreement._vec import IntArray, multiset_matches
from annotator.core.agreement.spans import F1, f1_score
from annotator.core.model import RelationKey


def _counted_f1(first: Counter[object], second: Counter[object]) -> F1:
    matches = sum((first & second).values())
    n_first, n_second = sum(first.values()), sum(second.values())
    return F1(f1_score(matches, n_first, n_second), matches, n_first, n_second)


def relation_f1_strict(first: Iterable[RelationKey], second: Iterable[RelationKey]) -> F1:
    """F1 on relations whose head and child spans are identical on both sides (relation
    keys of ``core.model``: spans by ``(label, start, end)``)."""
    return _counted_f1(Counter(first), Counter(second))


def relation_f1_matched(
    first: Iterable[tuple[int, int, str]],
    second: Iterable[tuple[int, int, str]],
    span_matching: Mapping[int, int],
) -> F1:
    """F1 on relations through a span matching.

    ``first`` holds ``(head, child, label)`` with indices into the first annotator's spans,
    ``second`` the same for the second annotator, and ``span_matching`` maps first-side
    span indices to the second-side spans they were paired with. A relation whose head or
    child found no partner cannot match.
    """
    mapped: Counter[object] = Counter()
    unmatched = 0
    for head, child, label in first:
        if head in span_matching and child in span_matching:
            mapped[(span_matching[head], span_matching[child], label)] += 1
        else:
            unmatched += 1
    result = _counted_f1(mapped, Counter(second))
    n_first = result.n_first + unmatched
    return F1(
        f1_score(result.matches, n_first, result.n_second), result.matches, n_first, result.n_second
    )


def matched_relation_keys(
    head: IntArray, child: IntArray, label: IntArray, span_map: IntArray
) -> tuple[IntArray, IntArray]:
    """Rewrite one side's relations in the other side's span numbering (arrays).

    Returns the ``(head, child, label)`` keys of relations whose both ends are mapped and
    the positions of those relations; ``span_map[i]`` is -1 for an unmatched span.
    """
    mapped_head = span_map[head]
    mapped_child = span_map[child]
    usable = np.flatnonzero((mapped_head >= 0) & (mapped_child >= 0))
    keys = np.column_stack([mapped_head[usable], mapped_child[usable], label[usable]])
    return keys.astype(np.int64), usable


def count_matches(keys_a: IntArray, keys_b: IntArray) -> tuple[IntArray, IntArray]:
    """One-to-one matches between identical relation keys (see ``multiset_matches``)."""
    return multiset_matches(keys_a, keys_b)
