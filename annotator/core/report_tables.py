"""The agreement report as typed tables: built once, read by every view.

``ReportTables`` turns the dict of ``core.agreement.report.build`` into ``Table``
objects (title, columns, formatted rows, which columns are numeric, notes). The text,
HTML and CSV renderers (``core.report_render``) and the Agreement window lay out the same
tables, so a figure cannot read one way in the window and another in a saved report. A
view may pick columns, rename a header or shorten a cell for its medium; it never
recomputes a figure.

Every figure travels with the number of units behind it (``Figure.n`` and
``Figure.unit``), and an undefined figure (``None`` in the report) reads ``n/a``.

It reads the report dict only and sits outside ``core.agreement``, whose package loads
NumPy: the command line imports the renderers when it builds its parser and must start
without NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from annotator.core.vocabulary import Layer

NA = "n/a"

LAYER_TITLES = {
    Layer.BLOCKS: "Blocks",
    Layer.SPANS: "Spans",
    Layer.RELATIONS: "Relations",
    Layer.DOC_LABELS: "Document labels",
}

MEASURE_TITLES = {
    "alpha": "α",
    "ac1": "AC1",
    "kappa": "κ",
    "percent_agreement": "% agree",
    "agreement": "% agree",
    "f1_exact": "F1 exact",
    "f1_overlap": "F1 overlap",
    "alpha_u": "αu",
    "token_alpha": "token α",
    "f1_strict": "F1 strict",
    "f1_matched": "F1 matched",
    "disagreement": "disagreement",
}

SPAN_LABEL_HEADER = ["label", "F1 exact", "F1 overlap", "n compared", "αu", "n spans (αu)",
                     "token α", "n tokens", "token judgements"]
TOKEN_ALPHA_NOTE = (
    "αu (unitizing) and token α are different measures of the same spans: αu compares the "
    "spans as character ranges, token α compares the label of every token. Compare token α "
    "with corpora that publish token-wise α (PARC 3.0, PolNeAR), αu with those that publish "
    "unitizing α. Definitions at the end."
)
DEFINITIONS_AT_THE_END = "Definitions at the end."
"""The note's last sentence, which each medium replaces with where its definitions are."""

DOCUMENT_COLUMNS = ("#", "disagreement", "blocks", "spans", "relations", "doc labels",
                    "title", "annotators", "id")
CSV_COLUMNS = ["layer", "scope", "item", "annotators", "measure", "value", "n", "unit", "title"]


@dataclass(frozen=True, slots=True)
class Figure:
    """One number of the report with what it is about and how many units it rests on.

    ``scope`` is ``overall``, ``label`` (one label of the layer, named in ``item``),
    ``pair`` (``annotators`` holds the two names) or ``pair_label``; for document labels
    ``item`` names the label (``sourcing``).
    """

    layer: str
    scope: str
    item: str
    annotators: tuple[str, ...]
    measure: str
    value: float | None
    n: int
    unit: str


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells ready to show; ``numeric`` says which columns align right."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    notes: tuple[str, ...] = ()

    def index(self, column: str) -> int:
        return self.columns.index(column)

    def pick(self, *columns: str) -> Table:
        """Only ``columns``, in that order (a narrow medium leaves some out)."""
        at = [self.index(column) for column in columns]
        return replace(self, columns=tuple(self.columns[i] for i in at),
                       rows=tuple(tuple(row[i] for i in at) for row in self.rows),
                       numeric=tuple(self.numeric[i] for i in at))

    def renamed(self, names: Mapping[str, str]) -> Table:
        """The same table with some headers worded for the place it is shown."""
        return replace(self, columns=tuple(names.get(c, c) for c in self.columns))

    def mapped(self, column: str, change: Callable[[str], str]) -> Table:
        """The same table with every cell of ``column`` passed through ``change``."""
        at = self.index(column)
        return replace(self, rows=tuple((*row[:at], change(row[at]), *row[at + 1:])
                                        for row in self.rows))


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure for people: fixed decimals, ``n/a`` when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NA
    return f"{value:.{digits}f}"


def _count(value: int) -> str:
    return f"{value:,}"


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]],
           numeric: Sequence[bool], notes: Sequence[str] = ()) -> Table:
    return Table(title, tuple(columns), tuple(tuple(row) for row in rows), tuple(numeric),
                 tuple(notes))


def _label_first(columns: Sequence[str]) -> list[bool]:
    """A label column, then numbers."""
    return [False] + [True] * (len(columns) - 1)


# -- figures ---------------------------------------------------------------------------------


def figures(report: Mapping[str, Any]) -> list[Figure]:
    """Every figure of the report (documents aside) as a flat list, in reading order."""
    out: list[Figure] = []
    blocks = report["blocks"]
    for measure in ("alpha", "ac1", "percent_agreement"):
        out.append(Figure(Layer.BLOCKS, "overall", "", (), measure, blocks[measure],
                          blocks["n_units"], "blocks"))
    spans = report["spans"]["micro"]
    for measure in ("f1_exact", "f1_overlap"):
        out.append(Figure(Layer.SPANS, "overall", "", (), measure, spans[measure],
                          spans["n_compared"], "spans compared"))
    out.append(Figure(Layer.SPANS, "overall", "", (), "alpha_u", spans["alpha_u"],
                      spans["n_units_alpha_u"], "spans"))
    out.append(_token_figure("overall", "", (), report["spans"]))
    relations = report["relations"]
    for measure in ("f1_strict", "f1_matched"):
        out.append(Figure(Layer.RELATIONS, "overall", "", (), measure, relations[measure],
                          relations["n_compared"], "relations compared"))
    for name, entry in report["doc_labels"].items():
        out.append(Figure(Layer.DOC_LABELS, "overall", name, (), "alpha", entry["alpha"],
                          entry["n_units"], "documents"))

    for label, entry in blocks["per_label"].items():
        out.append(Figure(Layer.BLOCKS, "label", label, (), "alpha", entry["alpha"],
                          entry["n_units"], "blocks"))
    for label, entry in report["spans"]["per_label"].items():
        for measure in ("f1_exact", "f1_overlap"):
            out.append(Figure(Layer.SPANS, "label", label, (), measure, entry[measure],
                              entry["n_compared"], "spans compared"))
        out.append(Figure(Layer.SPANS, "label", label, (), "alpha_u", entry["alpha_u"],
                          entry["n_units_alpha_u"], "spans"))
        out.append(_token_figure("label", label, (), entry))
    for label, entry in relations["per_label"].items():
        for measure in ("f1_strict", "f1_matched"):
            out.append(Figure(Layer.RELATIONS, "label", label, (), measure, entry[measure],
                              entry["n_compared"], "relations compared"))

    for pair in report["pairs"]:
        who = tuple(pair["annotators"])
        b = pair["blocks"]
        for measure in ("kappa", "percent_agreement"):
            out.append(Figure(Layer.BLOCKS, "pair", "", who, measure, b[measure], b["n_units"],
                              "blocks"))
        s = pair["spans"]
        for measure in ("f1_exact", "f1_overlap", "alpha_u"):
            out.append(Figure(Layer.SPANS, "pair", "", who, measure, s[measure],
                              s["n_compared"], "spans compared"))
        out.append(_token_figure("pair", "", who, s))
        for label, entry in s["per_label"].items():
            for measure in ("f1_exact", "f1_overlap"):
                out.append(Figure(Layer.SPANS, "pair_label", label, who, measure,
                                  entry[measure], entry["n_compared"], "spans compared"))
            out.append(Figure(Layer.SPANS, "pair_label", label, who, "alpha_u",
                              entry["alpha_u"], entry["n_units_alpha_u"], "spans"))
            out.append(_token_figure("pair_label", label, who, entry))
        r = pair["relations"]
        for measure in ("f1_strict", "f1_matched"):
            out.append(Figure(Layer.RELATIONS, "pair", "", who, measure, r[measure],
                              r["n_compared"], "relations compared"))
        for name, entry in pair["doc_labels"].items():
            for measure in ("alpha", "agreement"):
                out.append(Figure(Layer.DOC_LABELS, "pair", name, who, measure,
                                  entry[measure], entry["n_units"], "documents"))
    return out


def _token_figure(scope: str, item: str, who: tuple[str, ...],
                  entry: Mapping[str, Any]) -> Figure:
    """Token alpha of a spans entry; n is tokens (``.get``: reports saved before token
    alpha existed still show, with n/a)."""
    return Figure(Layer.SPANS, scope, item, who, "token_alpha", entry.get("token_alpha"),
                  entry.get("n_tokens", 0), "tokens")


# -- sentences ---------------------------------------------------------------------------------


def excluded_rows(report: Mapping[str, Any]) -> list[tuple[str, int]]:
    """What was left out and why, as (description, count), every count shown (even 0)."""
    excluded = report["excluded"]
    rows = [
        ("documents in the project", excluded.get("documents_total", 0)),
        ("documents counted (done by at least two)", excluded.get("documents_included", 0)),
        ("documents left out: fewer than two annotators done",
         excluded.get("documents_fewer_than_two_done", 0)),
        ("finished works on documents left out",
         excluded.get("works_done_on_excluded_documents", 0)),
    ]
    for status, count in sorted((excluded.get("works_not_done") or {}).items()):
        rows.append((f"works not done: {status}", count))
    rows += [
        ("works of annotators not selected", excluded.get("works_unselected_annotators", 0)),
        ("block labels outside the document", excluded.get("block_labels_out_of_range", 0)),
        ("spans outside the text or empty", excluded.get("spans_invalid", 0)),
        ("relations to a missing span", excluded.get("relations_dangling", 0)),
        ("document label values outside the scale", excluded.get("doc_label_values_unknown", 0)),
        ("overlapping same-label spans merged for αu",
         excluded.get("spans_merged_for_alpha_u", 0)),
        ("documents counted but not tokenized: left out of token α",
         excluded.get("documents_without_tokens", 0)),
        ("token judgements under several labels: label by priority (token α)",
         report["spans"].get("token_overlaps_resolved", 0)),
    ]
    return rows


def summary_line(report: Mapping[str, Any]) -> str:
    total = report["excluded"].get("documents_total", report["n_documents"])
    per_annotator = report.get("documents_done_by_annotator", report["documents_by_annotator"])
    done = ", ".join(f"{name} {count:,}" for name, count in per_annotator.items())
    return (f"{report['n_documents']:,} of {total:,} documents counted (done by at least two "
            f"annotators); documents done per annotator: {done or 'none'}")


def nothing_to_compare(report: Mapping[str, Any]) -> str | None:
    """One line when the report has no figure at all, else None.

    Agreement needs two annotators who both marked a document done; without that every
    figure would be n/a, and rows of n/a say less than one plain sentence.
    """
    if report["n_documents"] > 0:
        return None
    annotators = list(report["annotators"])
    per_annotator = report.get("documents_done_by_annotator", {})
    done = ", ".join(f"{name} has {per_annotator.get(name, 0):,} done" for name in annotators)
    if len(annotators) < 2:
        who = f"only one annotator ({done})" if annotators else "no annotator's work"
        return (f"Nothing to compare: the project has {who}; agreement needs documents "
                "marked done by at least two annotators.")
    return (f"Nothing to compare: no document is marked done by two annotators yet ({done}); "
            "agreement needs documents marked done by at least two annotators.")


def confusion_title(report: Mapping[str, Any]) -> str:
    return (f"Confusion: pairs of judgements on one block "
            f"(n = {report['blocks']['confusion']['n_pairs']:,})")


def span_label_row(label: str, entry: Mapping[str, Any]) -> list[str]:
    """One row of the per-label spans table."""
    return [label, fmt(entry["f1_exact"]), fmt(entry["f1_overlap"]),
            _count(entry["n_compared"]), fmt(entry["alpha_u"]), _count(entry["n_units_alpha_u"]),
            fmt(entry.get("token_alpha")), _count(entry.get("n_tokens", 0)),
            _count(entry.get("n_judgements", 0))]


def _csv_value(number: float | None) -> str:
    """A figure for machines: full precision, empty when undefined."""
    return "" if number is None else repr(float(number))


def _flat_excluded(excluded: Mapping[str, Any]) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    for key, count in excluded.items():
        if isinstance(count, Mapping):
            rows += [(f"{key}.{sub}", int(n)) for sub, n in sorted(count.items())]
        else:
            rows.append((key, int(count)))
    return rows


# -- the tables ------------------------------------------------------------------------------


class ReportTables:
    """Every table of one report, each built the first time a view asks for it.

    Lazily, because views need different tables: the window never writes the CSV table,
    the text report shows the top documents only.
    """

    def __init__(self, report: Mapping[str, Any]) -> None:
        self.report = report

    @cached_property
    def figures(self) -> list[Figure]:
        return figures(self.report)

    @cached_property
    def summary(self) -> str:
        return summary_line(self.report)

    @cached_property
    def nothing_to_compare(self) -> str | None:
        return nothing_to_compare(self.report)

    def _figure_table(self, title: str, scope: str) -> Table:
        columns = ["layer", "label", "measure", "value", "n", "units"]
        rows = [[LAYER_TITLES[f.layer], f.item, MEASURE_TITLES.get(f.measure, f.measure),
                 fmt(f.value), _count(f.n), f.unit]
                for f in self.figures if f.scope == scope]
        return _table(title, columns, rows, [False, False, False, True, True, False])

    @cached_property
    def overall(self) -> Table:
        """One row per overall figure: every layer's headline numbers."""
        return self._figure_table("Overall", "overall")

    @cached_property
    def per_label(self) -> Table:
        """One row per figure of one label (every layer in one table)."""
        return self._figure_table("Per label", "label")

    @cached_property
    def blocks(self) -> Table:
        columns = ["label", "α", "n blocks", "judgements"]
        rows = [[label, fmt(e["alpha"]), _count(e["n_units"]), _count(e["n_judgements"])]
                for label, e in self.report["blocks"]["per_label"].items()]
        return _table("Blocks per label", columns, rows, _label_first(columns))

    @cached_property
    def confusion(self) -> Table:
        """The blocks' confusion matrix: a row and a column per label."""
        confusion = self.report["blocks"]["confusion"]
        labels = list(confusion["labels"])
        columns = ["", *labels]
        rows = [[label] + [_count(v) for v in row]
                for label, row in zip(labels, confusion["matrix"], strict=True)]
        return _table(confusion_title(self.report), columns, rows, _label_first(columns))

    @cached_property
    def spans(self) -> Table:
        rows = [span_label_row(label, e) for label, e in self.report["spans"]["per_label"].items()]
        return _table("Spans per label", SPAN_LABEL_HEADER, rows,
                      _label_first(SPAN_LABEL_HEADER), [TOKEN_ALPHA_NOTE])

    @cached_property
    def relations(self) -> Table:
        columns = ["label", "F1 strict", "F1 matched", "n compared"]
        rows = [[label, fmt(e["f1_strict"]), fmt(e["f1_matched"]), _count(e["n_compared"])]
                for label, e in self.report["relations"]["per_label"].items()]
        return _table("Relations per label", columns, rows, _label_first(columns))

    @cached_property
    def doc_labels(self) -> Table:
        columns = ["label", "metric", "α", "n documents", "ratings"]
        rows = [[name, e["metric"], fmt(e["alpha"]), _count(e["n_units"]), _count(e["n_values"])]
                for name, e in self.report["doc_labels"].items()]
        return _table("Document labels", columns, rows, [False, False, True, True, True])

    @cached_property
    def pairs(self) -> Table:
        """Per annotator pair, each figure in its own column beside its n."""
        report = self.report
        columns = ["pair", "documents", "blocks κ", "n", "spans F1 exact", "F1 overlap", "n",
                   "spans token α", "n tokens", "relations F1 strict", "F1 matched", "n"]
        for name in report["doc_labels"]:
            columns += [f"{name} α", "n"]
        rows = []
        for pair in report["pairs"]:
            spans, relations = pair["spans"], pair["relations"]
            row = [" / ".join(pair["annotators"]), _count(pair["n_documents"]),
                   fmt(pair["blocks"]["kappa"]), _count(pair["blocks"]["n_units"]),
                   fmt(spans["f1_exact"]), fmt(spans["f1_overlap"]), _count(spans["n_compared"]),
                   fmt(spans.get("token_alpha")), _count(spans.get("n_tokens", 0)),
                   fmt(relations["f1_strict"]), fmt(relations["f1_matched"]),
                   _count(relations["n_compared"])]
            for name in report["doc_labels"]:
                entry = pair["doc_labels"].get(name)
                row += [fmt(entry["alpha"]), _count(entry["n_units"])] if entry else [NA, "0"]
            rows.append(row)
        return _table("Annotator pairs", columns, rows, _label_first(columns))

    @cached_property
    def pairs_compact(self) -> Table:
        """Per annotator pair, each figure with its n in one cell: fits a terminal."""
        report = self.report
        rows = []
        for pair in report["pairs"]:
            spans, relations = pair["spans"], pair["relations"]
            row = [" / ".join(pair["annotators"]), _count(pair["n_documents"]),
                   f"{fmt(pair['blocks']['kappa'])} (n={pair['blocks']['n_units']:,})",
                   f"{fmt(spans['f1_exact'])} / {fmt(spans['f1_overlap'])} "
                   f"(n={spans['n_compared']:,})",
                   f"{fmt(spans.get('token_alpha'))} (n={spans.get('n_tokens', 0):,} tokens)",
                   f"{fmt(relations['f1_strict'])} (n={relations['n_compared']:,})"]
            for name in report["doc_labels"]:
                entry = pair["doc_labels"].get(name)
                row.append(f"{fmt(entry['alpha'])} (n={entry['n_units']:,})" if entry else NA)
            rows.append(row)
        columns = ["pair", "docs", "blocks κ", "spans F1 exact / overlap", "spans token α",
                   "relations F1 strict", *[f"{name} α" for name in report["doc_labels"]]]
        return _table("Per annotator pair", columns, rows, _label_first(columns))

    @property
    def n_documents(self) -> int:
        """Counted documents, all of which the documents table can list."""
        return len(self.report["documents"])

    def documents(self, top: int = 0) -> Table:
        """The ``top`` most disputed documents (every one when ``top`` <= 0), ranked.

        Only the rows asked for are formatted: a project has thousands of documents and a
        page shows the first few hundred.
        """
        listed = self.report["documents"]
        shown = listed[:top] if top > 0 else listed
        rows = [(str(rank), fmt(doc["disagreement"]),
                 *(fmt(doc["layers"].get(layer)) for layer in LAYER_TITLES), doc["title"],
                 ", ".join(doc["annotators"]), doc["id"][:12])
                for rank, doc in enumerate(shown, start=1)]
        return Table("Documents by disagreement", DOCUMENT_COLUMNS, tuple(rows),
                     (True, True, True, True, True, True, False, False, False),
                     ("0 = full agreement.",))

    @cached_property
    def excluded(self) -> Table:
        rows = [[what, _count(count)] for what, count in excluded_rows(self.report)]
        return _table("Left out", ["what", "count"], rows, [False, True])

    @cached_property
    def tidy(self) -> Table:
        """One row per figure, then per document, then per exclusion: the CSV.

        Columns: layer (blocks, spans, relations, doc_labels, documents, excluded), scope
        (overall, label, pair, pair_label, document, count), item (label, document label
        name or document id), annotators (``a+b`` for a pair), measure, value (full
        precision, empty when undefined), n and unit (what the figure rests on), title
        (documents only).
        """
        rows: list[tuple[str, ...]] = [
            (f.layer, f.scope, f.item, "+".join(f.annotators), f.measure, _csv_value(f.value),
             str(f.n), f.unit, "")
            for f in self.figures
        ]
        measures: dict[str, str] = {}
        for doc in self.report["documents"]:
            who = "+".join(doc["annotators"])
            n_blocks, doc_id, title = str(doc["n_blocks"]), doc["id"], doc["title"]
            rows.append(("documents", "document", doc_id, who, "disagreement",
                         _csv_value(doc["disagreement"]), n_blocks, "blocks", title))
            for layer, score in doc["layers"].items():
                measure = measures.get(layer) or measures.setdefault(layer,
                                                                     f"disagreement_{layer}")
                rows.append(("documents", "document", doc_id, who, measure, _csv_value(score),
                             n_blocks, "blocks", title))
        for key, count in _flat_excluded(self.report["excluded"]):
            rows.append(("excluded", "count", key, "", "count", str(count), str(count), "", ""))
        return Table("Agreement", tuple(CSV_COLUMNS), tuple(rows),
                     (False, False, False, False, False, True, True, False, False))

    @cached_property
    def definitions(self) -> list[tuple[str, str]]:
        return list(self.report.get("definitions", {}).items())
