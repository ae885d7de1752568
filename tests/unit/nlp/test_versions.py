"""Suggestion versions follow the content of what decides: edit one data file and exactly
the versions of the layers that read it change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.nlp import attribution, block_classifier, claims, clutter, versions
from annotator.nlp.rule_tables import rules_dir
from annotator.paths import resources_dir


def _versions(data: Path, tables: Path) -> dict[str, str]:
    return {
        "attribution": versions.digest(versions.attribution_files(data)),
        "claims": versions.digest(versions.claims_files(data)),
        "clutter": versions.digest(versions.clutter_files(tables)),
        "blocks": versions.digest(versions.block_files(tables)),
    }


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "attribution"
    tables = tmp_path / "clutter"
    shutil.copytree(resources_dir() / "attribution", data)
    shutil.copytree(resources_dir() / "clutter", tables)
    return data, tables


def test_the_modules_use_the_registry() -> None:
    shipped = _versions(versions.ATTRIBUTION_DATA, rules_dir())
    assert f"attribution-{shipped['attribution']}" == attribution.RULES_VERSION
    assert f"claims-{shipped['claims']}" == claims.RULES_VERSION
    assert f"clutter-{shipped['clutter']}" == clutter.RULES_VERSION
    assert not any(v.endswith("-1") for v in (attribution.RULES_VERSION, claims.RULES_VERSION,
                                               clutter.RULES_VERSION))


def test_every_shipped_rule_table_is_in_a_version() -> None:
    hashed = {p.resolve() for p in versions.attribution_files() + versions.claims_files()
              + versions.block_files(resources_dir() / "clutter")}
    tables = sorted((resources_dir() / "attribution").glob("*.toml")) + sorted(
        (resources_dir() / "clutter").glob("*.toml"))
    assert len(tables) >= 3
    assert [p for p in tables if p.resolve() not in hashed] == []


def test_editing_one_data_file_changes_exactly_the_versions_that_read_it(
    copies: tuple[Path, Path],
) -> None:
    data, tables = copies
    before = _versions(data, tables)
    assert before == _versions(versions.ATTRIBUTION_DATA, resources_dir() / "clutter")
    expected = {data / "cues.toml": {"attribution", "claims"},
                data / "sources.toml": {"attribution"}}
    expected |= {path: {"clutter", "blocks"} for path in sorted(tables.glob("*.toml"))}
    for path, affected in expected.items():
        original = path.read_bytes()
        path.write_bytes(original + b"\n# edited\n")
        after = _versions(data, tables)
        changed = {name for name in before if after[name] != before[name]}
        assert changed == affected, path.name
        path.write_bytes(original)
    assert _versions(data, tables) == before


def test_the_block_layer_version_follows_the_tables_in_use(
    copies: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, tables = copies
    shipped = block_classifier.version(None)
    monkeypatch.setenv("ANNOTATOR_RULES_DIR", str(tables))
    assert block_classifier.version(None) == shipped  # same bytes, same version
    path = tables / "phrases.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"advertisement",', '"advertisement", "paid for by our readers",', 1), encoding="utf-8")
    assert block_classifier.version(None) != shipped
