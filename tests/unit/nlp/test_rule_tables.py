"""Rule tables are data: matching, naming, and a version that follows their content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.nlp import rule_tables
from annotator.paths import resources_dir


@pytest.fixture
def tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(resources_dir() / "clutter", folder)
    monkeypatch.setenv("ANNOTATOR_RULES_DIR", str(folder))
    return folder


def test_phrases_and_patterns_name_the_entry_that_fired(tables: Path) -> None:
    table = rule_tables.phrase_table()
    hit = table.match("💬 Log in to comment.")
    assert hit is not None and (hit.label, hit.rule) == ("comment", "phrase:comment:log in to comment")
    count = table.match("128 Comments")
    assert count is not None and count.label == "comment" and count.rule.startswith("pattern:")
    assert table.match("The council voted to log in to comment on the plan later.") is None


def test_editing_a_table_changes_the_digest_and_the_matches(tables: Path) -> None:
    before = rule_tables.tables_digest()
    assert rule_tables.phrase_table().match("Harbour Gazette Club") is None
    path = tables / "phrases.toml"
    path.write_text(path.read_text(encoding="utf-8")
                    + '\n[promo]\nsure = ["Join the Harbour Gazette Club"]\n', encoding="utf-8")
    # a second [promo] table is a TOML error: the table says so, naming the file
    with pytest.raises(InputError, match="phrases.toml"):
        rule_tables.phrase_table()
    path.write_text(path.read_text(encoding="utf-8").replace(
        '\n[promo]\nsure = ["Join the Harbour Gazette Club"]\n', "").replace(
        "[promo]\n", '[promo]\nsure = ["Join the Harbour Gazette Club"]\n'), encoding="utf-8")
    assert rule_tables.tables_digest() != before
    sure = rule_tables.phrase_table().match_sure("JOIN the Harbour Gazette club!")
    assert sure is not None and sure.rule == "sure:promo:join the harbour gazette club"
