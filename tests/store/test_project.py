"""Opening projects: create at head, upgrade older files with a backup, refuse others."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from annotator.core.errors import InputError
from annotator.core.fingerprint import fingerprint
from annotator.store import open_project
from annotator.store.models import Base
from annotator.store.project import HEAD_REVISION, alembic_config, head_revision


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}


def test_new_file_is_created_at_head_with_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    project = open_project(path)
    with project.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -16_384  # KiB
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    assert project.get_setting("schema")["span"][0]["name"] == "CLAIM"
    project.close()
    assert {"documents", "blocks", "spans", "relations", "suggestion_reviews"} <= _tables(path)


def test_migrations_from_empty_match_the_models(tmp_path: Path) -> None:
    """Running every migration gives exactly the schema the models describe."""
    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_older_file_is_backed_up_and_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(text(
            "INSERT INTO documents (id, sha256, title, text, source, meta, imported_at) "
            "VALUES (1, 'abc', 'Old title', 'Old text.', 'old.txt', '{}', '2024-01-01')"))
        conn.execute(text(
            "INSERT INTO suggestions (document_id, layer, label, start, end, score, rule, "
            "model_version) VALUES (1, 'block', 'caption', 0, 3, 0.9, 'caption-repeat', 'm1')"))
        conn.execute(text(
            'INSERT INTO blocks (document_id, "index", start, "end") VALUES (1, 0, 0, 9)'))
    engine.dispose()

    project = open_project(path)
    assert project.backup is not None and project.backup.exists()
    assert "r0001" in project.backup.name
    with sqlite3.connect(project.backup) as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() == ("0001",)
    with project.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        assert conn.execute(text("select title from documents")).scalar() == "Old title"
        row = conn.execute(text("select rule, attrs from suggestions")).one()
        assert row[0] == "caption-repeat" and row[1] == "{}"
        # 0003 records that document 1 was processed, from its suggestion rows.
        run = conn.execute(text("select document_id, model_version from suggestion_runs")).one()
        assert tuple(run) == (1, "m1")
        # 0004 fingerprints existing blocks from their text; their evidence stays empty.
        block = conn.execute(text("select fingerprint, evidence from blocks")).one()
        assert tuple(block) == (fingerprint("Old text."), None)
    project.close()


def test_newer_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    open_project(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("update alembic_version set version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(InputError, match="newer version of annotator .schema revision 9999"):
        open_project(path)
    assert path.read_bytes() == before


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("create table customers (id integer)")
    with pytest.raises(InputError, match="not an annotator project"):
        open_project(path)
    assert _tables(path) == {"customers"}


def test_non_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("just some notes\n")
    with pytest.raises(InputError, match=r"notes\.sqlite: not an annotator project"):
        open_project(path)
    assert path.read_text() == "just some notes\n"


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        open_project(tmp_path)


def test_the_head_constant_is_the_migrations_head() -> None:
    """Opening a current project trusts HEAD_REVISION instead of reading the migrations;
    a new migration must move it."""
    assert head_revision() == HEAD_REVISION


@pytest.mark.parametrize("exists", [True, False], ids=["current", "new"])
def test_opening_or_creating_a_project_loads_no_alembic(tmp_path: Path, exists: bool) -> None:
    import subprocess
    import sys

    path = tmp_path / "p.annotator"
    if exists:
        open_project(path).close()
    code = ("import sys; from annotator.store import open_project; "
            f"open_project({str(path)!r}).close(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
    assert path.exists()


def test_a_new_project_is_stamped_as_alembic_stamps_it(tmp_path: Path) -> None:
    """A new project writes Alembic's version table itself; the table and its row must
    be exactly what ``alembic stamp head`` writes, or later upgrades would misread it."""
    ours = tmp_path / "ours.annotator"
    open_project(ours).close()
    engine = create_engine(f"sqlite:///{tmp_path / 'alembic.sqlite'}")
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        command.stamp(alembic_config(conn), "head")
    engine.dispose()

    def version_table(path: Path) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        conn = sqlite3.connect(path)
        try:
            schema = conn.execute("SELECT type, name, sql FROM sqlite_master "
                                  "WHERE tbl_name = 'alembic_version' ORDER BY name").fetchall()
            rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            conn.close()
        return schema, rows

    assert version_table(ours) == version_table(tmp_path / "alembic.sqlite")
    assert version_table(ours)[1] == [(HEAD_REVISION,)]
