"""Opening a project from the previous release gives it the new ``comment`` label, once.

The old project is simulated by rewriting a fresh project's stored schema to the default
without ``comment`` and dropping the ``schema_defaults_seen`` record, which is exactly
what a project of the previous release holds.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator.core import keymap, schema
from annotator.store import open_project
from annotator.store.models import ProjectSetting
from annotator.store.project import SCHEMA_DEFAULTS_SEEN


def _stored_blocks(path: Path) -> list[str]:
    """The stored block label names, read without opening (and so upgrading) the project."""
    with sqlite3.connect(path) as conn:
        (value,) = conn.execute(
            "SELECT value FROM project_settings WHERE key = 'schema'").fetchone()
    return [b["name"] for b in json.loads(value)["block"]]


def _blocks(path: Path) -> list[dict[str, Any]]:
    """The block labels as a reopened project has them."""
    project = open_project(path, create=False)
    try:
        return list(project.get_setting("schema")["block"])
    finally:
        project.close()


def _rewrite(path: Path, edit: Callable[[dict[str, Any]], None],
             drop_record: bool = False) -> None:
    """Change the stored schema behind the application's back, as an old release left it."""
    project = open_project(path, create=False)
    try:
        raw = copy.deepcopy(project.get_setting("schema"))
        edit(raw)
        project.set_setting("schema", raw)
        if drop_record:
            with project.session() as session:
                record = session.get(ProjectSetting, SCHEMA_DEFAULTS_SEEN)
                if record is not None:
                    session.delete(record)
    finally:
        project.close()


def _without_comment(raw: dict[str, Any]) -> None:
    raw["block"] = [b for b in raw["block"] if b["name"] != "comment"]


def test_old_project_gains_comment_once_and_a_deletion_sticks(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    project = open_project(path)
    assert set(project.get_setting(SCHEMA_DEFAULTS_SEEN)) == set(
        schema.default().block_names)
    project.close()
    _rewrite(path, _without_comment, drop_record=True)
    assert "comment" not in _stored_blocks(path)

    # Reopened by this release: comment is there, after legal, with its key.
    project = open_project(path, create=False)
    stored = schema.from_dict(project.get_setting("schema"))
    assert stored.block_names == schema.default().block_names
    assert stored.block_names.index("comment") == stored.block_names.index("legal") + 1
    assert stored.block("comment").key == "C" and stored.block("comment").boilerplate
    assert keymap.build(stored).action_for("C") == "block:comment"
    assert "comment" in project.get_setting(SCHEMA_DEFAULTS_SEEN)
    project.close()

    # The lead deletes it on purpose; it stays deleted however often the project opens.
    _rewrite(path, _without_comment)
    for _ in range(2):
        assert "comment" not in [b["name"] for b in _blocks(path)]
    assert "comment" not in _stored_blocks(path)


def test_old_project_using_key_c_gets_comment_without_a_key(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    open_project(path).close()

    def old_with_c(raw: dict[str, Any]) -> None:
        _without_comment(raw)
        raw["block"].append({"name": "correction", "key": "C", "color": "#000000",
                             "boilerplate": False})

    _rewrite(path, old_with_c, drop_record=True)
    blocks = {b["name"]: b for b in _blocks(path)}
    assert blocks["comment"]["key"] == "" and blocks["correction"]["key"] == "C"
