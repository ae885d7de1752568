"""Word tokens for token-wise agreement: spaCy's English rules on prose, applied with NumPy.

Token alpha needs every token of every counted document: 10,000 news articles are about
50 MB of text, read again for every report. spaCy's tokenizer runs at ~1.3 MB/s on news
(the export's cached ``nlp.tokens.TokenIndex`` at ~20 MB/s, after importing spaCy and
building its tables), and a regular expression in Python is no faster (~5 MB/s: the cost
is per match, not per character). So this module restates, for ordinary prose, the rules
of the tokenizer the export uses (``spacy.blank("en")``), and applies them to whole
batches of texts as array operations (~150 MB/s): character classes through a lookup
table, then the few rules that decide where punctuation splits, evaluated only where
punctuation or digits are (a few per cent of characters).

What a token is:

* whitespace separates tokens and is never a token. (spaCy makes a token of whitespace
  other than one space after a word, such as a paragraph break; no corpus labels those,
  and as units they would only add agreement on "none".)
* Inside a whitespace-separated chunk, letters, digits and marks stay together with the
  punctuation *between* them ("U.S", "3.5", "1,000", "2:30", "AT&T", "O'Neill",
  "COVID-19", "example.com"), except where spaCy's infixes split: a hyphen or dash
  before a letter ("well", "-", "known"; "20", "-", "year") or between digits ("1990",
  "-", "2000"), a comma between letters, a period between a lower-case and a capital
  letter ("end", ".", "The"), ``: < > = /`` before a letter, ``+ * ^`` between digits, a
  run of dots or hyphens, "…", and a degree sign after a number ("27", "°", "C").
* Before the chunk's first and after its last letter or digit, spaCy's prefixes and
  suffixes (brackets, quotes, ``. , : ; ! ?``, currency and other symbols, dashes) split
  off one character at a time ("(", "“", ",", ".", "”"), a run of dots as one token
  ("..."), stopping at the first character that is neither, which stays on the word
  ("-5", "+44", "@user", "word/"); currency, "%" and "+" split off the end only after
  a digit ("5", "%").
* A final period stays on after a single letter ("J.", "e.g.", "U.S."), after a capital
  not preceded by another capital ("McD."; but "ABC", "."), and on spaCy's abbreviations
  ("Mr.", "Inc.", "Calif.", "vs.").
* Clitics split off: "'s" and "'S", "'re", "'ll", "'ve", "'d", "'m" and "n't" ("do",
  "n't"; "ca", "n't"); "cannot" is "can", "not"; a unit after a number is its own token
  ("5", "km"; "7", "am" for the hours 1-12).
* URLs and e-mail addresses are one token, with trailing punctuation split off.

On the news texts of ``tests/data`` (about 20,000 tokens) this gives exactly spaCy's
non-whitespace tokens (``tests/unit/agreement/test_token_alpha.py`` checks at least
99.9 %), and 99.94 % of them on the 2.5 MB of scraped pages of the external news
benchmark. What differs are spaCy's rarer special cases: "gonna", "and/or", "y'all",
emoticons, URLs without a scheme, clitics after nouns ("John'll" is one token in spaCy).

Offsets are code points, as everywhere in the store; texts outside the Basic
Multilingual Plane (emoji) take a slower path that is still vectorised.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from annotator.core.agreement._vec import IntArray, as_int

_SPACE, _ALNUM, _DIGIT, _UPPER, _LOWER, _SURROGATE, _PREFIX, _SUFFIX = (
    1, 2, 4, 8, 16, 32, 64, 128)
_WORD_OR_SPACE = _SPACE | _ALNUM
CodeArray = NDArray[np.uint16] | NDArray[np.uint32]  # code points
_PAD = " " * 8  # spaces each side: the rules look up to seven characters away

# spaCy's English tokenizer exceptions made of letters and one final period, which keep
# that period ("Mr."), minus the single letters the general rule keeps anyway.
ABBREVIATIONS = frozenset(
    "Adm Ak Ala Apr Ariz Ark Aug Bros Calif Co Colo Conn Corp Dec Del Dr Feb Fla Ga Gen "
    "Gov Ia Id Ill Inc Ind Jan Jr Jul Jun Kan Kans Ky La Ltd Mar Mass Md Messrs Mich Minn "
    "Miss Mo Mont Mr Mrs Ms Mt Neb Nebr Nev Nov Oct Okla Ore Pa Prof Rep Rev Sen Sep Sept "
    "St Tenn Va Wash Wis co vs".split()
)
# spaCy's unit suffixes after a number (Latin script, letters only): "5km" -> "5", "km".
UNITS = frozenset(
    "km m dm cm mm ha µm nm yd in ft kg g mg µg t lb oz kmh mph hPa Pa mbar mb MB kb KB "
    "gb GB tb TB T G M K".split()
)
_HOURS = frozenset(str(hour) for hour in range(1, 13))
_CLITICS_1 = tuple(map(ord, "sSdm"))
_CLITICS_2 = frozenset({"re", "ll", "ve"})
# spaCy's English prefixes and suffixes (LIST_PUNCT, LIST_QUOTES, LIST_ELLIPSES, the
# currency and other symbols); currency, "%" and "+" split off the end only after a digit.
_EDGE_PUNCTUATION = "…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪'\"”“`‘´’‚„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧—–"
_PREFIX_ONLY = "§%=$£€¥฿"

_APOSTROPHES = (ord("'"), ord("’"))
_DOT, _COMMA, _HYPHEN, _PLUS, _ELLIPSIS, _DEGREE = map(ord, ".,-+…°")
_DASHES = (ord("-"), ord("–"), ord("—"), ord("~"))  # spaCy's HYPHENS, split before a letter
_BEFORE_LETTER = tuple(map(ord, ":<>=/"))
_ARITHMETIC = tuple(map(ord, "+*^"))
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_OPEN = "([{<\"'“‘«"
_URL_CLOSE = ".,;:!?)]}>\"'”’»…"


def _class_of(char: str) -> int:
    """Bit flags of one character: whitespace; a word character (letter, digit, mark)
    and its kind; or punctuation and symbols (neither bit), with whether spaCy strips it
    off a word's start (``_PREFIX``) or end (``_SUFFIX``)."""
    code = ord(char)
    if 0xD800 <= code < 0xE000:
        return _SURROGATE
    if char.isspace():
        return _SPACE
    category = unicodedata.category(char)
    # Marks and invisible format characters (joiners, BOM) belong to the word they sit in.
    if not (char.isalnum() or category[0] == "M" or category == "Cf") or char == "_":
        if char in _EDGE_PUNCTUATION or category == "So":
            return _PREFIX | _SUFFIX
        if char in _PREFIX_ONLY or category == "Sc":
            return _PREFIX
        return _SUFFIX if char == "." else 0
    flags = _ALNUM
    if category == "Nd":
        flags |= _DIGIT
    if char.isupper():
        flags |= _UPPER
    elif char.islower():
        flags |= _LOWER
    return flags


@functools.cache
def _table() -> NDArray[np.uint8]:
    """Class of every BMP code point, built once (a few milliseconds)."""
    return np.fromiter((_class_of(chr(code)) for code in range(0x10000)), dtype=np.uint8,
                       count=0x10000)


def _code_points(texts: Sequence[str]) -> tuple[CodeArray, NDArray[np.uint8], IntArray]:
    """Code points of ``texts`` laid end to end, padded and separated by whitespace,
    their classes, and where each text starts.

    The narrowest encoding that keeps one array element per code point: ASCII bytes,
    else UTF-16 when nothing lies outside the BMP (no surrogate pairs), else UTF-32,
    which is the slowest (a news page with an emoji takes that path).
    """
    joined = "\n".join([_PAD, *texts, _PAD])
    lengths = as_int([len(text) for text in texts])
    offsets = len(_PAD) + 1 + np.concatenate([[0], np.cumsum(lengths[:-1] + 1)]).astype(
        np.int64) if len(texts) else as_int([])
    table = _table()
    if joined.isascii():
        code: CodeArray = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).astype(np.uint16)
        return code, table[code], offsets
    code = np.frombuffer(joined.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    classes = table[code]
    if not (classes & _SURROGATE).any():
        return code, classes, offsets
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # The low 16 bits of each code point (a view, no copy) index the BMP table; the few
    # code points beyond it are classified one by one.
    classes = table[points.view(np.uint16)[::2]]
    classes[classes == _SURROGATE] = 0  # a lone surrogate is a symbol
    astral = np.flatnonzero(points > 0xFFFF)
    values, inverse = np.unique(points[astral], return_inverse=True)
    found = np.array([_class_of(chr(int(value))) for value in values], dtype=np.uint8)
    classes[astral] = found[inverse]
    return points, classes, offsets


def _string(code: CodeArray, begin: int, end: int) -> str:
    return "".join(map(chr, code[begin:end].tolist()))


def _token_starts(code: CodeArray, cls: NDArray[np.uint8]) -> IntArray:
    """Start offsets of the tokens in ``code`` (which begins and ends with ``_PAD``).
    Tokens tile the non-space characters: each runs to the next start or to whitespace.

    Whole-text passes are few (classes, chunk starts, punctuation, digits); every rule
    is then evaluated only where punctuation or a digit is.
    """
    space = cls == _SPACE
    start = np.zeros(len(cls), dtype=bool)
    np.greater(space[:-1], space[1:], out=start[1:])  # the first character of each chunk
    marks = np.flatnonzero((cls & _WORD_OR_SPACE) == 0)  # punctuation and symbols
    for group in (_mark_cuts(code, cls, marks), _cannot(code, cls), _units(code, cls)):
        start[group[cls[group] != _SPACE]] = True
    _glue_addresses(code, cls, marks, start)
    return np.flatnonzero(start)


class _Near:
    """Classes and code points around a set of positions, each gathered once."""

    def __init__(self, code: CodeArray, cls: NDArray[np.uint8], at: IntArray) -> None:
        self.code, self.cls, self.at = code, cls, at
        self._cls: dict[int, NDArray[np.uint8]] = {}
        self._code: dict[int, CodeArray] = {}

    def cls_at(self, offset: int) -> NDArray[np.uint8]:
        if offset not in self._cls:
            self._cls[offset] = self.cls[self.at + offset]
        return self._cls[offset]

    def char(self, offset: int) -> CodeArray:
        if offset not in self._code:
            self._code[offset] = self.code[self.at + offset]
        return self._code[offset]

    def has(self, flag: int, offset: int) -> NDArray[np.bool_]:
        return (self.cls_at(offset) & flag) != 0

    def letter(self, offset: int) -> NDArray[np.bool_]:
        return (self.cls_at(offset) & (_ALNUM | _DIGIT)) == _ALNUM

    def one_of(self, offset: int, chars: Sequence[int]) -> NDArray[np.bool_]:
        found = np.zeros(len(self.at), dtype=bool)
        here = self.char(offset)
        for char in chars:
            found |= here == char
        return found


def _mark_cuts(code: CodeArray, cls: NDArray[np.uint8], marks: IntArray) -> IntArray:
    """Token starts that punctuation and symbols make (positions may be whitespace)."""
    if not len(marks):
        return as_int([])
    near = _Near(code, cls, marks)
    char, before, after = near.char(0), near.char(-1), near.char(1)
    fresh = np.ones(len(marks), dtype=bool)
    fresh[1:] = marks[1:] != marks[:-1] + 1
    run = np.cumsum(fresh) - 1
    run_first = np.flatnonzero(fresh)
    run_last = np.append(run_first[1:], len(marks)) - 1
    first, last = marks[run_first][run], marks[run_last][run]
    word_left = (cls[first - 1] & _ALNUM) != 0
    word_right = (cls[last + 1] & _ALNUM) != 0
    dot = char == _DOT
    in_dots = dot & ((before == _DOT) | (after == _DOT))  # "..." is one token
    apostrophe = near.one_of(0, _APOSTROPHES)
    clitic = apostrophe & near.letter(1) & (
        (~near.has(_ALNUM, 2) & near.one_of(1, _CLITICS_1))
        | (near.letter(2) & ~near.has(_ALNUM, 3) & _pair_in(after, near.char(2), _CLITICS_2))
    )
    # spaCy strips prefixes off a chunk's start and suffixes off its end, one at a time,
    # and stops at the first character that is neither: the rest stays on the word.
    plus = char == _PLUS
    prefix = near.has(_PREFIX, 0) | in_dots | (plus & ~near.has(_DIGIT, 1))
    suffix = near.has(_SUFFIX, 0) | ((near.has(_PREFIX, 0) | plus) & near.has(_DIGIT, -1))
    # A final period stays on its word after a single letter ("e.g.", "U.S."), after a
    # capital not preceded by one ("McD."), and on spaCy's abbreviations ("Mr.").
    trailing_dot = (marks == first) & word_left & ~word_right & dot & (after != _DOT)
    if trailing_dot.any():
        dots = _Near(code, cls, marks[trailing_dot])
        keep = (dots.has(_UPPER, -1) & ~dots.has(_UPPER, -2)) | (
            dots.letter(-1) & ~dots.has(_ALNUM, -2) & ~dots.one_of(-2, _APOSTROPHES))
        rest = np.flatnonzero(~keep)
        keep[rest] = _abbreviation(code, cls, dots.at[rest])
        suffix[np.flatnonzero(trailing_dot)[keep]] = False
    not_prefix = (~prefix).astype(np.int64)
    count = np.cumsum(not_prefix)
    leading = ~word_left & (count == (count - not_prefix)[run_first][run])
    not_suffix = (~suffix).astype(np.int64)
    count = np.cumsum(not_suffix[::-1])[::-1]
    trailing = ~word_right & (count == (count - not_suffix)[run_last][run])
    stripped = leading | trailing
    cut_before = (stripped & ~(in_dots & (before == _DOT))) | clitic
    cut_after = stripped & ~(in_dots & (after == _DOT)) & ~clitic

    # Between letters or digits punctuation is glued, except spaCy's infixes.
    inside = word_left & word_right
    single = inside & (first == last)
    digits_around = near.has(_DIGIT, -1) & near.has(_DIGIT, 1)
    infix = single & (
        (near.one_of(0, _DASHES) & near.letter(1))
        | ((char == _HYPHEN) & digits_around)
        | (near.one_of(0, _ARITHMETIC) & digits_around)
        | ((char == _COMMA) & near.letter(-1) & near.letter(1))
        | (dot & near.has(_LOWER, -1) & near.has(_UPPER, 1) & (near.char(2) != _DOT))  # not Ph.D.
        | (near.one_of(0, _BEFORE_LETTER) & near.letter(1))
        | (char == _ELLIPSIS)
        | ((char == _DEGREE) & near.has(_DIGIT, -1))
    )
    # A run of dots or hyphens between words ("wait...what", "a--b") is a token.
    long_run = inside & (first != last) & (dot | (char == _HYPHEN))
    if long_run.any():
        uniform = np.minimum.reduceat((char == code[first]).astype(np.int8), run_first)
        long_run &= uniform.astype(bool)[run]
    cut_after |= (long_run & (marks == last)) | infix
    cut_before |= (long_run & (marks == first)) | infix
    # "n't": the cut is before the "n" ("do", "n't").
    negation = apostrophe & (before == ord("n")) & (after == ord("t")) & ~near.has(
        _ALNUM, 2) & near.has(_ALNUM, -2)
    return np.concatenate([marks[cut_before], marks[cut_after] + 1, marks[negation] - 1])


def _pair_in(first: NDArray[np.integer], second: NDArray[np.integer],
             pairs: frozenset[str]) -> NDArray[np.bool_]:
    """Whether the characters ``first[i] + second[i]`` are one of ``pairs``."""
    found = np.zeros(len(first), dtype=bool)
    for a, b in pairs:
        found |= (first == ord(a)) & (second == ord(b))
    return found


def _abbreviation(code: CodeArray, cls: NDArray[np.uint8],
                  at: IntArray) -> NDArray[np.bool_]:
    """For periods at ``at``: is the word before one of spaCy's abbreviations ("Mr.")?

    Only words of 2-6 letters that start with a capital (or have two letters) can be;
    those few periods are checked in Python.
    """
    length = np.zeros(len(at), dtype=np.int64)
    running = np.ones(len(at), dtype=bool)
    for back in range(1, 8):
        running &= (cls[at - back] & _ALNUM) != 0
        length += running
    first = at - length
    candidate = (length >= 2) & (length <= 6) & (
        ((cls[first] & _UPPER) != 0) | (length == 2))
    found = np.zeros(len(at), dtype=bool)
    for index in np.flatnonzero(candidate).tolist():
        found[index] = _string(code, int(first[index]), int(at[index])) in ABBREVIATIONS
    return found


def _cannot(code: CodeArray, cls: NDArray[np.uint8]) -> IntArray:
    """Cut "cannot" into "can" and "not", as spaCy does ("nn" is rare: found first)."""
    double_n = np.flatnonzero((code[:-1] == ord("n")) & (code[1:] == ord("n")))
    if not len(double_n):
        return as_int([])
    near = _Near(code, cls, double_n)
    found = (near.char(-1) == ord("a")) & near.one_of(-2, (ord("c"), ord("C"))) & (
        near.char(2) == ord("o")) & (near.char(3) == ord("t")) & ~near.has(_ALNUM, -3) & ~(
        near.has(_ALNUM, 4))
    return double_n[found] + 1


def _units(code: CodeArray, cls: NDArray[np.uint8]) -> IntArray:
    """Cut a unit off the number before it ("5km" -> "5", "km"; "7am" -> "7", "am")."""
    digits = np.flatnonzero(cls & _DIGIT)
    where = digits[(cls[digits + 1] & (_ALNUM | _DIGIT)) == _ALNUM] + 1
    if not len(where):
        return as_int([])
    near = _Near(code, cls, where)
    length = np.zeros(len(where), dtype=np.int64)
    running = np.ones(len(where), dtype=bool)
    for ahead in range(5):
        running &= near.letter(ahead)
        length += running
    ends_word = (length <= 4) & ((cls[where + length] & _ALNUM) == 0)
    cuts = []
    for position, size in zip(where[ends_word].tolist(), length[ends_word].tolist(), strict=True):
        unit = _string(code, position, position + size)
        if unit in UNITS:
            cuts.append(position)
        elif unit in ("am", "pm"):  # spaCy's exceptions "1am" ... "12pm"
            begin = position
            while cls[begin - 1] & _DIGIT:
                begin -= 1
            if _string(code, begin, position) in _HOURS and not cls[begin - 1] & _ALNUM and (
                    code[begin - 1] not in (_DOT, _COMMA, ord(":"))):
                cuts.append(position)
    return as_int(cuts)


def _glue_addresses(code: CodeArray, cls: NDArray[np.uint8], marks: IntArray,
                    start: NDArray[np.bool_]) -> None:
    """URLs and e-mail addresses are one token each, trailing punctuation aside."""
    if not len(marks):
        return
    near = _Near(code, cls, marks)
    char = near.char(0)
    hits = marks[
        (char == ord("@"))
        | ((char == ord(":")) & (near.char(1) == ord("/")) & (near.char(2) == ord("/")))
        | ((char == _DOT) & (near.char(-1) == ord("w")) & (near.char(-2) == ord("w"))
           & (near.char(-3) == ord("w")))
    ]
    seen: set[int] = set()
    for found in hits.tolist():
        begin = found
        while cls[begin - 1] != _SPACE:
            begin -= 1
        if begin in seen:
            continue
        seen.add(begin)
        end = found
        while cls[end] != _SPACE:
            end += 1
        chunk = _string(code, begin, end)
        core = chunk.lstrip(_URL_OPEN)
        opened = len(chunk) - len(core)
        core = core.rstrip(_URL_CLOSE)
        if _URL.fullmatch(core) or _EMAIL.fullmatch(core):
            first, stop = begin + opened, begin + opened + len(core)
            start[first + 1 : stop] = False
            start[begin : first + 1] = True
            if cls[stop] != _SPACE:
                start[stop] = True


def tokenize(text: str) -> tuple[IntArray, IntArray]:
    """``(starts, ends)`` of the tokens of ``text``, code point offsets, ``end`` exclusive."""
    code, cls, offsets = _code_points([text])
    starts = _token_starts(code, cls)
    # A token runs to the next token's start or to the next whitespace, whichever is first.
    next_space = np.flatnonzero(cls == _SPACE)
    following = np.append(starts[1:], len(code))
    ends = np.minimum(following, next_space[np.searchsorted(next_space, starts)])
    return starts - offsets[0], ends - offsets[0]


def span_tokens(
    texts: Sequence[str], text_of: IntArray, start: IntArray, end: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Tokenize ``texts`` and place character spans on the tokens.

    Span ``i`` is ``[start[i], end[i])`` in ``texts[text_of[i]]``. Returns the number of
    tokens of each text, and for each span the tokens it shares a character with,
    ``[first, stop)`` counted from the start of its text. A span of whitespace only
    covers no token (``first == stop``). Spans must lie inside their text.

    Texts go through in batches of about ``BATCH`` characters: one call per text would
    spend its time in NumPy's per-call overhead, one call for a page of 2,500 articles
    in cache misses (a third slower).
    """
    text_of, start, end = as_int(text_of), as_int(start), as_int(end)
    lengths = [len(text) for text in texts]
    n_tokens = np.zeros(len(texts), dtype=np.int64)
    first = np.zeros(len(text_of), dtype=np.int64)
    stop = np.zeros(len(text_of), dtype=np.int64)
    order = np.argsort(text_of, kind="stable")
    ordered = text_of[order]
    low = 0
    while low < len(texts):
        high, size = low + 1, lengths[low]
        while high < len(texts) and size + lengths[high] <= BATCH:
            size += lengths[high]
            high += 1
        chosen = order[np.searchsorted(ordered, low) : np.searchsorted(ordered, high)]
        n_tokens[low:high], first[chosen], stop[chosen] = _span_tokens(
            texts[low:high], text_of[chosen] - low, start[chosen], end[chosen])
        low = high
    return n_tokens, first, stop


BATCH = 1_000_000
"""Characters per tokenizer call: its arrays (about 10 bytes a character) stay in cache."""


def _span_tokens(
    texts: Sequence[str], text_of: IntArray, start: IntArray, end: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """``span_tokens`` for texts tokenized in one pass."""
    code, cls, offsets = _code_points(texts)
    starts = _token_starts(code, cls)
    lengths = as_int([len(text) for text in texts])
    first_token = np.searchsorted(starts, offsets)
    n_tokens = np.searchsorted(starts, offsets + lengths) - first_token
    if not len(text_of):
        return n_tokens, as_int([]), as_int([])
    begin = offsets[text_of] + start
    stop = offsets[text_of] + end
    # Tokens tile the non-space characters: a span starting on one starts in its token.
    inside = cls[begin] != _SPACE
    first = np.searchsorted(starts, begin, side="right") - inside
    last = np.maximum(np.searchsorted(starts, stop, side="left"), first)
    base = first_token[text_of]
    return n_tokens, first - base, last - base
