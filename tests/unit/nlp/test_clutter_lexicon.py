"""The clutter detector's lexical rules are data: each has a name of its own, the name
that fired is what a suggestion records, and editing the tables changes the verdicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core.blocks import segment
from annotator.core.errors import InputError
from annotator.nlp import clutter_rules as cr
from annotator.nlp.clutter import detect
from annotator.paths import resources_dir


@pytest.fixture
def tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(resources_dir() / "clutter", folder)
    monkeypatch.setenv("ANNOTATOR_RULES_DIR", str(folder))
    return folder


def test_every_rule_has_its_own_name() -> None:
    rules = cr.lexicon().rules
    names = [r.name for r in rules]
    assert len(names) == len(set(names)) > 40
    families = {r.family for r in rules}
    assert {"photo_credit", "byline", "timestamp", "poll"} <= families


@pytest.mark.parametrize(("text", "name"), [
    ("(AFP)", "agency_credit_line"),
    ("Image caption: Trams at the harbour terminus", "caption_label"),
    ("The new tram depot at Kessel Road. [Orlen Transport Authority]", "photo_credit"),
    ("Commuters queue at the harbour terminus on Saturday. Reuters", "agency_credit_tail"),
])
def test_four_ways_to_a_photo_credit_say_which_one_fired(text: str, name: str) -> None:
    hit = cr.classify(cr.Shape(text))
    assert hit is not None
    assert (hit.label, hit.rule, hit.family) == ("caption", name, "photo_credit")


def test_the_suggestion_records_the_rule_that_fired() -> None:
    story = ("The city of Orlen opened its first new tram line in forty years on Saturday, "
             "and thousands of residents queued at the harbour terminus to ride it.")
    text = "\n\n".join(["(AFP)", story, story.replace("Saturday", "Sunday"), "Back to top"])
    found = {s.block_index: s.rule for s in detect(text, segment(text))}
    assert found[0] == "agency_credit_line" and found[3] == "nav_chrome"


def test_editing_the_tables_changes_the_verdicts(tables: Path) -> None:
    assert cr.classify(cr.Shape("Harbour Life")) is None
    lexicon = tables / "lexicon.toml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace(
        "section_tokens = [", 'section_tokens = [\n    "harbour",', 1), encoding="utf-8")
    hit = cr.classify(cr.Shape("Harbour Life"))
    assert hit is not None and (hit.label, hit.rule) == ("navigation", "section_label")

    rules = tables / "block_rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        'name = "section_label"\nlabel = "navigation"\nscore = 0.75',
        'name = "section_label"\nlabel = "navigation"\nscore = 0.55', 1), encoding="utf-8")
    hit = cr.classify(cr.Shape("Harbour Life"))
    assert hit is not None and hit.score == 0.55


@pytest.mark.parametrize(("old", "new", "message"), [
    ('name = "menu"', 'name = "breadcrumb"', "name of its own"),
    ('"match:nav_tags@low"', '"match:no_such_pattern@low"', "no pattern 'no_such_pattern'"),
    ('"is:pipe_menu"', '"is:pipe_dream"', "unknown test 'pipe_dream'"),
    ('"words<=30", "is:pipe_menu"', '"words<=30", "match:nav_tags@title"', "field is one of"),
])
def test_a_broken_rule_is_refused_naming_the_file_and_the_rule(
    tables: Path, old: str, new: str, message: str
) -> None:
    rules = tables / "block_rules.toml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        cr.lexicon()
    assert "block_rules.toml" in str(caught.value)


def test_a_broken_pattern_is_refused_naming_it(tables: Path) -> None:
    lexicon = tables / "lexicon.toml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8").replace(
        "click_here = 'click here'", "click_here = 'click (here'", 1), encoding="utf-8")
    with pytest.raises(InputError, match="pattern click_here") as caught:
        cr.lexicon()
    assert "lexicon.toml" in str(caught.value)
