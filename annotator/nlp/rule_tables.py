"""Rule tables kept as data: whole-block phrases of page furniture, by label.

The tables live in ``resources/clutter/*.toml`` so that adding a line that a site prints
on every page ("Log in to comment", "Advertisement") is an edit of data, not of code,
and so that the suggestion version can be a hash of what the rules say
(:func:`tables_digest`): change a table and exactly the documents whose suggestions
change are redone. ``ANNOTATOR_RULES_DIR`` points at another folder of tables (a lead
trying site-specific furniture lines before proposing them).
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from annotator.core.errors import InputError
from annotator.paths import resources_dir

_NORM = re.compile(r"[\W_]+")


def rules_dir() -> Path:
    override = os.environ.get("ANNOTATOR_RULES_DIR")
    return Path(override) if override else resources_dir() / "clutter"


def normalise(text: str) -> str:
    """A block as the tables see it: lower-case words separated by single spaces."""
    return _NORM.sub(" ", text.lower()).strip()


@dataclass(frozen=True, slots=True)
class PhraseHit:
    label: str
    rule: str  # "phrase:<label>:<phrase or pattern>", unique per table entry


@dataclass(frozen=True)
class PhraseTable:
    phrases: dict[str, tuple[str, str]]  # normalised phrase -> (label, rule)
    patterns: tuple[tuple[re.Pattern[str], str, str], ...]  # (pattern, label, rule)
    max_words: int
    # Lines a lead is sure about ("sure" lists): suggested whatever the model says.
    sure: dict[str, tuple[str, str]] = field(default_factory=dict)

    def match_sure(self, block: str) -> PhraseHit | None:
        found = self.sure.get(normalise(block)) if self.sure else None
        return PhraseHit(*found) if found is not None else None

    def match(self, block: str) -> PhraseHit | None:
        key = normalise(block)
        if not key or key.count(" ") >= self.max_words:
            return None
        found = self.phrases.get(key)
        if found is not None:
            return PhraseHit(*found)
        for pattern, label, rule in self.patterns:
            if pattern.fullmatch(key):
                return PhraseHit(label, rule)
        return None


def _read(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read rule table: {exc}", where=str(path)) from None


@lru_cache(maxsize=4)
def _load(folder: str, content: bytes) -> PhraseTable:
    """The table of ``folder``; ``content`` (the file's bytes) keys the cache, so an
    edited table is read again."""
    phrases: dict[str, tuple[str, str]] = {}
    sure: dict[str, tuple[str, str]] = {}
    patterns: list[tuple[re.Pattern[str], str, str]] = []
    max_words = 12
    path = Path(folder) / "phrases.toml"
    if not path.is_file():
        return PhraseTable({}, (), max_words)
    data = _read(path)
    max_words = int(data.get("max_words", max_words))  # type: ignore[call-overload]
    for label, entry in data.items():
        if not isinstance(entry, dict):
            continue
        for phrase in entry.get("phrases", []):
            key = normalise(str(phrase))
            if key:
                phrases.setdefault(key, (label, f"phrase:{label}:{key}"))
        for phrase in entry.get("sure", []):
            key = normalise(str(phrase))
            if key:
                sure.setdefault(key, (label, f"sure:{label}:{key}"))
        for raw in entry.get("patterns", []):
            try:
                patterns.append((re.compile(str(raw)), label, f"pattern:{label}:{raw}"))
            except re.error as exc:
                raise InputError(f"[{label}] pattern {raw!r}: {exc}", where=str(path)) from None
    return PhraseTable(phrases, tuple(patterns), max_words, sure)


def tables_digest() -> str:
    """A hash of every table's bytes: the rules' part of the suggestion version."""
    h = hashlib.sha256()
    folder = rules_dir()
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def phrase_table() -> PhraseTable:
    """The phrase table in use. Read for every document, so it compares the bytes of
    its own file rather than hashing the whole folder (``tables_digest``, the version,
    covers every table)."""
    folder = rules_dir()
    try:
        content = (folder / "phrases.toml").read_bytes()
    except OSError:
        content = b""
    return _load(str(folder), content)
