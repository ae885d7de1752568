"""The agreement report over a corpus: collect, measure each layer, rank the documents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from annotator.core.agreement.coefficient import clean
from annotator.core.agreement.columns import WorkColumns
from annotator.core.agreement.corpus import Corpus, FloatArray, collect
from annotator.core.agreement.data import DEFAULT_BLOCK_LABEL, DocAnnotations
from annotator.core.agreement.definitions import DEFINITIONS, SCHEMA_VERSION
from annotator.core.agreement.layers.blocks import block_section
from annotator.core.agreement.layers.doc_labels import doc_label_section
from annotator.core.agreement.layers.relations import relation_section
from annotator.core.agreement.layers.spans import span_section
from annotator.core.vocabulary import Layer


def _documents(corpus: Corpus, layers: Mapping[str, FloatArray]) -> list[dict[str, Any]]:
    names = list(layers)
    stacked = np.vstack([layers[name] for name in names]) if corpus.n_docs else np.zeros((0, 0))
    counted = np.sum(~np.isnan(stacked), axis=0) if corpus.n_docs else np.zeros(0)
    with np.errstate(invalid="ignore"):
        score = np.where(counted > 0, np.nansum(stacked, axis=0) / np.maximum(counted, 1), np.nan)
    ranking = np.nan_to_num(score, nan=-1.0).tolist()
    order = sorted(range(corpus.n_docs), key=lambda d: (-ranking[d], corpus.doc_ids[d]))
    rows = stacked.T.tolist()
    annotators = corpus.annotators
    coverage = corpus.coverage.tolist()
    documents = []
    for d in order:
        values = rows[d]
        documents.append(
            {
                "id": corpus.doc_ids[d],
                "title": corpus.titles[d],
                "disagreement": clean(score[d]),
                "annotators": [
                    name for name, on in zip(annotators, coverage[d], strict=True) if on
                ],
                "n_blocks": int(corpus.n_blocks[d]),
                "layers": {name: clean(values[i]) for i, name in enumerate(names)},
            }
        )
    return documents


def build(
    docs: Iterable[DocAnnotations] | WorkColumns,
    *,
    annotators: Sequence[str] | None = None,
    block_labels: Sequence[str],
    ordinal_values: Mapping[str, Sequence[str]],
    span_labels: Sequence[str] | None = None,
    relation_labels: Sequence[str] | None = None,
    default_block_label: str = DEFAULT_BLOCK_LABEL,
) -> dict[str, Any]:
    """The agreement report as a JSON-serialisable dict (the rules: ``report``'s docstring).

    ``docs`` are ``DocAnnotations`` or, from the store, the same as columns.

    ``annotators`` limits and orders who is compared (default: everyone with work on the
    documents, sorted, except ``gold`` and ``suggestions``). ``block_labels`` and
    ``span_labels`` list the schema's labels so unused ones still appear; labels met
    outside them are added.
    ``ordinal_values`` gives, per document label, its values in scale order: those get
    ordinal alpha, other document labels nominal.
    """
    corpus = collect(
        docs,
        annotators,
        block_labels,
        ordinal_values,
        span_labels,
        relation_labels,
        default_block_label,
    )
    blocks, block_pairs, block_docs = block_section(corpus)
    spans, span_pairs, span_docs, span_maps = span_section(corpus)
    relations, relation_pairs, relation_docs = relation_section(corpus, span_maps)
    doc_labels, label_pairs, label_docs = doc_label_section(corpus)
    corpus.excluded["spans_merged_for_alpha_u"] = spans["micro"]["spans_merged_for_alpha_u"]

    pairs = []
    for first, second in corpus.pairs():
        shared = corpus.coverage[:, first] & corpus.coverage[:, second]
        pairs.append(
            {
                "annotators": [corpus.annotators[first], corpus.annotators[second]],
                "n_documents": int(np.count_nonzero(shared)),
                "blocks": block_pairs[(first, second)],
                "spans": span_pairs[(first, second)],
                "relations": relation_pairs[(first, second)],
                "doc_labels": label_pairs.get((first, second), {}),
            }
        )
    documents = _documents(
        corpus,
        {
            Layer.BLOCKS.value: block_docs,
            Layer.SPANS.value: span_docs,
            Layer.RELATIONS.value: relation_docs,
            Layer.DOC_LABELS.value: label_docs,
        },
    )
    done_counts = (
        corpus.coverage.sum(axis=0).tolist() if corpus.n_docs else [0] * len(corpus.annotators)
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "annotators": corpus.annotators,
        "documents_by_annotator": dict(zip(corpus.annotators, map(int, done_counts), strict=True)),
        "documents_done_by_annotator": {name: corpus.done_anywhere[name]
                                        for name in corpus.annotators},
        "n_documents": corpus.n_docs,
        "excluded": corpus.excluded,
        "blocks": blocks,
        "spans": spans,
        "relations": relations,
        "doc_labels": doc_labels,
        "pairs": pairs,
        "documents": documents,
        "definitions": dict(DEFINITIONS),
    }

