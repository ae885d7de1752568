"""Relations: F1 between identical spans (strict) and through the span matching."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from annotator.core.agreement._vec import IntArray, multiset_matches
from annotator.core.agreement.corpus import Corpus, FloatArray, PairFigures
from annotator.core.agreement.relations import matched_relation_keys
from annotator.core.agreement.spans import f1_figures


def relation_section(
    corpus: Corpus, span_maps: Mapping[tuple[int, int], IntArray]
) -> tuple[dict[str, Any], PairFigures, FloatArray]:
    labels = corpus.relation_labels
    size = len(labels)
    docs = corpus.n_docs
    head, child = corpus.relation_head, corpus.relation_child

    def strict_keys(side: IntArray) -> IntArray:
        h, c = head[side], child[side]
        return np.column_stack(
            [
                corpus.relation_doc[side],
                corpus.span_start[h],
                corpus.span_end[h],
                corpus.span_label[h],
                corpus.span_start[c],
                corpus.span_end[c],
                corpus.span_label[c],
                corpus.relation_label[side],
            ]
        )

    compared, strict, matched = np.zeros(size), np.zeros(size), np.zeros(size)
    doc_matched, doc_size = np.zeros(docs), np.zeros(docs)
    per_pair: PairFigures = {}
    for first, second in corpus.pairs():
        both = corpus.coverage[:, first] & corpus.coverage[:, second]
        side_a = np.flatnonzero((corpus.relation_annotator == first) & both[corpus.relation_doc])
        side_b = np.flatnonzero((corpus.relation_annotator == second) & both[corpus.relation_doc])
        pair_compared = (
            np.bincount(corpus.relation_label[side_a], minlength=size)
            + np.bincount(corpus.relation_label[side_b], minlength=size)
        ).astype(float)
        count, rows = multiset_matches(strict_keys(side_a), strict_keys(side_b))
        pair_strict = np.bincount(
            corpus.relation_label[side_a[rows]], weights=count, minlength=size
        )
        mapped, usable = matched_relation_keys(
            head[side_a], child[side_a], corpus.relation_label[side_a], span_maps[(first, second)]
        )
        own = np.column_stack([head[side_b], child[side_b], corpus.relation_label[side_b]])
        count_m, rows_m = multiset_matches(mapped, own)
        hit = side_a[usable[rows_m]]
        pair_matched = np.bincount(corpus.relation_label[hit], weights=count_m, minlength=size)
        doc_matched += np.bincount(corpus.relation_doc[hit], weights=count_m, minlength=docs)
        doc_size += np.bincount(corpus.relation_doc[side_a], minlength=docs) + np.bincount(
            corpus.relation_doc[side_b], minlength=docs
        )
        compared += pair_compared
        strict += pair_strict
        matched += pair_matched
        per_pair[(first, second)] = {
            **f1_figures(pair_compared.sum(), strict=pair_strict.sum(), matched=pair_matched.sum()),
            "per_label": {
                label: f1_figures(pair_compared[i], strict=pair_strict[i], matched=pair_matched[i])
                for i, label in enumerate(labels)
            },
        }
    n_relations = np.bincount(corpus.relation_label, minlength=size)
    section = {
        **f1_figures(compared.sum(), strict=strict.sum(), matched=matched.sum()),
        "n_relations": int(n_relations.sum()),
        "labels": labels,
        "per_label": {
            label: {
                **f1_figures(compared[i], strict=strict[i], matched=matched[i]),
                "n_relations": int(n_relations[i]),
            }
            for i, label in enumerate(labels)
        },
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        doc_disagreement = np.where(doc_size > 0, 1.0 - 2.0 * doc_matched / doc_size, 0.0)
    return section, per_pair, doc_disagreement

