"""``suggest`` end to end: a real project, the real spaCy model in a child process."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.services.importing import import_paths
from annotator.services.suggest import run_suggest
from annotator.store.documents import list_documents
from annotator.store.suggestions import for_document


def _rows(project, layer: str) -> int:  # type: ignore[no-untyped-def]
    with sqlite3.connect(project.path) as conn:
        return conn.execute("select count(*) from suggestions where layer = ?",
                            (layer,)).fetchone()[0]


def test_suggest_fills_every_layer_once(project, samples) -> None:  # type: ignore[no-untyped-def]
    import_paths(project, samples)
    seen: list[tuple[int, int]] = []
    summary = run_suggest(project, progress=lambda d, t, _stage: seen.append((d, t)))
    assert summary.processed == 3 and summary.skipped == 0
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    for layer in ("entity", "block", "claim", "attribution"):
        assert _rows(project, layer) > 0, layer
    with project.sessions() as session:
        national = next(r for r in list_documents(session) if "Talks set to end" in r.title)
        rows = for_document(session, national.id)
    text = (Path(samples[0]).parent / "the-national-coalition-talks.txt").read_text(
        encoding="utf-8-sig").replace("\r\n", "\n")
    blocks = [r for r in rows if r.layer == "block"]
    # The four repeated photo captions at the top are suggested as captions.
    caption = ("Talks between American and Iraqi officials will reportedly focus on the next "
               "phase of the US-led anti-ISIS coalition. AFP")
    assert sum(1 for r in blocks if r.label == "caption" and text[r.start:r.end] == caption) == 4
    assert all(r.rule for r in rows)
    # No claim is suggested inside a block suggested as clutter (the captions).
    for claim in (r for r in rows if r.layer == "claim"):
        assert not any(b.start <= claim.start and claim.end <= b.end for b in blocks)
    attributions = [r for r in rows if r.layer == "attribution"]
    sources = {text[slice(*r.attrs["source"])] for r in attributions if r.attrs.get("source")}
    assert "Defence Minister Thabet Al Abbasi" in sources

    again = run_suggest(project)
    assert (again.processed, again.skipped) == (0, 3)
    forced = run_suggest(project, force=True)
    assert forced.processed == 3


def test_cancel_keeps_what_was_written(project, samples) -> None:  # type: ignore[no-untyped-def]
    import_paths(project, samples)
    calls: list[int] = []
    cancel = threading.Event()

    def progress(d: int, _t: int, _stage: str) -> None:
        calls.append(d)
        if len(calls) >= 2:
            cancel.set()

    summary = run_suggest(project, progress=progress, cancel=cancel)
    assert summary.cancelled and summary.processed == 1
    rest = run_suggest(project)
    assert rest.processed == 2 and rest.skipped == 1


def test_unknown_model_is_one_clear_error(project, samples) -> None:  # type: ignore[no-untyped-def]
    import_paths(project, samples[:1])
    with pytest.raises(InputError, match="no_such_model"):
        run_suggest(project, model_name="no_such_model")
    assert _rows(project, "entity") == 0


def test_a_document_without_suggestions_is_not_parsed_again(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "tiny.txt").write_text("ok\n")
    import_paths(project, [tmp_path / "tiny.txt"])
    first = run_suggest(project)
    assert (first.processed, first.suggestions) == (1, 0)
    again = run_suggest(project)
    assert (again.processed, again.skipped) == (0, 1)


def test_verdicts_survive_a_rerun(project, samples) -> None:  # type: ignore[no-untyped-def]
    from annotator.services.annotation import AnnotationService

    import_paths(project, samples[:1])
    run_suggest(project)
    service = AnnotationService(project, "alice")
    with project.sessions() as session:
        rows = for_document(session, 1)
    rejected = next(r for r in rows if r.layer == "claim")
    service.reject_suggestions(1, [rejected.id])
    run_suggest(project, force=True)
    with project.sessions() as session:
        after = for_document(session, 1, service.annotator_id)
    same = [r for r in after if (r.layer, r.label, r.start, r.end) ==
            (rejected.layer, rejected.label, rejected.start, rejected.end)]
    assert [r.verdict for r in same] == ["rejected"]
    assert sum(1 for r in after if r.verdict is not None) == 1
