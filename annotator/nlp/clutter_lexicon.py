"""The clutter detector's lexical rules, read from data.

Why data: the word lists, the patterns and the order of the rules that use them are what
a lead reads and extends for a new site, so they live in ``resources/clutter/``
(``lexicon.toml``: words, patterns, fragments; ``block_rules.toml``: the rules in the
order they are tried), beside the phrase table, in the folder that
``ANNOTATOR_RULES_DIR`` may replace. The block layer's version is a hash of that folder
(:mod:`annotator.nlp.versions`), so an edit re-checks the documents it affects.

Each rule has a unique name (what a suggestion records) and a family (what the
detector's context passes read: four rules catch a photo credit in four ways, and a
pass that asks "is this a photo credit" asks about the family).

Why compiled: the rules run on every block of every document, most of them on every
short block. Interpreting the conditions (a function call per condition) made the
lexical pass a fifth slower than the hand-written ``if`` chain it replaced, so the
table is turned once into one Python function of that same shape. Only names this
module makes up go into its source (``n``, the four fields, ``_v<k>`` for the compiled
patterns, word sets and tests, integers checked by a pattern, and the expressions that
``clutter_rules.TESTS`` writes in code); the data's own strings never do.
"""

from __future__ import annotations

import os
import re
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
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
#: A named test of a block (``is:<name>`` in the rules): a function of the block, or
#: an expression over the names the compiled rules define (written in code, never read
#: from data).
Check = Callable[[Any], Any] | str

#: The fields of a block a condition may read (``core``: the block without bullets and
#: decoration; ``low``: lower-cased; ``key``: ``low`` without trailing " !.:*").
FIELDS = ("core", "low", "key", "raw")


@dataclass(frozen=True, slots=True)
class Rule:
    """One lexical rule: when its conditions all hold, the block gets ``label``."""

    name: str
    family: str
    label: str
    score: float
    weak: bool
    header: Check | bool


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The word lists, patterns and rules of one rules folder."""

    words: Mapping[str, frozenset[str]]
    patterns: Mapping[str, re.Pattern[str] | tuple[re.Pattern[str], ...]]
    rules: tuple[Rule, ...]
    first: Callable[[Any], int]  # the index of the first rule that holds, or -1
    #: The patterns that are one expression (not ``each``), for code that reads them.
    regex: Mapping[str, re.Pattern[str]]

    def pattern(self, name: str) -> re.Pattern[str]:
        return self.regex[name]

    def fire(self, block: Any) -> Rule | None:
        """The first rule whose conditions hold for ``block``."""
        i = self.first(block)
        return self.rules[i] if i >= 0 else None


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
    """Turns the conditions of ``block_rules.toml`` into Python expressions over the
    names ``s`` (the block), ``n`` (its word count) and the fields, binding every object
    they use (a pattern's method, a word set, a test) to a made-up name."""

    def __init__(self, words: Mapping[str, tuple[str, ...]],
                 patterns: Mapping[str, re.Pattern[str] | tuple[re.Pattern[str], ...]],
                 tests: Mapping[str, Check], where: Path) -> None:
        self.words = words
        self.patterns = patterns
        self.tests = tests
        self.where = where
        self.names: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"_v{len(self.names)}"
        self.names[name] = value
        return name

    def fail(self, rule: str, message: str) -> InputError:
        return InputError(f"rule {rule}: {message}", where=str(self.where))

    def many(self, rule: str, items: Any, joiner: str) -> str:
        if not isinstance(items, list) or not items:
            raise self.fail(rule, "conditions are a non-empty list")
        return "(" + f" {joiner} ".join(self.one(rule, item) for item in items) + ")"

    def one(self, rule: str, item: Any) -> str:
        if isinstance(item, dict):
            if len(item) != 1:
                raise self.fail(rule, f"one of any/all/not per table, not {sorted(item)}")
            (op, items), = item.items()
            if op == "any":
                return self.many(rule, items, "or")
            if op == "all":
                return self.many(rule, items, "and")
            if op == "not":
                return "(not " + self.many(rule, items, "and") + ")"
            raise self.fail(rule, f"unknown group {op!r} (any, all, not)")
        if not isinstance(item, str):
            raise self.fail(rule, f"a condition is a string or a table, not {item!r}")
        return self.atom(rule, item)

    def atom(self, rule: str, item: str) -> str:
        m = _WORDS.match(item)
        if m:
            return f"n {m.group(1)} {int(m.group(2))}"
        op, _, rest = item.partition(":")
        if op == "is":
            test = self.tests.get(rest)
            if test is None:
                raise self.fail(rule, f"unknown test {rest!r}")
            return f"({test})" if isinstance(test, str) else f"{self.bind(test)}(s)"
        name, _, field = rest.partition("@")
        if field not in FIELDS:
            raise self.fail(rule, f"{item!r}: field is one of {', '.join(FIELDS)}")
        if op in ("in", "contains"):
            words = self.words.get(name)
            if words is None:
                raise self.fail(rule, f"no word list {name!r}")
            if op == "in":
                return f"{field} in {self.bind(frozenset(words))}"
            return f"any(w in {field} for w in {self.bind(words)})"
        if op not in ("match", "search", "fullmatch"):
            raise self.fail(rule, f"unknown condition {item!r}")
        found = self.patterns.get(name)
        if found is None:
            raise self.fail(rule, f"no pattern {name!r}")
        if isinstance(found, tuple):
            return "(" + " or ".join(f"{self.bind(getattr(p, op))}({field})"
                                     for p in found) + ")"
        return f"{self.bind(getattr(found, op))}({field})"

    def function(self, body: list[str]) -> Callable[[Any], Any]:
        """A function of a block: the fields as locals, then ``body``."""
        source = "\n".join([
            "def compiled(s):",
            "    n = s.n_words",
            "    core = s.core",
            "    low = s.low",
            "    key = low.rstrip(' !.:*')",
            "    raw = s.raw",
            *("    " + line for line in body),
        ])
        scope: dict[str, Any] = dict(self.names)
        exec(compile(source, str(self.where), "exec"), scope)  # noqa: S102 - made-up names only
        return scope["compiled"]  # type: ignore[no-any-return]


def load(folder: Path, tests: Mapping[str, Check]) -> Lexicon:
    """The lexicon of ``folder``; ``tests`` are the named checks conditions may use."""
    where = folder / LEXICON_FILE
    data = _read(where)
    ordered = {k: tuple(str(w) for w in v) for k, v in data.get("words", {}).items()}
    patterns = _patterns(data, where)
    rules_path = folder / RULES_FILE
    compiler = _Compiler(ordered, patterns, tests, rules_path)
    rules: list[Rule] = []
    body: list[str] = []
    headers: list[tuple[int, str]] = []
    for spec in _read(rules_path).get("rules", []):
        name = str(spec.get("name", ""))
        if not name or any(r.name == name for r in rules):
            raise InputError(f"rule {name!r}: every rule needs a name of its own",
                             where=str(rules_path))
        header = spec.get("header", False)
        try:
            body.append(f"if {compiler.many(name, spec.get('when'), 'and')}: return {len(rules)}")
            if not isinstance(header, bool):
                headers.append((len(rules), compiler.one(name, header)))
            rules.append(Rule(name, str(spec.get("family", name)), str(spec["label"]),
                              float(spec["score"]), bool(spec.get("weak", False)),
                              header if isinstance(header, bool) else False))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"rule {name}: missing or bad {exc}", where=str(rules_path)) from None
    first = compiler.function([*body, "return -1"])
    for i, expr in headers:
        rules[i] = replace(rules[i], header=compiler.function([f"return bool({expr})"]))
    words = {k: frozenset(v) for k, v in ordered.items()}
    regex = {k: v for k, v in patterns.items() if isinstance(v, re.Pattern)}
    return Lexicon(words, patterns, tuple(rules), first, regex)


_cache: dict[str, tuple[tuple[bytes, bytes], Lexicon]] = {}
# Files whose stat has not changed since they were read, and were last written well
# before that read, cannot have changed ("racy git": a write within the clock tick of
# the read keeps the same mtime, so only an old mtime proves the content old).
_settled: dict[str, tuple[tuple[int, ...], Lexicon]] = {}
_SETTLED_NS = 2_000_000_000


def _stamp(folder: Path) -> tuple[int, ...]:
    out: list[int] = []
    for name in (LEXICON_FILE, RULES_FILE):
        st = os.stat(folder / name)
        out += [st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns]
    return tuple(out)


def current(tests: Mapping[str, Check]) -> Lexicon:
    """The lexicon of the rules folder in use, read again when one of its files changes.

    Asked once per document, so it answers from a stat when the files are settled and
    compares their bytes otherwise (an edit that keeps the size within one clock tick
    still counts)."""
    folder = rules_dir()
    key = str(folder)
    try:
        stamp = _stamp(folder)
        settled = _settled.get(key)
        if settled is not None and settled[0] == stamp:
            return settled[1]
        content = ((folder / LEXICON_FILE).read_bytes(), (folder / RULES_FILE).read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read rule table: {exc}", where=str(folder)) from None
    cached = _cache.get(key)
    if cached is None or cached[0] != content:
        cached = (content, load(folder, tests))
        _cache[key] = cached
    newest = max(stamp[0], stamp[3], stamp[4], stamp[7])
    if time.time_ns() - newest > _SETTLED_NS:
        _settled[key] = (stamp, cached[1])
    return cached[1]
