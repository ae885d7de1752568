"""Document labels: alpha per label (ordinal on ordered scales), and per pair."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from annotator.core.agreement.alpha import alpha_from_counts
from annotator.core.agreement.coefficient import ratio
from annotator.core.agreement.corpus import Corpus, FloatArray, PairFigures, value_counts


def doc_label_section(corpus: Corpus) -> tuple[dict[str, Any], PairFigures, FloatArray]:
    section: dict[str, Any] = {}
    per_pair: PairFigures = defaultdict(dict)
    distance_sum = np.zeros(corpus.n_docs)
    distance_count = np.zeros(corpus.n_docs)
    for name, values in corpus.doc_label_values.items():
        matrix = corpus.doc_label_matrix[name]
        ordinal = corpus.doc_label_ordinal[name]
        metric = "ordinal" if ordinal else "nominal"
        size = max(len(values), 1)
        counts = value_counts(matrix, size)
        alpha = alpha_from_counts(counts, metric)
        entry: dict[str, Any] = {
            "alpha": alpha.value,
            "metric": metric,
            "values": values,
            "n_units": alpha.n_units,
            "n_values": alpha.n_values,
        }
        if ordinal:
            entry["alpha_nominal"] = alpha_from_counts(counts, "nominal").value
        section[name] = entry
        for first, second in corpus.pairs():
            left, right = matrix[:, first], matrix[:, second]
            both = np.flatnonzero((left >= 0) & (right >= 0))
            if ordinal:
                distance = np.abs(left[both] - right[both]) / max(size - 1, 1)
            else:
                distance = (left[both] != right[both]).astype(float)
            distance_sum += np.bincount(both, weights=distance, minlength=corpus.n_docs)
            distance_count += np.bincount(both, minlength=corpus.n_docs)
            pair_alpha = alpha_from_counts(value_counts(matrix[:, [first, second]], size), metric)
            per_pair[(first, second)][name] = {
                "alpha": pair_alpha.value,
                "agreement": ratio(float(np.count_nonzero(left[both] == right[both])), len(both)),
                "n_units": len(both),
            }
    with np.errstate(invalid="ignore", divide="ignore"):
        doc_disagreement = np.where(distance_count > 0, distance_sum / distance_count, np.nan)
    return section, per_pair, doc_disagreement

