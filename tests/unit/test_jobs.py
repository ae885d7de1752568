"""The job contract (core.jobs) as every long service keeps it, on a real project file.

Import, export, merge, agreement and training take the same ``progress(done, total,
stage)`` and the same ``cancel`` event, and cancelling means one thing in each: stop at
the next check point and keep only what is whole.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from annotator.core import jobs
from annotator.services import agreement
from annotator.services.annotation import AnnotationService
from annotator.services.block_models import project_block_model
from annotator.services.export import ExportOptions, export
from annotator.services.importing import import_paths
from annotator.services.merge import merge_paths
from annotator.services.project import Project, open_project
from annotator.services.training import train_blocks
from tests.events import SetAfter

Call = tuple[int, int, str]


def _count(path: Path | None, table: str) -> int:
    assert path is not None
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"select count(*) from {table}").fetchone()[0])


def _articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:02d}.txt").write_text(
            f"Ferry fares rise {i}\n\nThe island council said fares rise by {i} crowns.\n\n"
            "Officials said the timetable stays the same.\n", encoding="utf-8")
    return folder


def _set() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


def _recorder(calls: list[Call], cancel: threading.Event | None = None,
              after: int = 0) -> jobs.Progress:
    """A progress callback that keeps every call and sets ``cancel`` after ``after``."""

    def progress(done: int, total: int, stage: str) -> None:
        calls.append((done, total, stage))
        if cancel is not None and len(calls) >= after:
            cancel.set()

    return progress


def _well_formed(calls: list[Call]) -> None:
    assert calls, "no progress reported"
    for done, total, stage in calls:
        assert isinstance(stage, str) and stage
        assert 0 <= done <= total


@pytest.fixture
def labelled(project: Project, tmp_path: Path) -> Project:
    """Six articles, each marked done by alice and bob with one block labelled."""
    assert import_paths(project, [_articles(tmp_path / "articles", 6)]).imported == 6
    for name in ("alice", "bob"):
        service = AnnotationService(project, name)
        for doc_id in range(1, 7):
            service.set_block_labels(doc_id, {1: "metadata" if name == "alice" else None})
            service.set_status(doc_id, "done")
    return project


def test_check_points_read_the_event() -> None:
    event = threading.Event()
    assert not jobs.is_cancelled(None) and not jobs.is_cancelled(event)
    jobs.check(None)
    jobs.check(event)
    event.set()
    assert jobs.is_cancelled(event)
    with pytest.raises(jobs.Cancelled):
        jobs.check(event)
    seen: list[tuple[int, int]] = []
    jobs.counts(lambda done, total: seen.append((done, total)))(3, 7, "importing")
    jobs.report(None, 1, 2, "nobody listens")
    assert seen == [(3, 7)]


def test_every_service_reports_done_total_and_stage(labelled: Project, tmp_path: Path) -> None:
    imported: list[Call] = []
    more = _articles(tmp_path / "more", 3)
    assert import_paths(labelled, [more], progress=_recorder(imported)).files == 3
    _well_formed(imported)
    assert imported[-1] == (3, 3, "importing")

    exported: list[Call] = []
    out = tmp_path / "alice.jsonl"
    summary = export(labelled, ExportOptions(annotators=("alice",)), out,
                     progress=_recorder(exported))
    _well_formed(exported)
    assert exported[-1][:2] == (summary.records, summary.records) == (6, 6)

    merged: list[Call] = []
    target = open_project(tmp_path / "target.sqlite")
    try:
        counts = merge_paths(target, [out], progress=_recorder(merged))
    finally:
        target.close()
    _well_formed(merged)
    assert counts.merged == 6 and merged[-1][0] == merged[-1][1] == out.stat().st_size

    computed: list[Call] = []
    report = agreement.compute(labelled, progress=_recorder(computed))
    _well_formed(computed)
    assert report["annotators"] == ["alice", "bob"]
    assert computed[0][2] == agreement.LOADING and computed[-1] == (1, 1, agreement.COMPUTING)


def test_a_cancelled_import_keeps_the_files_before_and_nothing_after(
    project: Project, tmp_path: Path
) -> None:
    cancel = threading.Event()
    calls: list[Call] = []
    summary = import_paths(project, [_articles(tmp_path / "a", 5)],
                           progress=_recorder(calls, cancel, after=2), cancel=cancel)
    assert summary.cancelled and summary.imported == 2 and summary.line().endswith("cancelled")
    assert _count(project.path, "documents") == 2
    assert len(calls) == 2  # it stopped at the next file, not at the end


def test_a_cancelled_export_writes_no_file_even_after_pages_went_out(
    labelled: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("annotator.store.export_queries.PAGE", 2)  # three pages of two
    cancel = threading.Event()
    calls: list[Call] = []
    summary = export(labelled, ExportOptions(annotators=("alice",)), tmp_path / "out.jsonl",
                     progress=_recorder(calls, cancel, after=1), cancel=cancel)
    assert summary.cancelled and summary.line().endswith("cancelled: no file written")
    assert calls == [(2, 6, "exporting")]  # one page written to the part file, then stopped
    assert list(tmp_path.glob("*out.jsonl*")) == []


def test_a_cancelled_merge_keeps_whole_batches(
    labelled: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "bob.jsonl"
    export(labelled, ExportOptions(annotators=("bob",)), out)
    monkeypatch.setattr("annotator.services.merge.BATCH", 2)
    cancel = threading.Event()
    target = open_project(tmp_path / "target.sqlite")
    try:
        counts = merge_paths(target, [out], progress=_recorder([], cancel, after=1),
                             cancel=cancel)
    finally:
        target.close()
    assert counts.cancelled and counts.merged == 2
    assert _count(tmp_path / "target.sqlite", "documents") == 2


def test_a_value_is_cancelled_by_raising_and_a_training_stores_nothing(
    labelled: Project,
) -> None:
    with pytest.raises(jobs.Cancelled):
        agreement.compute(labelled, cancel=_set())
    assert agreement.Cancelled is jobs.Cancelled  # one meaning, whoever names it
    calls: list[Call] = []
    summary = train_blocks(labelled, progress=_recorder(calls), cancel=_set())
    assert summary.cancelled and project_block_model(labelled) is None
    assert calls == [(1, 8, "reading labels")]


def test_a_cancelled_assignment_leaves_whole_files_and_no_manifest(
        labelled: Project, tmp_path: Path) -> None:
    from annotator.services.assign import MANIFEST, assign

    out = tmp_path / "out"
    calls: list[Call] = []
    with pytest.raises(jobs.Cancelled):
        assign(labelled, ["alice", "bob"], 0.0, out, progress=_recorder(calls),
               cancel=SetAfter(3))  # set once alice's three are written
    assert sorted(p.name for p in out.iterdir()) == ["alice.jsonl"]  # no half file, no .tmp
    assert len((out / "alice.jsonl").read_text("utf-8").splitlines()) == 3
    assert not (out / MANIFEST).exists()
    summary = assign(labelled, ["alice", "bob"], 0.0, out, force=True,
                     progress=_recorder(calls))
    assert summary.counts == {"alice": 3, "bob": 3} and calls[-1] == (6, 6, "assigning")
