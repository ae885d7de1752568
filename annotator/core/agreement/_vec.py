"""Array helpers shared by the span, relation and report code.

The report compares every annotator pair over ten thousand documents inside a few
seconds, so comparisons are joins on integer keys done by sorting, never Python loops
over units; only the rare tangled overlap groups fall back to a Python matching.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


def as_int(values: object) -> IntArray:
    return np.asarray(values, dtype=np.int64)


def cross_pairs(group_a: IntArray, group_b: IntArray) -> tuple[IntArray, IntArray]:
    """Every ``(i, j)`` with ``group_a[i] == group_b[j]``: an equi-join on one key."""
    order = np.argsort(group_b, kind="stable")
    sorted_b = group_b[order]
    low = np.searchsorted(sorted_b, group_a, side="left")
    high = np.searchsorted(sorted_b, group_a, side="right")
    width = high - low
    total = int(width.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    left = np.repeat(np.arange(len(group_a), dtype=np.int64), width)
    first = np.repeat(low, width)
    step = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(width) - width, width)
    return left, order[first + step].astype(np.int64)


def row_ids(keys: IntArray) -> tuple[IntArray, int]:
    """Number the distinct rows of a 2-D key matrix: equal rows get equal ids."""
    if keys.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), 0
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    fresh = np.ones(len(order), dtype=bool)
    fresh[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    ids_sorted = np.cumsum(fresh) - 1
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = ids_sorted
    return ids, int(ids_sorted[-1]) + 1


def multiset_matches(keys_a: IntArray, keys_b: IntArray) -> tuple[IntArray, IntArray]:
    """Match identical rows one-to-one (a multiset intersection).

    Returns, for each key present on both sides, the number of matches
    (``min(count_a, count_b)``) and the index of one row of ``keys_a`` carrying that key,
    so callers can attribute the matches to a document or label.
    """
    n_a = keys_a.shape[0]
    if n_a == 0 or keys_b.shape[0] == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    ids, n_ids = row_ids(np.concatenate([keys_a, keys_b]))
    count_a = np.bincount(ids[:n_a], minlength=n_ids)
    count_b = np.bincount(ids[n_a:], minlength=n_ids)
    matches = np.minimum(count_a, count_b)
    representative = np.full(n_ids, -1, dtype=np.int64)
    representative[ids[:n_a][::-1]] = np.arange(n_a - 1, -1, -1, dtype=np.int64)
    both = matches > 0
    return matches[both].astype(np.int64), representative[both]


def max_matching(n_left: int, adjacency: Sequence[Sequence[int]]) -> list[int]:
    """Maximum-cardinality bipartite matching by augmenting paths (breadth first).

    ``adjacency[u]`` lists the right nodes of left node ``u`` in order of preference; the
    first free one is taken directly, so preferred pairs win whenever the maximum allows.
    Returns ``match[u]``: the right node matched to ``u``, or -1.
    """
    match_left = [-1] * n_left
    match_right: dict[int, int] = {}
    for root in range(n_left):
        if not adjacency[root]:
            continue
        parent: dict[int, int] = {}
        queue = [root]
        found = -1
        head = 0
        while head < len(queue) and found < 0:
            node = queue[head]
            head += 1
            for right in adjacency[node]:
                if right in parent:
                    continue
                parent[right] = node
                partner = match_right.get(right, -1)
                if partner < 0:
                    found = right
                    break
                queue.append(partner)
        right = found
        while right >= 0:
            left = parent[right]
            previous = match_left[left]
            match_left[left] = right
            match_right[right] = left
            right = previous if left != root else -1
    return match_left
