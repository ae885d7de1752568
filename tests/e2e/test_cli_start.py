"""The command line starts without loading what a command does not need.

Real processes: what a fresh interpreter has imported after building the parser, and
what ``annotator --version`` prints, checked against the installed distributions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from annotator.cli import cmd_export
from annotator.cli.versions import DEFAULT_MODELS, installed
from annotator.nlp import model
from annotator.services import export

HEAVY = ("spacy", "numpy", "PySide6", "thinc", "lxml")


def loaded_after(code: str) -> list[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.splitlines()[-1]
    return [name for name in json.loads(out) if name.split(".")[0] in HEAVY]


def test_importing_the_cli_and_building_its_parser_loads_no_heavy_library() -> None:
    assert loaded_after("import annotator.cli") == []
    assert loaded_after("import annotator.__main__\nimport annotator.cli as c\n"
                        "c.build_parser().parse_args(['list', '--help'][:1])") == []


def test_version_reads_metadata_without_importing_anything_heavy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert loaded_after("import annotator.cli as c\nc.main(['--version'])") == []
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path)}
    env.pop(model.ENV_VAR, None)
    result = subprocess.run([sys.executable, "-m", "annotator", "--version"],
                            capture_output=True, text=True, env=env, check=True)
    lines = result.stdout.splitlines()
    from annotator import __version__

    qt = installed(("PySide6-Essentials", "PySide6"))
    assert qt is not None
    name, model_version = installed(DEFAULT_MODELS) or ("", "")
    assert lines == [
        f"annotator {__version__}",
        f"Qt (PySide6) {qt[1]}",
        f"spaCy {version('spacy')}",
        f"spaCy model {name} {model_version}",
    ]
    import PySide6
    import spacy

    assert lines[1].endswith(PySide6.__version__) and lines[2].endswith(spacy.__version__)
    # The same model the suggesters load by default.
    monkeypatch.delenv(model.ENV_VAR, raising=False)
    assert model.load_model().name == name


def test_version_names_the_model_chosen_by_environment(tmp_path: Path) -> None:
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path), model.ENV_VAR: "blank:en"}
    result = subprocess.run([sys.executable, "-m", "annotator", "--project", "x.sqlite",
                             "--version"], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.splitlines()[-1] == f"spaCy model blank:en ({model.ENV_VAR}=blank:en)"


def test_the_cli_repeats_what_it_does_not_import() -> None:
    assert DEFAULT_MODELS == model.DEFAULT_MODELS
    assert cmd_export.FORMATS == export.FORMATS
