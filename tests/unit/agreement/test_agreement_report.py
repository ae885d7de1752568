"""The agreement report: what counts, its shape, and its figures against references."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from typing import Any

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from annotator.core.agreement import report
from annotator.core.agreement.data import AnnotatorWork, DocAnnotations, RelationUnit, SpanUnit
from annotator.core.agreement.relations import relation_f1_matched, relation_f1_strict
from annotator.core.agreement.spans import match_spans

BLOCKS = ["content", "navigation", "caption", "promo"]
SPANS = ["CLAIM", "SOURCE"]
SOURCING = ["well_sourced", "partly_sourced", "poorly_sourced", "not_applicable"]


def work(
    status: str = "done",
    blocks: dict[int, str] | None = None,
    spans: list[tuple[str, int, int, str]] | None = None,
    relations: list[tuple[str, str]] | None = None,
    rating: str | None = None,
) -> AnnotatorWork:
    return AnnotatorWork(
        status=status,
        block_labels=blocks or {},
        spans=[SpanUnit(*span) for span in spans or []],
        relations=[RelationUnit(head, child, "ATTRIBUTION") for head, child in relations or []],
        doc_labels={} if rating is None else {"sourcing": rating},
    )


def doc(
    doc_id: str, n_blocks: int = 4, length: int = 100, **works: AnnotatorWork
) -> DocAnnotations:
    return DocAnnotations(doc_id, f"Title {doc_id}", length, n_blocks, works)


def build(docs: list[DocAnnotations], **options: Any) -> dict[str, Any]:
    options.setdefault("block_labels", BLOCKS)
    options.setdefault("ordinal_values", {"sourcing": SOURCING})
    options.setdefault("span_labels", SPANS)
    return report.build(docs, **options)


def dig(tree: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        tree = tree[key]
    return tree


# --- shape and what counts ------------------------------------------------------------------


def test_report_has_the_agreed_keys_and_is_plain_json() -> None:
    docs = [
        doc(
            "d1",
            alice=work(
                blocks={0: "navigation"},
                spans=[("s", 0, 10, "SOURCE"), ("c", 20, 40, "CLAIM")],
                relations=[("s", "c")],
                rating="well_sourced",
            ),
            bob=work(
                blocks={0: "navigation", 2: "caption"},
                spans=[("s", 0, 10, "SOURCE"), ("c", 22, 40, "CLAIM")],
                relations=[("s", "c")],
                rating="partly_sourced",
            ),
        )
    ]
    result = build(docs)
    for path in [
        "blocks.alpha", "blocks.ac1", "blocks.n_units", "blocks.per_label.navigation.alpha",
        "blocks.confusion.labels", "blocks.confusion.matrix", "spans.micro.f1_exact",
        "spans.micro.f1_overlap", "spans.per_label.CLAIM.f1_exact",
        "spans.per_label.CLAIM.f1_overlap", "spans.per_label.CLAIM.alpha_u",
        "relations.f1_strict", "relations.f1_matched", "doc_labels.sourcing.alpha",
        "excluded.documents_fewer_than_two_done",
    ]:  # fmt: skip
        dig(result, path)
    assert result["blocks"]["n_units"] == 4
    assert {"id", "title", "disagreement"} <= set(result["documents"][0])
    pair = result["pairs"][0]
    assert pair["annotators"] == ["alice", "bob"]
    assert {"kappa", "n_units"} <= set(pair["blocks"])
    assert {"f1_exact", "f1_overlap", "n_compared"} <= set(pair["spans"])
    json.dumps(result, allow_nan=False)


def test_only_documents_done_by_two_count_and_the_rest_is_counted() -> None:
    docs = [
        doc("two", alice=work(), bob=work(), carol=work("in_progress", blocks={0: "promo"})),
        doc("one", alice=work(), bob=work("skipped")),
        doc("none", alice=work("todo")),
        doc(
            "messy",
            n_blocks=2,
            length=50,
            alice=work(
                blocks={5: "promo"},
                spans=[("x", 40, 60, "CLAIM"), ("y", 5, 5, "CLAIM")],
                relations=[("x", "missing")],
                rating="excellent",
            ),
            bob=work(),
            gold=work(blocks={0: "promo"}),
        ),
    ]
    result = build(docs)
    assert result["annotators"] == ["alice", "bob", "carol"]
    assert result["n_documents"] == 2
    assert result["excluded"] == {
        "documents_total": 4,
        "documents_included": 2,
        "documents_fewer_than_two_done": 2,
        "works_not_done": {"in_progress": 1, "skipped": 1, "todo": 1},
        "works_done_on_excluded_documents": 1,
        "works_unselected_annotators": 1,  # gold is not a person
        "block_labels_out_of_range": 1,
        "spans_invalid": 2,
        "relations_dangling": 1,
        "doc_label_values_unknown": 1,
        "documents_without_tokens": 2,  # built without texts: no token alpha
        "spans_merged_for_alpha_u": 0,
    }
    assert result["documents_by_annotator"] == {"alice": 2, "bob": 2, "carol": 0}
    carol_pairs = [p for p in result["pairs"] if "carol" in p["annotators"]]
    assert all(p["n_documents"] == 0 and p["blocks"]["kappa"] is None for p in carol_pairs)
    assert {d["id"] for d in result["documents"]} == {"two", "messy"}


def test_named_annotators_limit_and_order_the_comparison() -> None:
    docs = [doc("d", alice=work(), bob=work(), gold=work(blocks={1: "promo"}))]
    result = build(docs, annotators=["gold", "alice"])
    assert result["annotators"] == ["gold", "alice"]
    assert result["pairs"][0]["annotators"] == ["gold", "alice"]
    assert result["excluded"]["works_unselected_annotators"] == 1


def test_unmarked_blocks_of_a_done_document_are_content() -> None:
    docs = [doc("d", n_blocks=4, alice=work(blocks={1: "caption"}), bob=work())]
    result = build(docs)
    blocks = result["blocks"]
    reference = krippendorff.alpha(
        reliability_data=[[0, 2, 0, 0], [0, 0, 0, 0]], level_of_measurement="nominal"
    )
    assert blocks["alpha"] == pytest.approx(reference)
    assert blocks["percent_agreement"] == pytest.approx(0.75)
    matrix = blocks["confusion"]["matrix"]
    assert matrix[0][2] == matrix[2][0] == 1
    assert matrix[0][0] == 3
    assert blocks["confusion"]["n_pairs"] == 4
    assert result["pairs"][0]["blocks"]["confusion"]["matrix"][2][0] == 1


def test_everything_undefined_is_none_with_zero_counts() -> None:
    empty = build([])
    assert empty["blocks"]["alpha"] is None
    assert empty["blocks"]["n_units"] == 0
    assert empty["spans"]["micro"]["f1_exact"] is None
    assert empty["spans"]["per_label"]["CLAIM"]["alpha_u"] is None
    assert empty["relations"]["f1_strict"] is None
    assert empty["doc_labels"]["sourcing"]["alpha"] is None
    assert empty["documents"] == []
    json.dumps(empty, allow_nan=False)

    quiet = build([doc("d", alice=work(), bob=work())])
    assert quiet["blocks"]["alpha"] is None  # a single category: no expected disagreement
    assert quiet["blocks"]["n_units"] == 4
    assert quiet["spans"]["micro"]["f1_overlap"] is None
    assert quiet["spans"]["micro"]["n_compared"] == 0
    assert quiet["documents"][0]["disagreement"] == 0.0
    json.dumps(quiet, allow_nan=False)


# --- figures ---------------------------------------------------------------------------------


def test_span_f1_is_pooled_over_documents_and_pairs() -> None:
    docs = [
        doc(
            "d1", alice=work(spans=[("a", 0, 10, "CLAIM")]), bob=work(spans=[("b", 0, 10, "CLAIM")])
        ),
        doc(
            "d2",
            alice=work(spans=[("a", 0, 10, "CLAIM"), ("a2", 20, 30, "CLAIM")]),
            bob=work(spans=[("b", 2, 12, "CLAIM")]),
        ),
    ]
    micro = build(docs)["spans"]["micro"]
    assert micro["n_compared"] == 5
    assert micro["f1_exact"] == pytest.approx(2 * 1 / 5)
    assert micro["f1_overlap"] == pytest.approx(2 * 2 / 5)


def test_relations_strict_and_through_matching() -> None:
    docs = [
        doc(
            "d",
            alice=work(
                spans=[("s", 0, 10, "SOURCE"), ("c", 20, 40, "CLAIM")], relations=[("s", "c")]
            ),
            bob=work(
                spans=[("S", 0, 12, "SOURCE"), ("C", 20, 40, "CLAIM")], relations=[("S", "C")]
            ),
        )
    ]
    relations = build(docs, relation_labels=["ATTRIBUTION"])["relations"]
    assert relations["f1_strict"] == 0.0
    assert relations["f1_matched"] == 1.0
    assert relations["per_label"]["ATTRIBUTION"]["n_compared"] == 2


def test_alpha_u_in_the_report_is_the_dkpro_form_on_one_document() -> None:
    # Krippendorff (2004: 254), shifted from [150, 450) to [0, 300); see test_agreement_spans.
    first = [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")]
    second = [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")]
    docs = [
        doc(
            "k2004",
            length=300,
            i=work(spans=[(f"i{n}", s - 150, e - 150, c) for n, (s, e, c) in enumerate(first)]),
            j=work(spans=[(f"j{n}", s - 150, e - 150, c) for n, (s, e, c) in enumerate(second)]),
        )
    ]
    spans = build(docs, span_labels=["c", "k"])["spans"]
    assert spans["per_label"]["c"]["alpha_u"] == pytest.approx(0.7286, abs=5e-5)
    assert spans["per_label"]["k"]["alpha_u"] == pytest.approx(1.0)
    assert spans["micro"]["alpha_u"] == pytest.approx(0.859, abs=5e-4)
    assert spans["micro"]["continuum_length"] == 300


def test_documents_are_ranked_by_disagreement() -> None:
    docs = [
        doc("calm", alice=work(rating="well_sourced"), bob=work(rating="well_sourced")),
        doc(
            "stormy",
            alice=work(
                blocks={0: "promo", 1: "caption"},
                spans=[("a", 0, 10, "CLAIM")],
                rating="well_sourced",
            ),
            bob=work(spans=[("b", 50, 60, "CLAIM")], rating="poorly_sourced"),
        ),
        doc("mild", alice=work(blocks={0: "promo"}), bob=work()),
    ]
    documents = build(docs)["documents"]
    assert [d["id"] for d in documents] == ["stormy", "mild", "calm"]
    calm = documents[-1]
    assert calm["disagreement"] == 0.0
    assert calm["layers"] == {"blocks": 0.0, "spans": 0.0, "relations": 0.0, "doc_labels": 0.0}
    stormy = documents[0]["layers"]
    assert stormy["blocks"] == pytest.approx(0.5)
    assert stormy["spans"] == pytest.approx(1.0)
    assert stormy["doc_labels"] == pytest.approx(2 / 3)  # two ranks apart on a 4-point scale
    mild = documents[1]
    assert mild["layers"]["doc_labels"] is None
    assert mild["disagreement"] == pytest.approx(0.25 / 3)


def test_document_report_names_the_disagreements() -> None:
    the_doc = doc(
        "d",
        n_blocks=3,
        alice=work(
            blocks={1: "promo"},
            spans=[("s", 0, 10, "SOURCE"), ("c", 20, 40, "CLAIM")],
            relations=[("s", "c")],
            rating="well_sourced",
        ),
        bob=work(spans=[("S", 0, 12, "SOURCE"), ("x", 60, 70, "CLAIM")], rating="partly_sourced"),
        carol=work("in_progress"),
    )
    detail = report.document_report(
        the_doc, block_labels=BLOCKS, ordinal_values={"sourcing": SOURCING}
    )
    assert detail["counted"] is True
    assert detail["annotators"] == ["alice", "bob"]
    assert detail["not_counted"] == {"carol": "in_progress"}
    assert detail["blocks"]["disagreements"] == [
        {"index": 1, "labels": {"alice": "promo", "bob": "content"}}
    ]
    spans = detail["spans"]["pairs"][0]
    assert spans["matched"] == [{"first": "s", "second": "S", "label": "SOURCE", "exact": False}]
    assert (spans["unmatched_first"], spans["unmatched_second"]) == (["c"], ["x"])
    relations = detail["relations"]["pairs"][0]
    assert relations["unmatched_first"] == [{"head": "s", "child": "c", "label": "ATTRIBUTION"}]
    assert detail["doc_labels"]["sourcing"] == {
        "values": {"alice": "well_sourced", "bob": "partly_sourced"},
        "agree": False,
    }
    assert detail["disagreement"] == build([the_doc])["documents"][0]["disagreement"]
    json.dumps(detail, allow_nan=False)

    lonely = report.document_report(doc("e", alice=work()), block_labels=BLOCKS, ordinal_values={})
    assert (lonely["counted"], lonely["disagreement"]) == (False, None)


# --- cross-checks on a random corpus ------------------------------------------------------


def random_corpus(seed: int, n_docs: int = 40) -> list[DocAnnotations]:
    rng = random.Random(seed)
    people = ["ann", "ben", "cat"]
    docs = []
    for number in range(n_docs):
        n_blocks, length = rng.randint(0, 8), rng.randint(60, 200)
        truth = [
            (rng.randrange(length - 20), rng.randint(3, 20), rng.choice(SPANS)) for _ in range(4)
        ]
        works = {}
        for person in people:
            status = rng.choices(["done", "in_progress"], weights=[5, 1])[0]
            blocks = {b: rng.choice(BLOCKS) for b in range(n_blocks) if rng.random() < 0.4}
            spans = []
            for index, (start, width, label) in enumerate(truth):
                if rng.random() < 0.8:
                    shift = rng.choice([0, 0, rng.randint(-3, 3)])
                    spans.append((f"{person}{index}", max(0, start + shift), start + width, label))
            if rng.random() < 0.4:
                start = rng.randrange(length - 30)
                spans.append((f"{person}x", start, start + rng.randint(10, 30), rng.choice(SPANS)))
            sources = [s[0] for s in spans if s[3] == "SOURCE"]
            claims = [s[0] for s in spans if s[3] == "CLAIM"]
            relations = [(h, c) for h in sources for c in claims if rng.random() < 0.5]
            rating = rng.choice(SOURCING) if rng.random() < 0.9 else None
            works[person] = work(status, blocks, spans, relations, rating)
        docs.append(doc(f"d{number:03}", n_blocks=n_blocks, length=length, **works))
    return docs


def counted(
    docs: list[DocAnnotations], people: list[str]
) -> list[tuple[DocAnnotations, list[str]]]:
    chosen = []
    for d in docs:
        done = [p for p in people if d.annotators[p].status == "done"]
        if len(done) >= 2:
            chosen.append((d, done))
    return chosen


@pytest.mark.parametrize("seed", range(4))
def test_block_and_rating_figures_match_the_reference_libraries(seed: int) -> None:
    docs = random_corpus(seed)
    result = build(docs)
    people = result["annotators"]
    rows = {p: [] for p in people}
    ratings = {p: [] for p in people}
    for d, done in counted(docs, people):
        for p in people:
            given = d.annotators[p]
            ok = p in done
            rows[p] += [
                BLOCKS.index(given.block_labels.get(b, "content")) if ok else np.nan
                for b in range(d.n_blocks)
            ]
            value = given.doc_labels.get("sourcing") if ok else None
            ratings[p].append(np.nan if value is None else SOURCING.index(value))
    data = np.array([rows[p] for p in people], dtype=float)
    blocks = result["blocks"]
    assert blocks["alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )
    assert blocks["n_units"] == data.shape[1]
    for column, label in enumerate(BLOCKS):
        binary = np.where(np.isnan(data), np.nan, (data == column).astype(float))
        if np.nansum(binary) == 0:
            assert blocks["per_label"][label]["alpha"] is None
            continue
        assert blocks["per_label"][label]["alpha"] == pytest.approx(
            krippendorff.alpha(reliability_data=binary, level_of_measurement="nominal")
        )
    for pair in result["pairs"]:
        first, second = (people.index(name) for name in pair["annotators"])
        both = ~np.isnan(data[first]) & ~np.isnan(data[second])
        expected = cohen_kappa_score(data[first][both], data[second][both])
        assert pair["blocks"]["kappa"] == pytest.approx(expected)
        assert pair["blocks"]["n_units"] == int(both.sum())
    rating_data = np.array([ratings[p] for p in people], dtype=float)
    assert result["doc_labels"]["sourcing"]["alpha"] == pytest.approx(
        krippendorff.alpha(
            reliability_data=rating_data,
            level_of_measurement="ordinal",
            value_domain=list(range(len(SOURCING))),
        )
    )


def _valid(d: DocAnnotations, person: str) -> list[SpanUnit]:
    return [s for s in d.annotators[person].spans if 0 <= s.start < s.end <= d.text_length]


def _relation_keys(d: DocAnnotations, person: str, spans: list[SpanUnit]) -> tuple[list, list]:
    """One annotator's relations as strict span keys and as indices into ``spans``."""
    index = {span.uid: position for position, span in enumerate(spans)}
    relations = [
        r for r in d.annotators[person].relations if r.head_uid in index and r.child_uid in index
    ]

    def key(uid: str) -> tuple[int, int, str]:
        span = spans[index[uid]]
        return (span.start, span.end, span.label)

    strict = [(key(r.head_uid), key(r.child_uid), r.label) for r in relations]
    by_index = [(index[r.head_uid], index[r.child_uid], r.label) for r in relations]
    return strict, by_index


@pytest.mark.parametrize("seed", range(4))
def test_span_and_relation_counts_match_the_pure_functions(seed: int) -> None:
    docs = random_corpus(100 + seed)
    result = build(docs, relation_labels=["ATTRIBUTION"])
    people = result["annotators"]
    for pair in result["pairs"]:
        first, second = pair["annotators"]
        exact = dict.fromkeys(SPANS, 0)
        overlap = dict.fromkeys(SPANS, 0)
        strict = matched = 0
        for d, done in counted(docs, people):
            if first not in done or second not in done:
                continue
            left, right = _valid(d, first), _valid(d, second)
            mapping: dict[int, int] = {}
            for label in SPANS:
                li = [i for i, s in enumerate(left) if s.label == label]
                ri = [j for j, s in enumerate(right) if s.label == label]
                a = [(left[i].start, left[i].end) for i in li]
                b = [(right[j].start, right[j].end) for j in ri]
                exact[label] += len(match_spans(a, b, "exact"))
                pairs = match_spans(a, b, "overlap")
                overlap[label] += len(pairs)
                mapping.update({li[i]: ri[j] for i, j in pairs})
            strict_left, by_index_left = _relation_keys(d, first, left)
            strict_right, by_index_right = _relation_keys(d, second, right)
            strict += relation_f1_strict(strict_left, strict_right).matches
            matched += relation_f1_matched(by_index_left, by_index_right, mapping).matches
        for label in SPANS:
            figures = pair["spans"]["per_label"][label]
            assert figures["n_matches_exact"] == exact[label]
            assert figures["n_matches_overlap"] == overlap[label]
        assert pair["relations"]["n_matches_strict"] == strict
        assert pair["relations"]["n_matches_matched"] == matched


def test_agreement_code_pulls_in_no_gui_database_nlp_or_test_library() -> None:
    forbidden = [
        "PySide6",
        "sqlalchemy",
        "spacy",
        "krippendorff",
        "sklearn",
        "statsmodels",
        "scipy",
    ]
    code = (
        "import sys, annotator.core.agreement as a; "
        f"print(sorted(m for m in {forbidden!r} if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
