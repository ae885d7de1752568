"""The quiet "anything to suggest?" check the window runs at start, before any spaCy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.services.importing import import_paths
from annotator.services.suggest import run_suggest
from annotator.services.suggest_check import documents_to_suggest


def _import(project, folder: Path, *texts: str) -> None:  # type: ignore[no-untyped-def]
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    import_paths(project, [folder])


def test_new_then_suggested_then_stale(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _import(project, tmp_path / "a", "Port reopens after storm\n\nShips are back on Monday.",
            "Rail strike ends after a week\n\nTrains run again from Friday.")
    ids = documents_to_suggest(project)
    assert len(ids) == 2
    assert documents_to_suggest(project, only=ids[1:]) == ids[1:]
    summary = run_suggest(project, model_name="blank:en")
    assert summary.processed == 2
    assert documents_to_suggest(project) == []
    # A document stamped by older rules is work again; so is a newly imported one.
    with sqlite3.connect(project.path) as conn:
        conn.execute("update suggestion_runs set model_version = "
                     "replace(model_version, 'claims-', 'claims-old') where document_id = ?",
                     (ids[0],))
    _import(project, tmp_path / "b", "Library opens its doors again\n\nReaders return soon.")
    pending = documents_to_suggest(project)
    assert pending[0] == ids[0] and len(pending) == 2
    # What the check calls up to date, a real run (model loaded) finds up to date too.
    run_suggest(project, model_name="blank:en")
    assert run_suggest(project, model_name="blank:en").skipped == 3


def test_the_check_does_not_load_a_spacy_model(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.nlp import model

    _import(project, tmp_path / "a", "Port reopens after storm\n\nShips are back on Monday.")
    model.clear_cache()
    assert len(documents_to_suggest(project)) == 1
    assert model._cache == {}  # no pipeline was loaded to answer
