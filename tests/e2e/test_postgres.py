"""The same models on PostgreSQL: a team server behind ``--project URL``.

Runs when ``ANNOTATOR_TEST_POSTGRES_URL`` names an empty database it may wipe (``.ci/run``
starts a local server and sets it). The whole path a team uses: import, annotate as
three people, agreement, export, and a round trip into a SQLite project whose export
must equal the PostgreSQL one byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from annotator.services.annotation import AnnotationService
from annotator.store import open_project

URL = os.environ.get("ANNOTATOR_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="ANNOTATOR_TEST_POSTGRES_URL is not set")


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANNOTATOR_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True,
                            text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def test_team_server_round_trip(tmp_path: Path, samples) -> None:  # type: ignore[no-untyped-def]
    assert URL is not None
    engine = create_engine(URL)
    with engine.begin() as conn:  # start from an empty database
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()

    assert "3 imported" in cli("import", "--project", URL, *map(str, samples), home=tmp_path).stdout
    project = open_project(URL)
    try:
        for name, label, rating in (("alice", "caption", "well_sourced"),
                                    ("bob", "caption", "well_sourced"),
                                    ("carla", "promo", "poorly_sourced")):
            service = AnnotationService(project, name)
            for doc_id in service.document_ids():
                service.set_block_labels(doc_id, {0: label})
                source = service.add_span(doc_id, "SOURCE", 0, 5, {"naming": "named"})
                claim = service.add_span(doc_id, "CLAIM", 10, 30, {"checkworthy": "yes"})
                service.link(doc_id, source.uid, claim.uid, attrs={"quote_type": "indirect"})
                service.set_doc_label(doc_id, "sourcing", rating)
                service.set_status(doc_id, "done")
            assert len(service.document_ids("coalition")) == 3
    finally:
        project.close()

    report = json.loads(cli("agreement", "--project", URL, "--format", "json",
                            home=tmp_path).stdout)
    assert report["n_documents"] == 3
    assert report["spans"]["micro"]["f1_exact"] == 1.0
    assert report["relations"]["f1_strict"] == 1.0

    exported = tmp_path / "pg.jsonl"
    cli("export", "--project", URL, "--all", "--out", str(exported), home=tmp_path)
    records = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 9
    assert {r["annotator"] for r in records} == {"alice", "bob", "carla"}

    local = tmp_path / "local.sqlite"
    cli("import", "--project", str(local), str(exported), home=tmp_path)
    again = tmp_path / "sqlite.jsonl"
    cli("export", "--project", str(local), "--all", "--out", str(again), home=tmp_path)
    assert again.read_bytes() == exported.read_bytes()

    # Clutter learning on the server: train from the done documents (in a child process
    # that opens the same URL), suggest, and a second run finds everything up to date.
    trained = cli("train", "--blocks-only", "--project", URL, home=tmp_path)
    assert "learnt from 3 done documents" in trained.stdout
    first = cli("suggest", "--project", URL, home=tmp_path)
    assert first.stdout.startswith("3 documents processed")
    second = cli("suggest", "--project", URL, home=tmp_path)
    assert second.stdout.startswith("0 documents processed") and "3 already up to date" in second.stdout
