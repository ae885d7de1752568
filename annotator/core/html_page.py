"""An HTML page read the way a browser builds it: canonical text plus evidence per chunk.

Why lxml and not ``html.parser``: the stdlib tokenizer has no tree construction, so a
``<head>`` that is never closed (or a second one) swallowed the whole article and the
page was refused as having no visible text. libxml2's HTML parser applies the browser's
recovery rules (a body element implies the end of the head, stray end tags are dropped,
``<p>`` closes before a ``<div>``), and keeps the tree, so each chunk of text can carry
what the page said about it: where it sits (nav, footer, a comments section), how much of
it is link text, whether the page hid it, and whether a main-text extractor kept it.

The canonical text is exactly what the previous reader produced: the visible text of each
block-level element, whitespace collapsed, ``<br>`` and ``<pre>`` keeping their line breaks,
chunks joined by a blank line. ``annotator.core.blocks.segment`` splits it into blocks as
before; a :class:`Region` is one such chunk, so every block lies inside one region.

Bounded work: the tree is walked with an explicit stack (no recursion), the parser stops
at 2048 levels of nesting and the page is then refused rather than silently cut short, a
start tag with so many distinct attributes that libxml2's quadratic duplicate check would
run for minutes is refused before parsing, and attribute values are read only in part.
HTML has no DTD, so there is no entity expansion to bound.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from annotator.core.errors import InputError

__all__ = ["BLOCK_TAGS", "SKIP_TAGS", "LANDMARK_TAGS", "Page", "Region", "read_page"]

# What starts a new chunk: unchanged from the first HTML reader, so imports stay comparable.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "td", "th", "tr", "ul", "option", "label", "button",
})
# Never shown by a browser. ``title`` is read separately for the document title; inside the
# body (where a browser also hides it) it is skipped like the rest.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "title",
})
LANDMARK_TAGS = frozenset({
    "nav", "header", "footer", "aside", "figure", "figcaption", "form", "main", "article",
    "table", "li", "blockquote", "button", "label", "select",
})
# ARIA roles that say the same as a landmark element.
ROLE_LANDMARKS = {
    "navigation": "nav", "banner": "header", "contentinfo": "footer",
    "complementary": "aside", "main": "main", "search": "form", "dialog": "aside",
}

MAX_PATH_STEPS = 8
MAX_CLASS_WORDS = 30
MAX_TITLE_CHARS = 500
# Only the start of an attribute value is read: class names that matter are short, and a
# megabyte-long ``class`` must not cost a megabyte of work per element.
_ATTR_READ_CHARS = 1000
# libxml2 checks each attribute of a start tag against the earlier ones, so a tag with n
# distinct attributes costs about n**2 (40,000 take a second, 300,000 five minutes). Real
# pages have a few dozen. The budget is the sum of n**2 over long tags: about 0.3 s.
_LONG_TAG_CHARS = 1024
_ATTRIBUTE_BUDGET = 400_000_000
# trafilatura's time grows faster than the page: 1.5 s at 20,000 elements, two minutes for
# two million. Real news pages have under 2,000 (1,709 at most in the 161-page benchmark).
MAX_EXTRACT_ELEMENTS = 20_000

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
_STYLE_SPACE = re.compile(r"\s+")
# A start tag as HTML tokenizes it, quoted values taken whole; an unclosed quote runs to the
# end of the input (as it does in the parser), so the pattern never backtracks.
_START_TAG = re.compile(r"""<[A-Za-z][^\s/>]*+((?:[^>"']++|"[^"]*+"?|'[^']*+'?)*+)""")
_QUOTED = re.compile(r""""[^"]*+"?|'[^']*+'?""")
_ATTRIBUTE = re.compile(r"""([^\s/>=]++)(?:\s*+=\s*+[^\s>]*+)?""")

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Region:
    """One chunk of the canonical text, ``text[start:end]``, and what the page says of it.

    ``evidence`` is small and JSON-serialisable, so it can be stored per block. It describes
    the chunk's owner, the innermost block element (or ``body``) the text sits directly in:

    * ``tag``: the owner's tag; ``path``: tags from ``body`` down to it, the last 8 steps,
      joined by ``>``; ``depth``: its DOM depth (``html`` 0, ``body`` 1).
    * ``landmarks``: sorted landmark containers around it, the owner included (ARIA roles
      mapped to their element: navigation -> nav, contentinfo -> footer, ...).
    * ``link_share``: share of the chunk's non-space characters inside ``<a>``.
    * ``class_words``: words of ``class`` and ``id`` of the owner and its ancestors,
      nearest first, lower-cased, camelCase split, each once, at most 30.
    * ``hidden``: every visible character of the chunk is hidden by the markup (``hidden``,
      ``aria-hidden="true"``, inline ``display:none``/``visibility:hidden``) on the owner,
      an ancestor or an inline element around it.
    * ``extracted``: share of the chunk's words covered by word 4-grams of trafilatura's
      main text (1-3 word chunks: 1.0 or 0.0), or None when there is no extraction.
    """

    start: int
    end: int
    evidence: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Page:
    """A page's canonical text, its title, and one region per chunk, in text order."""

    text: str
    title: str
    regions: list[Region]


class _Frame:
    """What an open element passes down to its content: computed once per element, so the
    evidence of a chunk costs the same however deep it sits."""

    __slots__ = ("tag", "path", "depth", "landmarks", "class_words", "hidden", "link", "pre")

    def __init__(self, element: etree._Element, tag: str, parent: _Frame | None) -> None:
        self.tag = tag
        if parent is None or tag == "body":
            self.path: tuple[str, ...] = (tag,)
        else:
            self.path = (*parent.path[-(MAX_PATH_STEPS - 1):], tag)
        self.depth: int = 0 if parent is None else parent.depth + 1
        landmarks = parent.landmarks if parent else frozenset()
        words = parent.class_words if parent else ()
        hidden = parent.hidden if parent else False
        if tag in LANDMARK_TAGS:
            landmarks = landmarks | {tag}
        if element.attrib:
            role = element.get("role")
            if role:
                found = {ROLE_LANDMARKS[r] for r in role[:_ATTR_READ_CHARS].lower().split()
                         if r in ROLE_LANDMARKS}
                if found - landmarks:
                    landmarks = landmarks | found
            own = _attribute_words(element.get("class"), element.get("id"))
            if own:
                words = _merge_words(own, words)
            hidden = hidden or _hides(element)
        self.landmarks: frozenset[str] = landmarks
        self.class_words: tuple[str, ...] = words
        self.hidden: bool = hidden
        self.link: bool = tag == "a" or (parent.link if parent else False)
        self.pre: bool = tag == "pre" or (parent.pre if parent else False)


def _split_camel(token: str) -> list[str]:
    """``relatedStories`` -> related, Stories; ``HTMLParser`` -> HTML, Parser."""
    if token.islower() or token.isupper() or len(token) < 2:
        return [token]
    parts: list[str] = []
    begin = 0
    for i in range(1, len(token)):
        here, before = token[i], token[i - 1]
        if here.isupper() and (
            before.islower()
            or (before.isupper() and i + 1 < len(token) and token[i + 1].islower())
        ):
            parts.append(token[begin:i])
            begin = i
    parts.append(token[begin:])
    return parts


def _attribute_words(*values: str | None) -> list[str]:
    """The words of ``class`` and ``id`` values: letters only, camelCase split, lower-case."""
    words: list[str] = []
    for value in values:
        if not value:
            continue
        if len(value) > _ATTR_READ_CHARS:  # drop the word the cut would split
            value = value[:_ATTR_READ_CHARS].rsplit(None, 1)[0]
        for token in _LETTERS.findall(value):
            words.extend(part.lower() for part in _split_camel(token))
    return words


def _merge_words(own: list[str], inherited: tuple[str, ...]) -> tuple[str, ...]:
    """Nearest first, each word once, at most ``MAX_CLASS_WORDS``."""
    merged = dict.fromkeys(own)
    for word in inherited:
        if len(merged) >= MAX_CLASS_WORDS:
            break
        merged.setdefault(word)
    return tuple(merged)[:MAX_CLASS_WORDS]


def _hides(element: etree._Element) -> bool:
    """The element's own markup hides it (the ``hidden`` attribute, ARIA, inline style)."""
    if element.get("hidden") is not None:
        return True
    aria = element.get("aria-hidden")
    if aria is not None and aria.strip().lower() == "true":
        return True
    style = element.get("style")
    if not style:
        return False
    compact = _STYLE_SPACE.sub("", style[:_ATTR_READ_CHARS].lower())
    return "display:none" in compact or "visibility:hidden" in compact


def _check_attribute_load(markup: str) -> None:
    """Refuse a page whose start tags would keep libxml2 busy for minutes.

    Only tags over ``_LONG_TAG_CHARS`` are counted: shorter ones hold too few distinct
    names to matter even when there are millions of them. The scan is one linear pass.
    """
    load = 0
    for match in _START_TAG.finditer(markup):
        body = match.group(1)
        if len(body) < _LONG_TAG_CHARS:
            continue
        names = {m.group(1).lower() for m in _ATTRIBUTE.finditer(_QUOTED.sub('""', body))}
        load += len(names) ** 2
        if load > _ATTRIBUTE_BUDGET:
            raise InputError(
                f"HTML page has a tag with {len(names):,} attributes; "
                "too many to read in reasonable time"
            )


def _parse(markup: str) -> etree._Element | None:
    """The document element, or None for a page with no markup at all.

    The text is handed over as UTF-8 bytes with the encoding stated, so a ``<meta charset>``
    in an already decoded page cannot make libxml2 decode it a second time. ``huge_tree``
    lifts libxml2's 10 MB limits on one text node or attribute (the file is at most 20 MB
    and HTML has no entities to expand) and raises its depth limit from 256 to 2048.
    """
    if "\x00" in markup:
        markup = markup.replace("\x00", "\ufffd")  # as the HTML tokenizer does
    parser = etree.HTMLParser(
        encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True,
        no_network=True, collect_ids=False, default_doctype=False,
    )
    try:
        root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
    except etree.LxmlError as exc:  # libxml2 gave up altogether
        raise InputError(f"HTML could not be parsed ({exc})") from None
    for error in parser.error_log:
        if error.level == etree.ErrorLevels.FATAL:
            if "depth" in error.message:
                raise InputError(
                    "HTML page nests elements more than 2048 deep; "
                    "the parser stops there, so the page is refused rather than cut short"
                )
            raise InputError(f"HTML parser stopped early ({error.message.strip()})")
    return root


class _Chunks:
    """Accumulates visible text and cuts it into chunks at block boundaries.

    A chunk belongs to the innermost block (or body) open when it is cut: text before a
    child block, after it, or between two of them is a chunk of the container. Characters
    are counted as they arrive (link text, hidden text) so no second pass is needed.
    """

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.regions: list[Region] = []
        self.length = 0
        self.current: list[str] = []
        self.visible = 0
        self.linked = 0
        self.hidden = 0
        self.h1: list[str] | None = None  # text of the first h1 while it is open
        self.h1_frame: _Frame | None = None
        self.h1_title = ""
        self.elements = 0

    def add(self, piece: str | None, frame: _Frame) -> None:
        if not piece:
            return
        # Source line breaks are plain whitespace in HTML; only <br> and <pre> break lines.
        if not frame.pre:
            piece = piece.replace("\n", " ")
        self.current.append(piece)
        if self.h1 is not None:
            self.h1.append(piece)
        visible = len("".join(piece.split()))
        if visible:
            self.visible += visible
            if frame.link:
                self.linked += visible
            if frame.hidden:
                self.hidden += visible

    def line_break(self) -> None:
        self.current.append("\n")
        if self.h1 is not None:
            self.h1.append(" ")

    def cut(self, owner: _Frame) -> None:
        text = "".join(self.current)
        lines = [_SPACES.sub(" ", part).strip() for part in text.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            start = self.length + 2 if self.chunks else 0
            end = start + len(joined)
            self.chunks.append(joined)
            self.length = end
            evidence: dict[str, Any] = {
                "tag": owner.tag,
                "path": ">".join(owner.path),
                "depth": owner.depth,
                "landmarks": sorted(owner.landmarks),
                "link_share": round(self.linked / self.visible, 3) if self.visible else 0.0,
                "class_words": list(owner.class_words),
                "hidden": bool(self.visible) and self.hidden == self.visible,
                "extracted": None,
            }
            self.regions.append(Region(start, end, evidence))
        self.current = []
        self.visible = self.linked = self.hidden = 0


def _walk(root: etree._Element) -> _Chunks:
    """Visit the tree in document order with an explicit stack, cutting chunks."""
    out = _Chunks()
    root_tag = root.tag if isinstance(root.tag, str) else "html"
    root_frame = _Frame(root, root_tag.lower(), None)
    # Open blocks (and body, and the root): the last one owns the text arriving now.
    owners: list[_Frame] = [root_frame]
    stack: list[tuple[etree._Element, _Frame, Any]] = [(root, root_frame, iter(root))]
    out.add(root.text, root_frame)
    # Each entry: an open element, its frame, and an iterator over its children to visit.
    while stack:
        element, frame, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            _close(out, frame, owners)
            if stack:
                out.add(element.tail, stack[-1][1])
            continue
        out.elements += 1
        tag = child.tag
        if not isinstance(tag, str):  # comment, processing instruction, entity
            out.add(child.tail, frame)
            continue
        tag = tag.lower()
        if tag in SKIP_TAGS:
            out.add(child.tail, frame)
            continue
        child_frame = _Frame(child, tag, frame)
        if tag == "br":
            out.line_break()
        elif tag in BLOCK_TAGS:
            out.cut(owners[-1])
            owners.append(child_frame)
            if tag == "h1" and out.h1 is None and not out.h1_title:
                out.h1, out.h1_frame = [], child_frame
        elif tag == "body":
            owners.append(child_frame)
        out.add(child.text, child_frame)
        stack.append((child, child_frame, iter(child)))
    return out


def _close(out: _Chunks, frame: _Frame, owners: list[_Frame]) -> None:
    """End of an element: a block (or body, or the root) cuts the chunk it owns."""
    if owners and owners[-1] is frame:
        out.cut(frame)
        owners.pop()
        if frame is out.h1_frame and out.h1 is not None:
            out.h1_title = " ".join("".join(out.h1).split())
            out.h1, out.h1_frame = None, None


def _head_title(root: etree._Element) -> str:
    """The ``<title>`` text; one inside an ``<svg>`` names a drawing, not the page."""
    for element in root.iter("title"):
        if any(a.tag == "svg" for a in element.iterancestors()):
            continue
        return "".join(element.itertext())
    return ""


def _quiet_trafilatura() -> None:
    """trafilatura logs a warning for every page it finds too short; those are expected
    here. A level someone set on purpose is left alone."""
    logger = logging.getLogger("trafilatura")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.CRITICAL)


def _extraction(markup: str) -> str | None:
    """trafilatura's main text of the page, or None when it is missing or finds nothing.

    Imported here, not at module level: it is optional, slow to import, and only evidence.
    Any failure inside it is logged and treated as "no extraction": a page must never be
    refused because a second opinion on it failed.
    """
    try:
        import trafilatura
    except ImportError:
        return None
    _quiet_trafilatura()
    try:
        result = trafilatura.extract(
            markup, include_comments=False, include_tables=True, favor_precision=False,
        )
    except Exception:  # evidence only, see the docstring
        _LOG.debug("trafilatura failed on a page", exc_info=True)
        return None
    return result if result and result.strip() else None


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _coverage(text: str, regions: list[Region], extraction: str) -> None:
    """Set ``extracted``: the share of each chunk's words covered by word 4-grams that
    also occur in the extraction (1-3 word chunks: 1.0 when they occur there as a run)."""
    ext = _words(extraction)
    grams: list[set[tuple[str, ...]]] = [
        {tuple(ext[i:i + n]) for i in range(len(ext) - n + 1)} for n in (1, 2, 3, 4)
    ]
    four = grams[3]
    for region in regions:
        words = _words(text[region.start:region.end])
        if not words:
            share = 0.0
        elif len(words) < 4:
            share = 1.0 if tuple(words) in grams[len(words) - 1] else 0.0
        else:
            covered = 0
            reach = 0  # words before this index are already counted
            for i in range(len(words) - 3):
                if tuple(words[i:i + 4]) in four:
                    covered += i + 4 - max(i, reach)
                    reach = i + 4
            share = round(covered / len(words), 3)
        region.evidence["extracted"] = share


def read_page(markup: str, *, extract: bool = True) -> Page:
    """Read an HTML page into canonical text, title and per-chunk evidence.

    ``extract=False`` skips trafilatura (``extracted`` stays None) for callers that only
    need the text; so does a page of more than ``MAX_EXTRACT_ELEMENTS`` elements. Raises
    ``InputError`` (without a file name; the caller adds it) for a page the parser cannot
    read whole. A page with no visible text gives ``text == ""``: whether that is an error
    is the caller's decision.
    """
    _check_attribute_load(markup)
    root = _parse(markup)
    if root is None:
        return Page("", "", [])
    out = _walk(root)
    text = "\n\n".join(out.chunks)
    title = out.h1_title or " ".join(_head_title(root).split())
    if extract and out.regions and out.elements <= MAX_EXTRACT_ELEMENTS:
        extraction = _extraction(markup)
        if extraction is not None:
            _coverage(text, out.regions, extraction)
    return Page(text, title[:MAX_TITLE_CHARS], out.regions)
