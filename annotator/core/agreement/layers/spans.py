"""Spans: F1 exact and overlap, unitizing alpha and token alpha, overall, per label, per pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.core.agreement._vec import IntArray, cross_pairs, multiset_matches
from annotator.core.agreement.corpus import Corpus, FloatArray, PairFigures
from annotator.core.agreement.spans import (
    UnitizingInput,
    f1_figures,
    match_spans,
    pooled,
    unitizing_components,
)
from annotator.core.agreement.token_alpha import TokenAlpha, TokenGrid, TokenInput, priority_order


@dataclass
class _SpanPair:
    """What one annotator pair's span comparison yields, by label and by document."""

    n_first: FloatArray
    n_second: FloatArray
    exact: FloatArray
    overlap: FloatArray
    doc_exact: FloatArray
    doc_overlap: FloatArray
    doc_size: FloatArray
    span_map: IntArray


def _overlap_matching(
    corpus: Corpus, first: IntArray, second: IntArray
) -> tuple[IntArray, IntArray]:
    """One-to-one maximum overlap matching of two sides' spans, label by label.

    Isolated overlapping pairs (the common case) are taken directly; only a (document,
    label) group with a span overlapping several goes through ``match_spans``.
    """
    n_labels = max(len(corpus.span_labels), 1)
    key_first = corpus.span_doc[first] * n_labels + corpus.span_label[first]
    key_second = corpus.span_doc[second] * n_labels + corpus.span_label[second]
    left, right = cross_pairs(key_first, key_second)
    a, b = first[left], second[right]
    start, end = corpus.span_start, corpus.span_end
    keep = (start[a] < end[b]) & (start[b] < end[a])
    left, right, a, b = left[keep], right[keep], a[keep], b[keep]
    degree_first = np.bincount(left, minlength=len(first))
    degree_second = np.bincount(right, minlength=len(second))
    simple = (degree_first[left] == 1) & (degree_second[right] == 1)
    tangled = np.unique(key_first[left[~simple]])
    if len(tangled) == 0:
        return a, b
    easy = simple & ~np.isin(key_first[left], tangled)
    chosen_a, chosen_b = [a[easy]], [b[easy]]
    order_first = np.argsort(key_first, kind="stable")
    order_second = np.argsort(key_second, kind="stable")
    sorted_first, sorted_second = key_first[order_first], key_second[order_second]
    for key in tangled:
        members_a = first[
            order_first[
                np.searchsorted(sorted_first, key) : np.searchsorted(sorted_first, key, "right")
            ]
        ]
        members_b = second[
            order_second[
                np.searchsorted(sorted_second, key) : np.searchsorted(sorted_second, key, "right")
            ]
        ]
        pairs = match_spans(
            list(zip(start[members_a].tolist(), end[members_a].tolist(), strict=True)),
            list(zip(start[members_b].tolist(), end[members_b].tolist(), strict=True)),
            "overlap",
        )
        chosen_a.append(members_a[[i for i, _ in pairs]].astype(np.int64))
        chosen_b.append(members_b[[j for _, j in pairs]].astype(np.int64))
    return np.concatenate(chosen_a), np.concatenate(chosen_b)


def _span_pair(corpus: Corpus, first: int, second: int) -> _SpanPair:
    both = corpus.coverage[:, first] & corpus.coverage[:, second]
    labels = len(corpus.span_labels)
    docs = corpus.n_docs
    side_a = np.flatnonzero((corpus.span_annotator == first) & both[corpus.span_doc])
    side_b = np.flatnonzero((corpus.span_annotator == second) & both[corpus.span_doc])

    def keys(side: IntArray) -> IntArray:
        return np.column_stack(
            [
                corpus.span_doc[side],
                corpus.span_label[side],
                corpus.span_start[side],
                corpus.span_end[side],
            ]
        )

    matches, representative = multiset_matches(keys(side_a), keys(side_b))
    exact_rows = side_a[representative]
    pair_a, pair_b = _overlap_matching(corpus, side_a, side_b)
    span_map = np.full(len(corpus.span_doc), -1, dtype=np.int64)
    span_map[pair_a] = pair_b
    return _SpanPair(
        n_first=np.bincount(corpus.span_label[side_a], minlength=labels).astype(float),
        n_second=np.bincount(corpus.span_label[side_b], minlength=labels).astype(float),
        exact=np.bincount(corpus.span_label[exact_rows], weights=matches, minlength=labels),
        overlap=np.bincount(corpus.span_label[pair_a], minlength=labels).astype(float),
        doc_exact=np.bincount(corpus.span_doc[exact_rows], weights=matches, minlength=docs),
        doc_overlap=np.bincount(corpus.span_doc[pair_a], minlength=docs).astype(float),
        doc_size=(
            np.bincount(corpus.span_doc[side_a], minlength=docs)
            + np.bincount(corpus.span_doc[side_b], minlength=docs)
        ).astype(float),
        span_map=span_map,
    )


def _unitizing_input(corpus: Corpus) -> UnitizingInput:
    return UnitizingInput(
        doc_length=corpus.doc_length,
        coverage=corpus.coverage,
        doc=corpus.span_doc,
        rater=corpus.span_annotator,
        category=corpus.span_label,
        start=corpus.span_start,
        end=corpus.span_end,
        n_categories=len(corpus.span_labels),
    )


def span_section(
    corpus: Corpus,
) -> tuple[dict[str, Any], PairFigures, FloatArray, dict[tuple[int, int], IntArray]]:
    labels = corpus.span_labels
    size = len(labels)
    unitizing = _unitizing_input(corpus)
    per_category, continuum, merged = unitizing_components(unitizing)
    alpha_u, _, _ = pooled(per_category)
    grid = _token_grid(corpus)
    tokens = grid.alpha()
    totals = {name: np.zeros(size) for name in ("compared", "exact", "overlap")}
    doc_exact = np.zeros(corpus.n_docs)
    doc_overlap = np.zeros(corpus.n_docs)
    doc_size = np.zeros(corpus.n_docs)
    per_pair: PairFigures = {}
    span_maps: dict[tuple[int, int], IntArray] = {}
    for first, second in corpus.pairs():
        result = _span_pair(corpus, first, second)
        span_maps[(first, second)] = result.span_map
        compared = result.n_first + result.n_second
        totals["compared"] += compared
        totals["exact"] += result.exact
        totals["overlap"] += result.overlap
        doc_exact += result.doc_exact
        doc_overlap += result.doc_overlap
        doc_size += result.doc_size
        pair_categories, _, _ = unitizing_components(unitizing, [first, second])
        pair_alpha, _, _ = pooled(pair_categories)
        pair_tokens = grid.alpha([first, second])
        per_pair[(first, second)] = {
            **f1_figures(compared.sum(), exact=result.exact.sum(), overlap=result.overlap.sum()),
            "alpha_u": pair_alpha,
            **_token_block(pair_tokens),
            "per_label": {
                label: {
                    **f1_figures(compared[i], exact=result.exact[i], overlap=result.overlap[i]),
                    "alpha_u": pair_categories[i].alpha,
                    "n_units_alpha_u": pair_categories[i].n_units,
                    **_token_block(pair_tokens, i),
                }
                for i, label in enumerate(labels)
            },
        }
    n_spans = np.bincount(corpus.span_label, minlength=size)
    per_label = {
        label: {
            **f1_figures(totals["compared"][i], exact=totals["exact"][i],
                         overlap=totals["overlap"][i]),
            "alpha_u": per_category[i].alpha,
            "alpha_u_observed": per_category[i].observed,
            "alpha_u_expected": per_category[i].expected,
            "n_units_alpha_u": per_category[i].n_units,
            **_token_block(tokens, i),
            "n_spans": int(n_spans[i]),
        }
        for i, label in enumerate(labels)
    }
    micro = {
        **f1_figures(totals["compared"].sum(), exact=totals["exact"].sum(),
                     overlap=totals["overlap"].sum()),
        "alpha_u": alpha_u,
        "n_units_alpha_u": sum(item.n_units for item in per_category),
        "n_spans": int(n_spans.sum()),
        "continuum_length": continuum,
        "spans_merged_for_alpha_u": merged,
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        f1_mean = np.where(doc_size > 0, (doc_exact + doc_overlap) / doc_size, 1.0)
    section = {
        "labels": labels,
        "micro": micro,
        **_token_block(tokens),
        "token_label_priority": [labels[i] for i in priority_order(labels)],
        "token_overlaps_resolved": tokens.overlaps_resolved,
        "per_label": per_label,
    }
    return section, per_pair, 1.0 - f1_mean, span_maps


def _token_grid(corpus: Corpus) -> TokenGrid:
    """Token runs of the counted, tokenized documents (see ``token_alpha``)."""
    return TokenGrid(
        TokenInput(
            n_tokens=corpus.doc_tokens,
            coverage=corpus.coverage,
            doc=corpus.span_doc,
            rater=corpus.span_annotator,
            category=corpus.span_label,
            first=corpus.span_token_start,
            stop=corpus.span_token_end,
            n_categories=len(corpus.span_labels),
            priority=priority_order(corpus.span_labels),
        )
    )


def _token_block(result: TokenAlpha, category: int | None = None) -> dict[str, Any]:
    """``token_alpha`` with ``n_tokens`` and ``n_judgements``, overall or for one label."""
    if category is None:
        return {
            "token_alpha": result.overall.value,
            "n_tokens": result.n_tokens,
            "n_judgements": result.n_judgements,
        }
    return {
        "token_alpha": result.per_category[category].value,
        "n_tokens": result.n_tokens,
        "n_judgements": result.judgements[category],
    }

