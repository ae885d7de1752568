"""The Agreement window on a real project: its numbers, then the way to a gold version.

The project is the one of ``tests/e2e/test_agreement_cli.py`` (three annotators, known
disagreements). The lead opens the window, reads the figures, double-clicks a disputed
document, merges it by majority, takes alice's SOURCE span and her attribution, saves it
as gold, and undoes the save.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.gui.agreement_window import AgreementWindow
from annotator.services import adjudication, agreement
from annotator.store import Project, open_project
from tests.e2e.test_agreement_cli import TEXT_A, Annotated, build_project


@pytest.fixture
def annotated(tmp_path: Path) -> Annotated:
    return build_project(tmp_path / "project")


@pytest.fixture
def opened(annotated: Annotated):  # type: ignore[no-untyped-def]
    project = open_project(annotated.path, create=False)
    yield project
    project.close()


@pytest.fixture(autouse=True)
def _discard_drafts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing a view with an unsaved draft asks; at teardown the answer is Discard."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Discard)


def _window(qtbot, project: Project) -> AgreementWindow:  # type: ignore[no-untyped-def]
    window = AgreementWindow(project)
    qtbot.addWidget(window)
    window.resize(1280, 860)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.report is not None or window.error is not None,
                    timeout=20_000)
    assert window.error is None
    return window


def _cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_numbers_shown_equal_the_report_then_gold_from_a_disputed_document(
    qtbot, annotated: Annotated, opened: Project, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    window = _window(qtbot, opened)
    report = window.report
    assert report == agreement.compute(opened)

    overview = {(row[0], row[1], row[2]): (row[3], row[4], row[5])
                for row in _cells(window.overviewTable)}
    assert overview[("Spans", "", "F1 exact")] == ("0.600", "10", "spans compared")
    assert overview[("Spans", "", "F1 overlap")] == ("0.800", "10", "spans compared")
    assert overview[("Relations", "", "F1 matched")] == ("0.500", "4", "relations compared")
    blocks = report["blocks"]
    assert overview[("Blocks", "", "α")] == (f"{blocks['alpha']:.3f}", f"{blocks['n_units']}",
                                            "blocks")
    assert overview[("Blocks", "", "AC1")][0] == f"{blocks['ac1']:.3f}"
    sourcing = report["doc_labels"]["sourcing"]
    assert overview[("Document labels", "sourcing", "α")][:2] == (
        f"{sourcing['alpha']:.3f}", str(sourcing["n_units"]))
    spans = {row[0]: row for row in _cells(window.spansTable)}
    assert spans["SOURCE"][1:4] == ["0.000", "0.500", "4"]
    assert spans["CLAIM"][1:4] == ["1.000", "1.000", "6"]
    per_label = {row[0]: row for row in _cells(window.blocksTable)}
    navigation = blocks["per_label"]["navigation"]
    assert per_label["navigation"][1:3] == [f"{navigation['alpha']:.3f}",
                                            str(navigation["n_units"])]
    pairs = {row[0]: row for row in _cells(window.pairsTable)}
    alice_bob = next(p for p in report["pairs"] if p["annotators"] == ["alice", "bob"])
    assert pairs["alice / bob"][2:4] == [f"{alice_bob['blocks']['kappa']:.3f}",
                                         str(alice_bob["blocks"]["n_units"])]
    assert pairs["alice / bob"][4:7] == ["0.500", "1.000", "4"]
    excluded = dict(_cells(window.excludedTable))
    assert excluded["documents left out: fewer than two annotators done"] == "2"
    model = window.documentsModel
    assert model.rowCount() == 2
    # B (well vs poorly sourced: the widest gap on the three-rank scale) ranks first.
    assert model.index(0, 6).data() == "Dam protest <b>grows</b> & spreads north"
    assert model.index(0, 1).data() == f"{1 / 3:.3f}"
    assert model.index(1, 6).data() == "Mayor resigns after council vote"
    assert model.index(1, 1).data() == f"{29 / 90:.3f}"
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        window.grab().save(str(tmp_path / f"agreement-{index}.png"))

    # Double-click the document with the most span and relation disputes: its
    # adjudication opens in this window.
    window.tabs.setCurrentWidget(window.documentsPage)
    table = window.documentsView
    where = table.visualRect(model.index(1, 6)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    sha = annotated.hashes["A"]
    qtbot.waitUntil(lambda: sha in window.adjudications)
    view = window.adjudications[sha]
    assert window.tabs.currentWidget() is view
    assert adjudication.load_gold(opened, sha) is None

    view.minAnnotators.setValue(2)
    view.minShare.setValue(50)
    qtbot.mouseClick(view.mergeButton, Qt.MouseButton.LeftButton)
    claim = TEXT_A.index("The mayor resigned on Monday")
    claim_key = ("CLAIM", claim, claim + len("The mayor resigned on Monday"))
    assert view.draft.blocks == {0: "navigation"}  # 2 of 3 marked it
    assert list(view.draft.spans) == [claim_key]  # SOURCE: alice and bob differ by 2 chars
    assert view.draft.relations == {}

    # Take alice's SOURCE: double-click her cell in the row of that stretch of text.
    rows = view._rows
    source_row = next(i for i, item in enumerate(rows) if item.kind == "spans")
    alice_column = 1 + view.versions.annotators.index("alice")
    cell = view.itemsTable.visualItemRect(view.itemsTable.item(source_row, alice_column))
    qtbot.mouseClick(view.itemsTable.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    qtbot.mouseDClick(view.itemsTable.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    source = TEXT_A.index("officials")
    source_key = ("SOURCE", source, source + len("officials"))
    assert source_key in view.draft.spans
    # ...and her attribution: select its row and press 1 (alice's number).
    relation_row = next(i for i, item in enumerate(view._rows)
                        if item.kind == "relation" and item.key[0] == source_key)
    view.itemsTable.selectRow(relation_row)
    view.itemsTable.setFocus()
    qtbot.keyClick(view.itemsTable, Qt.Key.Key_1)
    assert (source_key, claim_key, "ATTRIBUTION") in view.draft.relations
    window.grab().save(str(tmp_path / "adjudication.png"))

    saved: list[str] = []
    view.saved.connect(saved.append)
    qtbot.mouseClick(view.saveButton, Qt.MouseButton.LeftButton)
    gold = adjudication.load_gold(opened, sha)
    assert gold is not None and gold.status == "done"
    assert gold.blocks == {0: "navigation"}
    assert sorted((s.label, s.start, s.end) for s in gold.spans) == sorted(
        [claim_key, source_key])
    spans_by_uid = {s.uid: (s.label, s.start, s.end) for s in gold.spans}
    assert [(spans_by_uid[r.head], spans_by_uid[r.child], r.label) for r in gold.relations] == [
        (source_key, claim_key, "ATTRIBUTION")]
    assert saved == [sha] and view.statusLabel.text() == "The draft is the saved gold."

    qtbot.mouseClick(view.undoButton, Qt.MouseButton.LeftButton)  # undo the save
    assert adjudication.load_gold(opened, sha) is None
    assert source_key in view.draft.spans  # the draft is still there to save again
    qtbot.mouseClick(view.redoButton, Qt.MouseButton.LeftButton)
    again = adjudication.load_gold(opened, sha)
    assert again is not None and again.spans == gold.spans
    for _ in range(5):  # back through redo of the save, the picks and the merge
        view.undoStack.undo()
    assert adjudication.load_gold(opened, sha) is None
    assert view.draft == adjudication.initial_draft(view.versions)


def test_cancel_leaves_no_report_and_recompute_works(
    qtbot, opened: Project, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    window = _window(qtbot, opened)
    gate = threading.Event()
    original = agreement.project_schema

    def held(project: Project):  # type: ignore[no-untyped-def]
        gate.wait(10)  # the worker waits here until the test has pressed Cancel
        return original(project)

    monkeypatch.setattr(agreement, "project_schema", held)
    window.report = None
    qtbot.mouseClick(window.recomputeButton, Qt.MouseButton.LeftButton)
    assert window.running and window.progressBar.isVisible()
    assert not window.recomputeButton.isEnabled()  # the GUI answers while the worker runs
    qtbot.mouseClick(window.cancelButton, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: not window.running, timeout=10_000)
    assert window.report is None and window.summaryLabel.text().startswith("Cancelled")
    monkeypatch.setattr(agreement, "project_schema", original)
    window.set_annotators(["alice", "bob"])
    qtbot.waitUntil(lambda: window.report is not None, timeout=20_000)
    assert window.report["annotators"] == ["alice", "bob"]
    assert [row[0] for row in _cells(window.pairsTable)] == ["alice / bob"]


def test_one_annotator_is_told_there_is_nothing_to_compare(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.services.annotation import AnnotationService
    from annotator.services.importing import import_paths
    from tests.e2e.test_agreement_cli import TEXT_C

    (tmp_path / "c.txt").write_text(TEXT_C, encoding="utf-8")
    project = open_project(tmp_path / "solo.sqlite")
    try:
        import_paths(project, [tmp_path / "c.txt"])
        service = AnnotationService(project, "alice")
        service.set_status(service.document_ids()[0], "done")
        window = _window(qtbot, project)
        assert window.summaryLabel.text() == (
            "Nothing to compare: the project has only one annotator (alice has 1 done); "
            "agreement needs documents marked done by at least two annotators.")
    finally:
        project.close()
