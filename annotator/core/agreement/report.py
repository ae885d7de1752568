"""The agreement report: every layer, overall, per label, per annotator pair, per document.

``build`` turns the store's plain ``DocAnnotations`` into one JSON-ready dict. What counts:

* a document counts when at least two (selected) annotators marked it ``done``; only those
  annotators count on it. Everything left out is counted under ``excluded``;
* on a done document an unmarked block is ``content`` (the annotator saw it and left it);
* spans must lie inside the text and be non-empty; relations must join two of the same
  annotator's counted spans;
* token alpha (``token_alpha``) needs the document's token count and its spans' token
  ranges, which readers holding the text fill in; a counted document without them is
  left out of token alpha only (``excluded.documents_without_tokens``).

Every figure sits beside the number of units behind it (``n_units``, ``n_compared``...),
and an undefined figure is ``None``, never NaN. The whole corpus is flattened into NumPy
arrays once, so ten thousand documents by three annotators take a few seconds.

The per-document **disagreement score** ranks documents for adjudication. It is the mean,
over the layers that apply to the document, of one minus the pairwise agreement there:

* blocks: 1 - share of (block, annotator pair) judgements that agree;
* spans: 1 - (F1 exact + F1 overlap) / 2, pooled over pairs and labels, so a boundary
  quibble costs half as much as a missed span; no spans from anyone counts as agreement;
* relations: 1 - F1 through the span matching; no relations from anyone is agreement;
* document labels: mean distance over (label, pair): 0/1 for nominal labels, the rank
  difference divided by (scale length - 1) for ordinal ones.

It lies in [0, 1]: 0 when everyone agrees on everything, 1 when they agree on nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement._vec import IntArray, as_int, cross_pairs, multiset_matches
from annotator.core.agreement.alpha import alpha_from_counts, one_vs_rest_counts
from annotator.core.agreement.chance import cohen_kappa, gwet_ac1, percent_agreement
from annotator.core.agreement.coefficient import clean, ratio
from annotator.core.agreement.columns import WorkColumns, from_documents
from annotator.core.agreement.data import (
    DEFAULT_BLOCK_LABEL,
    DONE,
    RESERVED_ANNOTATORS,
    DocAnnotations,
)
from annotator.core.agreement.relations import matched_relation_keys
from annotator.core.agreement.spans import (
    UnitizingInput,
    f1_score,
    match_spans,
    pooled,
    unitizing_components,
)
from annotator.core.agreement.token_alpha import (
    PRIORITY,
    TokenAlpha,
    TokenGrid,
    TokenInput,
    priority_order,
)

SCHEMA_VERSION = 1

FloatArray = NDArray[np.float64]

DEFINITIONS = {
    "blocks.alpha": "Krippendorff's alpha, nominal, over blocks of counted documents",
    "blocks.ac1": "Gwet's AC1, Q = number of block labels in the schema",
    "blocks.per_label.alpha": "alpha on this label against all others (one-vs-rest)",
    "blocks.confusion": (
        "symmetric; each pair of judgements on one block by two annotators counted once: "
        "on the diagonal when they agree, in both [i][j] and [j][i] when they differ"
    ),
    "spans.f1_exact": "2 * one-to-one matches with identical offsets and label / all spans",
    "spans.f1_overlap": "2 * one-to-one matches sharing a character and the label / all spans",
    "spans.alpha_u": (
        "Krippendorff's unitizing alpha (1995/2004; DKPro Agreement form): compares the "
        "annotators' character ranges per label, a boundary difference weighted by its "
        "squared length, the gaps between spans included; n_units_alpha_u = spans"
    ),
    "spans.token_alpha": (
        "token-wise Krippendorff's alpha, nominal, tokens as units: each annotator gives each "
        "token of a document done by at least two annotators the label of the span covering "
        "it, or 'none'; a span covers every token it shares a character with. Tokens: "
        "spaCy's English tokenizer rules on prose (the export's tokenizer, restated without "
        "spaCy; whitespace is never a token). A token under spans of several labels takes "
        "the first of " + " > ".join(PRIORITY) + " (then other labels in schema order). "
        "n_tokens = tokens of the documents compared, n_judgements = tokens x annotators"
    ),
    "spans.per_label.token_alpha": (
        "token alpha of one label against the rest: each annotator's token is inside a span "
        "of this label or not (no overlap rule needed); n_judgements = token judgements "
        "inside this label"
    ),
    "spans.token_alpha_vs_alpha_u": (
        "different measures of the same spans, not interchangeable: token alpha asks token "
        "by token whether two annotators gave the same label, so a one-token boundary slip "
        "costs one token; alpha_u compares the spans as character ranges. Compare token "
        "alpha with corpora that publish token-wise alpha (PARC 3.0, PolNeAR), alpha_u with "
        "those that publish unitizing alpha (Krippendorff's alpha_u, DKPro Agreement)"
    ),
    "relations.f1_strict": "relations between identical spans with the same label",
    "relations.f1_matched": "relations between spans paired by the overlap matching",
    "doc_labels.alpha": "Krippendorff's alpha; ordinal for ordered scales, else nominal",
    "documents.disagreement": (
        "mean over applicable layers of 1 - pairwise agreement (blocks: share agreeing; "
        "spans: mean of F1 exact and overlap; relations: matched F1; document labels: "
        "rank distance); 0 = full agreement"
    ),
}


@dataclass
class _Corpus:
    """The counted documents flattened into parallel arrays."""

    annotators: list[str]
    doc_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    doc_length: IntArray = field(default_factory=lambda: as_int([]))
    n_blocks: IntArray = field(default_factory=lambda: as_int([]))
    coverage: NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    done_anywhere: Counter[str] = field(default_factory=Counter)  # counted or not
    block_labels: list[str] = field(default_factory=list)
    unknown_block_labels: list[str] = field(default_factory=list)
    block_values: IntArray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))
    block_doc: IntArray = field(default_factory=lambda: as_int([]))
    span_labels: list[str] = field(default_factory=list)
    span_doc: IntArray = field(default_factory=lambda: as_int([]))
    span_annotator: IntArray = field(default_factory=lambda: as_int([]))
    span_label: IntArray = field(default_factory=lambda: as_int([]))
    span_start: IntArray = field(default_factory=lambda: as_int([]))
    span_end: IntArray = field(default_factory=lambda: as_int([]))
    span_token_start: IntArray = field(default_factory=lambda: as_int([]))
    span_token_end: IntArray = field(default_factory=lambda: as_int([]))
    doc_tokens: IntArray = field(default_factory=lambda: as_int([]))
    """Tokens per counted document; -1 when it has none (left out of token alpha)."""
    relation_labels: list[str] = field(default_factory=list)
    relation_doc: IntArray = field(default_factory=lambda: as_int([]))
    relation_annotator: IntArray = field(default_factory=lambda: as_int([]))
    relation_head: IntArray = field(default_factory=lambda: as_int([]))
    relation_child: IntArray = field(default_factory=lambda: as_int([]))
    relation_label: IntArray = field(default_factory=lambda: as_int([]))
    doc_label_values: dict[str, list[str]] = field(default_factory=dict)
    doc_label_ordinal: dict[str, bool] = field(default_factory=dict)
    doc_label_matrix: dict[str, IntArray] = field(default_factory=dict)
    excluded: dict[str, Any] = field(default_factory=dict)

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    def pairs(self) -> list[tuple[int, int]]:
        count = len(self.annotators)
        return [(first, second) for first in range(count) for second in range(first + 1, count)]


def _choose_annotators(
    docs: Sequence[DocAnnotations], annotators: Sequence[str] | None
) -> list[str]:
    """The given annotators, or everyone with work in ``docs`` except gold/suggestions.

    Someone with nothing finished stays listed (with zero documents) so that their
    unfinished work shows under ``excluded.works_not_done`` rather than vanishing.
    """
    if annotators is not None:
        return list(dict.fromkeys(annotators))
    names = {name for doc in docs for name in doc.annotators if name not in RESERVED_ANNOTATORS}
    return sorted(names)


def _index(names: list[str], name: str) -> int:
    """Position of ``name`` in ``names``, appending it when new (labels outside the schema)."""
    try:
        return names.index(name)
    except ValueError:
        names.append(name)
        return len(names) - 1


def _collect(
    docs: Iterable[DocAnnotations] | WorkColumns,
    annotators: Sequence[str] | None,
    block_labels: Sequence[str],
    ordinal_values: Mapping[str, Sequence[str]],
    span_labels: Sequence[str] | None,
    relation_labels: Sequence[str] | None,
    default_block_label: str,
) -> _Corpus:
    """Decide what counts, count what does not, and flatten it into arrays.

    Works on columns (``core.agreement.columns``): the store gives them directly, and
    ``DocAnnotations`` are turned into them first, so there is one set of rules. Rows
    are taken in (document, annotator position, given order), the order a loop over
    documents, their annotators and their labels would meet them.
    """
    cols = docs if isinstance(docs, WorkColumns) else from_documents(list(docs))
    corpus = _Corpus(annotators=list(dict.fromkeys(annotators)) if annotators is not None
                     else sorted(set(cols.work_name) - RESERVED_ANNOTATORS))
    annotator_index = {name: position for position, name in enumerate(corpus.annotators)}
    corpus.block_labels = list(dict.fromkeys(block_labels))
    default = _index(corpus.block_labels, default_block_label)
    block_index = {name: position for position, name in enumerate(corpus.block_labels)}
    corpus.span_labels = list(dict.fromkeys(span_labels or []))
    span_index = {name: position for position, name in enumerate(corpus.span_labels)}
    corpus.relation_labels = list(dict.fromkeys(relation_labels or []))
    relation_index = {name: position for position, name in enumerate(corpus.relation_labels)}
    for name, scale in ordinal_values.items():
        corpus.doc_label_values[name] = list(dict.fromkeys(scale))
        corpus.doc_label_ordinal[name] = True
    value_index = {
        name: {value: rank for rank, value in enumerate(scale)}
        for name, scale in corpus.doc_label_values.items()
    }
    counts: Counter[str] = Counter()

    # Works: who is selected, who finished, which documents two of them finished.
    n_all = len(cols.doc_ids)
    work_doc = _ints(cols.work_doc)
    work_position = _ints([annotator_index.get(name, -1) for name in cols.work_name])
    selected = work_position >= 0
    done = selected & (np.asarray(cols.work_status, dtype=object) == DONE).reshape(-1)
    not_done = Counter(status for status, chosen, finished
                       in zip(cols.work_status, selected.tolist(), done.tolist(), strict=True)
                       if chosen and not finished)
    corpus.done_anywhere.update(name for name, finished
                                in zip(cols.work_name, done.tolist(), strict=True) if finished)
    done_count = np.bincount(work_doc[done], minlength=n_all)
    included = done_count >= 2
    counts["works_unselected_annotators"] = int(np.count_nonzero(~selected))
    counts["documents_fewer_than_two_done"] = int(np.count_nonzero(~included))
    counts["works_done_on_excluded_documents"] = int(done_count[~included].sum())
    counted = done & included[work_doc]
    work_number = np.where(counted, (np.cumsum(included) - 1)[work_doc], -1)
    chosen_docs = np.flatnonzero(included).tolist()
    corpus.doc_ids = [cols.doc_ids[i] for i in chosen_docs]
    corpus.titles = [cols.titles[i] for i in chosen_docs]
    lengths = np.maximum(_ints(cols.lengths)[chosen_docs], 0)
    n_blocks = np.maximum(_ints(cols.n_blocks)[chosen_docs], 0)
    tokens = _ints(cols.n_tokens)[chosen_docs]
    coverage_rows = np.stack([work_number[counted], work_position[counted]], axis=1)

    def rows(work_of_row: list[int]) -> tuple[IntArray, IntArray]:
        """Indices of the counted rows in reading order, and each one's work."""
        works = _ints(work_of_row)
        keep = np.flatnonzero(counted[works])
        order = keep[np.lexsort((keep, work_position[works[keep]], work_number[works[keep]]))]
        return order, works[order]

    # Blocks: a label outside the document's blocks is counted and dropped.
    order, works = rows(cols.block_work)
    index = _ints(cols.block_index)[order]
    number = work_number[works]
    in_range = (index >= 0) & (index < n_blocks[number])
    counts["block_labels_out_of_range"] = int(np.count_nonzero(~in_range))
    column = _label_columns([cols.block_label[i] for i in order[in_range].tolist()],
                            block_index, corpus.block_labels, corpus.unknown_block_labels)
    offsets = np.cumsum(n_blocks) - n_blocks
    block_rows = np.stack([offsets[number[in_range]] + index[in_range],
                           work_position[works[in_range]], column], axis=1)

    # Spans: inside the text and non-empty; token ranges checked against the document.
    order, works = rows(cols.span_work)
    number = work_number[works]
    start = _ints(cols.span_start)[order]
    end = _ints(cols.span_end)[order]
    valid = (start >= 0) & (start < end) & (end <= lengths[number])
    counts["spans_invalid"] = int(np.count_nonzero(~valid))
    order, span_works, number = order[valid], works[valid], number[valid]
    column = _label_columns([cols.span_label[i] for i in order.tolist()], span_index,
                            corpus.span_labels)
    first = _ints(cols.span_token_start)[order]
    stop = _ints(cols.span_token_end)[order]
    bad = ~((first >= 0) & (first <= stop) & (stop <= tokens[number]))
    if len(order):
        # From a document's first span without a valid token range on, the document
        # leaves token alpha: that span and every later one of it get no range.
        new_doc = np.r_[True, number[1:] != number[:-1]]
        seen = np.cumsum(bad)
        before = (seen - bad)[np.flatnonzero(new_doc)][np.cumsum(new_doc) - 1]
        after = (seen - before) > 0
        first[after] = -1
        stop[after] = -1
        tokens[np.unique(number[bad])] = -1
    span_rows = np.stack([number, work_position[span_works], column, start[valid], end[valid],
                          first, stop], axis=1)
    row_of = dict(zip(_ints(cols.span_key)[order].tolist(), range(len(order)), strict=True))

    # Relations: both ends must be counted spans of the relation's own work.
    order, works = rows(cols.relation_work)
    ends = []
    for keys in (cols.relation_head, cols.relation_child):
        found = _ints([row_of.get(key, -1) for key in _ints(keys)[order].tolist()])
        same = (found >= 0) & (span_works[np.maximum(found, 0)] == works) if len(
            span_works) else np.zeros(len(found), dtype=bool)
        ends.append(np.where(same, found, -1))
    linked = (ends[0] >= 0) & (ends[1] >= 0)
    counts["relations_dangling"] = int(np.count_nonzero(~linked))
    column = _label_columns([cols.relation_label[i] for i in order[linked].tolist()],
                            relation_index, corpus.relation_labels)
    relation_rows = np.stack([work_number[works[linked]], work_position[works[linked]],
                              ends[0][linked], ends[1][linked], column], axis=1)

    # Document labels: ordinal scales are fixed; other names collect their values.
    doc_label_rows: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    order, works = rows(cols.doc_label_work)
    for row, work in zip(order.tolist(), works.tolist(), strict=True):
        name, value = cols.doc_label_name[row], cols.doc_label_value[row]
        scale = value_index.get(name)
        if scale is None:
            corpus.doc_label_values[name] = []
            corpus.doc_label_ordinal[name] = False
            scale = value_index[name] = {}
        rank = scale.get(value)
        if rank is None:
            if corpus.doc_label_ordinal[name]:
                counts["doc_label_values_unknown"] += 1
                continue
            rank = scale[value] = _index(corpus.doc_label_values[name], value)
        doc_label_rows[name].append((int(work_number[work]), int(work_position[work]), rank))

    n_docs = len(corpus.doc_ids)
    n_annotators = len(corpus.annotators)
    corpus.doc_length = lengths
    corpus.n_blocks = n_blocks
    corpus.coverage = np.zeros((n_docs, n_annotators), dtype=bool)
    corpus.coverage[coverage_rows[:, 0], coverage_rows[:, 1]] = True
    corpus.block_doc = np.repeat(np.arange(n_docs, dtype=np.int64), corpus.n_blocks)
    corpus.block_values = np.where(corpus.coverage[corpus.block_doc], default, -1).astype(np.int64)
    corpus.block_values[block_rows[:, 0], block_rows[:, 1]] = block_rows[:, 2]
    (
        corpus.span_doc,
        corpus.span_annotator,
        corpus.span_label,
        corpus.span_start,
        corpus.span_end,
        corpus.span_token_start,
        corpus.span_token_end,
    ) = (span_rows[:, column].copy() for column in range(7))
    corpus.doc_tokens = tokens
    (
        corpus.relation_doc,
        corpus.relation_annotator,
        corpus.relation_head,
        corpus.relation_child,
        corpus.relation_label,
    ) = (relation_rows[:, column].copy() for column in range(5))
    for name in corpus.doc_label_values:
        matrix = np.full((n_docs, n_annotators), -1, dtype=np.int64)
        label_rows = as_int(doc_label_rows.get(name, [])).reshape(-1, 3)
        matrix[label_rows[:, 0], label_rows[:, 1]] = label_rows[:, 2]
        corpus.doc_label_matrix[name] = matrix

    corpus.excluded = {
        "documents_total": n_all,
        "documents_included": n_docs,
        "documents_fewer_than_two_done": counts["documents_fewer_than_two_done"],
        "works_not_done": dict(sorted(not_done.items())),
        "works_done_on_excluded_documents": counts["works_done_on_excluded_documents"],
        "works_unselected_annotators": counts["works_unselected_annotators"],
        "block_labels_out_of_range": counts["block_labels_out_of_range"],
        "spans_invalid": counts["spans_invalid"],
        "relations_dangling": counts["relations_dangling"],
        "doc_label_values_unknown": counts["doc_label_values_unknown"],
        "documents_without_tokens": int(np.count_nonzero(corpus.doc_tokens < 0)),
    }
    return corpus


def _ints(values: Sequence[int] | IntArray) -> IntArray:
    """A 1-D integer array, also when empty."""
    return as_int(values).reshape(-1)


def _label_columns(
    labels: list[str], index: dict[str, int], names: list[str],
    unknown: list[str] | None = None,
) -> IntArray:
    """Column of each label; a label outside ``names`` is added where it is first met."""
    found = [index.get(label, -1) for label in labels]
    if -1 in found:
        for position, label in enumerate(labels):
            if found[position] >= 0:
                continue
            column = index.get(label)
            if column is None:
                column = index[label] = _index(names, label)
                if unknown is not None:
                    unknown.append(label)
            found[position] = column
    return _ints(found)


# --- blocks ------------------------------------------------------------------------------


def _value_counts(values: IntArray, n_categories: int) -> IntArray:
    """Units x categories count matrix from a units x annotators matrix (-1 = missing)."""
    n_units = values.shape[0]
    rows, columns = np.nonzero(values >= 0)
    flat = rows * n_categories + values[rows, columns]
    return np.bincount(flat, minlength=n_units * n_categories).reshape(n_units, n_categories)


def _blocks(corpus: _Corpus) -> tuple[dict[str, Any], dict[tuple[int, int], Any], FloatArray]:
    labels = corpus.block_labels
    size = len(labels)
    counts = _value_counts(corpus.block_values, size)
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
    per_pair: dict[tuple[int, int], Any] = {}
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


# --- spans -------------------------------------------------------------------------------


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
    corpus: _Corpus, first: IntArray, second: IntArray
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


def _span_pair(corpus: _Corpus, first: int, second: int) -> _SpanPair:
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


def _f1_block(exact: float, overlap: float, compared: float) -> dict[str, Any]:
    return {
        "f1_exact": f1_score(exact, compared, 0),
        "f1_overlap": f1_score(overlap, compared, 0),
        "n_compared": int(compared),
        "n_matches_exact": int(exact),
        "n_matches_overlap": int(overlap),
    }


def _unitizing_input(corpus: _Corpus) -> UnitizingInput:
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


def _spans(
    corpus: _Corpus,
) -> tuple[dict[str, Any], dict[tuple[int, int], Any], FloatArray, dict[tuple[int, int], IntArray]]:
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
    per_pair: dict[tuple[int, int], Any] = {}
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
            **_f1_block(result.exact.sum(), result.overlap.sum(), compared.sum()),
            "alpha_u": pair_alpha,
            **_token_block(pair_tokens),
            "per_label": {
                label: {
                    **_f1_block(result.exact[i], result.overlap[i], compared[i]),
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
            **_f1_block(totals["exact"][i], totals["overlap"][i], totals["compared"][i]),
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
        **_f1_block(totals["exact"].sum(), totals["overlap"].sum(), totals["compared"].sum()),
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


def _token_grid(corpus: _Corpus) -> TokenGrid:
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


# --- relations ---------------------------------------------------------------------------


def _relations(
    corpus: _Corpus, span_maps: Mapping[tuple[int, int], IntArray]
) -> tuple[dict[str, Any], dict[tuple[int, int], Any], FloatArray]:
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
    per_pair: dict[tuple[int, int], Any] = {}
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
            **_relation_block(pair_strict.sum(), pair_matched.sum(), pair_compared.sum()),
            "per_label": {
                label: _relation_block(pair_strict[i], pair_matched[i], pair_compared[i])
                for i, label in enumerate(labels)
            },
        }
    n_relations = np.bincount(corpus.relation_label, minlength=size)
    section = {
        **_relation_block(strict.sum(), matched.sum(), compared.sum()),
        "n_relations": int(n_relations.sum()),
        "labels": labels,
        "per_label": {
            label: {
                **_relation_block(strict[i], matched[i], compared[i]),
                "n_relations": int(n_relations[i]),
            }
            for i, label in enumerate(labels)
        },
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        doc_disagreement = np.where(doc_size > 0, 1.0 - 2.0 * doc_matched / doc_size, 0.0)
    return section, per_pair, doc_disagreement


def _relation_block(strict: float, matched: float, compared: float) -> dict[str, Any]:
    return {
        "f1_strict": f1_score(strict, compared, 0),
        "f1_matched": f1_score(matched, compared, 0),
        "n_compared": int(compared),
        "n_matches_strict": int(strict),
        "n_matches_matched": int(matched),
    }


# --- document labels ---------------------------------------------------------------------


def _doc_labels(corpus: _Corpus) -> tuple[dict[str, Any], dict[tuple[int, int], Any], FloatArray]:
    section: dict[str, Any] = {}
    per_pair: dict[tuple[int, int], Any] = defaultdict(dict)
    distance_sum = np.zeros(corpus.n_docs)
    distance_count = np.zeros(corpus.n_docs)
    for name, values in corpus.doc_label_values.items():
        matrix = corpus.doc_label_matrix[name]
        ordinal = corpus.doc_label_ordinal[name]
        metric = "ordinal" if ordinal else "nominal"
        size = max(len(values), 1)
        counts = _value_counts(matrix, size)
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
            pair_alpha = alpha_from_counts(_value_counts(matrix[:, [first, second]], size), metric)
            per_pair[(first, second)][name] = {
                "alpha": pair_alpha.value,
                "agreement": ratio(float(np.count_nonzero(left[both] == right[both])), len(both)),
                "n_units": len(both),
            }
    with np.errstate(invalid="ignore", divide="ignore"):
        doc_disagreement = np.where(distance_count > 0, distance_sum / distance_count, np.nan)
    return section, per_pair, doc_disagreement


# --- assembly ----------------------------------------------------------------------------


def _documents(corpus: _Corpus, layers: Mapping[str, FloatArray]) -> list[dict[str, Any]]:
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
    """The agreement report as a JSON-serialisable dict (see the module docstring).

    ``docs`` are ``DocAnnotations`` or, from the store, the same as columns.

    ``annotators`` limits and orders who is compared (default: everyone with work on the
    documents, sorted, except ``gold`` and ``suggestions``). ``block_labels`` and ``span_labels`` list the
    schema's labels so unused ones still appear; labels met outside them are added.
    ``ordinal_values`` gives, per document label, its values in scale order: those get
    ordinal alpha, other document labels nominal.
    """
    corpus = _collect(
        docs,
        annotators,
        block_labels,
        ordinal_values,
        span_labels,
        relation_labels,
        default_block_label,
    )
    blocks, block_pairs, block_docs = _blocks(corpus)
    spans, span_pairs, span_docs, span_maps = _spans(corpus)
    relations, relation_pairs, relation_docs = _relations(corpus, span_maps)
    doc_labels, label_pairs, label_docs = _doc_labels(corpus)
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
            "blocks": block_docs,
            "spans": span_docs,
            "relations": relation_docs,
            "doc_labels": label_docs,
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


def document_report(
    doc: DocAnnotations,
    *,
    annotators: Sequence[str] | None = None,
    block_labels: Sequence[str],
    ordinal_values: Mapping[str, Sequence[str]],
    span_labels: Sequence[str] | None = None,
    relation_labels: Sequence[str] | None = None,
    default_block_label: str = DEFAULT_BLOCK_LABEL,
) -> dict[str, Any]:
    """Figures and itemised disagreements of one document, for the adjudication view.

    Same rules as ``build`` (same score); in addition it names what differs: blocks with
    their labels per annotator, span pairings by uid with the spans left unpaired,
    relations each side drew that the other did not, and document labels per annotator.
    """
    chosen = _choose_annotators([doc], annotators)
    report = build(
        [doc],
        annotators=chosen,
        block_labels=block_labels,
        ordinal_values=ordinal_values,
        span_labels=span_labels,
        relation_labels=relation_labels,
        default_block_label=default_block_label,
    )
    done = [
        name for name in chosen if name in doc.annotators and doc.annotators[name].status == DONE
    ]
    not_counted = {name: work.status for name, work in doc.annotators.items() if name not in done}
    summary = report["documents"][0] if report["documents"] else None
    result: dict[str, Any] = {
        "id": doc.doc_id,
        "title": doc.title,
        "annotators": done if summary else [],
        "not_counted": not_counted,
        "counted": summary is not None,
        "disagreement": summary["disagreement"] if summary else None,
        "layers": summary["layers"] if summary else {},
        "blocks": {
            "alpha": report["blocks"]["alpha"],
            "ac1": report["blocks"]["ac1"],
            "n_units": report["blocks"]["n_units"],
            "disagreements": [],
        },
        "spans": {
            "micro": report["spans"]["micro"],
            "token_alpha": report["spans"]["token_alpha"],
            "n_tokens": report["spans"]["n_tokens"],
            "n_judgements": report["spans"]["n_judgements"],
            "per_label": report["spans"]["per_label"],
            "pairs": [],
        },
        "relations": {
            "f1_strict": report["relations"]["f1_strict"],
            "f1_matched": report["relations"]["f1_matched"],
            "n_compared": report["relations"]["n_compared"],
            "pairs": [],
        },
        "doc_labels": {},
    }
    if summary is None:
        return result
    works = {name: doc.annotators[name] for name in done}
    for block in range(max(doc.n_blocks, 0)):
        labels = {
            name: work.block_labels.get(block, default_block_label) for name, work in works.items()
        }
        if len(set(labels.values())) > 1:
            result["blocks"]["disagreements"].append({"index": block, "labels": labels})
    valid = {
        name: [s for s in work.spans if 0 <= s.start < s.end <= doc.text_length]
        for name, work in works.items()
    }
    for position, first in enumerate(done):
        for second in done[position + 1 :]:
            span_detail, mapping = _span_detail(valid[first], valid[second])
            result["spans"]["pairs"].append({"annotators": [first, second], **span_detail})
            result["relations"]["pairs"].append(
                {
                    "annotators": [first, second],
                    **_relation_detail(works[first], works[second], valid, first, second, mapping),
                }
            )
    names = sorted({name for work in works.values() for name in work.doc_labels})
    for name in names:
        values = {person: works[person].doc_labels.get(name) for person in done}
        given = {value for value in values.values() if value is not None}
        result["doc_labels"][name] = {"values": values, "agree": len(given) <= 1}
    return result


def _span_detail(
    first: Sequence[Any], second: Sequence[Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Uid pairings of two annotators' spans (overlap matching, label by label)."""
    matched: list[dict[str, Any]] = []
    mapping: dict[str, str] = {}
    paired_first: set[int] = set()
    paired_second: set[int] = set()
    exact = 0
    for label in sorted({span.label for span in first} | {span.label for span in second}):
        left = [i for i, span in enumerate(first) if span.label == label]
        right = [j for j, span in enumerate(second) if span.label == label]
        pairs = match_spans(
            [(first[i].start, first[i].end) for i in left],
            [(second[j].start, second[j].end) for j in right],
            "overlap",
        )
        exact += len(
            match_spans(
                [(first[i].start, first[i].end) for i in left],
                [(second[j].start, second[j].end) for j in right],
                "exact",
            )
        )
        for i, j in pairs:
            a, b = first[left[i]], second[right[j]]
            paired_first.add(left[i])
            paired_second.add(right[j])
            mapping[a.uid] = b.uid
            matched.append(
                {
                    "first": a.uid,
                    "second": b.uid,
                    "label": label,
                    "exact": (a.start, a.end) == (b.start, b.end),
                }
            )
    compared = len(first) + len(second)
    return (
        {
            "f1_exact": f1_score(exact, compared, 0),
            "f1_overlap": f1_score(len(matched), compared, 0),
            "n_compared": compared,
            "matched": matched,
            "unmatched_first": [s.uid for i, s in enumerate(first) if i not in paired_first],
            "unmatched_second": [s.uid for j, s in enumerate(second) if j not in paired_second],
        },
        mapping,
    )


def _relation_detail(
    first_work: Any,
    second_work: Any,
    valid: Mapping[str, Sequence[Any]],
    first: str,
    second: str,
    mapping: Mapping[str, str],
) -> dict[str, Any]:
    """Relations one side drew that the other did not, through the span pairing."""
    uids_first = {span.uid for span in valid[first]}
    uids_second = {span.uid for span in valid[second]}
    left = [
        r for r in first_work.relations if r.head_uid in uids_first and r.child_uid in uids_first
    ]
    right = [
        r for r in second_work.relations if r.head_uid in uids_second and r.child_uid in uids_second
    ]
    remaining = Counter((r.head_uid, r.child_uid, r.label) for r in right)
    unmatched_first = []
    matches = 0
    for relation in left:
        key = (mapping.get(relation.head_uid), mapping.get(relation.child_uid), relation.label)
        if remaining[key] > 0:
            remaining[key] -= 1
            matches += 1
        else:
            unmatched_first.append(
                {"head": relation.head_uid, "child": relation.child_uid, "label": relation.label}
            )
    unmatched_second = [
        {"head": head, "child": child, "label": label}
        for (head, child, label), count in remaining.items()
        for _ in range(count)
    ]
    return {
        "f1_matched": f1_score(matches, len(left) + len(right), 0),
        "n_compared": len(left) + len(right),
        "unmatched_first": unmatched_first,
        "unmatched_second": unmatched_second,
    }
