"""Blocks: alpha, AC1 and per-label alpha overall; kappa and a confusion matrix per pair."""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator.core.agreement.alpha import alpha_from_counts, one_vs_rest_counts
from annotator.core.agreement.chance import cohen_kappa, gwet_ac1, percent_agreement
from annotator.core.agreement.corpus import Corpus, FloatArray, PairFigures, value_counts


def block_section(corpus: Corpus) -> tuple[dict[str, Any], PairFigures, FloatArray]:
    labels = corpus.block_labels
    size = len(labels)
    counts = value_counts(corpus.block_values, size)
    alpha = alpha_from_counts(counts, "nominal")
    ac1 = gwet_ac1(counts, n_categories=max(size, 1))
    observed = percent_agreement(counts)
    per_label = {}
    for column, label in enumerate(labels):
        one = alpha_from_counts(one_vs_rest_counts(counts, column), "nominal")
        per_label[label] = {
            "alpha": one.value,
            "n_units": one.n_units,
            "n_judgements": int(counts[:, column].sum()),
        }

    confusion = np.zeros((size, size), dtype=np.int64)
    per_pair: PairFigures = {}
    agree_doc = np.zeros(corpus.n_docs)
    judged_doc = np.zeros(corpus.n_docs)
    for first, second in corpus.pairs():
        left = corpus.block_values[:, first]
        right = corpus.block_values[:, second]
        both = (left >= 0) & (right >= 0)
        table = np.bincount(left[both] * size + right[both], minlength=size * size).reshape(
            size, size
        )
        confusion += table + table.T
        kappa = cohen_kappa(table)
        per_pair[(first, second)] = {
            "kappa": kappa.value,
            "percent_agreement": kappa.observed,
            "n_units": kappa.n_units,
            "confusion": {"labels": labels, "matrix": table.tolist()},
        }
        docs = corpus.block_doc[both]
        agree_doc += np.bincount(
            docs, weights=(left[both] == right[both]).astype(float), minlength=corpus.n_docs
        )
        judged_doc += np.bincount(docs, minlength=corpus.n_docs)
    confusion[np.diag_indices_from(confusion)] //= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        doc_disagreement = np.where(judged_doc > 0, 1.0 - agree_doc / judged_doc, np.nan)
    section = {
        "alpha": alpha.value,
        "ac1": ac1.value,
        "percent_agreement": observed.value,
        "n_units": alpha.n_units,
        "n_judgements": alpha.n_values,
        "n_documents": int(np.count_nonzero(corpus.n_blocks)),
        "n_categories": size,
        "labels": labels,
        "unknown_labels": corpus.unknown_block_labels,
        "per_label": per_label,
        "confusion": {
            "labels": labels,
            "matrix": confusion.tolist(),
            "n_pairs": int(np.triu(confusion).sum()),
        },
    }
    return section, per_pair, doc_disagreement

