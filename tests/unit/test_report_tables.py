"""The report's tables are built once and every renderer lays out those same tables."""

from __future__ import annotations

import csv
import io
from html import escape
from typing import Any

from annotator.core import report_render
from annotator.core.agreement import report
from annotator.core.agreement.data import AnnotatorWork, DocAnnotations, RelationUnit, SpanUnit
from annotator.core.csv_safe import neutral_cell
from annotator.core.report_tables import CSV_COLUMNS, ReportTables, Table, fmt

BLOCKS = ["content", "navigation", "caption"]
SPANS = ["CLAIM", "SOURCE"]
SOURCING = ["well_sourced", "partly_sourced", "poorly_sourced"]


def _work(blocks: dict[int, str], spans: list[tuple[str, int, int, str]], rating: str,
          linked: bool = True) -> AnnotatorWork:
    relations = [RelationUnit("s", "c", "ATTRIBUTION")] if linked else []
    return AnnotatorWork("done", blocks, [SpanUnit(*span) for span in spans], relations,
                         {"sourcing": rating})


def _report() -> dict[str, Any]:
    spans = [("s", 0, 10, "SOURCE"), ("c", 20, 40, "CLAIM")]
    docs = [
        DocAnnotations("a" * 64, "=HYPERLINK(\"x\") <b>bold</b>", 100, 4, {
            "alice": _work({0: "navigation"}, spans, "well_sourced"),
            "bob": _work({0: "navigation", 2: "caption"},
                         [("s", 0, 10, "SOURCE"), ("c", 22, 40, "CLAIM")], "partly_sourced"),
            "carol": _work({}, spans[:1], "well_sourced", linked=False),
        }),
        DocAnnotations("b" * 64, "Quiet article", 80, 3, {
            "alice": _work({1: "caption"}, [], "poorly_sourced", linked=False),
            "bob": _work({1: "caption"}, [], "poorly_sourced", linked=False),
        }),
    ]
    return report.build(docs, block_labels=BLOCKS, ordinal_values={"sourcing": SOURCING},
                        span_labels=SPANS, relation_labels=["ATTRIBUTION"])


def test_tables_hold_the_report_figures_with_their_n() -> None:
    result = _report()
    tables = ReportTables(result)
    overall = {(row[0], row[2]): row for row in tables.overall.rows}
    blocks = result["blocks"]
    assert overall[("Blocks", "α")][3:] == (fmt(blocks["alpha"]), f"{blocks['n_units']:,}",
                                           "blocks")
    assert tables.overall.numeric == (False, False, False, True, True, False)
    pairs = {row[0]: row for row in tables.pairs.rows}
    assert set(pairs) == {"alice / bob", "alice / carol", "bob / carol"}
    alice_bob = next(p for p in result["pairs"] if p["annotators"] == ["alice", "bob"])
    assert pairs["alice / bob"][2:4] == (fmt(alice_bob["blocks"]["kappa"]),
                                         str(alice_bob["blocks"]["n_units"]))
    assert [row[0] for row in tables.spans.rows] == SPANS
    assert tables.confusion.columns == ("", *BLOCKS)
    assert len(tables.documents().rows) == tables.n_documents == result["n_documents"] == 2
    assert len(tables.documents(1).rows) == 1
    assert tables.documents().rows[0][-1] == result["documents"][0]["id"][:12]


def test_table_views_pick_rename_and_map() -> None:
    table = Table("t", ("a", "b", "c"), (("1", "x", "p"), ("2", "y", "q")), (True, False, False))
    narrow = table.pick("c", "a").renamed({"a": "A"}).mapped("c", str.upper)
    assert (narrow.columns, narrow.rows, narrow.numeric) == (("c", "A"), (("P", "1"), ("Q", "2")),
                                                             (False, True))
    assert table.rows[0] == ("1", "x", "p")  # views are copies


def test_text_html_and_csv_show_the_same_tables() -> None:
    result = _report()
    tables = ReportTables(result)
    text = report_render.to_text(result)
    html = report_render.to_html(result)
    for table in (tables.overall, tables.blocks, tables.spans, tables.relations,
                  tables.doc_labels, tables.pairs, tables.confusion, tables.excluded):
        for row in table.rows:
            assert "".join(f'<td class="{"num" if numeric else "txt"}">{escape(cell)}</td>'
                           for cell, numeric in zip(row, table.numeric, strict=True)) in html
    for row in tables.pairs_compact.rows:
        assert all(cell in text for cell in row)
    for row in tables.excluded.rows:
        assert any(line.split() == [*row[0].split(), row[1]] for line in text.splitlines())
    parsed = list(csv.reader(io.StringIO(report_render.to_csv(result))))
    assert parsed[0] == CSV_COLUMNS
    assert parsed[1:] == [[neutral_cell(cell) for cell in row] for row in tables.tidy.rows]
    # The scraped title cannot run as a spreadsheet formula, nor as HTML.
    assert any(row[-1].startswith("'=HYPERLINK") for row in parsed)
    assert "<b>bold</b>" not in html
