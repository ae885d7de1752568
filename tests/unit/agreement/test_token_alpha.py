"""Token-wise alpha: the tokenizer, the maths against references, the report's keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest

from annotator.core.agreement import report, tokenizer
from annotator.core.agreement.alpha import alpha_from_counts
from annotator.core.agreement.data import AnnotatorWork, DocAnnotations, SpanUnit
from annotator.core.agreement.token_alpha import (
    PRIORITY,
    TokenAlpha,
    TokenGrid,
    TokenInput,
    priority_order,
    token_alpha,
    with_tokens,
)
from annotator.core.agreement.tokenizer import span_tokens, tokenize

DATA = Path(__file__).resolve().parents[2] / "data"
LABELS = ["CLAIM", "SOURCE", "CUE", "CONTENT"]  # the schema's order


def words(text: str) -> list[str]:
    starts, ends = tokenize(text)
    return [text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]


# --- the tokenizer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Yes,” he said.", ["“", "Yes", ",", "”", "he", "said", "."]),
        ("The U.S. and Mr. Smith, e.g. (AP).",
         ["The", "U.S.", "and", "Mr.", "Smith", ",", "e.g.", "(", "AP", ")", "."]),
        ("don't can't won't it's John's parents'",
         ["do", "n't", "ca", "n't", "wo", "n't", "it", "'s", "John", "'s", "parents", "'"]),
        ("a well-known 20-year-old COVID-19 case", ["a", "well", "-", "known", "20", "-", "year",
                                                   "-", "old", "COVID-19", "case"]),
        ("$1,000 rose 3.5% at 2:30 on 9/11", ["$", "1,000", "rose", "3.5", "%", "at", "2:30",
                                              "on", "9/11"]),
        ("wait...what -- no", ["wait", "...", "what", "--", "no"]),
        ("ABC. McD. I. cannot 5km 7am", ["ABC", ".", "McD.", "I.", "can", "not", "5", "km", "7",
                                         "am"]),
        ("mail bob@news.org or see https://x.org/a.", ["mail", "bob@news.org", "or", "see",
                                                        "https://x.org/a", "."]),
        ("Paragraph one.\n\n  Two\tthree", ["Paragraph", "one", ".", "Two", "three"]),
        ("café 👍🏽 أحمدُ", ["café", "👍", "🏽", "أحمدُ"]),
        ("", []),
    ],
)
def test_tokenizer_rules(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_offsets_are_code_points_and_tokens_tile_the_non_space_characters() -> None:
    text = "👍 “Quote,” said al-Sisi 😀.\n\nNext"
    starts, ends = tokenize(text)
    covered = "".join(text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True))
    assert covered == "".join(text.split())
    assert all(b > a for a, b in zip(starts.tolist(), ends.tolist(), strict=True))


def test_tokenizer_reproduces_spacy_on_the_news_texts_of_the_repository() -> None:
    """The README's claim: spaCy's English tokenizer (the export's), non-space tokens."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "clutter").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((DATA / "attribution" / "texts").iterdir())]
    ours = theirs = same = 0
    for text in texts:
        starts, ends = tokenize(text)
        mine = set(zip(starts.tolist(), ends.tolist(), strict=True))
        spacy_tokens = {(t.idx, t.idx + len(t)) for t in nlp.tokenizer(text) if not t.is_space}
        ours, theirs, same = ours + len(mine), theirs + len(spacy_tokens), same + len(
            mine & spacy_tokens)
    assert theirs > 15_000
    assert same / theirs >= 0.999 and same / ours >= 0.999


def test_span_tokens_in_batches_equals_one_text_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokenizer, "BATCH", 3_000)  # many batches, texts of every size
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "clutter").glob("*.txt"))]
    texts += ["", " ", "x", "  two words  "]
    rng = np.random.default_rng(7)
    text_of, starts, ends = [], [], []
    for index, text in enumerate(texts):
        for _ in range(6 if text else 0):
            start = int(rng.integers(0, len(text)))
            text_of.append(index)
            starts.append(start)
            ends.append(int(rng.integers(start + 1, len(text) + 1)))
    order = rng.permutation(len(text_of))  # spans in any order
    text_of, starts, ends = (np.asarray(v)[order] for v in (text_of, starts, ends))
    n_tokens, first, stop = span_tokens(texts, text_of, starts, ends)
    for index, text in enumerate(texts):
        assert n_tokens[index] == len(tokenize(text)[0])
    for i, (index, start, end) in enumerate(zip(text_of, starts, ends, strict=True)):
        token_starts, token_ends = tokenize(texts[index])
        expected_first = int(np.sum(token_ends <= start))  # tokens wholly before the span
        expected_stop = max(int(np.sum(token_starts < end)), expected_first)
        assert (first[i], stop[i]) == (expected_first, expected_stop)


# --- the maths --------------------------------------------------------------------------------


def test_weighted_rows_equal_repeated_rows() -> None:
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 3, size=(12, 4))
    weights = rng.integers(0, 5, size=12)
    expanded = np.repeat(counts, weights, axis=0)
    weighted = alpha_from_counts(counts, "nominal", weights=weights)
    plain = alpha_from_counts(expanded, "nominal")
    assert weighted.value == pytest.approx(plain.value, abs=1e-12)
    assert (weighted.n_units, weighted.n_values) == (plain.n_units, plain.n_values)


def _runs(labels: list[int]) -> list[tuple[int, int, int]]:
    """Runs of equal labels as ``(label, first, stop)``; ``-1`` (none) makes no span."""
    out, start = [], 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            if labels[start] >= 0:
                out.append((labels[start], start, index))
            start = index
    return out


def _reference(values: list[list[float]], domain: list[int]) -> float | None:
    """``krippendorff.alpha``; ``None`` where it is undefined (NaN: no variation)."""
    table = np.asarray(values, dtype=float)
    if table.size == 0 or not ((~np.isnan(table)).sum(axis=0) >= 2).any():
        return None  # no token judged twice: nothing to compare
    with np.errstate(invalid="ignore", divide="ignore"):
        value = krippendorff.alpha(reliability_data=table, level_of_measurement="nominal",
                                   value_domain=domain)
    return None if np.isnan(value) else float(value)


def _check(result: TokenAlpha, overall: list[list[float]], members: list[list[list[float]]],
           size: int) -> None:
    expected = _reference(overall, list(range(size + 1)))
    if expected is None:
        assert result.overall.value is None
    else:
        assert result.overall.value == pytest.approx(expected, abs=1e-9)
    for category in range(size):
        expected = _reference(members[category], [0, 1])
        got = result.per_category[category].value
        assert (got is None) if expected is None else got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("n_raters", [2, 3, 5])
@pytest.mark.parametrize("n_categories", [3, 4, 5])
def test_token_alpha_matches_the_krippendorff_package(n_raters: int, n_categories: int) -> None:
    """Random token labellings over several documents; a rater who did not finish a
    document leaves its tokens missing. Categories: the span labels and "none"."""
    rng = np.random.default_rng(100 * n_raters + n_categories)
    size = n_categories - 1
    for _ in range(15):
        n_docs = int(rng.integers(1, 5))
        n_tokens = rng.integers(0, 30, size=n_docs)
        coverage = rng.random((n_docs, n_raters)) < 0.7
        stay = rng.uniform(0.3, 0.9)  # how long a label runs on
        rows: list[tuple[int, int, int, int, int]] = []
        overall: list[list[float]] = [[] for _ in range(n_raters)]
        members: list[list[list[float]]] = [[[] for _ in range(n_raters)] for _ in range(size)]
        for d in range(n_docs):
            for r in range(n_raters):
                labels: list[int] = []
                for _ in range(int(n_tokens[d])):
                    keep = labels and rng.random() < stay
                    labels.append(labels[-1] if keep else int(rng.integers(-1, size)))
                if coverage[d, r]:
                    rows += [(d, r, c, a, b) for c, a, b in _runs(labels)]
                for t in range(int(n_tokens[d])):
                    judged = bool(coverage[d, r])
                    overall[r].append((size if labels[t] < 0 else labels[t]) if judged else np.nan)
                    for c in range(size):
                        members[c][r].append(float(labels[t] == c) if judged else np.nan)
        table = np.asarray(rows, dtype=np.int64).reshape(-1, 5)
        data = TokenInput(n_tokens.astype(np.int64), coverage, *table.T, size,
                          list(range(size)))
        result = TokenGrid(data).alpha()
        _check(result, overall, members, size)
        expected_tokens = int(sum(n for n, c in zip(n_tokens, coverage, strict=True)
                                  if c.sum() >= 2))
        assert result.n_tokens == expected_tokens


@pytest.mark.parametrize(("n_raters", "size"), [(3, 4), (16, 3), (2, 64)])
def test_overlapping_spans_take_the_priority_label(n_raters: int, size: int) -> None:
    """Random overlapping spans, resolved token by token here; (16, 3) and (2, 64) take
    the general path (too many raters or labels for one integer per run)."""
    rng = np.random.default_rng(size * n_raters)
    names = [f"L{c}" for c in range(size)]
    priority = priority_order(names, [f"L{c}" for c in rng.permutation(size)])
    rank = {c: position for position, c in enumerate(priority)}
    for _ in range(6):
        n_tokens = int(rng.integers(1, 25))
        spans = [(r, c, a, int(rng.integers(a + 1, n_tokens + 1)))
                 for r in range(n_raters) for _ in range(int(rng.integers(0, 5)))
                 for c, a in [(int(rng.integers(0, size)), int(rng.integers(0, n_tokens)))]]
        overall = [[0.0] * n_tokens for _ in range(n_raters)]
        members = [[[0.0] * n_tokens for _ in range(n_raters)] for _ in range(size)]
        for r in range(n_raters):
            for t in range(n_tokens):
                covering = {c for rr, c, a, b in spans if rr == r and a <= t < b}
                overall[r][t] = min(covering, key=rank.__getitem__) if covering else size
                for c in covering:
                    members[c][r][t] = 1.0
        table = np.asarray([(0, r, c, a, b) for r, c, a, b in spans], np.int64).reshape(-1, 5)
        data = TokenInput(np.asarray([n_tokens]), np.ones((1, n_raters), bool), *table.T, size,
                          priority)
        _check(TokenGrid(data).alpha(), overall, members, size)


def test_worked_example_by_hand() -> None:
    """Two annotators, one sentence, SOURCE / CUE / CONTENT drawn slightly differently.

        token     The   minister  said  the  plan  failed  .
        alice     SRC   SRC       CUE   CON  CON   CON     -
        bob       -     SRC       CUE   CON  CON   CON     CON

    Seven tokens judged twice: n = 14 pairable values. Each token adds 2 to the diagonal
    when both agree, else 1 to each of the two off-diagonal cells. Coincidences:

                  SOURCE  CUE  CONTENT  none  | n_c
        SOURCE       2     0      0       1   |  3
        CUE          0     2      0       0   |  2
        CONTENT      0     0      6       1   |  7
        none         1     0      1       0   |  2

    alpha = 1 - (n - 1) * sum(off-diagonal) / (n^2 - sum n_c^2)
          = 1 - 13 * 4 / (196 - (9 + 4 + 49 + 4)) = 1 - 52 / 130 = 0.600

    Per label, inside vs outside: CONTENT disagrees on "." only: inside 7, outside 7,
    1 - 13 * 2 / (2 * 7 * 7) = 0.735; SOURCE on "The": 1 - 13 * 2 / (2 * 3 * 11) = 0.606;
    CUE agrees everywhere: 1.000; CLAIM is never used: undefined.
    """
    text = "The minister said the plan failed."
    assert words(text) == ["The", "minister", "said", "the", "plan", "failed", "."]

    def span(uid: str, phrase: str, label: str) -> SpanUnit:
        start = text.index(phrase)
        return SpanUnit(uid, start, start + len(phrase), label)

    alice = [span("a1", "The minister", "SOURCE"), span("a2", "said", "CUE"),
             span("a3", "the plan failed", "CONTENT")]
    bob = [span("b1", "minister", "SOURCE"), span("b2", "said", "CUE"),
           span("b3", "the plan failed.", "CONTENT")]
    doc = with_tokens(DocAnnotations("d", "t", len(text), 0, {
        "alice": AnnotatorWork("done", spans=alice), "bob": AnnotatorWork("done", spans=bob),
    }), text)
    assert doc.n_tokens == 7
    assert [(s.token_start, s.token_end) for s in doc.annotators["bob"].spans] == [
        (1, 2), (2, 3), (3, 7)]
    spans = report.build([doc], block_labels=["content"], ordinal_values={},
                         span_labels=LABELS)["spans"]
    assert round(spans["token_alpha"], 3) == 0.600
    assert (spans["n_tokens"], spans["n_judgements"]) == (7, 14)
    per_label = spans["per_label"]
    assert round(per_label["CONTENT"]["token_alpha"], 3) == 0.735
    assert round(per_label["SOURCE"]["token_alpha"], 3) == 0.606
    assert round(per_label["CUE"]["token_alpha"], 3) == 1.000
    assert per_label["CLAIM"]["token_alpha"] is None
    assert [per_label[label]["n_judgements"] for label in LABELS] == [0, 3, 2, 7]
    # The same spans, a different measure: unitizing alpha weighs the boundary slips by
    # their squared length in characters.
    assert round(spans["micro"]["alpha_u"], 3) != 0.600


# --- the rules in the report ------------------------------------------------------------------


def _doc(doc_id: str, text: str, **spans: list[tuple[str, str]]) -> DocAnnotations:
    works = {}
    for name, marked in spans.items():
        units = []
        for index, (phrase, label) in enumerate(marked):
            start = text.index(phrase)
            units.append(SpanUnit(f"{name}{index}", start, start + len(phrase), label))
        works[name] = AnnotatorWork("done", spans=units)
    return with_tokens(DocAnnotations(doc_id, doc_id, len(text), 0, works), text)


def _build(docs: list[DocAnnotations], **options: Any) -> dict[str, Any]:
    return report.build(docs, block_labels=["content"], ordinal_values={}, span_labels=LABELS,
                        **options)


def test_a_claim_inside_content_keeps_content_so_a_wobble_on_claim_costs_nothing() -> None:
    """Priority, not span length, picks the label. Both mark the same CONTENT; alice's
    CLAIM inside it is one token shorter than bob's. With "innermost span wins" alice's
    "the" would be CONTENT and bob's CLAIM (or a tie-break would decide); with the
    priority both are CONTENT, so overall token alpha is untouched and only the CLAIM
    figure (membership, one label at a time) sees the difference."""
    text = "Officials said the bridge will reopen in May after repairs."
    content = "the bridge will reopen in May"
    docs = [_doc("d", text,
                 alice=[("Officials", "SOURCE"), ("said", "CUE"), (content, "CONTENT"),
                        ("bridge will reopen in May", "CLAIM")],
                 bob=[("Officials", "SOURCE"), ("said", "CUE"), (content, "CONTENT"),
                      (content, "CLAIM")])]
    spans = _build(docs)["spans"]
    assert spans["token_alpha"] == pytest.approx(1.0)
    assert spans["token_label_priority"] == ["CUE", "SOURCE", "CONTENT", "CLAIM"]
    assert spans["token_overlaps_resolved"] == 5 + 6  # tokens under CONTENT and CLAIM
    assert spans["per_label"]["CLAIM"]["token_alpha"] < 1.0
    assert spans["per_label"]["CLAIM"]["n_judgements"] == 11
    assert spans["per_label"]["CONTENT"]["token_alpha"] == pytest.approx(1.0)
    assert list(PRIORITY) == ["CUE", "SOURCE", "CONTENT", "CLAIM"]


def test_only_documents_done_by_two_count_and_untokenized_ones_are_counted_as_left_out() -> None:
    text = "The mayor said the vote was fair."
    counted = _doc("counted", text, alice=[("The mayor", "SOURCE")], bob=[("mayor", "SOURCE")])
    alone = _doc("alone", text, alice=[("The mayor", "SOURCE")])
    bare = DocAnnotations("bare", "bare", len(text), 0, {
        "alice": AnnotatorWork("done", spans=[SpanUnit("x", 0, 3, "SOURCE")]),
        "bob": AnnotatorWork("done")})
    result = _build([counted, alone, bare])
    assert result["n_documents"] == 2
    assert result["spans"]["n_tokens"] == counted.n_tokens == 8
    assert result["excluded"]["documents_without_tokens"] == 1
    # A span whose token range does not fit the document takes the document out too.
    broken = DocAnnotations("broken", "b", len(text), 0, {
        "alice": AnnotatorWork("done", spans=[SpanUnit("y", 0, 3, "SOURCE", 0, 99)]),
        "bob": AnnotatorWork("done")}, n_tokens=8)
    assert _build([broken])["excluded"]["documents_without_tokens"] == 1


def test_pairs_carry_token_alpha_equal_to_a_report_of_the_pair_alone() -> None:
    text = "Aides said on Monday that the senator would resign, according to two sources."
    docs = [_doc("d1", text,
                 alice=[("Aides", "SOURCE"), ("said", "CUE"), ("the senator would resign", "CONTENT")],
                 bob=[("Aides", "SOURCE"), ("said on Monday", "CUE"),
                      ("the senator would resign,", "CONTENT")],
                 carol=[("two sources", "SOURCE"), ("according to", "CUE")])]
    result = _build(docs)
    for pair in result["pairs"]:
        alone = _build(docs, annotators=pair["annotators"])["spans"]
        assert pair["spans"]["token_alpha"] == pytest.approx(alone["token_alpha"])
        assert pair["spans"]["n_tokens"] == alone["n_tokens"]
        for label in LABELS:
            got = pair["spans"]["per_label"][label]["token_alpha"]
            want = alone["per_label"][label]["token_alpha"]
            assert (got is None and want is None) or got == pytest.approx(want)


def test_one_document_helper_and_the_definitions_side_by_side() -> None:
    result, categories = token_alpha(
        [("a", 0, 2, "SOURCE"), ("b", 1, 2, "SOURCE"), ("b", 3, 4, "CUE")],
        n_tokens=6, raters=["a", "b", "c"], labels=["SOURCE", "CUE"])
    assert categories == ["SOURCE", "CUE"] and result.n_tokens == 6
    assert result.n_judgements == 18

    definitions = _build([_doc("d", "A said b.", alice=[("A", "SOURCE")],
                               bob=[("A", "SOURCE")])])["definitions"]
    keys = list(definitions)
    at = keys.index("spans.alpha_u")
    assert keys[at + 1 : at + 4] == ["spans.token_alpha", "spans.per_label.token_alpha",
                                     "spans.token_alpha_vs_alpha_u"]
    assert "PARC 3.0" in definitions["spans.token_alpha_vs_alpha_u"]
    assert "CUE > SOURCE > CONTENT > CLAIM" in definitions["spans.token_alpha"]
    json.dumps(definitions)
