"""Topic coherence: does a block (or a boxed section) talk about what the article is about?

Scraped pages carry boxes from other stories: a paragraph about a kite festival after a
report on eye surgery, a car's specifications after a story on coalition talks. Their
words are fluent and well punctuated, so no surface rule catches them; what gives them
away is that they share almost no names or content words with the article around them.

A block's *terms* are the lemmas of its nouns, proper nouns and adjectives (from the
spaCy parse of the whole text when there is one), with words inside named entities
counted double because names carry the topic. Without a parse, lower-cased words minus a
small stopword list stand in. The coherence of a unit is the weighted share of its terms
that also occur in the reference blocks (the rest of the probable article).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.tokens import Doc

    from annotator.core.model import Block

# Function words plus the generic vocabulary of news prose ("year", "people", "said"),
# which every story shares and which would make any two texts look related.
STOPWORDS = frozenset(
    """
a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are around as
at back be became because become becomes been before beforehand behind being below beside
besides between beyond both but by can cannot could did do does doing done down due during each
either else elsewhere enough even ever every everyone everything everywhere except few first for
former formerly from further get gets got had has have having he hence her here hereafter
hereby herein hers herself him himself his how however i if in indeed into is it its itself
just last latter least less made make makes many may me meanwhile might mine more moreover most
mostly much must my myself namely neither never nevertheless new next no nobody none noone nor
not nothing now nowhere of off often on once one only onto or other others otherwise our ours
ourselves out over own per perhaps please put quite rather re really said same say says see
seem seemed seems several she should show side since so some somehow someone something
sometime sometimes somewhere still such take than that the their theirs them themselves then
thence there thereafter thereby therefore therein thereupon these they this those though
through throughout thru thus to together too toward towards under until up upon us used using
very via was we well were what whatever when whence whenever where whereafter whereas whereby
wherein whereupon wherever whether which while whither who whoever whole whom whose why will
with within without would yet you your yours yourself yourselves told tell told added according
year years time times day days week weeks month months today yesterday tomorrow people person
way thing things part lot number place area end side world man woman men women group kind
percent per cent cent million billion thousand hundred dozen two three four five six seven
eight nine ten first second third last late early good great big small large long high low
old young major main key own other such certain many much several able likely including
include includes told mr mrs ms dr st monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
statement official officials report reports news source sources spokesman spokeswoman
""".split()
)

_OPENERS = frozenset(".!?:;\"“”'‘’—–-([")
_WORD = re.compile(r"[^\W\d_]{3,}(?:['’\-][^\W\d_]+)*")
_KEEP_POS = frozenset({"NOUN", "PROPN", "ADJ"})
_KEEP_ENTS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)

_PREFIX = 6


class Terms(Counter[str]):
    """A block's weighted content terms; ``names`` are those that came from proper names.

    Names (people, places, organisations) are the surest sign of what a text is about:
    a box about Aries and Taurus shares none with a story about Estmark's pensions,
    however many common words ("plan", "financial") the two happen to share.
    """

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()


def _stem(word: str) -> str:
    """A crude plural/possessive fold so "talks" meets "talk" without a lemmatiser."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    # Word families share a prefix ("library", "librarian"; "flood", "floodwater").
    return w[:_PREFIX] if len(w) > _PREFIX else w


def block_terms(text: str, blocks: Sequence[Block], doc: Doc | None = None) -> list[Terms]:
    """Weighted content terms of every block, from the parse when there is one."""
    out: list[Terms] = [Terms() for _ in blocks]
    if not blocks:
        return out
    starts = [b.start for b in blocks]
    if doc is not None and len(doc) and doc.text == text:
        block_i, block_end = 0, blocks[0].end
        for tok in doc:
            idx = tok.idx
            if idx >= block_end:  # tokens come in order: advance to the block holding idx
                block_i = bisect_right(starts, idx) - 1
                block_end = blocks[block_i].end if block_i >= 0 else 0
            if idx < blocks[block_i].start or idx >= block_end or not tok.is_alpha:
                continue
            ent = tok.ent_type_ in _KEEP_ENTS
            pos = tok.pos_
            if len(tok) < 3 or (not ent and pos not in _KEEP_POS):
                continue
            term = _stem(tok.text if pos == "PROPN" else tok.lemma_)
            if term not in _STOP_STEMS:
                out[block_i][term] += 2.0 if ent else 1.0
                if ent or pos == "PROPN":
                    out[block_i].names.add(term)
        return out
    for i, b in enumerate(blocks):
        chunk = text[b.start : b.end]
        for m in _WORD.finditer(chunk):
            term = _stem(m.group())
            if term in _STOP_STEMS:
                continue
            # A capital that does not open a sentence marks a name.
            before = chunk[: m.start()].rstrip()
            name = m.group()[:1].isupper() and bool(before) and before[-1] not in _OPENERS
            out[i][term] += 2.0 if name else 1.0
            if name:
                out[i].names.add(term)
    return out


def merge(parts: Iterable[Terms]) -> Terms:
    total = Terms()
    for p in parts:
        total.update(p)
        total.names |= p.names
    return total


def shared_names(unit: Terms, reference: Counter[str], exclude: Counter[str] | None = None) -> int:
    """How many of the unit's names the reference also uses."""
    return sum(
        1 for term in unit.names
        if reference.get(term, 0) - (exclude.get(term, 0) if exclude else 0) > 0
    )


def coherence(unit: Terms, reference: Counter[str], exclude: Counter[str] | None = None) -> float:
    """Weighted share of the unit's distinct terms that the reference also uses.

    Each distinct term counts once (with its entity weight, at most 2), so a box that
    repeats one shared word many times does not look on-topic because of it. ``exclude``
    holds document frequencies to take off the reference first (the unit's own blocks),
    which saves building a reference per unit.
    """
    total = matched = 0.0
    for term, weight in unit.items():
        w = min(weight, 2.0)
        total += w
        if reference.get(term, 0) - (exclude.get(term, 0) if exclude else 0) > 0:
            matched += w
    return matched / total if total else 1.0


def shared_core(unit: Terms, reference: Counter[str], exclude: Counter[str] | None = None) -> int:
    """How many of the unit's terms are used by at least two reference blocks (the topic)."""
    return sum(
        1 for term in unit
        if reference.get(term, 0) - (exclude.get(term, 0) if exclude else 0) >= 2
    )


def document_frequency(parts: Iterable[Terms]) -> Counter[str]:
    """In how many of the given blocks each term occurs."""
    df: Counter[str] = Counter()
    for p in parts:
        df.update(p.keys())
    return df


def size(unit: Terms) -> int:
    """Number of distinct terms: below a handful a coherence score means little."""
    return len(unit)


_STOP_STEMS = frozenset(_stem(w) for w in STOPWORDS)
