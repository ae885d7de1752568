"""The agreement report as text, CSV and one self-contained HTML page with SVG charts.

Pure string building. The tables come from ``core.report_tables`` (built once from the
dict of ``core.agreement.report.build``, and read by the Agreement window too); this
module only lays them out for a terminal, a spreadsheet or a browser, and draws the SVG
charts (``bar_chart_svg``, ``heatmap_svg``) that the window's chart panes show as well,
so every view shows the same numbers. An undefined figure (``None`` in the report)
prints as ``n/a``.

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
from html import escape
from typing import Any

from annotator.core.csv_safe import SafeWriter
from annotator.core.report_tables import (
    CSV_COLUMNS,
    DEFINITIONS_AT_THE_END,
    LAYER_TITLES,
    MEASURE_TITLES,
    NA,
    SPAN_LABEL_HEADER,
    TOKEN_ALPHA_NOTE,
    Figure,
    ReportTables,
    Table,
    excluded_rows,
    figures,
    fmt,
    nothing_to_compare,
    summary_line,
)

__all__ = [
    "CSV_COLUMNS", "LAYER_TITLES", "MEASURE_TITLES", "NA", "SPAN_LABEL_HEADER",
    "TOKEN_ALPHA_NOTE", "Figure", "ReportTables", "axis_ticks", "bar_chart_svg", "charts",
    "excluded_rows", "figures", "fmt", "heat_color", "heatmap_svg", "nothing_to_compare",
    "summary_line", "to_csv", "to_html", "to_text",
]


# -- text ------------------------------------------------------------------------------------


def _text_table(table: Table) -> str:
    body = [list(table.columns), *[list(row) for row in table.rows]]
    widths = [max(len(row[i]) for row in body) for i in range(len(table.columns))]
    right = table.numeric

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


def to_text(report: Mapping[str, Any], *, top: int = 20, title: str = "Agreement") -> str:
    """A plain-text report for a terminal: overall, per label, per pair, worst documents."""
    tables = ReportTables(report)
    out = [title, "=" * len(title), tables.summary, ""]
    for table in (tables.overall, tables.per_label):
        out += [table.title, _text_table(table.mapped("layer", str.lower)), ""]
    note = TOKEN_ALPHA_NOTE.replace(DEFINITIONS_AT_THE_END, "Definitions: --format json or html.")
    out[-1:] = ["", textwrap.fill(note, 92), ""]
    out += [tables.pairs_compact.title, _text_table(tables.pairs_compact), ""]
    shown = tables.documents(top)
    narrow = (shown.pick("#", "disagreement", "blocks", "spans", "relations", "doc labels",
                         "title", "id")
              .renamed({"disagreement": "score"})
              .mapped("title", lambda text: _short(text, 48)))
    out += [f"{shown.title} (top {len(shown.rows):,} of {tables.n_documents:,})",
            _text_table(narrow), ""]
    out += ["Excluded", _text_table(tables.excluded), ""]
    return "\n".join(out)


# -- CSV -------------------------------------------------------------------------------------


def to_csv(report: Mapping[str, Any]) -> str:
    """One tidy table: a row per figure, then a row per document, then the exclusions.

    The columns are ``CSV_COLUMNS``, described in ``ReportTables.tidy``. Cells that a
    spreadsheet could read as a formula (titles, names) are neutralised.
    """
    tidy = ReportTables(report).tidy
    buffer = io.StringIO()
    writer = SafeWriter(buffer, lineterminator="\n")  # no formulas from titles or names
    writer.writerow(tidy.columns)
    for row in tidy.rows:
        writer.writerow(row)
    return buffer.getvalue()


# -- SVG charts ------------------------------------------------------------------------------

FONT = "font-family:sans-serif;font-size:12px"
SERIES_COLORS = ("#3f6fb5", "#e08a2c", "#4a9a5b", "#9c5fb5")


def _text_width(text: str, size: float = 12.0) -> float:
    """A generous width in pixels (no font metrics in pure Python): 0.7 em per character,
    enough for capitals, so labels are never cut at the chart's edge."""
    return len(text) * size * 0.7


def _svg_start(title: str, width: int, height: int) -> list[str]:
    """A chart's opening: the ``svg`` element, its accessible title and the visible one."""
    return [
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{FONT}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" style="font-weight:bold">{escape(title)}</text>',
    ]


def _row_label(label_w: float, middle: float, text: str) -> str:
    """A row's name, right-aligned just left of the plot and centred on its row."""
    return (f'<text x="{label_w - 8}" y="{middle + 4:.1f}" '
            f'text-anchor="end">{escape(text)}</text>')


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

    parts = _svg_start(title, width, height)
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
        parts.append(_row_label(label_w, y0 + bar * len(names) / 2, label))
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
    parts = _svg_start(title, width, height)
    for j, name in enumerate(annotators):
        parts.append(f'<text x="{label_w + j * cell + cell / 2:.1f}" y="{top - 6}" '
                     f'text-anchor="middle">{escape(_short(name, 11))}</text>')
    for i, first in enumerate(annotators):
        y = top + i * row_h
        parts.append(_row_label(label_w, y + row_h / 2, first))
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


def charts(report: Mapping[str, Any], tables: ReportTables | None = None) -> dict[str, str]:
    """The report's charts by name: per-label bars of each layer, a heatmap per measure.

    ``tables``, when the caller has them, saves listing the figures again.
    """
    out: dict[str, str] = {}
    listed = tables.figures if tables is not None else figures(report)
    overall = [f for f in listed if f.scope == "overall"]
    out["overall"] = bar_chart_svg(
        "Overall agreement",
        [f"{f.layer.replace('_', ' ') if not f.item else f.item} "
         f"{MEASURE_TITLES.get(f.measure, f.measure)}" for f in overall],
        {"value": [f.value for f in overall]},
        [f.n for f in overall],
    )
    for layer, title, series, count, count_unit in _PER_LABEL_CHARTS:
        entries = report[layer]["per_label"].values()
        if entries:
            out[f"{layer}_per_label"] = bar_chart_svg(
                title, list(report[layer]["per_label"]),
                {name: [entry.get(key) for entry in entries] for name, key in series},
                [entry[count] for entry in entries], count_unit=count_unit,
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


# Per layer: the chart's title, its series (name, the per-label entry's key) and what
# the count beside each label is.
_PER_LABEL_CHARTS = (
    ("blocks", "Blocks: α per label (one vs rest)", [("α", "alpha")], "n_units", "blocks"),
    ("spans", "Spans per label",
     [("F1 exact", "f1_exact"), ("F1 overlap", "f1_overlap"), ("αu", "alpha_u"),
      ("token α", "token_alpha")],
     "n_compared", "spans compared"),
    ("relations", "Relations per label",
     [("F1 strict", "f1_strict"), ("F1 matched", "f1_matched")],
     "n_compared", "relations compared"),
)

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


def _html_table(header: Sequence[str], rows: Iterable[Sequence[str]],
                numeric: Sequence[bool]) -> str:
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




def _html_of(table: Table) -> str:
    return _html_table(table.columns, table.rows, table.numeric)


def to_html(report: Mapping[str, Any], *, top: int = 200, title: str = "Agreement") -> str:
    """One self-contained HTML page: tables with n beside every figure, inline SVG charts."""
    tables = ReportTables(report)
    chart = charts(report, tables)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="muted">{escape(tables.summary)}</p>',
        f'<h2>{escape(tables.overall.title)}</h2><div class="charts">',
        _html_of(tables.overall),
        f"<div>{chart['overall']}</div></div>",
    ]
    sections = ((tables.blocks, "blocks_per_label"), (tables.spans, "spans_per_label"),
                (tables.relations, "relations_per_label"))
    for table, chart_key in sections:
        parts.append(f"<h2>{escape(table.title)}</h2>")
        parts += [f'<p class="muted">{escape(note)}</p>' for note in table.notes]
        parts.append('<div class="charts">')
        parts.append(_html_of(table))
        if chart_key in chart:
            parts.append(f"<div>{chart[chart_key]}</div>")
        parts.append("</div>")
        if table is tables.blocks and report["blocks"]["confusion"]["labels"]:
            parts.append(f"<h3>{escape(tables.confusion.title)}</h3>")
            parts.append(_html_of(tables.confusion))
    if report["doc_labels"]:
        parts.append(f"<h2>{escape(tables.doc_labels.title)}</h2>")
        parts.append(_html_of(tables.doc_labels))
    parts.append(f"<h2>{escape(tables.pairs.title)}</h2>")
    parts.append(_html_of(tables.pairs))
    heatmaps = [svg for key, svg in chart.items() if key.startswith("pairs_")]
    if heatmaps:
        parts.append('<div class="charts">' + "".join(f"<div>{svg}</div>" for svg in heatmaps)
                     + "</div>")
    shown = tables.documents(top)
    parts.append(f"<h2>{escape(shown.title)}</h2><p class=\"muted\">The "
                 f"{len(shown.rows):,} most disputed of {tables.n_documents:,} counted "
                 f"documents; {' '.join(shown.notes)}</p>")
    parts.append(_html_of(shown))
    parts.append(f"<h2>{escape(tables.excluded.title)}</h2>")
    parts.append(_html_of(tables.excluded))
    parts.append("<h2>Definitions</h2><dl>")
    for key, text in tables.definitions:
        parts.append(f"<dt><code>{escape(key)}</code></dt><dd>{escape(text)}</dd>")
    parts.append("</dl></body></html>")
    return "\n".join(parts)
