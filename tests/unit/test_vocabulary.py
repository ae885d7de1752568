"""One vocabulary: statuses, layers, reserved annotators and roles come from one module.

The source scan keeps it that way: a second tuple of statuses, a status compared as a
plain string, or a reserved name written inline elsewhere fails here, naming the file
and line.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import annotator
from annotator.core import export_record
from annotator.core.agreement import data as agreement_data
from annotator.core.vocabulary import (
    GOLD,
    LAYERS,
    OPEN_STATUSES,
    RESERVED_ANNOTATORS,
    STATUSES,
    SUGGESTIONS,
    Layer,
    Status,
    role_for,
)
from annotator.store import annotations as store_annotations

PACKAGE = Path(annotator.__file__).parent
VOCABULARY = PACKAGE / "core" / "vocabulary.py"
STATUS_WORDS = {status.value for status in Status}
RESERVED_WORDS = {GOLD, SUGGESTIONS}


def test_values_are_the_stored_and_exported_words() -> None:
    assert [str(s) for s in STATUSES] == ["todo", "in_progress", "done", "skipped"]
    assert OPEN_STATUSES == ("todo", "in_progress")
    assert [str(layer) for layer in LAYERS] == ["blocks", "spans", "relations", "doc_labels"]
    assert (GOLD, SUGGESTIONS) == ("gold", "suggestions")
    assert set(RESERVED_ANNOTATORS) == {"gold", "suggestions"}
    # A member is its string: equal, same hash, same text in JSON and f-strings.
    assert Status.DONE == "done" and hash(Status.DONE) == hash("done")
    assert {"done": 1}[Status.DONE] == 1
    assert json.dumps({"status": Status.IN_PROGRESS}) == '{"status": "in_progress"}'
    assert f"{Layer.DOC_LABELS}" == "doc_labels"


def test_role_for() -> None:
    assert role_for(GOLD) == "lead"
    assert role_for("alice") == "annotator"
    assert role_for(SUGGESTIONS) == "annotator"


def test_other_modules_hand_on_the_same_objects() -> None:
    assert export_record.STATUSES is STATUSES
    assert export_record.SUGGESTIONS is SUGGESTIONS
    assert agreement_data.RESERVED_ANNOTATORS is RESERVED_ANNOTATORS
    assert agreement_data.DONE is Status.DONE
    assert store_annotations.RESERVED_NAMES is RESERVED_ANNOTATORS


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)
            and isinstance(n.value, str)}


def _not_names(tree: ast.AST) -> set[int]:
    """ids of string constants that are not annotator names: docstrings (prose may name
    them) and table names (the ``suggestions`` table holds machine suggestions)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                and any(isinstance(t, ast.Name) and t.id == "__tablename__"
                        for t in node.targets)):
            found.add(id(node.value))
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for statement in body:
                if (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
                        and isinstance(statement.value.value, str)):
                    found.add(id(statement.value))
    return found


def test_no_other_definition_in_the_package() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == VOCABULARY:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        prose = _not_names(tree)
        where = path.relative_to(PACKAGE.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                words = _strings(node) & STATUS_WORDS
                if len(words) >= 2:
                    problems.append(f"{where}:{node.lineno}: statuses {sorted(words)}")
            elif (isinstance(node, ast.Constant) and node.value in RESERVED_WORDS
                  and id(node) not in prose):
                problems.append(f"{where}:{node.lineno}: reserved name {node.value!r}")
            elif isinstance(node, ast.IfExp) and "lead" in _strings(node):
                problems.append(f"{where}:{node.lineno}: a role chosen inline")
            elif isinstance(node, ast.Compare):
                for side in (node.left, *node.comparators):
                    if isinstance(side, ast.Constant) and side.value in STATUS_WORDS:
                        problems.append(f"{where}:{node.lineno}: status {side.value!r} "
                                        "compared as a plain string")
    assert problems == []
