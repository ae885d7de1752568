"""Clutter (boilerplate) detector over blocks.

Scraped articles arrive with the page's furniture mixed in: menus and section labels,
repeated photo captions, bylines and timestamps, "Related Articles" lists, donation and
newsletter boxes, polls and captchas, share and comment widgets, cookie and copyright
lines, and boxes from other stories. :func:`detect` suggests a boilerplate label for each
such block, naming the rule that fired so an annotator can judge the suggestion quickly.

Deciding works in three layers, because no single one is enough:

1. **What a block says** (:mod:`annotator.nlp.clutter_rules` over the rules and word
   lists of ``resources/clutter/block_rules.toml`` and ``lexicon.toml``): whole-block
   patterns and lexicons ("Back to top", "Captcha *", "By Anas al-Bar |", "© 2024 ...").
2. **Where it sits**: a header such as "Most popular" or "How to donate" labels the short
   blocks under it; a title and a date line in a row are an entry of a list of other
   stories; a heading takes the label of the box it introduces; runs of "key: value"
   lines are fact boxes; after the article's last paragraph, leftovers are furniture.
3. **What it is about** (:mod:`annotator.nlp.topic`): a section or paragraph whose names
   and content words barely occur in the rest of the article is off-topic, however well
   written.

Headlines, standfirsts, subheadings and datelines are content: they are short and
unpunctuated like furniture, so the context rules check what follows them before
touching them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.nlp import topic
from annotator.nlp.clutter_rules import (
    CAPTION,
    CONTENT,
    LEGAL,
    METADATA,
    NAVIGATION,
    PROMO,
    RELATED,
    UNRELATED,
    WIDGET,
    Hit,
    Shape,
    classify,
    kv_block,
    lexicon,
    section_label,
)
from annotator.nlp.rule_tables import rules_dir
from annotator.nlp.versions import clutter_files, digest

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.tokens import Doc

    from annotator.core.model import Block

#: The rule detector's own version, its code and tables (the block layer's full version,
#: with the features and the trained model, is ``block_classifier.version``).
RULES_VERSION = "clutter-" + digest(clutter_files(rules_dir()))

BOILERPLATE_LABELS = frozenset(
    {NAVIGATION, CAPTION, METADATA, RELATED, PROMO, UNRELATED, WIDGET, LEGAL}
)
# Labels of the furniture that sits between a headline and the story's first paragraph.
_CHROME = frozenset({NAVIGATION, METADATA, CAPTION, WIDGET})
# Labels of boxes whose short items a header hands down to the blocks below it.
_BOXES = frozenset({RELATED, PROMO, WIDGET, UNRELATED})
_BOX_RULE = {RELATED: "related_list", PROMO: "promo_box", WIDGET: "widget_box",
             UNRELATED: "unrelated_box"}

# Coherence below which a unit is off-topic; a lone paragraph needs a clearer case than
# a headed box, and inside the article body a far clearer one than after it.
_OFFTOPIC_SECTION = 0.12
_OFFTOPIC_SECTION_NAMELESS = 0.19  # when it shares not a single name with the article
_OFFTOPIC_BLOCK_TAIL = 0.15  # past the body's last paragraph, or that one after clutter
_OFFTOPIC_BLOCK_NEAR = 0.05  # the article's last paragraph(s), no clutter in between
_OFFTOPIC_BLOCK_BODY = 0.0  # between the article's paragraphs: no shared term at all
_MIN_TERMS = 8
_BIO_ROLE = re.compile(
    r"\b(?:writer|author|journalist|columnist|correspondent|editor|reporter|professor|lecturer|"
    r"fellow|researcher|former|chairs?|founder|director|based in|teaches|contributor|"
    r"commentator|analyst|consultant|novelist|historian)\b"
)


@dataclass(frozen=True, slots=True)
class BlockSuggestion:
    """A suggested boilerplate label for one block, with the rule that produced it."""

    block_index: int
    label: str
    score: float
    rule: str


def _norm_key(shape: Shape) -> str:
    return re.sub(r"\W+", " ", shape.low).strip()


class _Pass:
    """State shared by the passes over one document."""

    def __init__(self, text: str, blocks: Sequence[Block], doc: Doc | None) -> None:
        self.text = text
        self.blocks = list(blocks)
        self.doc = doc
        self.lex = lexicon()  # once per document: every shape and rule reads the same tables
        self.shapes = [Shape(text[b.start : b.end], self.lex) for b in self.blocks]
        self.hits: list[Hit | None] = [None] * len(self.blocks)
        self.lexical_hits: list[Hit | None] = []
        self.n = len(self.blocks)
        self._terms: list[topic.Terms] | None = None

    @property
    def terms(self) -> list[topic.Terms]:
        if self._terms is None:
            self._terms = topic.block_terms(self.text, self.blocks, self.doc)
        return self._terms

    # ------------------------------------------------------------------ helpers

    def label(self, i: int) -> str:
        hit = self.hits[i] if 0 <= i < self.n else None
        return hit.label if hit else CONTENT

    def free(self, i: int) -> bool:
        """No rule has claimed the block (weak claims may still be overridden)."""
        return 0 <= i < self.n and self.hits[i] is None

    def set(self, i: int, label: str, rule: str, score: float, *, weak: bool = False) -> None:
        self.hits[i] = Hit(label, rule, score, weak=weak, family=rule)

    def solid(self, i: int, min_words: int = 15) -> bool:
        return self.free(i) and self.shapes[i].solid(min_words)

    def interstitial(self, j: int) -> bool:
        """Furniture that can sit between a heading and its text: chrome, ads, inline links."""
        hit = self.hits[j]
        if hit is None:
            return False
        if hit.label in _CHROME:
            return True
        return (hit.label == PROMO and not hit.header) or hit.family == "read_more_link"

    def introduces_content(self, i: int) -> bool:
        """A heading whose next block, past any chrome, is running prose: a (sub)headline.

        Short unclaimed lines on the way (an unknown widget, a one-line standfirst) are
        stepped over; a block of several headlines is a list, never a heading.
        """
        s = self.shapes[i]
        if not s.title_like or len(s.lines) > 1:
            return False
        for j in range(i + 1, min(i + 7, self.n)):
            if self.free(j):
                nxt = self.shapes[j]
                if nxt.solid(12):
                    return True
                if nxt.n_words <= 8 and not nxt.sentence_end and not nxt.title_like:
                    continue  # "· 5 min", "A A A": an unknown button, not a second heading
                return False
            if not self.interstitial(j):
                return False
        return False

    # ------------------------------------------------------------------ passes

    def lexical(self) -> None:
        for i, s in enumerate(self.shapes):
            self.hits[i] = classify(s)
        self.lexical_hits = list(self.hits)

    def repeats(self) -> None:
        """Identical blocks: photo captions that a page repeats for every image size."""
        counts = Counter(_norm_key(s) for s in self.shapes)
        for i, s in enumerate(self.shapes):
            if counts[_norm_key(s)] < 2 or s.n_words < 8:
                continue
            hit = self.hits[i]
            if hit is None or hit.weak:
                self.set(i, CAPTION, "repeated_caption", 0.85)

    def first_body(self) -> int:
        """Index of the story's first paragraph of running prose (n when there is none)."""
        for i in range(self.n):
            if self.solid(i, 20):
                return i
        return self.n

    def listings(self, body_start: int) -> None:
        """Lists of other stories: a headline with its date, or a headline shown twice.

        Only after the article has started, so the story's own headline and dateline at
        the top stay what they are.
        """
        counts = Counter(_norm_key(s) for s in self.shapes)
        for i in range(body_start + 1, self.n - 1):
            s, nxt = self.shapes[i], self.shapes[i + 1]
            if not (self.free(i) and s.title_like and not s.date_only):
                continue
            hit = self.hits[i + 1]
            if nxt.date_only and (hit is None or hit.weak):
                self.set(i, RELATED, "headline_with_date", 0.75)
                self.set(i + 1, RELATED, "headline_with_date", 0.75)
        for i in range(body_start + 1, self.n):
            s = self.shapes[i]
            if self.free(i) and s.title_like and counts[_norm_key(s)] >= 2 and s.n_words < 8:
                near = [j for j in (i - 1, i + 1, i - 2, i + 2) if 0 <= j < self.n]
                if any(self.label(j) == RELATED for j in near):
                    self.set(i, RELATED, "repeated_headline", 0.75)

    def fact_boxes(self) -> None:
        """Runs of "key: value" lines (specs, profile cards, award lists) are boxes."""
        i = 0
        while i < self.n:
            j = i
            while j < self.n and self.free(j) and kv_block(self.shapes[j].raw):
                j += 1
            run = j - i
            head = i - 1
            has_head = (
                head >= 0
                and self.free(head)
                and self.shapes[head].title_like
                and self.shapes[head].n_words <= 6
            )
            if run >= 3 or (run >= 2 and has_head):
                for k in range(i, j):
                    self.set(k, UNRELATED, "fact_box", 0.8)
                if has_head:
                    self.set(head, UNRELATED, "fact_box", 0.75)
            i = max(j, i + 1)

    def regions(self) -> None:
        """A header labels the short blocks under it, up to the next running prose."""
        for i in range(self.n):
            hit = self.hits[i]
            if not (hit and hit.header):
                continue
            label = hit.label
            limit = {WIDGET: 25, RELATED: 45, PROMO: 45}.get(label, 30)
            rule = _BOX_RULE.get(label, "box")
            for j in range(i + 1, self.n):
                other = self.hits[j]
                s = self.shapes[j]
                if other is not None and not other.weak:
                    if other.label == label:
                        continue
                    break
                # A date line belongs to a related list, but ends a promo or widget box.
                if other is not None and other.label == METADATA and label != RELATED:
                    break
                if s.longest_line_words > limit:
                    break
                if s.solid(20) and not s.ellipsis and label != PROMO:
                    break
                if label == PROMO and s.solid(30):
                    break
                if label == WIDGET and any(
                    line.sentence_end and line.n_words >= 6 and not line.question
                    for line in s.lines
                ):
                    break
                if label == RELATED and not (
                    s.titles or s.list_item or s.date_only or s.ellipsis or other is not None
                ):
                    break  # list entries are headlines, dates and blurbs, not prose
                if label == WIDGET:
                    # Poll options are short lines in a row; a subheading has prose under it.
                    if self.shapes[j].title_like and self.solid(j + 1, 12):
                        break
                elif self.introduces_content(j):
                    break  # the story (or another section of it) resumes
                self.set(j, label, rule, 0.7)

    def poll_questions(self) -> None:
        """A question followed by short answer options and a vote button is a poll."""
        for i in range(self.n):
            s = self.shapes[i]
            if not (self.free(i) and s.question and s.n_words <= 30):
                continue
            for j in range(i + 1, min(i + 8, self.n)):
                if self.label(j) == WIDGET and self.hits[j] and not self.hits[j].weak:
                    if all(self.shapes[k].n_words <= 10 for k in range(i + 1, j)):
                        for k in range(i, j):
                            self.set(k, WIDGET, "poll", 0.75)
                    break
                if self.shapes[j].n_words > 10:
                    break

    def weak_buttons(self) -> None:
        """"X", "Post", "Important" or "Accept all" alone are buttons only beside their box.

        A run of blocks with the same label keeps its weak members only if one of them
        is a strong hit (a share bar, a captcha, a cookie notice).
        """
        i = 0
        while i < self.n:
            hit = self.hits[i]
            if hit is None or hit.label not in (WIDGET, LEGAL):
                i += 1
                continue
            j = i
            while j < self.n and self.label(j) == hit.label:
                j += 1
            if all(self.hits[k].weak for k in range(i, j)):  # type: ignore[union-attr]
                for k in range(i, j):
                    self.hits[k] = None
            i = j

    def teasers(self) -> None:
        """The blurb under a listed headline is part of the list of other stories.

        Only where the article is over: when running prose still follows that is not a
        blurb itself, the paragraph may be the story resuming after a mid-article box.
        """
        list_rules = {"headline_with_date", "repeated_headline", "related_list", "teaser"}
        candidates = []
        for i in range(1, self.n):
            prev = self.hits[i - 1]
            if self.free(i) and prev and prev.family in list_rules and self.shapes[i - 1].title_like \
                    and self.shapes[i].n_words <= 60:
                candidates.append(i)
        for i in candidates:
            later = [j for j in range(i + 1, self.n) if self.solid(j, 20) and j not in candidates]
            if not later:
                self.set(i, RELATED, "teaser", 0.65)

    def bio(self) -> None:
        """The author's one-line biography after the article ("X is a former ...")."""
        authors = {
            w for i in range(self.n) if self.label(i) == METADATA for w in self.shapes[i].words
            if w[:1].isupper()
        }
        for i in range(self.n - 1, -1, -1):
            s = self.shapes[i]
            if self.free(i) and s.solid(8):
                m = self.lex.pattern("bio").match(s.core)
                if m and s.n_words <= 60:
                    name = m.group(0).split()[:-1]
                    if (set(name) & authors) or _BIO_ROLE.search(s.low):
                        self.set(i, METADATA, "author_bio", 0.75)
                break  # only the last paragraph

    def names(self) -> None:
        """A bare name next to a byline, role or timestamp is the author's name."""
        for i in range(self.n):
            s = self.shapes[i]
            if not (self.free(i) and s.n_words <= 5 and self.lex.pattern("name_line").match(s.core)):
                continue
            if self.label(i - 1) == METADATA or self.label(i + 1) == METADATA:
                self.set(i, METADATA, "author_name", 0.7)

    def nav_runs(self) -> None:
        """Menus scraped one item per line: runs of short labels, mostly section names."""
        i = 0
        while i < self.n:
            j = i
            while j < self.n and self.shapes[j].n_words <= 3 and not self.shapes[j].sentence_end \
                    and (self.label(j) in (CONTENT, NAVIGATION) or self._menu_button(j)):
                j += 1
            if j - i >= 3:
                navish = sum(
                    1
                    for k in range(i, j)
                    if self.label(k) == NAVIGATION or section_label(self.shapes[k].low, self.lex)
                )
                if navish * 2 >= j - i:
                    for k in range(i, j):
                        if self.free(k) or self._menu_button(k):
                            self.set(k, NAVIGATION, "menu_items", 0.75)
            i = max(j, i + 1)

    def _menu_button(self, j: int) -> bool:
        """"Subscribe" or "Newsletters" as one item of a scraped menu."""
        hit = self.hits[j]
        return bool(hit and hit.family == "promo_label" and self.shapes[j].n_words <= 2)

    def section_words_in_body(self) -> None:
        """A lone section word between two paragraphs is a subheading, not a menu."""
        for i in range(1, self.n - 1):
            hit = self.hits[i]
            if hit and hit.family == "section_label" and self.solid(i - 1) and self.solid(i + 1):
                self.hits[i] = None

    def units(self) -> list[list[int]]:
        """Runs of unclaimed blocks, each split where a heading opens a new section."""
        out: list[list[int]] = []
        cur: list[int] = []
        for i in range(self.n):
            if not self.free(i):
                if cur:
                    out.append(cur)
                cur = []
                continue
            s = self.shapes[i]
            if cur and s.title_like and s.n_words <= 12 and not s.list_item:
                out.append(cur)
                cur = []
            cur.append(i)
        if cur:
            out.append(cur)
        return out

    def off_topic(self) -> None:
        """Sections and paragraphs about something else than the article.

        Each candidate is compared with the rest of the probable article (every unclaimed
        block of five words or more, the candidate left out). A headed section is judged
        as a whole, because its paragraphs share words with each other but not with the
        story; a lone paragraph needs a clearer case, clearest of all inside the body.
        """
        terms = self.terms
        anchors = [i for i in range(self.n) if self.free(i) and self.shapes[i].n_words >= 5]
        body = [i for i in anchors if self.shapes[i].solid(20)]
        if len(body) < 3:
            return
        df = topic.document_frequency(terms[i] for i in anchors)
        first, last = body[0], body[-1]

        anchor_set = set(anchors)

        def own(members: Sequence[int]) -> Counter[str]:
            """Document frequencies to take off the reference when judging ``members``."""
            return topic.document_frequency(terms[i] for i in members if i in anchor_set)

        units = self.units()
        # The story itself is the unit with the most running prose: never judged off-topic.
        main = max(units, key=lambda u: sum(len(self.shapes[i].core) for i in u if i in body))
        lead = next(u for u in units if first in u)
        for unit in units:
            if unit is main or len(unit) < 2:
                continue  # the story's longest stretch defines the topic
            head = self.shapes[unit[0]]
            headed = head.title_like and head.n_words <= 12
            if not headed and unit[0] < main[-1]:
                continue  # a stretch of the body between two boxes, not a box itself
            unit_terms = topic.merge(terms[i] for i in unit)
            if topic.size(unit_terms) < _MIN_TERMS:
                continue
            if sum(1 for i in body if i not in unit) < 2:
                continue  # nothing left to compare with
            mine = own(unit)
            score = topic.coherence(unit_terms, df, mine)
            nameless = topic.shared_names(unit_terms, df, mine) == 0
            # The opening section is the story's unless it is plainly about something else
            # (a sidebar scraped above the headline); later ones may also lose on names.
            if score < _OFFTOPIC_SECTION or (
                unit is not lead and nameless and score < _OFFTOPIC_SECTION_NAMELESS
            ):
                for i in unit:
                    self.set(i, UNRELATED, "off_topic_section", round(1 - score, 2))

        for i in body:
            s = self.shapes[i]
            if not self.free(i) or s.n_words < 25 or topic.size(terms[i]) < _MIN_TERMS:
                continue
            mine = own([i])
            score = topic.coherence(terms[i], df, mine)
            shared = topic.shared_core(terms[i], df, mine)
            after_clutter = i > last or (i == last and not self.free(i - 1))
            # No bonus for openers like "Meanwhile,": they begin on-topic paragraphs
            # as often as off-topic ones, so only the words decide.
            if first < i < last:
                hit = score <= _OFFTOPIC_BLOCK_BODY and shared == 0
            elif after_clutter:
                hit = score < _OFFTOPIC_BLOCK_TAIL and shared <= 1
            else:
                hit = score < _OFFTOPIC_BLOCK_NEAR and shared == 0
            if hit:
                self.set(i, UNRELATED, "off_topic_paragraph", round(1 - score, 2))

    def headings(self) -> None:
        """A heading belongs to what it introduces: the next block that is not chrome."""
        for i in range(self.n - 1, -1, -1):
            s = self.shapes[i]
            if not (self.free(i) and s.title_like and s.n_words <= 12):
                continue
            prev = self.label(i - 1)
            if prev in _BOXES and not self.free(i + 1) and not self.introduces_content(i) and (
                prev == RELATED or s.n_words <= 6
            ):
                self.set(i, prev, _BOX_RULE[prev], 0.6)  # the last item of the box above
                continue
            for j in range(i + 1, min(i + 5, self.n)):
                lab = self.label(j)
                if lab == CONTENT:
                    break
                if self.interstitial(j):
                    continue
                self.set(i, lab, "box_heading", 0.65)
                break

    def tail(self) -> None:
        """After the article's last paragraph, unclaimed blocks are leftovers of the page."""
        last = -1
        for i in range(self.n):
            if self.solid(i) and not self._inside_box(i):
                last = i
        if last < 0:
            return
        i = last + 1
        # Short closing lines of the story that follow its last paragraph directly.
        while i < self.n and self.free(i) and self.shapes[i].sentence_end \
                and not self.shapes[i].title_like:
            i += 1
        anchors = [k for k in range(last + 1) if self.free(k) and self.shapes[k].n_words >= 5]
        df = topic.document_frequency(self.terms[k] for k in anchors)
        kept: set[int] = set()
        for j in range(self.n - 1, i - 1, -1):
            s = self.shapes[j]
            if not self.free(j):
                continue
            if s.sentence_end and not s.title_like and s.n_words >= 5:
                # A closing sentence of the story after an ad or a share bar stays content.
                score = topic.coherence(self.terms[j], df)
                if topic.shared_core(self.terms[j], df) >= 1 and score >= 0.3:
                    kept.add(j)
            elif s.title_like and j + 1 in kept:
                kept.add(j)  # the subheading over such a closing sentence
        for j in range(i, self.n):
            if not self.free(j) or j in kept:
                continue
            s = self.shapes[j]
            label = self._neighbour_label(j)
            if label is None:
                if s.n_words <= 3:
                    label = NAVIGATION
                elif s.title_like:
                    label = RELATED
                else:
                    label = UNRELATED
            self.set(j, label, "after_article", 0.6)

    def _inside_box(self, i: int) -> bool:
        """Prose between two blocks of the same box (a teaser inside a list of stories)."""
        before, after = self.label(i - 1), self.label(i + 1)
        return before == after and before in (RELATED, PROMO, UNRELATED) \
            and self.shapes[i].n_words <= 60

    def _neighbour_label(self, j: int) -> str | None:
        for k in (j - 1, j + 1):
            lab = self.label(k)
            if lab in _BOXES or lab in (NAVIGATION, LEGAL):
                return lab
        return None

    def sandwiches(self) -> None:
        for i in range(1, self.n - 1):
            if self.free(i) and self._inside_box(i) and not self.shapes[i].solid(20):
                self.set(i, self.label(i - 1), "inside_box", 0.6)

    # ------------------------------------------------------------------ run

    def run(self) -> list[BlockSuggestion]:
        self.lexical()
        self.section_words_in_body()
        self.repeats()
        body_start = self.first_body()
        self.listings(body_start)
        self.fact_boxes()
        self.regions()
        self.poll_questions()
        self.names()
        self.weak_buttons()
        self.nav_runs()
        self.sandwiches()
        self.bio()
        self.off_topic()
        self.teasers()
        self.headings()
        self.tail()
        self.sandwiches()
        return [
            BlockSuggestion(self.blocks[i].index, hit.label, hit.score, hit.rule)
            for i, hit in enumerate(self.hits)
            if hit is not None and hit.label in BOILERPLATE_LABELS
        ]


@dataclass(frozen=True, slots=True)
class Analysis:
    """The detector's verdicts with what it computed on the way, which the block
    classifier reads as features instead of computing it again."""

    suggestions: list[BlockSuggestion]
    lexical: list[Hit | None]  # each block's verdict on its own words, before context
    shapes: list[Shape]


def analyse(text: str, blocks: Sequence[Block], doc: Doc | None = None) -> Analysis:
    if not blocks:
        return Analysis([], [], [])
    state = _Pass(text, blocks, doc)
    found = state.run()
    return Analysis(found, state.lexical_hits, state.shapes)


def detect(text: str, blocks: Sequence[Block], doc: Doc | None = None) -> list[BlockSuggestion]:
    """Suggest a boilerplate label for every block judged clutter; content gets none.

    ``doc`` is the spaCy parse of the whole ``text`` (used for topic coherence through
    lemmas and entities); without it, plain content-word overlap is used.
    """
    if not blocks:
        return []
    return _Pass(text, blocks, doc).run()
