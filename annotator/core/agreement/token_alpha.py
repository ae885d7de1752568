"""Token-wise Krippendorff's alpha over span labels, beside unitizing alpha.

Attribution corpora (PARC 3.0, PolNeAR) publish agreement on spans as *token-wise*
alpha: every token of a document gets, from each annotator, the label of the span that
covers it or "none", and nominal alpha is computed with tokens as units. That is a
different measure from ``spans.alpha_u`` (Krippendorff's unitizing alpha, which compares
the character ranges and weighs a boundary slip by its squared length); the report gives
both so a team can compare each with the corpora that publish it.

The rules, which ``report.DEFINITIONS`` and the README state for readers:

* a **token** is a token of ``tokenizer`` (spaCy's English rules on prose; whitespace is
  never a token), and a span covers every token it shares a character with;
* only documents done by at least two annotators count (the report's rule for every
  figure), and each token is judged by exactly the annotators who finished the document;
  ``n_tokens`` counts the tokens of those documents, ``n_judgements`` tokens x annotators;
* a token under spans of **several labels** from one annotator takes the first label in
  a fixed priority, ``CUE > SOURCE > CONTENT > CLAIM`` (other labels after, in schema
  order). Why a fixed priority rather than "the innermost span": which label a token
  gets should depend only on which labels cover it, never on span lengths, or a
  boundary wobble on one layer (one annotator's CLAIM a token shorter than the CONTENT
  around it, another's as long) flips tokens between labels and reads as disagreement
  on another layer. The order puts the small,
  nested parts of an attribution (its cue, its source) before the content they sit in,
  as a nested attribution inside a quote keeps its own cue and source, and CLAIM last
  because claims are a separate layer that mostly coincides with content;
* **per label**, alpha is one-vs-rest on *membership*: a token is "inside a span of this
  label" or not, for each annotator. No overlap rule is needed there, so a CLAIM inside a
  CONTENT still counts for CLAIM; where no annotator overlaps labels, it equals
  one-vs-rest on the overall labelling.

The maths is ``alpha.alpha_from_counts`` (nominal). Tokens are never listed one by one:
all annotators' span boundaries cut each document into runs of tokens over which every
annotator's spans are the same; runs alike for every annotator add up into one row of
the count matrix, weighted by their number of tokens, which gives exactly the
coincidences of one row per token (``tests/unit/agreement/test_token_alpha.py`` checks
the figures against the ``krippendorff`` package).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement._vec import IntArray, as_int
from annotator.core.agreement.alpha import alpha_from_counts
from annotator.core.agreement.coefficient import Coefficient
from annotator.core.agreement.data import DocAnnotations
from annotator.core.agreement.tokenizer import span_tokens

PRIORITY = ("CUE", "SOURCE", "CONTENT", "CLAIM")
"""Which label a token under spans of several labels takes: the first of these."""

_BITS = 62  # categories per int64 word of a run's membership bits


def priority_order(labels: Sequence[str], priority: Sequence[str] = PRIORITY) -> list[int]:
    """Column indices of ``labels``, most important first: ``priority``, then the rest in
    their own order."""
    rank = {label: position for position, label in enumerate(priority)}
    return sorted(range(len(labels)), key=lambda i: (rank.get(labels[i], len(rank)), i))


@dataclass(frozen=True, slots=True)
class TokenInput:
    """Span token ranges of several documents, with per-document coverage.

    ``n_tokens[d]`` is ``-1`` for a document that was not tokenized (left out).
    ``coverage[d, r]`` says rater ``r`` finished document ``d``. Span arrays are
    parallel; ``[first, stop)`` are token indices within the span's document.
    ``priority`` lists every category index, most important first.
    """

    n_tokens: IntArray
    coverage: NDArray[np.bool_]
    doc: IntArray
    rater: IntArray
    category: IntArray
    first: IntArray
    stop: IntArray
    n_categories: int
    priority: Sequence[int]


@dataclass(frozen=True, slots=True)
class TokenAlpha:
    """Token alpha overall and per category, with the amounts behind them.

    ``overall.n_units`` and ``n_tokens`` are the tokens compared, ``n_judgements`` the
    token judgements; ``judgements[c]`` the token judgements inside category ``c``
    (membership); ``overlaps_resolved`` the judgements the priority decided.
    """

    overall: Coefficient
    per_category: list[Coefficient]
    judgements: list[int]
    n_tokens: int
    n_judgements: int
    overlaps_resolved: int


class TokenGrid:
    """Every counted document cut into runs of tokens over which each annotator's spans
    do not change.

    Built once for all raters; ``alpha(raters)`` then gives the figure for everyone or
    for one pair. A run is described by which labels' spans cover it, per rater (a bit
    mask); runs with the same masks for every rater are the same row of the count
    matrix, so each call adds up token weights per distinct combination (a few hundred)
    and works out labels and counts for those only.
    """

    def __init__(self, data: TokenInput) -> None:
        size = data.n_categories
        n_raters = data.coverage.shape[1]
        used = (data.n_tokens >= 0) & (data.coverage.sum(axis=1) >= 2)
        lengths = np.where(used, data.n_tokens, 0).astype(np.int64)
        base = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        keep = np.zeros(len(data.doc), dtype=bool)
        if len(data.doc):
            keep = used[data.doc] & data.coverage[data.doc, data.rater] & (
                data.stop > data.first)
        doc, rater, category = data.doc[keep], data.rater[keep], data.category[keep]
        begin, end = base[doc] + data.first[keep], base[doc] + data.stop[keep]
        points = _distinct(np.concatenate([base, begin, end]))
        self.size = size
        self.order = np.asarray(list(data.priority), dtype=np.int64)
        self.length = np.diff(points).astype(np.float64)
        runs = len(self.length)
        segment_doc = np.searchsorted(base, points[:-1], side="right") - 1
        self.judged = data.coverage[segment_doc] if runs else np.zeros((0, n_raters), bool)
        # Which labels cover each run, per rater: a bit mask while labels fit in one
        # integer (any real schema), else a boolean matrix.
        self.masks: NDArray[np.int64] | None = None
        self.covered: NDArray[np.bool_] | None = None
        if size <= _BITS:
            self.masks = np.zeros((n_raters, runs), dtype=np.int64)
        else:
            self.covered = np.zeros((n_raters, runs, size), dtype=bool)
        width = len(points) * size
        for r in range(n_raters):
            mine = rater == r
            if not mine.any():
                continue
            opened = np.searchsorted(points, begin[mine]) * size + category[mine]
            closed = np.searchsorted(points, end[mine]) * size + category[mine]
            delta = np.bincount(opened, minlength=width) - np.bincount(closed, minlength=width)
            covered = np.cumsum(delta.reshape(len(points), size), axis=0)[:-1] > 0
            if self.masks is not None:
                for c in range(size):
                    self.masks[r] |= covered[:, c].astype(np.int64) << c
            else:
                assert self.covered is not None
                self.covered[r] = covered

    def alpha(self, raters: Sequence[int] | None = None) -> TokenAlpha:
        """Token alpha among ``raters`` (default all) over the runs two of them judged."""
        chosen = list(range(self.judged.shape[1])) if raters is None else list(raters)
        judged = self.judged[:, chosen].T
        # Runs fewer than two of ``raters`` judged weigh nothing.
        weights = np.where(judged.sum(axis=0) >= 2, self.length, 0.0)
        symbols = (1 << self.size) + 1  # a mask, or "did not judge"
        if self.masks is not None and symbols ** len(chosen) < 2**62:
            key = np.zeros(len(weights), dtype=np.int64)
            for column, r in enumerate(chosen):
                key = key * symbols + np.where(judged[column], self.masks[r], symbols - 1)
            if symbols ** len(chosen) <= 1 << 20:
                weight = np.bincount(key, weights=weights)
                keys = np.flatnonzero(weight)
                weight = weight[keys]
            else:
                keys, inverse = np.unique(key, return_inverse=True)
                weight = np.bincount(inverse.ravel(), weights=weights, minlength=len(keys))
            digits = (keys[None, :] // symbols ** np.arange(len(chosen) - 1, -1, -1,
                                                            dtype=np.int64)[:, None]) % symbols
            judged = digits != symbols - 1
            covered = ((digits[:, :, None] >> np.arange(self.size)) & 1).astype(bool)
            return _figures(covered & judged[:, :, None], judged, weight, self.order)
        if self.masks is not None:
            covered = ((self.masks[chosen][:, :, None] >> np.arange(self.size)) & 1).astype(bool)
        else:
            assert self.covered is not None
            covered = self.covered[chosen]
        return _figures(covered & judged[:, :, None], judged, weights, self.order)


def _figures(covered: NDArray[np.bool_], judged: NDArray[np.bool_],
             weights: NDArray[np.float64], order: IntArray) -> TokenAlpha:
    """Token alpha of rows of runs: ``covered[r, u, c]`` (rater ``r``'s spans of category
    ``c`` cover row ``u``), ``judged[r, u]``, each row standing for ``weights[u]`` tokens.
    """
    n_raters, n_rows, size = covered.shape
    labels = np.full((n_raters, n_rows), size, dtype=np.int64)
    for c in order[::-1].tolist():  # the most important label is written last
        labels[covered[:, :, c]] = c
    counts = np.zeros((n_rows, size + 1), dtype=np.float64)
    for r in range(n_raters):
        on = np.flatnonzero(judged[r])
        counts[on, labels[r, on]] += 1.0
    total = judged.sum(axis=0).astype(np.float64)
    inside = covered.sum(axis=0).astype(np.float64)  # rows x categories
    overlaps = ((covered.sum(axis=2) >= 2) & judged).sum(axis=0) @ weights
    return TokenAlpha(
        overall=alpha_from_counts(counts, "nominal", weights=weights),
        per_category=[
            alpha_from_counts(np.column_stack([inside[:, c], total - inside[:, c]]),
                              "nominal", weights=weights)
            for c in range(size)
        ],
        judgements=[int(round(value)) for value in (weights @ inside).tolist()],
        n_tokens=int(round(float(weights[total >= 2].sum()))),
        n_judgements=int(round(float(total @ weights))),
        overlaps_resolved=int(round(float(overlaps))),
    )


def _distinct(values: IntArray) -> IntArray:
    """Sorted distinct values (``np.unique`` hashes first, several times slower here)."""
    ordered = np.sort(values)
    fresh = np.ones(len(ordered), dtype=bool)
    fresh[1:] = ordered[1:] != ordered[:-1]
    return ordered[fresh]


def token_alpha(
    units: Iterable[tuple[Hashable, int, int, str]],
    *,
    n_tokens: int,
    raters: Sequence[Hashable] | None = None,
    labels: Sequence[str] | None = None,
    priority: Sequence[str] = PRIORITY,
) -> tuple[TokenAlpha, list[str]]:
    """Token alpha of one document every rater judged in full.

    ``units`` are ``(rater, first, stop, label)`` with ``[first, stop)`` token indices.
    Give ``raters`` when one marked nothing (they still judged every token "none"), and
    ``labels`` to fix the categories (default: the labels met, sorted). Returns the
    figures and the category of each ``per_category`` entry.
    """
    rows = list(units)
    names = list(raters) if raters is not None else list(dict.fromkeys(r[0] for r in rows))
    categories = list(labels) if labels is not None else sorted({row[3] for row in rows})
    rater_index = {name: index for index, name in enumerate(names)}
    label_index = {name: index for index, name in enumerate(categories)}
    for _, first, stop, _ in rows:
        if not 0 <= first <= stop <= n_tokens:
            raise ValueError(f"tokens [{first}, {stop}) outside the document")
    data = TokenInput(
        n_tokens=as_int([n_tokens]),
        coverage=np.ones((1, len(names)), dtype=bool),
        doc=as_int([0] * len(rows)),
        rater=as_int([rater_index[row[0]] for row in rows]),
        category=as_int([label_index[row[3]] for row in rows]),
        first=as_int([row[1] for row in rows]),
        stop=as_int([row[2] for row in rows]),
        n_categories=len(categories),
        priority=priority_order(categories, priority),
    )
    return TokenGrid(data).alpha(), categories


def with_tokens(doc: DocAnnotations, text: str) -> DocAnnotations:
    """``doc`` with its token count and every span's token range filled in from ``text``.

    For callers that hold the text (tests, one document in the adjudication view); the
    store does the same for a whole page of documents at once. Spans outside the text
    are left as they are (the report counts them as invalid).
    """
    spans = [(name, index, span) for name, work in doc.annotators.items()
             for index, span in enumerate(work.spans) if 0 <= span.start < span.end <= len(text)]
    n_tokens, first, stop = span_tokens(
        [text], as_int([0] * len(spans)), as_int([s.start for _, _, s in spans]),
        as_int([s.end for _, _, s in spans]))
    placed = {(name, index): (int(a), int(b)) for (name, index, _), a, b in
              zip(spans, first.tolist(), stop.tolist(), strict=True)}
    works = {}
    for name, work in doc.annotators.items():
        new_spans = []
        for index, span in enumerate(work.spans):
            where = placed.get((name, index))
            new_spans.append(span if where is None else
                             replace(span, token_start=where[0], token_end=where[1]))
        works[name] = replace(work, spans=new_spans)
    return replace(doc, annotators=works, n_tokens=int(n_tokens[0]))
