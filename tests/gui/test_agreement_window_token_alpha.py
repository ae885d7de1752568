"""The Agreement window shows token alpha beside alpha_u, with its n, as the report has it."""

from __future__ import annotations

from pathlib import Path

from annotator.core.report_render import SPAN_LABEL_HEADER
from annotator.gui.agreement_window import AgreementWindow
from annotator.store import open_project
from tests.e2e.test_agreement_cli import build_project


def _cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_spans_overview_and_pairs_show_token_alpha(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    annotated = build_project(tmp_path / "project")
    project = open_project(annotated.path, create=False)
    try:
        window = AgreementWindow(project)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.report is not None or window.error is not None,
                        timeout=20_000)
        assert window.error is None
        report = window.report
        spans = report["spans"]

        overview = {(row[0], row[2]): row[3:] for row in _cells(window.overviewTable)}
        assert overview[("Spans", "token α")] == [f"{spans['token_alpha']:.3f}",
                                                 f"{spans['n_tokens']:,}", "tokens"]
        header = [window.spansTable.horizontalHeaderItem(c).text()
                  for c in range(window.spansTable.columnCount())]
        assert header == SPAN_LABEL_HEADER
        rows = {row[0]: row for row in _cells(window.spansTable)}
        source = spans["per_label"]["SOURCE"]
        at = header.index("token α")
        assert rows["SOURCE"][at : at + 3] == [f"{source['token_alpha']:.3f}",
                                               f"{source['n_tokens']:,}",
                                               f"{source['n_judgements']:,}"]
        assert rows["CUE"][at] == "n/a"  # nobody marked a cue
        pairs = {row[0]: row for row in _cells(window.pairsTable)}
        alice_bob = next(p for p in report["pairs"] if p["annotators"] == ["alice", "bob"])
        assert pairs["alice / bob"][7:9] == [f"{alice_bob['spans']['token_alpha']:.3f}",
                                             f"{alice_bob['spans']['n_tokens']:,}"]
        window.close()
    finally:
        project.close()
