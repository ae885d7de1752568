"""One document's figures and itemised disagreements, for the adjudication view."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from annotator.core.agreement.corpus import choose_annotators
from annotator.core.agreement.corpus_report import build
from annotator.core.agreement.data import DEFAULT_BLOCK_LABEL, DONE, DocAnnotations
from annotator.core.agreement.spans import f1_score, match_spans


def _figures(section: Mapping[str, Any], *names: str, **items: list[Any]) -> dict[str, Any]:
    """The named figures of one of the report's layer sections, then the lists of what
    differs on that layer (filled in below)."""
    return {**{name: section[name] for name in names}, **items}


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
    chosen = choose_annotators([doc], annotators)
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
        "blocks": _figures(report["blocks"], "alpha", "ac1", "n_units", disagreements=[]),
        "spans": _figures(report["spans"], "micro", "token_alpha", "n_tokens",
                          "n_judgements", "per_label", pairs=[]),
        "relations": _figures(report["relations"], "f1_strict", "f1_matched", "n_compared",
                              pairs=[]),
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
