"""The clutter detector's lexical rules, read from data.

Why data: the word lists, the patterns and the order of the rules that use them are what
a lead reads and extends for a new site, so they live in ``resources/clutter/``
(``lexicon.toml``: words, patterns, fragments; ``block_rules.toml``: the rules in the
order they are tried), beside the phrase table, in the folder that
``ANNOTATOR_RULES_DIR`` may replace. The block layer's version is a hash of that folder
(:mod:`annotator.nlp.versions`), so an edit re-checks the documents it affects.

Each rule has a unique name (what a suggestion records) and a family (what the
detector's context passes read: four rules catch a photo credit in four ways, and a
pass that asks "is this a photo credit" asks about the family). Conditions are compiled
once into plain functions of a block's shape, so reading them from data costs nothing
per block.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from annotator.core.errors import InputError
from annotator.nlp.rule_tables import rules_dir

LEXICON_FILE = "lexicon.toml"
RULES_FILE = "block_rules.toml"
#: The block label that ends the search with no suggestion.
NO_CLUTTER = "content"

_FRAGMENT = re.compile(r"\{\{(\w+)\}\}")
_WORDS = re.compile(r"^words(<=|>=|>)(\d+)$")
_FIELDS = ("core", "low", "key", "raw")


#: A condition over a block: true when it holds (a match object counts as true).
Check = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Rule:
    """One lexical rule: when its checks all hold, the block gets ``label``."""

    name: str
    family: str
    label: str
    score: float
    weak: bool
    header: Check | bool
    checks: tuple[Check, ...]
    min_words: int = 0  # the word-count conditions, checked first and cheaply
    max_words: int = 1 << 30

    @property
    def test(self) -> Check:
        """All the checks as one function (one call per rule and block)."""
        return _all(self.checks)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The word lists, patterns and rules of one rules folder."""

    words: Mapping[str, frozenset[str]]
    patterns: Mapping[str, re.Pattern[str] | tuple[re.Pattern[str], ...]]
    rules: tuple[Rule, ...]

    _tests: tuple[tuple[tuple[Check, Rule], ...], ...] = ()

    def __post_init__(self) -> None:
        # The rules that a block of n words may fire, in order, for every n up to the
        # largest bound (beyond it the list is the same): most rules are for short
        # blocks, and a long paragraph should not pay for them.
        top = max((b for r in self.rules for b in (r.min_words, r.max_words) if b < 1 << 30),
                  default=0) + 1
        tests = {id(r): r.test for r in self.rules}
        object.__setattr__(self, "_tests", tuple(
            tuple((tests[id(r)], r) for r in self.rules if r.min_words <= n <= r.max_words)
            for n in range(top + 1)))

    def rules_for(self, n_words: int) -> tuple[tuple[Check, Rule], ...]:
        """The rules, in order, that a block of ``n_words`` words may fire, each with
        its test."""
        table = self._tests
        return table[n_words] if n_words < len(table) else table[-1]

    def pattern(self, name: str) -> re.Pattern[str]:
        found = self.patterns[name]
        assert isinstance(found, re.Pattern), name
        return found


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read rule table: {exc}", where=str(path)) from None


def _joined(value: Any, what: str, where: Path) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    raise InputError(f"{what}: a pattern is a string or a list of strings", where=str(where))


def _expand(text: str, fragments: Mapping[str, str], what: str, where: Path) -> str:
    for _ in range(10):  # fragments may use fragments; ten levels is plenty
        if "{{" not in text:
            return text
        try:
            text = _FRAGMENT.sub(lambda m: fragments[m.group(1)], text)
        except KeyError as exc:
            raise InputError(f"{what}: no fragment {exc}", where=str(where)) from None
    raise InputError(f"{what}: fragments nest too deep", where=str(where))


def _compile(text: str, flags: int, what: str, where: Path) -> re.Pattern[str]:
    try:
        return re.compile(text, flags)
    except re.error as exc:
        raise InputError(f"pattern {what}: {exc}", where=str(where)) from None


def _patterns(data: dict[str, Any], where: Path
              ) -> dict[str, re.Pattern[str] | tuple[re.Pattern[str], ...]]:
    fragments = {k: _joined(v, f"fragment {k}", where)
                 for k, v in data.get("fragments", {}).items()}
    out: dict[str, re.Pattern[str] | tuple[re.Pattern[str], ...]] = {}
    for name, spec in data.get("patterns", {}).items():
        if not isinstance(spec, dict):
            spec = {"regex": spec}
        flags = re.IGNORECASE if spec.get("ignore_case") else 0
        if "each" in spec:
            out[name] = tuple(
                _compile(_expand(_joined(p, name, where), fragments, name, where), flags,
                         name, where)
                for p in spec["each"]
            )
            continue
        if "alternatives" in spec:
            alternatives = [_joined(a, name, where) for a in spec["alternatives"]]
            text = (_joined(spec.get("before", ""), name, where) + "|".join(alternatives)
                    + _joined(spec.get("after", ""), name, where))
        elif "regex" in spec:
            text = _joined(spec["regex"], name, where)
        else:
            raise InputError(f"pattern {name}: needs regex, alternatives or each",
                             where=str(where))
        out[name] = _compile(_expand(text, fragments, name, where), flags, name, where)
    return out


class _Compiler:
    """Turns the conditions of ``block_rules.toml`` into functions of a block."""

    def __init__(self, lexicon: Lexicon, tests: Mapping[str, Check], where: Path) -> None:
        self.lexicon = lexicon
        self.tests = tests
        self.where = where

    def fail(self, rule: str, message: str) -> InputError:
        return InputError(f"rule {rule}: {message}", where=str(self.where))

    def many(self, rule: str, items: Any) -> tuple[Check, ...]:
        if not isinstance(items, list) or not items:
            raise self.fail(rule, "conditions are a non-empty list")
        return tuple(self.one(rule, item) for item in items)

    def one(self, rule: str, item: Any) -> Check:
        if isinstance(item, dict):
            if len(item) != 1:
                raise self.fail(rule, f"one of any/all/not per table, not {sorted(item)}")
            (op, items), = item.items()
            checks = self.many(rule, items)
            if op == "any":
                return lambda s: any(c(s) for c in checks)
            if op == "all":
                return _all(checks)
            if op == "not":
                both = _all(checks)
                return lambda s: not both(s)
            raise self.fail(rule, f"unknown group {op!r} (any, all, not)")
        if not isinstance(item, str):
            raise self.fail(rule, f"a condition is a string or a table, not {item!r}")
        return self.atom(rule, item)

    def atom(self, rule: str, item: str) -> Check:
        m = _WORDS.match(item)
        if m:
            limit = int(m.group(2))
            if m.group(1) == "<=":
                return lambda s: s.n_words <= limit
            if m.group(1) == ">=":
                return lambda s: s.n_words >= limit
            return lambda s: s.n_words > limit
        op, _, rest = item.partition(":")
        if op == "is":
            test = self.tests.get(rest)
            if test is None:
                raise self.fail(rule, f"unknown test {rest!r}")
            return test
        name, _, field = rest.partition("@")
        if field not in _FIELDS:
            raise self.fail(rule, f"{item!r}: field is one of {', '.join(_FIELDS)}")
        if op in ("in", "contains"):
            get = attrgetter(field)
            words = self.lexicon.words.get(name)
            if words is None:
                raise self.fail(rule, f"no word list {name!r}")
            if op == "in":
                return lambda s: get(s) in words
            listed = tuple(words)
            return lambda s: any(w in get(s) for w in listed)
        if op not in ("match", "search", "fullmatch"):
            raise self.fail(rule, f"unknown condition {item!r}")
        found = self.lexicon.patterns.get(name)
        if found is None:
            raise self.fail(rule, f"no pattern {name!r}")
        if isinstance(found, tuple):
            get = attrgetter(field)
            methods = tuple(getattr(p, op) for p in found)
            return lambda s: any(m(get(s)) for m in methods)
        return _on_field(getattr(found, op), field)


def _on_field(method: Callable[[str], Any], field: str) -> Check:
    """``method`` over one field of the block; a match object counts as true. Written out
    per field because this runs for every rule on every block."""
    if field == "low":
        return lambda s: method(s.low)
    if field == "core":
        return lambda s: method(s.core)
    if field == "key":
        return lambda s: method(s.key)
    return lambda s: method(s.raw)


def _all(checks: tuple[Check, ...]) -> Check:
    """One function for a conjunction; the common lengths written out (no loop)."""
    if not checks:
        return lambda s: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda s: a(s) and b(s)
    first, rest = checks[0], _all(checks[1:])
    return lambda s: first(s) and rest(s)


def _word_bounds(when: list[Any]) -> tuple[int, int, list[Any]]:
    """The rule's word-count conditions as bounds, and its other conditions."""
    lo, hi, rest = 0, 1 << 30, []
    for item in when:
        m = _WORDS.match(item) if isinstance(item, str) else None
        if m is None:
            rest.append(item)
        elif m.group(1) == "<=":
            hi = min(hi, int(m.group(2)))
        elif m.group(1) == ">=":
            lo = max(lo, int(m.group(2)))
        else:
            lo = max(lo, int(m.group(2)) + 1)
    return lo, hi, rest


def load(folder: Path, tests: Mapping[str, Check]) -> Lexicon:
    """The lexicon of ``folder``; ``tests`` are the named checks conditions may use."""
    where = folder / LEXICON_FILE
    data = _read(where)
    words = {k: frozenset(str(w) for w in v) for k, v in data.get("words", {}).items()}
    ordered = {k: tuple(str(w) for w in v) for k, v in data.get("words", {}).items()}
    patterns = _patterns(data, where)
    rules_path = folder / RULES_FILE
    compiler = _Compiler(Lexicon(ordered, patterns, ()), tests, rules_path)
    rules: list[Rule] = []
    names: set[str] = set()
    for spec in _read(rules_path).get("rules", []):
        name = str(spec.get("name", ""))
        if not name or name in names:
            raise InputError(f"rule {name!r}: every rule needs a name of its own",
                             where=str(rules_path))
        names.add(name)
        header = spec.get("header", False)
        when = spec.get("when")
        if not isinstance(when, list) or not when:
            raise InputError(f"rule {name}: `when` is a non-empty list of conditions",
                             where=str(rules_path))
        lo, hi, rest = _word_bounds(when)
        try:
            rule = Rule(name, str(spec.get("family", name)), str(spec["label"]),
                        float(spec["score"]), bool(spec.get("weak", False)),
                        header if isinstance(header, bool) else compiler.one(name, header),
                        compiler.many(name, rest) if rest else (), lo, hi)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"rule {name}: missing or bad {exc}", where=str(rules_path)) from None
        rules.append(rule)
    return Lexicon(words, patterns, tuple(rules))


_cache: dict[str, tuple[bytes, Lexicon]] = {}


def current(tests: Mapping[str, Check]) -> Lexicon:
    """The lexicon of the rules folder in use, read again when one of its files changes
    (compared by content: an edit that keeps the size and the clock tick still counts)."""
    folder = rules_dir()
    try:
        content = b"\0".join((folder / name).read_bytes() for name in (LEXICON_FILE, RULES_FILE))
    except OSError as exc:
        raise InputError(f"cannot read rule table: {exc}", where=str(folder)) from None
    key = str(folder)
    cached = _cache.get(key)
    if cached is None or cached[0] != content:
        cached = (content, load(folder, tests))
        _cache[key] = cached
    return cached[1]
