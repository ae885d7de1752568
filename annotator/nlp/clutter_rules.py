"""Lexical rules of the clutter detector: what one block looks like on its own.

The rules themselves are data: the word lists and patterns in
``resources/clutter/lexicon.toml``, the rules that use them, in the order they are
tried, in ``resources/clutter/block_rules.toml`` (loaded by
:mod:`annotator.nlp.clutter_lexicon`). What stays here is what the data cannot say: the
block's shape (words, sentence end, title case, a timestamp line) and the few checks
that take a block apart (a breadcrumb, a share bar, a pipe-separated menu), which the
rules name as ``is:<test>``. Context (what sits around a block, what the article is
about) is decided in :mod:`annotator.nlp.clutter`.

Rules are anchored to whole blocks: a scraped menu item, share button or "Related
Articles" header is a block of its own, so requiring the *whole* block to match keeps a
body paragraph that merely mentions "cookies" or "donations" out of harm's way. That is
also why plain regexes are used here rather than spaCy's PhraseMatcher: the patterns are
line-anchored, and the detector must work when no spaCy parse is available. The few
phrase cues that may sit inside a longer block (promotions, cookie notices) are bounded
by block length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from annotator.nlp import clutter_lexicon
from annotator.nlp.clutter_lexicon import NO_CLUTTER, Lexicon

NAVIGATION = "navigation"
CAPTION = "caption"
METADATA = "metadata"
RELATED = "related"
PROMO = "promo"
UNRELATED = "unrelated"
WIDGET = "widget"
LEGAL = "legal"
CONTENT = "content"

# How a block is taken apart into words and sentences (the rules' data reads the result).
_BULLET = re.compile(r"^[\s\-*•·–—▪●◦►▸‣⁃>]+(?=\S)")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_SENT_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[\"'”’]*$")


def _is_decor(ch: str) -> bool:
    """Emoji, pictographs, arrows and similar symbols that decorate buttons and banners."""
    cat = unicodedata.category(ch)
    if ch in "©®™":
        return False  # copyright signs are what the legal rules look for
    if "\ufe00" <= ch <= "\ufe0f" or ch == "\u20e3":
        return True  # emoji variation selectors and keycaps ("✉️" is two code points)
    return cat in ("So", "Sk", "Cf", "Co") or ch in "→←↑↓↗↘›‹»«|•·▶▷◀◁"


def strip_decor(text: str) -> str:
    """The block's words without bullets, emoji, arrows, odd spaces or repeated blanks."""
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = _BULLET.sub("", text.strip())
    # Decorations at either end ("📤 Share", "Back to top ↑", "🔴 LIVE: ...").
    start, end = 0, len(text)
    while start < end and (_is_decor(text[start]) or text[start].isspace()):
        start += 1
    while end > start and (_is_decor(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    return _SPACE.sub(" ", text[start:end]).strip()


# --------------------------------------------------------------------------- shape


@dataclass(frozen=True)
class Shape:
    """Surface features of one block, computed once and shared by every rule.

    ``lex`` is the lexicon the rules read (the current one unless given; a pass over a
    document fetches it once and hands it to every shape)."""

    raw: str
    lex: Lexicon = field(default_factory=lambda: lexicon(), compare=False, repr=False)

    @cached_property
    def core(self) -> str:
        return strip_decor(self.raw)

    @cached_property
    def low(self) -> str:
        return self.core.lower()

    @property
    def share_level(self) -> int:
        """2: a bar of share buttons; 1: words that are buttons only beside others.
        (Kept by hand: two rules ask, and ``cached_property`` takes a lock per read.)"""
        level = self.__dict__.get("_share_level")
        if level is None:
            level = self.__dict__["_share_level"] = _share_bar(self)
        return level

    @cached_property
    def words(self) -> list[str]:
        return _WORD.findall(self.core)

    @property
    def n_words(self) -> int:
        return len(self.words)

    @cached_property
    def sentence_end(self) -> bool:
        return bool(_SENT_END.search(self.core))

    @cached_property
    def ellipsis(self) -> bool:
        return bool(_ELLIPSIS.search(self.core))

    @cached_property
    def question(self) -> bool:
        return self.core.rstrip("\"'”’ *").endswith("?")

    @cached_property
    def title_like(self) -> bool:
        """A heading, a headline, a menu item: short, no closing full stop, starts upper."""
        c = self.core
        if not c or self.n_words == 0 or self.n_words > 18:
            return False
        if c.endswith((".", ";", ",", ":")) and not c.endswith("..."):
            return False
        first = next((ch for ch in c if ch.isalnum()), "")
        return first.isupper() or first.isdigit() or not first.isascii()

    @cached_property
    def lines(self) -> list[Shape]:
        """The block's lines, each as a shape (a block is mostly a single line)."""
        raw = [ln for ln in self.raw.split("\n") if ln.strip()]
        return [self] if len(raw) <= 1 else [Shape(ln, self.lex) for ln in raw]

    @property
    def longest_line_words(self) -> int:
        return max(line.n_words for line in self.lines)

    @cached_property
    def titles(self) -> bool:
        """Every line is title-like: a headline, or a list of headlines joined by wrapping."""
        return all(line.title_like for line in self.lines)

    @cached_property
    def dateline(self) -> bool:
        return bool(self.lex.regex["dateline"].match(self.core))

    @cached_property
    def list_item(self) -> bool:
        return bool(_BULLET.match(self.raw.strip())) or bool(re.match(r"^\d{1,2}[.)]\s", self.core))

    @cached_property
    def date_only(self) -> bool:
        """A timestamp line: a date (or "2 hours ago") and nothing but timestamp words."""
        c = self.core
        if self.n_words > 24 or self.dateline:
            return False
        regex = self.lex.regex
        date, ago = regex["date"], regex["ago"]
        found = date.search(c) or ago.search(c)
        if not found:
            return False
        time, read_time = regex["time"], regex["read_time"]
        rest = read_time.sub(" ", ago.sub(" ", time.sub(" ", date.sub(" ", c))))
        meta = self.lex.words["meta_words"]
        leftover = [w for w in _WORD.findall(rest) if w.lower() not in meta]
        leftover = [w for w in leftover if not w.isdigit() or len(w) != 4]  # bare years
        return len(leftover) == 0

    def solid(self, min_words: int = 15) -> bool:
        """Running prose: enough words and a sentence ending (a teaser's "..." does not count)."""
        return self.n_words >= min_words and self.sentence_end and not self.ellipsis


# --------------------------------------------------------------------------- verdicts


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that fired on a block: the label it suggests, its name, and its confidence.

    ``rule`` is the unique name of the rule that fired (what a suggestion records);
    ``family`` the kind of rule, which context passes ask about ("is this a promotion
    label"), the same as ``rule`` for a rule alone in its family. ``header`` marks
    blocks that open a box (a "Related Articles" header, a poll title): the short blocks
    under them inherit the label. ``weak`` hits may be overridden by context (a date
    line inside a list of related headlines belongs to that list).
    """

    label: str
    rule: str
    score: float
    header: bool = False
    weak: bool = False
    family: str = ""  # the rule's own name when it is alone in its family


# "Key: value" lines of fact boxes ("Engine: 3.0-litre", "Best Club : Liverpool").
_KV = re.compile(r"^(?P<key>[^\W\d_][^:]{0,70}?)\s*:\s*(?P<val>\S.*)$")


def kv_line(line: str) -> bool:
    """One "key: value" fact-box line: a short key, a short value, not a sentence."""
    line = strip_decor(line)
    m = _KV.match(line)
    if not m:
        return False
    key, val = m.group("key"), m.group("val")
    key_words = _WORD.findall(key)
    val_words = _WORD.findall(val)
    if not key_words or len(key_words) > 9 or not val_words or len(val_words) > 16:
        return False
    if key.isupper() and len(key_words) <= 3 and len(val_words) > 6:  # dateline
        return False
    if re.search(r"\b(?:said|says|told|asked)\b", key, re.IGNORECASE):
        return False
    if val.startswith(("\"", "“", "'", "‘")):  # a quote introduced by a colon
        return False
    if len(val_words) >= 5 and re.search(r"[.!?][\"'”’]?$", val):
        return False  # "Smith: We will appeal." is a transcript line, not a field
    # A value that is several sentences is prose after a colon, not a field.
    return len(re.findall(r"[.!?](?:\s|$)", val.rstrip(".").rstrip())) == 0


def kv_block(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return bool(lines) and all(kv_line(ln) for ln in lines)


def section_label(low: str, lex: Lexicon | None = None) -> bool:
    """A one-to-three word section or kicker label ("Security", "Opinion", "Middle East")."""
    words = low.replace("&", " & ").split()
    if not words or len(words) > 4:
        return False
    lex = lex or lexicon()
    tokens, glue = lex.words["section_tokens"], lex.words["section_glue"]
    return all(w in tokens or w in glue for w in words) and any(w not in glue for w in words)


def _language_switcher(s: Shape) -> bool:
    parts = [p for p in re.split(r"[|/•·,]|\s{2,}|\s+-\s+", s.low) if p.strip()]
    parts = [p.strip() for p in parts]
    if not parts or len(parts) > 12:
        return False
    if all(p in s.lex.words["languages"] for p in parts):
        return True
    tokens = s.low.replace("|", " ").replace("/", " ").split()
    codes = s.lex.words["language_codes"]
    return 2 <= len(tokens) <= 10 and all(t in codes for t in tokens)


def _breadcrumb(s: Shape) -> bool:
    parts = s.lex.pattern("crumb_sep").split(s.core)
    if len(parts) < 2 and " " not in s.core and s.core.count("/") >= 1:
        parts = s.core.split("/")  # "Home/News/Local"
    if len(parts) < 2 or s.n_words > 16:
        return False
    if any(len(_WORD.findall(p)) > 5 or not p for p in parts):
        return False
    first = parts[0].strip().lower()
    if len(parts) >= 3 or first in ("home", "news", "homepage", "start"):
        return True
    # "Money › Pensions": two title-case parts joined by an arrow-like separator.
    return bool(re.search(r"\s[›»>→]\s", s.core)) and all(p.strip()[:1].isupper() for p in parts)


def _pipe_menu(s: Shape) -> bool:
    parts = [p.strip() for p in re.split(r"\s*[|•·]\s*|\s{3,}", s.core) if p.strip()]
    if len(parts) == 2 and all(section_label(p.lower(), s.lex) for p in parts):
        return True
    if len(parts) < 3 or s.sentence_end:
        return False
    return all(0 < len(_WORD.findall(p)) <= 3 for p in parts)


def _share_bar(s: Shape) -> int:
    """2: share buttons; 1: words that are share buttons only next to others ("X", "Post")."""
    tokens = [t for t in re.split(r"[\s|/•·,]+", s.low) if t]
    if not tokens or len(tokens) > 14:
        return 0
    share, strong = s.lex.words["share_words"], s.lex.words["share_strong"]
    if not all(t.strip("():") in share or t.isdigit() for t in tokens):
        return 0
    if any(t in strong for t in tokens):
        return 2
    return 1


def _reaction(s: Shape) -> bool:
    key = s.low.strip(" !.*").replace(" ", "_")
    key = re.sub(r"_?\(?\d+\)?$", "", key)  # "Useful (12)"
    return key.replace("_", " ") in s.lex.words["reactions"]


def _legal_links(s: Shape) -> bool:
    parts = [p.strip(" .") for p in re.split(r"\s*[|•·/]\s*|\s{2,}", s.low) if p.strip(" .")]
    links = s.lex.words["legal_links"]
    return len(parts) >= 2 and sum(p in links for p in parts) >= max(2, len(parts) - 1)


def _promo_cue(s: Shape) -> bool:
    if s.n_words > 70:
        return False
    low, pattern = s.low, s.lex.regex.__getitem__
    if pattern("reported").search(low) and s.n_words > 4:
        return False  # a news sentence about donations or fees, not an appeal
    if s.n_words <= 40 and pattern("promo_strong").search(low):
        return True
    cues = pattern("promo_cue").findall(low)
    if not cues:
        return False
    return bool(pattern("reader").search(low)) or len(cues) >= 2


def classify(s: Shape) -> Hit | None:
    """The lexical verdict on one block (see :func:`classify_block`), line by line if need be.

    The segmenter joins short lines that happen to fill the wrap width, so a byline and
    its timestamp, or a poll question and its first answer, can arrive as one block.
    When the block as a whole matches nothing, it is boilerplate if every line is.
    """
    hit = classify_block(s)
    if hit is not None or "\n" not in s.raw.strip():
        return hit
    lines = [ln for ln in s.raw.split("\n") if ln.strip()]
    if len(lines) > 12:
        return None
    hits = [classify_block(Shape(ln, s.lex)) for ln in lines]
    if any(h is None for h in hits):
        return None
    first = hits[0]
    assert first is not None
    if all(h is not None and h.label == first.label for h in hits):
        return Hit(first.label, first.rule, min(h.score for h in hits if h) * 0.95,
                   header=first.header, weak=all(h.weak for h in hits if h), family=first.family)
    return None


def classify_block(s: Shape) -> Hit | None:
    """The lexical verdict on one block, or None when its words alone do not decide.

    The first rule of ``block_rules.toml`` whose conditions hold decides. Order matters
    where cues overlap: legal before promo ("By subscribing you agree to our privacy
    notice" reads as a promotion's small print only in context), widgets before
    navigation ("Print" is a button), captions before metadata (credits name people).
    """
    lex = s.lex
    i = lex.first(s)
    if i < 0:
        return None
    rule = lex.rules[i]
    if rule.label == NO_CLUTTER:
        return None
    header = rule.header if isinstance(rule.header, bool) else rule.header(s)
    return Hit(rule.label, rule.name, rule.score, header=header, weak=rule.weak,
               family=rule.family)


#: The named tests that ``block_rules.toml`` may use as ``is:<name>``.
TESTS: Mapping[str, Callable[[Shape], bool] | str] = {
    # (strings are expressions over the compiled rules' own names: see clutter_lexicon)
    "empty": "not core or n == 0",
    "nonblank": "raw.strip()",
    "upper": "core.isupper()",
    "sentence_end": "s.sentence_end",
    "question": "s.question",
    "dateline": "s.dateline",
    "date_only": "s.date_only",
    "section_label": lambda s: section_label(s.low, s.lex),
    "language_switcher": _language_switcher,
    "share_bar": lambda s: s.share_level == 2,
    "share_word": lambda s: s.share_level == 1,
    "reaction": _reaction,
    "legal_links": _legal_links,
    "breadcrumb": _breadcrumb,
    "pipe_menu": _pipe_menu,
    "promo_cue": _promo_cue,
}


def lexicon() -> Lexicon:
    """The lexicon of the rules folder in use (``ANNOTATOR_RULES_DIR`` or the shipped one)."""
    return clutter_lexicon.current(TESTS)
