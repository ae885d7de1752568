"""The agreement report as text, CSV and one self-contained HTML page with SVG charts.

Pure string building over the dict of ``core.agreement.report.build``: the CLI writes
the strings, the GUI shows the same figures (``figures``) in its tables and the same SVG
charts (``bar_chart_svg``, ``heatmap_svg``) in its chart panes, so every view shows the
same numbers. Every figure travels with the number of units behind it (``Figure.n`` and
``Figure.unit``), and an undefined figure (``None`` in the report) prints as ``n/a``.

The HTML page has no script, no external stylesheet, font or image and no URL at all,
so it opens offline and can be mailed as one file. Everything that comes from the data
(titles, labels, annotator names) is HTML-escaped: article titles are scraped text.
"""

from __future__ import annotations

import colorsys
import io
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from annotator.core.csv_safe import SafeWriter

NA = "n/a"

LAYER_TITLES = {
    "blocks": "Blocks",
    "spans": "Spans",
    "relations": "Relations",
    "doc_labels": "Document labels",
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


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure for people: fixed decimals, ``n/a`` when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NA
    return f"{value:.{digits}f}"


def figures(report: Mapping[str, Any]) -> list[Figure]:
    """Every figure of the report (documents aside) as a flat list, in reading order."""
    out: list[Figure] = []
    blocks = report["blocks"]
    for measure in ("alpha", "ac1", "percent_agreement"):
        out.append(Figure("blocks", "overall", "", (), measure, blocks[measure],
                          blocks["n_units"], "blocks"))
    spans = report["spans"]["micro"]
    for measure in ("f1_exact", "f1_overlap"):
        out.append(Figure("spans", "overall", "", (), measure, spans[measure],
                          spans["n_compared"], "spans compared"))
    out.append(Figure("spans", "overall", "", (), "alpha_u", spans["alpha_u"],
                      spans["n_units_alpha_u"], "spans"))
    out.append(_token_figure("overall", "", (), report["spans"]))
    relations = report["relations"]
    for measure in ("f1_strict", "f1_matched"):
        out.append(Figure("relations", "overall", "", (), measure, relations[measure],
                          relations["n_compared"], "relations compared"))
    for name, entry in report["doc_labels"].items():
        out.append(Figure("doc_labels", "overall", name, (), "alpha", entry["alpha"],
                          entry["n_units"], "documents"))

    for label, entry in blocks["per_label"].items():
        out.append(Figure("blocks", "label", label, (), "alpha", entry["alpha"],
                          entry["n_units"], "blocks"))
    for label, entry in report["spans"]["per_label"].items():
        for measure in ("f1_exact", "f1_overlap"):
            out.append(Figure("spans", "label", label, (), measure, entry[measure],
                              entry["n_compared"], "spans compared"))
        out.append(Figure("spans", "label", label, (), "alpha_u", entry["alpha_u"],
                          entry["n_units_alpha_u"], "spans"))
        out.append(_token_figure("label", label, (), entry))
    for label, entry in relations["per_label"].items():
        for measure in ("f1_strict", "f1_matched"):
            out.append(Figure("relations", "label", label, (), measure, entry[measure],
                              entry["n_compared"], "relations compared"))

    for pair in report["pairs"]:
        who = tuple(pair["annotators"])
        b = pair["blocks"]
        for measure in ("kappa", "percent_agreement"):
            out.append(Figure("blocks", "pair", "", who, measure, b[measure], b["n_units"],
                              "blocks"))
        s = pair["spans"]
        for measure in ("f1_exact", "f1_overlap", "alpha_u"):
            out.append(Figure("spans", "pair", "", who, measure, s[measure], s["n_compared"],
                              "spans compared"))
        out.append(_token_figure("pair", "", who, s))
        for label, entry in s["per_label"].items():
            for measure in ("f1_exact", "f1_overlap"):
                out.append(Figure("spans", "pair_label", label, who, measure, entry[measure],
                                  entry["n_compared"], "spans compared"))
            out.append(Figure("spans", "pair_label", label, who, "alpha_u", entry["alpha_u"],
                              entry["n_units_alpha_u"], "spans"))
            out.append(_token_figure("pair_label", label, who, entry))
        r = pair["relations"]
        for measure in ("f1_strict", "f1_matched"):
            out.append(Figure("relations", "pair", "", who, measure, r[measure],
                              r["n_compared"], "relations compared"))
        for name, entry in pair["doc_labels"].items():
            for measure in ("alpha", "agreement"):
                out.append(Figure("doc_labels", "pair", name, who, measure, entry[measure],
                                  entry["n_units"], "documents"))
    return out


def _token_figure(scope: str, item: str, who: tuple[str, ...],
                  entry: Mapping[str, Any]) -> Figure:
    """Token alpha of a spans entry; n is tokens (``.get``: reports saved before token
    alpha existed still show, with n/a)."""
    return Figure("spans", scope, item, who, "token_alpha", entry.get("token_alpha"),
                  entry.get("n_tokens", 0), "tokens")


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


# -- text ------------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[bool]) -> str:
    body = [list(header), *[list(row) for row in rows]]
    widths = [max(len(row[i]) for row in body) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if right[i] else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  " + "  ".join(cells).rstrip()

    rule = "  " + "  ".join("-" * width for width in widths)
    return "\n".join([line(body[0]), rule, *(line(row) for row in body[1:])])


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def pair_table(report: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the per-pair table, shared by the HTML report and the window."""
    header = ["pair", "documents", "blocks κ", "n", "spans F1 exact", "F1 overlap", "n",
              "spans token α", "n tokens", "relations F1 strict", "F1 matched", "n"]
    for name in report["doc_labels"]:
        header += [f"{name} α", "n"]
    rows = []
    for pair in report["pairs"]:
        row = [" / ".join(pair["annotators"]), f"{pair['n_documents']:,}",
               fmt(pair["blocks"]["kappa"]), f"{pair['blocks']['n_units']:,}",
               fmt(pair["spans"]["f1_exact"]), fmt(pair["spans"]["f1_overlap"]),
               f"{pair['spans']['n_compared']:,}", fmt(pair["spans"].get("token_alpha")),
               f"{pair['spans'].get('n_tokens', 0):,}", fmt(pair["relations"]["f1_strict"]),
               fmt(pair["relations"]["f1_matched"]), f"{pair['relations']['n_compared']:,}"]
        for name in report["doc_labels"]:
            entry = pair["doc_labels"].get(name)
            row += [fmt(entry["alpha"]), f"{entry['n_units']:,}"] if entry else [NA, "0"]
        rows.append(row)
    return header, rows


SPAN_LABEL_HEADER = ["label", "F1 exact", "F1 overlap", "n compared", "αu", "n spans (αu)",
                     "token α", "n tokens", "token judgements"]
TOKEN_ALPHA_NOTE = (
    "αu (unitizing) and token α are different measures of the same spans: αu compares the "
    "spans as character ranges, token α compares the label of every token. Compare token α "
    "with corpora that publish token-wise α (PARC 3.0, PolNeAR), αu with those that publish "
    "unitizing α. Definitions at the end."
)


def span_label_row(label: str, entry: Mapping[str, Any]) -> list[str]:
    """One row of the per-label spans table, shared by the HTML report and the window."""
    return [label, fmt(entry["f1_exact"]), fmt(entry["f1_overlap"]),
            f"{entry['n_compared']:,}", fmt(entry["alpha_u"]), f"{entry['n_units_alpha_u']:,}",
            fmt(entry.get("token_alpha")), f"{entry.get('n_tokens', 0):,}",
            f"{entry.get('n_judgements', 0):,}"]


def to_text(report: Mapping[str, Any], *, top: int = 20, title: str = "Agreement") -> str:
    """A plain-text report for a terminal: overall, per label, per pair, worst documents."""
    out = [title, "=" * len(title), summary_line(report), ""]
    all_figures = figures(report)

    def figure_rows(scope: str) -> list[list[str]]:
        return [
            [LAYER_TITLES[f.layer].lower(), f.item, MEASURE_TITLES.get(f.measure, f.measure),
             fmt(f.value), f"{f.n:,}", f.unit]
            for f in all_figures if f.scope == scope
        ]

    out += ["Overall", _table(["layer", "label", "measure", "value", "n", "units"],
                              figure_rows("overall"), [False, False, False, True, True, False]), ""]
    out += ["Per label", _table(["layer", "label", "measure", "value", "n", "units"],
                                figure_rows("label"), [False, False, False, True, True, False]),
            "", textwrap.fill(TOKEN_ALPHA_NOTE.replace(
                "Definitions at the end.", "Definitions: --format json or html."), 92), ""]
    pair_rows = []
    for pair in report["pairs"]:
        row = [" / ".join(pair["annotators"]), f"{pair['n_documents']:,}",
               f"{fmt(pair['blocks']['kappa'])} (n={pair['blocks']['n_units']:,})",
               f"{fmt(pair['spans']['f1_exact'])} / {fmt(pair['spans']['f1_overlap'])} "
               f"(n={pair['spans']['n_compared']:,})",
               f"{fmt(pair['spans'].get('token_alpha'))} "
               f"(n={pair['spans'].get('n_tokens', 0):,} tokens)",
               f"{fmt(pair['relations']['f1_strict'])} (n={pair['relations']['n_compared']:,})"]
        for name in report["doc_labels"]:
            entry = pair["doc_labels"].get(name)
            row.append(f"{fmt(entry['alpha'])} (n={entry['n_units']:,})" if entry else NA)
        pair_rows.append(row)
    header = ["pair", "docs", "blocks κ", "spans F1 exact / overlap", "spans token α",
              "relations F1 strict",
              *[f"{name} α" for name in report["doc_labels"]]]
    out += ["Per annotator pair", _table(header, pair_rows, [False] + [True] * (len(header) - 1)),
            ""]
    docs = report["documents"]
    shown = docs[:top] if top > 0 else docs
    doc_rows = [
        [str(rank), fmt(doc["disagreement"]), *(fmt(doc["layers"].get(layer)) for layer in
                                                 LAYER_TITLES), _short(doc["title"], 48),
         doc["id"][:12]]
        for rank, doc in enumerate(shown, start=1)
    ]
    out += [f"Documents by disagreement (top {len(shown):,} of {len(docs):,})",
            _table(["#", "score", "blocks", "spans", "relations", "doc labels", "title", "id"],
                   doc_rows, [True, True, True, True, True, True, False, False]), ""]
    out += ["Excluded", _table(["what", "count"],
                               [[what, f"{count:,}"] for what, count in excluded_rows(report)],
                               [False, True]), ""]
    return "\n".join(out)


# -- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = ["layer", "scope", "item", "annotators", "measure", "value", "n", "unit", "title"]


def to_csv(report: Mapping[str, Any]) -> str:
    """One tidy table: a row per figure, then a row per document, then the exclusions.

    Columns: layer (blocks, spans, relations, doc_labels, documents, excluded), scope
    (overall, label, pair, pair_label, document, count), item (label, document label name
    or document id), annotators (``a+b`` for a pair), measure, value (empty when
    undefined), n and unit (what the figure rests on), title (documents only).
    """
    buffer = io.StringIO()
    writer = SafeWriter(buffer, lineterminator="\n")  # no formulas from titles or names
    writer.writerow(CSV_COLUMNS)

    def value(number: float | None) -> str:
        return "" if number is None else repr(float(number))

    for f in figures(report):
        writer.writerow([f.layer, f.scope, f.item, "+".join(f.annotators), f.measure,
                         value(f.value), f.n, f.unit, ""])
    for doc in report["documents"]:
        who = "+".join(doc["annotators"])
        writer.writerow(["documents", "document", doc["id"], who, "disagreement",
                         value(doc["disagreement"]), doc["n_blocks"], "blocks", doc["title"]])
        for layer, score in doc["layers"].items():
            writer.writerow(["documents", "document", doc["id"], who, f"disagreement_{layer}",
                             value(score), doc["n_blocks"], "blocks", doc["title"]])
    for key, count in _flat_excluded(report["excluded"]):
        writer.writerow(["excluded", "count", key, "", "count", count, count, "", ""])
    return buffer.getvalue()


def _flat_excluded(excluded: Mapping[str, Any]) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    for key, count in excluded.items():
        if isinstance(count, Mapping):
            rows += [(f"{key}.{sub}", int(n)) for sub, n in sorted(count.items())]
        else:
            rows.append((key, int(count)))
    return rows


# -- SVG charts ------------------------------------------------------------------------------

FONT = "font-family:sans-serif;font-size:12px"
SERIES_COLORS = ("#3f6fb5", "#e08a2c", "#4a9a5b", "#9c5fb5")


def _text_width(text: str, size: float = 12.0) -> float:
    """A generous width in pixels (no font metrics in pure Python): 0.7 em per character,
    enough for capitals, so labels are never cut at the chart's edge."""
    return len(text) * size * 0.7


def bar_chart_svg(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    counts: Sequence[int],
    *,
    count_unit: str = "",
    width: int = 560,
) -> str:
    """Horizontal grouped bars, one group per label, one bar per series, value at its end.

    The scale runs from min(0, lowest value) to 1 so coefficients of different charts
    compare at a glance; a zero line marks chance for alpha-type figures. ``counts`` are
    written at the right of each group: how many units the label's figures rest on.
    """
    names = list(series)
    bar, gap = 14, 10
    label_w = max([_text_width(label) for label in labels] + [40.0]) + 12
    count_texts = [f"n={count:,}" for count in counts]
    count_w = max([_text_width(text) for text in count_texts] + [40.0]) + 10
    legend_h = 22 if len(names) > 1 else 0  # one series: its name is the title's
    top = 26 + legend_h
    group_h = bar * len(names) + gap
    height = top + group_h * len(labels) + 24
    lowest = min([0.0] + [v for values in series.values() for v in values if v is not None])
    ticks = axis_ticks(lowest)
    low = ticks[0]
    plot_x = label_w
    plot_w = max(width - label_w - count_w - 48, 80)

    def x_of(v: float) -> float:
        return plot_x + (min(max(v, low), 1.0) - low) / (1.0 - low) * plot_w

    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" style="font-weight:bold">{escape(title)}</text>',
    ]
    for i, name in enumerate(names if legend_h else []):
        lx = plot_x + i * 120
        parts.append(f'<rect x="{lx}" y="{26}" width="12" height="12" '
                     f'fill="{SERIES_COLORS[i % len(SERIES_COLORS)]}"/>')
        parts.append(f'<text x="{lx + 16}" y="{36}">{escape(name)}</text>')
    for tick in ticks:
        x = x_of(tick)
        color = "#888" if tick == 0 else "#ddd"
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" '
                     f'y2="{height - 20}" stroke="{color}"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'fill="#555">{tick:g}</text>')
    for row, label in enumerate(labels):
        y0 = top + row * group_h
        parts.append(f'<text x="{label_w - 8}" y="{y0 + bar * len(names) / 2 + 4:.1f}" '
                     f'text-anchor="end">{escape(label)}</text>')
        for i, name in enumerate(names):
            value = series[name][row]
            y = y0 + i * bar
            color = SERIES_COLORS[i % len(SERIES_COLORS)]
            if value is None:
                parts.append(f'<text x="{x_of(0.0) + 4:.1f}" y="{y + bar - 3}" '
                             f'fill="#888">{NA}</text>')
                continue
            x0, x1 = sorted((x_of(0.0), x_of(value)))
            parts.append(f'<rect x="{x0:.1f}" y="{y + 1}" width="{max(x1 - x0, 1):.1f}" '
                         f'height="{bar - 2}" fill="{color}"><title>{escape(label)} '
                         f'{escape(name)}: {fmt(value)}</title></rect>')
            parts.append(f'<text x="{max(x1, x_of(0.0)) + 4:.1f}" y="{y + bar - 3}">'
                         f"{fmt(value)}</text>")
        parts.append(f'<text x="{width - 4}" y="{y0 + bar * len(names) / 2 + 4:.1f}" '
                     f'text-anchor="end" fill="#555">{escape(count_texts[row])}</text>')
    if count_unit:
        parts.append(f'<text x="{width - 4}" y="16" text-anchor="end" '
                     f'fill="#555">n = {escape(count_unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def axis_ticks(lowest: float) -> list[float]:
    """Round ticks from a round value at or below ``lowest`` (never below -1) up to 1.

    A negative coefficient such as -0.112146 starts the axis at -0.25, not at itself, so
    every tick reads as a short number.
    """
    if lowest >= 0:
        return [0.0, 0.25, 0.5, 0.75, 1.0]
    step = 0.25 if lowest >= -0.5 else 0.5
    low = max(-1.0, math.floor(lowest / step) * step)
    count = round((1.0 - low) / step)
    return [round(low + k * step, 2) for k in range(count + 1)]


def confusion_table(report: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The blocks' confusion matrix as header and rows (window and HTML show the same)."""
    confusion = report["blocks"]["confusion"]
    labels = list(confusion["labels"])
    rows = [[label] + [f"{v:,}" for v in row]
            for label, row in zip(labels, confusion["matrix"], strict=True)]
    return ["", *labels], rows


def confusion_title(report: Mapping[str, Any]) -> str:
    return (f"Confusion: pairs of judgements on one block "
            f"(n = {report['blocks']['confusion']['n_pairs']:,})")


def heat_color(value: float | None) -> str:
    """Red (0 or below) through yellow to green (1); grey when undefined.

    Hex, not ``hsl()``: Qt's SVG renderer (SVG Tiny) does not know CSS colour functions.
    """
    if value is None:
        return "#e0e0e0"
    v = min(max(value, 0.0), 1.0)
    red, green, blue = colorsys.hls_to_rgb(v / 3.0, 0.78 - 0.1 * v, 0.7)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def heatmap_svg(
    title: str,
    annotators: Sequence[str],
    cells: Mapping[tuple[str, str], tuple[float | None, int]],
    *,
    cell: int = 78,
) -> str:
    """A symmetric annotator x annotator matrix: each cell its figure and its n.

    ``cells`` maps (first, second) -> (value, n); either order is looked up, the
    diagonal is left empty (an annotator agrees with themselves by definition).
    """
    label_w = max([_text_width(name) for name in annotators] + [40.0]) + 12
    top = 30 + 18
    size = len(annotators)
    width = int(label_w + cell * size + 8)
    height = top + cell // 2 * size + 8
    row_h = cell // 2
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" style="font-weight:bold">{escape(title)}</text>',
    ]
    for j, name in enumerate(annotators):
        parts.append(f'<text x="{label_w + j * cell + cell / 2:.1f}" y="{top - 6}" '
                     f'text-anchor="middle">{escape(_short(name, 11))}</text>')
    for i, first in enumerate(annotators):
        y = top + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.1f}" '
                     f'text-anchor="end">{escape(first)}</text>')
        for j, second in enumerate(annotators):
            x = label_w + j * cell
            if i == j:
                parts.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{row_h - 2}" '
                             'fill="#f5f5f5"/>')
                continue
            value, n = cells.get((first, second), cells.get((second, first), (None, 0)))
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{row_h - 2}" '
                f'fill="{heat_color(value)}"><title>{escape(first)} / {escape(second)}: '
                f"{fmt(value)} (n={n:,})</title></rect>"
            )
            parts.append(f'<text x="{x + cell / 2 - 1:.1f}" y="{y + 15}" text-anchor="middle" '
                         f'style="font-weight:bold">{fmt(value)}</text>')
            parts.append(f'<text x="{x + cell / 2 - 1:.1f}" y="{y + 30}" text-anchor="middle" '
                         f'fill="#333" style="font-size:10px">n={n:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def charts(report: Mapping[str, Any]) -> dict[str, str]:
    """The report's charts by name: per-label bars of each layer, a heatmap per measure."""
    out: dict[str, str] = {}
    overall = [f for f in figures(report) if f.scope == "overall"]
    out["overall"] = bar_chart_svg(
        "Overall agreement",
        [f"{f.layer.replace('_', ' ') if not f.item else f.item} "
         f"{MEASURE_TITLES.get(f.measure, f.measure)}" for f in overall],
        {"value": [f.value for f in overall]},
        [f.n for f in overall],
    )
    blocks = report["blocks"]["per_label"]
    if blocks:
        out["blocks_per_label"] = bar_chart_svg(
            "Blocks: α per label (one vs rest)", list(blocks),
            {"α": [entry["alpha"] for entry in blocks.values()]},
            [entry["n_units"] for entry in blocks.values()], count_unit="blocks",
        )
    spans = report["spans"]["per_label"]
    if spans:
        out["spans_per_label"] = bar_chart_svg(
            "Spans per label", list(spans),
            {"F1 exact": [entry["f1_exact"] for entry in spans.values()],
             "F1 overlap": [entry["f1_overlap"] for entry in spans.values()],
             "αu": [entry["alpha_u"] for entry in spans.values()],
             "token α": [entry.get("token_alpha") for entry in spans.values()]},
            [entry["n_compared"] for entry in spans.values()], count_unit="spans compared",
        )
    relations = report["relations"]["per_label"]
    if relations:
        out["relations_per_label"] = bar_chart_svg(
            "Relations per label", list(relations),
            {"F1 strict": [entry["f1_strict"] for entry in relations.values()],
             "F1 matched": [entry["f1_matched"] for entry in relations.values()]},
            [entry["n_compared"] for entry in relations.values()],
            count_unit="relations compared",
        )
    annotators = report["annotators"]
    if len(annotators) >= 2:
        for key, title, pick in _HEATMAPS:
            cells = {
                (pair["annotators"][0], pair["annotators"][1]): pick(pair)
                for pair in report["pairs"]
            }
            out[key] = heatmap_svg(title, annotators, cells)
        for name in report["doc_labels"]:
            cells = {}
            for pair in report["pairs"]:
                entry = pair["doc_labels"].get(name)
                cells[(pair["annotators"][0], pair["annotators"][1])] = (
                    (entry["alpha"], entry["n_units"]) if entry else (None, 0)
                )
            out[f"pairs_doc_label_{name}"] = heatmap_svg(f"Pairs: {name} α", annotators, cells)
    return out


_HEATMAPS = (
    ("pairs_blocks", "Pairs: blocks κ",
     lambda pair: (pair["blocks"]["kappa"], pair["blocks"]["n_units"])),
    ("pairs_spans", "Pairs: spans F1 overlap",
     lambda pair: (pair["spans"]["f1_overlap"], pair["spans"]["n_compared"])),
    ("pairs_spans_tokens", "Pairs: spans token α",
     lambda pair: (pair["spans"].get("token_alpha"), pair["spans"].get("n_tokens", 0))),
    ("pairs_relations", "Pairs: relations F1 matched",
     lambda pair: (pair["relations"]["f1_matched"], pair["relations"]["n_compared"])),
)


# -- HTML ------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:70em;
color:#222;line-height:1.4;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6em 0}
th,td{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
th{background:#f6f6f6}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.n{color:#666;text-align:right;font-size:.9em}
.charts{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
.muted{color:#666}code{font-size:.9em}
"""


def _td(value: Any, css: str = "num") -> str:
    return f'<td class="{css}">{escape(str(value))}</td>'


def _html_table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[bool]) -> str:
    head = "".join(
        f'<th class="num">{escape(h)}</th>' if numeric[i] else f"<th>{escape(h)}</th>"
        for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>" + "".join(_td(cell, "num" if numeric[i] else "txt") for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: Mapping[str, Any], *, top: int = 200, title: str = "Agreement") -> str:
    """One self-contained HTML page: tables with n beside every figure, inline SVG charts."""
    all_figures = figures(report)
    chart = charts(report)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">{escape(summary_line(report))}</p>',
        '<h2>Overall</h2><div class="charts">',
        _html_table(
            ["layer", "label", "measure", "value", "n", "units"],
            [[LAYER_TITLES[f.layer], f.item, MEASURE_TITLES.get(f.measure, f.measure),
              fmt(f.value), f"{f.n:,}", f.unit]
             for f in all_figures if f.scope == "overall"],
            [False, False, False, True, True, False],
        ),
        f"<div>{chart['overall']}</div></div>",
    ]
    sections = (
        ("blocks", "Blocks per label", "blocks_per_label",
         ["label", "α", "n blocks", "judgements"],
         lambda label, e: [label, fmt(e["alpha"]), f"{e['n_units']:,}",
                           f"{e['n_judgements']:,}"]),
        ("spans", "Spans per label", "spans_per_label", SPAN_LABEL_HEADER, span_label_row),
        ("relations", "Relations per label", "relations_per_label",
         ["label", "F1 strict", "F1 matched", "n compared"],
         lambda label, e: [label, fmt(e["f1_strict"]), fmt(e["f1_matched"]),
                           f"{e['n_compared']:,}"]),
    )
    for layer, heading, chart_key, header, row in sections:
        per_label = report[layer]["per_label"]
        parts.append(f"<h2>{escape(heading)}</h2>")
        if layer == "spans":
            parts.append(f'<p class="muted">{escape(TOKEN_ALPHA_NOTE)}</p>')
        parts.append('<div class="charts">')
        parts.append(_html_table(header, [row(label, e) for label, e in per_label.items()],
                                 [False] + [True] * (len(header) - 1)))
        if chart_key in chart:
            parts.append(f"<div>{chart[chart_key]}</div>")
        parts.append("</div>")
        if layer == "blocks" and report["blocks"]["confusion"]["labels"]:
            header_c, rows_c = confusion_table(report)
            parts.append(f"<h3>{escape(confusion_title(report))}</h3>")
            parts.append(_html_table(header_c, rows_c, [False] + [True] * (len(header_c) - 1)))
    if report["doc_labels"]:
        parts.append("<h2>Document labels</h2>")
        parts.append(_html_table(
            ["label", "metric", "α", "n documents", "ratings"],
            [[name, e["metric"], fmt(e["alpha"]), f"{e['n_units']:,}", f"{e['n_values']:,}"]
             for name, e in report["doc_labels"].items()],
            [False, False, True, True, True],
        ))
    parts.append("<h2>Annotator pairs</h2>")
    pair_header, pair_rows = pair_table(report)
    parts.append(_html_table(pair_header, pair_rows, [False] + [True] * (len(pair_header) - 1)))
    heatmaps = [svg for key, svg in chart.items() if key.startswith("pairs_")]
    if heatmaps:
        parts.append('<div class="charts">' + "".join(f"<div>{svg}</div>" for svg in heatmaps)
                     + "</div>")
    docs = report["documents"]
    shown = docs[:top] if top > 0 else docs
    parts.append(f"<h2>Documents by disagreement</h2><p class=\"muted\">The {len(shown):,} "
                 f"most disputed of {len(docs):,} counted documents; 0 = full agreement.</p>")
    parts.append(_html_table(
        ["#", "disagreement", "blocks", "spans", "relations", "doc labels", "title",
         "annotators", "id"],
        [[str(rank), fmt(doc["disagreement"]),
          *(fmt(doc["layers"].get(layer)) for layer in LAYER_TITLES), doc["title"],
          ", ".join(doc["annotators"]), doc["id"][:12]]
         for rank, doc in enumerate(shown, start=1)],
        [True, True, True, True, True, True, False, False, False],
    ))
    parts.append("<h2>Left out</h2>")
    parts.append(_html_table(["what", "count"],
                             [[what, f"{count:,}"] for what, count in excluded_rows(report)],
                             [False, True]))
    parts.append("<h2>Definitions</h2><dl>")
    for key, text in report.get("definitions", {}).items():
        parts.append(f"<dt><code>{escape(key)}</code></dt><dd>{escape(text)}</dd>")
    parts.append("</dl></body></html>")
    return "\n".join(parts)
