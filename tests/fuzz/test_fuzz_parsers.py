"""Fuzzing the import, merge and HTML parsers with Hypothesis (a bounded budget).

``tests/bench/bench_fuzz.py`` runs the same properties with many more examples.
Each property is in ``tests/fuzz/properties.py``: exit 0 with the data stored, or exit 2
with one line per problem and nothing half-stored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from annotator.store import open_project
from tests.fuzz import properties as p


def budget(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite"
    open_project(path).close()
    return path


@budget(300)
@given(markup=p.html_pages())
def test_html_pages_are_read_or_refused_in_one_line(markup: str) -> None:
    p.check_html(markup)


@budget(80)
@given(file=p.article_files())
def test_an_article_file_goes_in_whole_or_not_at_all(project: Path,
                                                     file: tuple[str, bytes]) -> None:
    p.check_import(project, *file)


@budget(80)
@given(lines=p.merge_files())
def test_each_export_record_merges_whole_or_is_refused(project: Path, lines: list[str]) -> None:
    p.check_merge(project, lines)
