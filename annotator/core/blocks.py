"""Block segmentation: the units annotators label as content or boilerplate.

Rules (README: "What an import does to the text"): paragraphs are separated by blank
lines; hard-wrapped lines are joined into their paragraph; list items and short lines
are each their own block.

Whether a line break is a wrap (made by a tool) or a paragraph end (made by the author)
is decided from what the lines *say* as well as from their width, because width alone
fails on real wire copy: scrapers strip first-line indents, some feeds are ragged right,
and a paragraph's last line can end anywhere. So:

* A break after a line that is plainly mid-sentence (it ends with a comma, hyphen,
  dash, function word or a title like "Dr."; or it ends without closing punctuation
  and the next line starts in lower case) is a wrap whatever the widths say. These
  *sure wraps* are also the evidence for the rest: a document is hard-wrapped only if
  several of them sit close to one common width and they are a fair share of the lines
  that long (in a text dump with one paragraph a line, most lines end sentences).
* The wrap width is estimated once per document from its sure wraps (their longest,
  isolated outliers dropped), and the tolerance from how far below that width a sure
  wrap could stop: none for clean ``textwrap`` output, the indent when first-line indents
  were stripped, a dozen columns for ragged right. Document-wide, because a two-line
  paragraph between blank lines carries no width evidence of its own.
* In a hard-wrapped document the fill test (the next word would not have fitted, within
  the tolerance) decides the breaks content leaves open, with guards against what only
  looks wrapped: headings and menus (title case, no punctuation), bylines, timestamps,
  datelines and labels ("Photo: ..."), a new sentence after a line without closing
  punctuation, and the document's head (its lines above the first sure wrap: headline,
  kicker, byline), which only joins on plain mid-sentence breaks.
* A line that ends a sentence and is clearly shorter than the width ends a paragraph,
  which is how wire copy without blank lines separates paragraphs. A sentence ending on
  a *full* line is undecidable from the line alone; the group settles it: paragraphs
  marked by indents, or a group holding one paragraph, mean a wrap; a group that already
  runs paragraphs together means a paragraph end (wire paragraphs are a sentence or two,
  and a split never mixes two kinds of text in one block).
* Never joined: lines over ``MAX_WRAP_WIDTH`` (no tool wrapped them), identical
  consecutive lines (repeated captions), list items, ``|`` menus, and, in a document
  that does not look hard-wrapped, anything but plain mid-sentence breaks into a lower
  case line. Text dumps with one paragraph a line therefore keep one block per line.

Line features are computed once; the width is estimated in one pass over the lines and
each group is decided in one more (right to left), with module-level regexes:
segmentation runs on every imported article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.core.model import Block

MAX_WRAP_WIDTH = 100
"""Lines longer than this were not wrapped by a tool."""
MIN_WRAP_WIDTH = 40
"""Shorter lines start a join only when plainly mid-sentence in a hard-wrapped group."""
MIN_SHORT_JOIN = 5
"""Even mid-sentence, lines shorter than this stand alone."""
MIN_SURE_WRAPS = 3
"""Sure wraps needed before a document counts as hard-wrapped."""
NEAR_WIDTH = 15
"""A sure wrap this close to the width supports it (the longest word plus some slack)."""
WORD_SLACK = 8
"""How far below the width (less the tolerance) a wrapped line may stop: a long word."""
OVERSHOOT = 8
"""Columns a wrapped line may exceed the estimated width by (it is estimated from a sample)."""
CLOSED_SLACK = 4
"""Extra columns within which a sentence-final line is left to the group to settle."""
OUTLIER_GAP = 6
"""Columns between the longest sure wrap and the next before the longest is an outlier."""
MAX_TOLERANCE = 16
"""Cap on how far below the width a line may stop and still be a wrap (ragged right)."""

_LIST_ITEM = re.compile(r"\s*(?:[-*•·–—▪●◦+o]|\(?\d{1,3}[.)])\s+")
_DASH_ITEM = re.compile(r"\s*[-–—]\s+")
# A dateline opens a story: "PORT SELVAN, March 3 (Meridian) -", "BAGHDAD:".
_DATELINE = re.compile(r"[A-Z][A-Z'.-]{2,}(?:\s+[A-Z][A-Z'.-]+)*\s*[,:(—–-]")
# A line of its own, never the middle of a sentence: a byline, a timestamp ("March 3, 2025
# 4:17 PM", "14 Nov 2024", "Updated ..."), a label ("Photo: ...", "Our Standards: ...").
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_STAMP = re.compile(
    rf"By\s+[A-Z]|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
    r"|(?:Updated|Published|Posted|Last updated)\b|[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?:\s"
)
# A capitalised function word (or an opening quote and a capital) starts a sentence: after
# a line without closing punctuation, that line was a heading or a label, not a wrap.
_SENTENCE_START = re.compile(
    r"(?:(?:The|A|An|In|On|At|For|But|And|Or|So|He|She|It|They|We|You|This|That|These|"
    r"Those|There|Its|His|Her|Their|Our|After|Before|As|While|When|If|Although|Since|With|"
    r"Without|Under|Over|From|During|Meanwhile|However|Some|Many|Most)\s|[\"“‘'][A-Z])"
)
_SENTENCE_PUNCT = re.compile(r"[.,;:!?]")

_CLOSERS = "\"'”’»)]"
_OPENING_MARKS = "(“\"‘'"
_BULLET_FIRST = frozenset("-*•·–—▪●◦+o(")
_TERMINAL = frozenset(".!?:…")
_OPEN_END = frozenset(",;-–—(“‘[/&")
# Words a sentence cannot end on: a line ending with one was broken mid-sentence.
_FUNCTION_WORDS = frozenset(
    """a an the this that these those its their his her our your my
    of in on at to for from by with into onto upon over under about after before between
    during against through without within among across toward towards via per than as
    since until like near despite amid beyond unlike unless whereas both either neither
    every each no such
    and or but nor so yet if because while although though whether when where which who
    whom whose what
    is are was were be been being has have had do does did will would shall should can
    could may might must not also
    he she it we they i""".split()
)
_TITLES = frozenset(
    "Mr. Mrs. Ms. Dr. Prof. Gen. Lt. Col. Maj. Capt. Sgt. Adm. Gov. Sen. Rep. Rev. St. Mt. "
    "No. Nos. Jan. Feb. Aug. Sept. Oct. Nov. Dec.".split()
)
_MENU_SMALL_WORDS = frozenset("and of the & in for to a on at by or".split())

# End classes of a line.
_CLOSED, _STRONG, _OPEN = 0, 1, 2
# Verdicts on a break.
_SPLIT, _JOIN, _AMBIGUOUS = 0, 1, 2


class _Line:
    """One non-blank line and the features every decision reads, computed once.

    A plain slotted class with a positional constructor: it is built for every line of
    every imported article, and this is the cheapest way Python offers.
    """

    __slots__ = ("start", "indent", "width", "text", "end", "lower", "first_word", "is_list",
                 "piped")

    def __init__(self, start: int, raw: str, text: str) -> None:
        self.start = start  # offset of the line's first character
        self.indent = raw.find(text[0])  # the first non-space character
        self.width = self.indent + len(text)  # columns, trailing space excluded
        self.text = text  # stripped
        self.end = _end_class(text)  # _CLOSED / _STRONG / _OPEN
        first = text[0]
        # Starts in lower case (also after an opening bracket or quote): carries on.
        self.lower = first.islower() or (
            first in _OPENING_MARKS and len(text) > 1 and text[1].islower()
        )
        space = text.find(" ")
        self.first_word = space if space > 0 else len(text)
        self.is_list = (first in _BULLET_FIRST or first.isdigit()) and bool(
            _LIST_ITEM.match(text)
        )
        self.piped = "|" in text


@dataclass(frozen=True, slots=True)
class _Width:
    """The document's wrap width as estimated from its sure wraps."""

    wrapped: bool
    width: int = 0
    tolerance: int = 0
    body: tuple[int, int] = (0, 0)  # (group, line) of the first sure wrap: the story starts


def _end_class(text: str) -> int:
    """Does the line end a sentence, plainly continue one, or neither for sure?"""
    core = text.rstrip(_CLOSERS)
    if core and core[-1] in _TERMINAL:
        return _STRONG if len(core) == len(text) and _ends_with_title(text) else _CLOSED
    if core and core[-1] in ",;":
        return _STRONG  # '"... twice now,"' goes on: 'Lowe said.'
    last = text[-1]
    if last in "\"”":
        return _CLOSED  # a closing quote ends a quoted sentence
    if last in _OPEN_END:
        return _STRONG
    word = text.rsplit(None, 1)[-1]
    if word.lower() in _FUNCTION_WORDS:
        return _STRONG
    return _OPEN


def _ends_with_title(text: str) -> bool:
    """``Dr.``, ``Gen.``: a full stop that does not end the sentence."""
    return text.rsplit(None, 1)[-1] in _TITLES


def _menu_like(text: str) -> bool:
    """A run of capitalised words without sentence punctuation: a menu or a heading."""
    if _SENTENCE_PUNCT.search(text):
        return False
    words = text.split()
    if len(words) > 12:
        return False
    capitalised = 0
    for word in words:
        if not word[0].islower():
            capitalised += 1
        elif word not in _MENU_SMALL_WORDS:
            return False
    return capitalised > 0


def _never_joined(here: _Line, nxt: _Line) -> bool:
    """Breaks no evidence can turn into a wrap."""
    return (
        here.width > MAX_WRAP_WIDTH
        or nxt.width > MAX_WRAP_WIDTH
        or here.piped
        or nxt.piped
        or here.text == nxt.text
    )


def _sure_wrap(here: _Line, nxt: _Line) -> bool:
    """The line plainly breaks mid-sentence and the next line carries on."""
    return not nxt.is_list and (
        here.end == _STRONG or (here.end == _OPEN and nxt.lower)
    )


def _robust_max(sorted_values: list[int]) -> int:
    """The largest value, after dropping isolated outliers from the top tenth.

    A wrapper's longest lines come in a dense cluster just under its width; one line far
    above the rest (an unwrapped sentence that happens to end with a comma) is not it.
    """
    top = len(sorted_values) - 1
    while (
        top > 0
        and top * 10 >= len(sorted_values) * 9
        and sorted_values[top] - sorted_values[top - 1] > OUTLIER_GAP
    ):
        top -= 1
    return sorted_values[top]


def _estimate_width(groups: list[list[_Line]]) -> _Width:
    """Wrap width and tolerance from the document's sure wraps, or "not hard-wrapped".

    A sure wrap of a line of ``n`` columns whose next word needed ``need`` columns says
    the wrapper's width was in ``[n, need)``. The width is the (outlier-proof) largest
    ``n``: for clean ``textwrap`` output every wrap then fails the fill test at it. The
    tolerance is how far the smallest ``need`` falls below the width: nothing for clean
    output, the indent when first-line indents were stripped, a dozen for ragged right.
    """
    lengths: list[int] = []
    needs: list[int] = []
    body = (0, 0)
    for g, group in enumerate(groups):
        for i, (here, nxt) in enumerate(zip(group, group[1:], strict=False)):
            if (
                MIN_WRAP_WIDTH <= here.width <= MAX_WRAP_WIDTH
                and not _never_joined(here, nxt)
                and _sure_wrap(here, nxt)
            ):
                if not lengths:
                    body = (g, i)
                lengths.append(here.width)
                needs.append(here.width + 1 + nxt.first_word)
    if len(lengths) < MIN_SURE_WRAPS:
        return _Width(False)
    lengths.sort()
    needs.sort()
    width = _robust_max(lengths)
    near = sum(1 for n in lengths if width - NEAR_WIDTH <= n <= width)
    if near < MIN_SURE_WRAPS or near * 10 < len(lengths) * 6:
        return _Width(False)  # mid-sentence breaks at scattered widths: not a wrapper's
    band = sum(
        1 for group in groups for line in group if width - NEAR_WIDTH <= line.width <= width
    )
    if near * 10 < band * 3:
        return _Width(False)  # most lines of that width end sentences: one paragraph a line
    # The lowest need seen among the sure wraps understates how far below the width
    # the other wraps can stop, so any slack found is widened by half.
    slack = width - needs[len(needs) // 40] + 1  # (the second lowest once there are 40)
    tolerance = min(MAX_TOLERANCE, slack + slack // 2 + 1) if slack > 0 else 0
    return _Width(True, width, tolerance, body)


def _width_verdict(here: _Line, nxt: _Line, landing: bool, base: int, wrap: _Width) -> int:
    """Fill-test verdict on a break that content alone does not settle.

    ``landing`` says whether the next line could end a wrapped paragraph (it ends a
    sentence, or the paragraph goes on below it); ``base`` is the group's indentation.
    """
    if here.width < MIN_WRAP_WIDTH or here.is_list or nxt.indent > base:
        return _SPLIT  # short lines stand alone; an indented line opens a paragraph
    if nxt.is_list and (here.end == _CLOSED or not _DASH_ITEM.match(nxt.text)):
        return _SPLIT  # (a dash can be wrapped to the start of a line mid-sentence)
    if not nxt.lower and (
        _DATELINE.match(nxt.text)
        or _STAMP.match(nxt.text)
        or (here.end != _CLOSED and _SENTENCE_START.match(nxt.text))
    ):
        return _SPLIT  # a new paragraph's opening, or a new sentence after a heading
    if (
        _menu_like(here.text)
        or _STAMP.match(here.text)
        or here.width > wrap.width + max(OVERSHOOT, wrap.tolerance)
    ):
        return _SPLIT  # a heading or a byline, or a line longer than the wrapper makes
    gap = wrap.width - (here.width + 1 + nxt.first_word)
    tail = here.end != _CLOSED and nxt.text.count(" ") < 2  # "Editing by Hana" / "Kessel"
    if not tail and (not landing or (not nxt.lower and _menu_like(nxt.text))):
        return _SPLIT  # a title-case line, or a line that ends nothing, is not a tail
    if here.end == _CLOSED and not nxt.lower:
        # A sentence ends at a full line: a wrap, or a paragraph that happened to fill
        # the line. Only the group as a whole can tell (see _resolve).
        return _AMBIGUOUS if gap < wrap.tolerance + CLOSED_SLACK else _SPLIT
    return _JOIN if gap < wrap.tolerance else _SPLIT


def _joins(group: list[_Line], wrap: _Width, g: int) -> list[bool]:
    """For each line but the last of group ``g``: is the break after it a wrap?

    Lines above the first sure wrap of the document are its head: kicker, headline,
    byline, standfirst. Only a plain mid-sentence break joins one of them to what follows
    (a dateline, which opens the story itself, excepted), since a headline that happens
    to fill the width looks exactly like a wrapped line.
    """
    count = len(group) - 1
    verdicts = [_SPLIT] * count
    base = min(line.indent for line in group)
    low = wrap.width - wrap.tolerance - WORD_SLACK  # narrowest line a wrapper can leave
    group_wrapped = wrap.wrapped and any(
        low <= line.width <= wrap.width + wrap.tolerance for line in group
    )
    # Right to left, so a width join can check where it lands: a wrapped paragraph's
    # last line ends its sentence (or the paragraph goes on).
    for i in range(count - 1, -1, -1):
        here, nxt = group[i], group[i + 1]
        if _never_joined(here, nxt):
            continue
        if _sure_wrap(here, nxt):
            if here.width >= MIN_WRAP_WIDTH:
                # "... in the" over "United Nations" needs a hard-wrapped document to be
                # believed (and no deeper indent); over "who said" it needs nothing.
                join = nxt.lower or (wrap.wrapped and nxt.indent <= base)
            else:
                # A short opener ("KORVAN, June 4 (Meridian) -", "The dam,") carries on into
                # a wrapped line; "Photo by" over "Reuters" does not.
                join = (
                    wrap.wrapped
                    and here.width >= MIN_SHORT_JOIN
                    and (nxt.lower or (group_wrapped and nxt.width >= low))
                    and not _menu_like(here.text)
                )
            if join:
                verdicts[i] = _JOIN
            continue
        head = (
            (g, i) < wrap.body
            and not _DATELINE.match(here.text)
            and not (i > 0 and _sure_wrap(group[i - 1], here))  # carried on into: no head
        )
        if group_wrapped and not head:
            landing = (
                nxt.end == _CLOSED
                or (i + 1 < count and verdicts[i + 1] != _SPLIT)
                or _SENTENCE_PUNCT.search(nxt.text) is not None  # "Ostrow; Editing by Ann Lee"
            )
            verdicts[i] = _width_verdict(here, nxt, landing, base, wrap)
    if _AMBIGUOUS in verdicts:
        _resolve(group, verdicts)
    return [v == _JOIN for v in verdicts]


def _resolve(group: list[_Line], verdicts: list[int]) -> None:
    """Settle breaks after full-ish lines that end a sentence, from the group's habits.

    If the group marks paragraphs by indentation, an unindented line continues one. If
    it already shows a wrapped paragraph ending on a clearly short sentence-final line
    with another wrapped one below, it runs paragraphs together without blank lines, and
    a sentence end is a paragraph end. Otherwise the group is one paragraph (blank lines
    separate them) and the line was wrapped.
    """
    base = min(line.indent for line in group)
    indented = any(
        group[j + 1].indent > base and group[j].end == _CLOSED for j in range(len(verdicts))
    )
    run_together = any(
        verdicts[j - 1] == _JOIN and verdicts[j] == _SPLIT and verdicts[j + 1] == _JOIN
        and group[j].end == _CLOSED
        for j in range(1, len(verdicts) - 1)
    )
    verdict = _JOIN if indented or not run_together else _SPLIT
    for j, v in enumerate(verdicts):
        if v == _AMBIGUOUS:
            verdicts[j] = verdict


class _Single:
    """A line with blank lines on both sides: it is a block of its own whatever it says,
    so only its place and width are needed (the width for the document's estimate).
    Most scraped text is made of these, which is why they skip ``_Line``'s features."""

    __slots__ = ("start", "indent", "width")

    def __init__(self, start: int, raw: str, text: str) -> None:
        self.start = start
        self.indent = raw.find(text[0])
        self.width = self.indent + len(text)


# Two non-blank lines in a row: the only place a break has to be decided. It starts with
# a newline (searched for as a literal, the text gets one in front) so each line is
# scanned at most twice.
_TWO_LINES = re.compile(r"\n[^\S\n]*\S[^\n]*\n[^\S\n]*\S")
# A line's content: from its first to its last non-space character (what str.strip keeps).
_CONTENT = re.compile(r"\S(?:[^\n]*\S)?")
_MATCH_SPAN = re.Match.span


def segment(text: str) -> list[Block]:
    """Split canonical text into blocks, in order, never overlapping (see ``spans``)."""
    return [Block(i, start, end) for i, (start, end) in enumerate(spans(text))]


def spans(text: str) -> list[tuple[int, int]]:
    """``segment``'s blocks as bare ``(start, end)`` pairs: what an import stores. An
    import segments every article, some 30 blocks each, so it skips the objects.

    When no two non-blank lines touch (paragraphs one a line, blank lines between: most
    scraped text), every line is a block and one regex pass finds them all. Otherwise
    one pass over the lines gathers the groups (runs of non-blank lines); features are
    computed for the lines of groups that have breaks to decide, and only for them.
    Whatever lies between two blocks is white space.
    """
    if _TWO_LINES.search("\n" + text) is None:
        return list(map(_MATCH_SPAN, _CONTENT.finditer(text)))  # (half a comprehension's time)
    groups: list[list[_Line]] = []  # runs of consecutive non-blank lines
    group: list[tuple[int, str, str]] = []
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            group.append((offset, raw, stripped))
        elif group:
            groups.append(_group(group))
            group = []
        offset += len(raw) + 1
    if group:
        groups.append(_group(group))

    wrap = _estimate_width(groups)
    blocks: list[tuple[int, int]] = []
    for g, lines in enumerate(groups):
        if len(lines) == 1:
            line = lines[0]
            blocks.append((line.start + line.indent, line.start + line.width))
            continue
        joins = _joins(lines, wrap, g)
        para_start = lines[0].start + lines[0].indent
        for i, line in enumerate(lines):
            if i < len(joins) and joins[i]:
                continue
            blocks.append((para_start, line.start + line.width))
            if i + 1 < len(lines):
                nxt = lines[i + 1]
                para_start = nxt.start + nxt.indent
    return blocks


def _group(found: list[tuple[int, str, str]]) -> list[_Line]:
    if len(found) == 1:
        return [_Single(*found[0])]  # type: ignore[list-item]  # (width, start, indent only)
    return [_Line(*line) for line in found]
