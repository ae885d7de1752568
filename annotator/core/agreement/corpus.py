"""Corpus collection: which documents and works count, flattened into NumPy arrays.

The first stage of the agreement report (``report``). ``collect`` decides what counts
(a document done by at least two selected annotators; spans inside the text; relations
between counted spans of their own work), counts what it leaves out under ``excluded``,
and flattens the rest into parallel arrays once, so every layer's figures are vector
operations over the whole project.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement._vec import IntArray, as_int
from annotator.core.agreement.columns import WorkColumns, from_documents
from annotator.core.agreement.data import DONE, RESERVED_ANNOTATORS, DocAnnotations

FloatArray = NDArray[np.float64]
PairFigures = dict[tuple[int, int], Any]
"""Figures per annotator pair, keyed by the pair's positions in ``Corpus.annotators``."""


@dataclass
class Corpus:
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


def choose_annotators(
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


def collect(
    docs: Iterable[DocAnnotations] | WorkColumns,
    annotators: Sequence[str] | None,
    block_labels: Sequence[str],
    ordinal_values: Mapping[str, Sequence[str]],
    span_labels: Sequence[str] | None,
    relation_labels: Sequence[str] | None,
    default_block_label: str,
) -> Corpus:
    """Decide what counts, count what does not, and flatten it into arrays.

    Works on columns (``core.agreement.columns``): the store gives them directly, and
    ``DocAnnotations`` are turned into them first, so there is one set of rules. Rows
    are taken in (document, annotator position, given order), the order a loop over
    documents, their annotators and their labels would meet them.
    """
    cols = docs if isinstance(docs, WorkColumns) else from_documents(list(docs))
    corpus = Corpus(annotators=list(dict.fromkeys(annotators)) if annotators is not None
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



def value_counts(values: IntArray, n_categories: int) -> IntArray:
    """Units x categories count matrix from a units x annotators matrix (-1 = missing)."""
    n_units = values.shape[0]
    rows, columns = np.nonzero(values >= 0)
    flat = rows * n_categories + values[rows, columns]
    return np.bincount(flat, minlength=n_units * n_categories).reshape(n_units, n_categories)

