"""The agreement report's input as columns: one flat list per field, one row per label.

Why columns: a project of 10,000 documents x 3 annotators holds half a million spans.
Building a ``SpanUnit`` object for each (the store) only for the report to take them
apart again into arrays (``report``) cost more than the maths itself. The store fills
these lists straight from its query rows, and the report turns them into its arrays
with a few NumPy operations. ``from_documents`` gives the same columns for
``DocAnnotations`` (tests, one document in the adjudication view), so both ways in go
through the same rules.

Rows of a label table point at their *work* (one annotator's work on one document) by
the work's row number; works point at their document by its position. Within a work,
rows keep the order they were given in (which decides, e.g., which label outside the
schema is listed first).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.agreement.data import DocAnnotations


@dataclass
class WorkColumns:
    """Documents, works and labels of a project (see the module docstring)."""

    # documents, in report order
    doc_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    n_blocks: list[int] = field(default_factory=list)
    n_tokens: list[int] = field(default_factory=list)  # -1: no tokens (no token alpha)
    # works: a (document, annotator) with a progress row or any label
    work_doc: list[int] = field(default_factory=list)
    work_name: list[str] = field(default_factory=list)
    work_status: list[str] = field(default_factory=list)
    # block labels
    block_work: list[int] = field(default_factory=list)
    block_index: list[int] = field(default_factory=list)
    block_label: list[str] = field(default_factory=list)
    # spans: ``span_key`` is what relations name their ends by (unique per work and uid)
    span_work: list[int] = field(default_factory=list)
    span_key: list[int] = field(default_factory=list)
    span_label: list[str] = field(default_factory=list)
    span_start: list[int] = field(default_factory=list)
    span_end: list[int] = field(default_factory=list)
    span_token_start: list[int] = field(default_factory=list)  # -1: unknown
    span_token_end: list[int] = field(default_factory=list)
    # relations: ends as span keys (-1: names no span of the work)
    relation_work: list[int] = field(default_factory=list)
    relation_head: list[int] = field(default_factory=list)
    relation_child: list[int] = field(default_factory=list)
    relation_label: list[str] = field(default_factory=list)
    # document labels
    doc_label_work: list[int] = field(default_factory=list)
    doc_label_name: list[str] = field(default_factory=list)
    doc_label_value: list[str] = field(default_factory=list)


def from_documents(docs: list[DocAnnotations]) -> WorkColumns:
    """The columns of ``DocAnnotations``, in their order (works in dict order)."""
    cols = WorkColumns()
    keys: dict[tuple[int, str], int] = {}
    for position, doc in enumerate(docs):
        cols.doc_ids.append(doc.doc_id)
        cols.titles.append(doc.title)
        cols.lengths.append(doc.text_length)
        cols.n_blocks.append(doc.n_blocks)
        cols.n_tokens.append(-1 if doc.n_tokens is None else doc.n_tokens)
        for name, work in doc.annotators.items():
            row = len(cols.work_doc)
            cols.work_doc.append(position)
            cols.work_name.append(name)
            cols.work_status.append(work.status)
            for index, label in work.block_labels.items():
                cols.block_work.append(row)
                cols.block_index.append(index)
                cols.block_label.append(label)
            for span in work.spans:
                cols.span_work.append(row)
                cols.span_key.append(keys.setdefault((row, span.uid), len(keys)))
                cols.span_label.append(span.label)
                cols.span_start.append(span.start)
                cols.span_end.append(span.end)
                cols.span_token_start.append(-1 if span.token_start is None
                                             else span.token_start)
                cols.span_token_end.append(-1 if span.token_end is None else span.token_end)
            for relation in work.relations:
                cols.relation_work.append(row)
                cols.relation_head.append(keys.get((row, relation.head_uid), -1))
                cols.relation_child.append(keys.get((row, relation.child_uid), -1))
                cols.relation_label.append(relation.label)
            for name_, value in work.doc_labels.items():
                cols.doc_label_work.append(row)
                cols.doc_label_name.append(name_)
                cols.doc_label_value.append(value)
    return cols
