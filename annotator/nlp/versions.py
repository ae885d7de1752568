"""Suggestion versions computed from what decides, never bumped by hand.

A hand-bumped "clutter-1" stayed the same through a commit that changed which
suggestions were made, so projects kept stale ones. A version here is a hash of the
source of the modules that decide and of their data files, so any change to them is a
new version and ``suggest`` re-checks the documents.

Which files decide which layer is written down once, below (``*_files``), so that a
data file cannot be read by a suggester without being part of its version: the rule
tables of ``resources/clutter`` decide the block layer (and the rule detector), the
lexicon of ``resources/attribution`` decides attributions, and its cue verbs also the
claim suggester, which reads them as a sign of reported speech. A trained model is
hashed by its own ``digest`` beside these (``block_classifier.version``,
``pipeline.parse_version``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from annotator.paths import resources_dir

_HERE = Path(__file__).resolve().parent
_CORE = _HERE.parent / "core"

#: The attribution lexicon (``cues.toml``, ``sources.toml``), read by ``nlp.cues``.
ATTRIBUTION_DATA = resources_dir() / "attribution"


def _tables(folder: Path) -> list[Path]:
    """Every TOML table of a rules folder, in a stable order."""
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def clutter_files(tables: Path) -> list[Path]:
    """What the rule detector decides with: its code and the tables of ``tables``."""
    code = ("clutter.py", "clutter_rules.py", "clutter_lexicon.py", "rule_tables.py",
            "topic.py")
    return [_HERE / name for name in code] + [_CORE / "fingerprint.py"] + _tables(tables)


def block_files(tables: Path) -> list[Path]:
    """The block layer: the rule detector, the features the model reads and the way it
    scores them (the model itself is hashed by its ``digest``)."""
    code = ("block_features.py", "block_classifier.py", "block_model.py")
    return clutter_files(tables) + [_HERE / name for name in code]


def attribution_files(data: Path = ATTRIBUTION_DATA) -> list[Path]:
    """The attribution rules: the finder's modules, the lexicon's code and its data."""
    code = sorted(p.name for p in _HERE.glob("attribution*.py")
                  if p.name != "attribution_learning.py")
    return ([_HERE / name for name in (*code, "cues.py", "tokens.py")]
            + [_CORE / "blocks.py"] + _tables(data))


def claims_files(data: Path = ATTRIBUTION_DATA) -> list[Path]:
    """The claim suggester reads the speech verbs of the cue lexicon."""
    return [_HERE / "claims.py", _HERE / "cues.py", data / "cues.toml"]


def digest(paths: Iterable[Path]) -> str:
    """12 hex digits over the names and bytes of ``paths``, in the order given."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=16)
def source_digest(*names: str) -> str:
    """12 hex digits over the named files of ``annotator/nlp`` (or absolute paths)."""
    return digest(Path(name) if Path(name).is_absolute() else _HERE / name for name in names)
