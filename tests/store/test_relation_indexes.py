"""A project from before migration 0005 gains the relation indexes when it opens.

The old project is a real file migrated only to 0004 and given a relation; opening it
with this release upgrades it, keeps the relation, and SQLite then finds relations by
the span they point at through the new indexes (deleting a span no longer scans the
relations table).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from annotator.store import open_project
from annotator.store.project import alembic_config

INDEXES = {"ix_relations_head_id": "head_id", "ix_relations_child_id": "child_id",
           "ix_relations_cue_id": "cue_id"}


def _relation_indexes(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        names = [row[1] for row in conn.execute("PRAGMA index_list('relations')")]
        return {name: conn.execute(f"PRAGMA index_info('{name}')").fetchone()[2]
                for name in names if name in INDEXES}


def test_project_at_0004_gains_relation_indexes_and_keeps_its_relations(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0004")
        conn.execute(text(
            "INSERT INTO documents (id, sha256, title, text, source, meta, imported_at) "
            "VALUES (1, 'abc', 'T', 'Ann said it rained.', 't.txt', '{}', '2024-01-01')"))
        conn.execute(text("INSERT INTO annotators (id, name, role) VALUES (1, 'ann', 'annotator')"))
        for sid, (start, end, label) in enumerate(
                [(0, 3, "SOURCE"), (4, 8, "CUE"), (9, 18, "CONTENT")], start=1):
            conn.execute(text(
                "INSERT INTO spans (id, uid, document_id, annotator_id, label, start, \"end\", "
                f"attrs) VALUES ({sid}, 's{sid}', 1, 1, '{label}', {start}, {end}, '{{}}')"))
        conn.execute(text(
            "INSERT INTO relations (uid, document_id, annotator_id, label, head_id, child_id, "
            "cue_id, attrs) VALUES ('r1', 1, 1, 'ATTRIBUTION', 1, 3, 2, '{}')"))
    engine.dispose()
    assert _relation_indexes(path) == {}

    open_project(path).close()

    assert _relation_indexes(path) == INDEXES
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT head_id, child_id, cue_id FROM relations").fetchall() == [
            (1, 3, 2)]
        plan = " ".join(row[3] for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM relations WHERE cue_id = 2"))
        assert "ix_relations_cue_id" in plan
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM spans WHERE id = 2")  # the cue: the relation keeps a null cue
        assert conn.execute("SELECT cue_id FROM relations").fetchall() == [(None,)]
