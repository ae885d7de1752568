"""Sources: how a source is named and what kind it is, what its head is, and which
earlier mention a pronoun or definite description refers to.

Why resolution lives here: a source "he" or "the ministry" tells the annotator
nothing; its naming and kind come from the mention it refers to, which is found with
the same word lists that classify sources (person nouns, institutions, gender words).
The resolver is deliberately simple and local (a few paragraphs back, sentence by
sentence, subjects first), because the parse it reads is a small model's and a wrong
antecedent is worse than none: where nothing compatible is found the source stays
unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from annotator.nlp import cues
from annotator.nlp.attribution_evidence import EVIDENCE

SpanRef = tuple[int, int]

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
PLURAL_PRONOUNS = frozenset({"they", "them"})
THING_PRONOUNS = frozenset({"it", "this", "that"})
_FEMALE_PRONOUNS = frozenset({"she", "her"})
_MALE_PRONOUNS = frozenset({"he", "him"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "both", "its", "their", "his"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
_AGENT_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_MASS_NOUNS = frozenset({"media", "press"})  # grammatically plural, one outlet in meaning
#: Company name endings: "the company" may refer back to "Veltro Ltd".
_CORPORATE = frozenset(
    {"inc", "inc.", "ltd", "ltd.", "corp", "corp.", "plc", "llc", "co", "co.", "gmbh", "ag",
     "sa", "holdings", "group", "company", "corporation", "limited"}
)
_COMPANY_WORDS = frozenset({"company", "firm", "group", "corporation"})
ANTECEDENT_WINDOW = 2500  # characters: pronouns refer back at most a few paragraphs
#: Honorifics that come before a surname ("Ms Stroud", "Dr. Marou"): not part of the name.
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady"}
)
_WORD = re.compile(r"[\w.'’-]+")


def name_words(text: str) -> list[str]:
    """Lower-cased words of a name, without possessive endings and full stops
    ("Dr. Katrin Sollberg’s" -> dr, katrin, sollberg)."""
    out = []
    for w in _WORD.findall(text.casefold()):
        w = re.sub(r"['’]s$", "", w).strip(".'’-")
        if w:
            out.append(w)
    return out


def short_name(tokens: Iterable[Token]) -> list[str] | None:
    """The name words of a source that gives a name alone, without its first name or
    office ("Holm", "Ms Stroud", "Mayor Frost"), else ``None``."""
    toks = [t for t in tokens if not (t.is_punct or t.is_space)]
    if not toks or len(toks) > 3 or any(t.pos_ not in ("PROPN", "NOUN") for t in toks):
        return None
    titles = HONORIFICS | cues.UNIQUE_OFFICES | cues.PERSON_NOUNS
    names = [t for t in toks if t.lower_.rstrip(".") not in titles]
    if len(names) != 1 or names[0].pos_ != "PROPN":
        return None
    return name_words(names[0].text)


# --- classification -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """How a source is named and what kind it is, as far as the words show."""

    naming: str
    kind: str
    person_like: bool
    plural: bool


def classify_source(doc: Doc, span: SpanRef, head: Token) -> SourceInfo:
    """Naming and kind of the source ``span`` (char offsets) whose syntactic head is ``head``.

    Naming (README of tests/data/attribution has the full guideline):
    *named* = a personal name, a named organisation/outlet/country, or an institution
    or unique office tied to a definite or national reference ("Iraq's foreign
    ministry", "the coalition", "both governments"); *unnamed* = a specific but
    unidentified person or counted group ("a senior western diplomat", "the diplomat");
    *vague* = bare plurals and generic groups ("officials", "sources", "reports").
    """
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None:  # pragma: no cover - spans come from tokens
        return SourceInfo("unnamed", "other", False, False)
    tokens = list(sp)
    extra = [t for c in head.children if c.dep_ == "appos" for t in c.subtree]
    kind = _kind(sp, tokens + extra, head)
    naming = _naming(sp, tokens, head)
    plural = head.tag_ in ("NNS", "NNPS") or any(
        c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in head.children
    )
    person_like = (
        any(t.ent_type_ == "PERSON" for t in tokens)
        or bool(forms(head) & cues.PERSON_NOUNS)
        or kind in ("spokesperson", "expert", "eyewitness")
    ) and head.ent_type_ not in ("ORG", "GPE")
    return SourceInfo(naming, kind, person_like, plural)


def forms(tok: Token) -> set[str]:
    """Surface, lemma and a crude singular: the small model lemmatises capitalised
    words (sentence-initial "Reports", "Analysts") as proper nouns, unchanged."""
    low = tok.lower_
    out = {low, tok.lemma_.lower()}
    if low.endswith("ies"):
        out.add(low[:-3] + "y")
    elif low.endswith("men"):
        out.add(low[:-3] + "man")
    elif low.endswith("s"):
        out.add(low[:-1])
    return out


def _words(tokens: list[Token]) -> set[str]:
    out: set[str] = set()
    for tok in tokens:
        out |= forms(tok)
    return out


def _kind(sp: Span, tokens: list[Token], head: Token) -> str:
    text = " ".join(t.lower_ for t in tokens if not t.is_space)
    text = text.replace(" - ", "-")
    bare = text[4:] if text.startswith("the ") else text
    words = _words(tokens)
    lowers = [t.lower_ for t in tokens]
    if bare in cues.WIRE_AGENCIES or any(w in cues.WIRE_AGENCIES for w in lowers):
        return "wire_agency"
    if any(name in text for name in cues.WIRE_AGENCIES if " " in name):
        return "wire_agency"
    if bare in cues.STATE_MEDIA_NAMES or any(
        t.lower_ in cues.STATE_MEDIA_NAMES
        and (t.lower_ not in cues.STATE_MEDIA_AMBIGUOUS or t.text.isupper())
        for t in tokens
    ):
        return "state_media"
    for i, low in enumerate(lowers[:-1]):
        if low in ("state", "state-run", "state-owned", "official") and (
            forms(tokens[i + 1]) & cues.STATE_MEDIA_NOUNS
        ):
            return "state_media"
    if "state-run" in lowers or "state-owned" in lowers:
        return "state_media"
    if words & cues.SPOKESPERSON_WORDS:
        return "spokesperson"
    if words & cues.EXPERT_WORDS:
        return "expert"
    head_forms = forms(head)
    if head_forms & {"report"} and head.tag_ in ("NNS", "NNPS"):
        return "media"
    if words & cues.OFFICIAL_WORDS:
        return "official"
    if bare in cues.MEDIA_NAMES or head_forms & cues.MEDIA_NOUNS or "news agency" in text:
        return "media"
    if head_forms & cues.DOCUMENT_NOUNS:
        return "document"
    if words & cues.EYEWITNESS_WORDS:
        return "eyewitness"
    if words & cues.PARTICIPANT_WORDS:
        return "participant"
    if head.ent_type_ == "GPE" or (head.pos_ == "PROPN" and _is_country_like(sp)):
        return "official"
    return "other"


def _is_country_like(sp: Span) -> bool:
    return any(ent.label_ == "GPE" and ent.root == sp.root for ent in sp.ents)


def _naming(sp: Span, tokens: list[Token], head: Token) -> str:
    head_forms = forms(head)
    definite = any(t.lower_ in _DEFINITE or t.dep_ == "poss" for t in tokens if t.i < head.i)
    name_mod = any(
        (t.ent_type_ in _NAME_ENTS or t.pos_ == "PROPN") and t.i != head.i for t in tokens
    )
    plural = head.tag_ in ("NNS", "NNPS") and not head_forms & _MASS_NOUNS
    counted = any(c.dep_ == "nummod" for c in head.children)
    if any(t.ent_type_ == "PERSON" for t in tokens):
        return "named"
    title_words = cues.UNIQUE_OFFICES | cues.PERSON_NOUNS | cues.INSTITUTIONS
    if head.pos_ == "PROPN" and not (head_forms & title_words):
        return "named"
    if head_forms & cues.VAGUE_HEADS and (plural or head.lower_ in ("some", "many", "others")):
        return "vague"
    if head_forms & cues.INSTITUTIONS:
        if definite or name_mod or head_forms & cues.BARE_NAMED_INSTITUTIONS:
            return "named"
        if head_forms & cues.DOCUMENT_NOUNS and _authored(head):
            return "named"
        return "vague" if plural else "unnamed"
    if plural and not counted and not definite:
        return "vague"
    if not head_forms & cues.PERSON_NOUNS and (name_mod or definite):
        return "named"
    if head_forms & cues.UNIQUE_OFFICES and name_mod and not plural:
        return "named"  # "Iraq's prime minister", "the US defence secretary"
    return "unnamed"


def _authored(head: Token) -> bool:
    """ "a report by the state auditor": a document whose author is definite or named."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from", "of"):
            for obj in prep.children:
                if obj.dep_ == "pobj" and (
                    obj.pos_ == "PROPN"
                    or obj.ent_type_ in _NAME_ENTS
                    or any(c.lower_ in _DEFINITE or c.dep_ == "poss" for c in obj.children)
                ):
                    return True
    return False


# --- the agent as evidence ------------------------------------------------------------


def agent_feature(head: Token | None) -> str:
    """What the source's head is, as one ``agent:`` evidence string."""
    if head is None:
        return "agent:none"
    if head.pos_ == "PRON":
        return "agent:pronoun"
    if head.ent_type_ in _AGENT_ENTS:
        return f"agent:{head.ent_type_}"
    head_forms = forms(head)
    if head_forms & cues.DOCUMENT_NOUNS:
        return "agent:document"
    if head_forms & cues.PERSON_NOUNS or head_forms & cues.SPOKESPERSON_WORDS:
        return "agent:person_noun"
    if head_forms & (cues.INSTITUTIONS | cues.MEDIA_NOUNS | cues.STATE_MEDIA_NOUNS):
        return "agent:institution"
    if head.pos_ == "PROPN":
        return "agent:propn"
    return "agent:other"


#: Agents that can hold a belief, make a promise or ask for something.
HUMAN_AGENTS = frozenset(
    e for e in EVIDENCE if e.startswith("agent:")
) - {"agent:document", "agent:other", "agent:none"}


# --- mentions and resolution ----------------------------------------------------------


@dataclass(slots=True)
class Mention:
    """Something a later pronoun or description may refer to: a named entity or an
    earlier source. ``target`` is what it refers to in turn (a pronoun source resolved
    earlier), so a chain "Ortiz ... she ... she" ends at the name."""

    start: int
    end: int
    head: Token
    person: bool
    org: bool
    plural: bool
    subject: bool
    gender: str = ""  # "f", "m" or "" (unknown)
    words: frozenset[str] = frozenset()
    info: SourceInfo | None = None
    target: Mention | None = None
    anaphor: bool = False  # a pronoun or description: never a final antecedent by itself

    def final(self) -> Mention:
        node = self
        seen = 0
        while node.target is not None and seen < 20:
            node, seen = node.target, seen + 1
        return node


def mention_gender(tokens: list[Token]) -> str:
    """ "f"/"m" where a title, role word or common first name shows it, else ""."""
    lowers = [t.lower_ for t in tokens]
    if any(w in cues.FEMALE_WORDS for w in lowers):
        return "f"
    if any(w in cues.MALE_WORDS for w in lowers):
        return "m"
    titles = HONORIFICS | cues.PERSON_NOUNS | cues.UNIQUE_OFFICES
    for tok in tokens:
        # The first name, however the entity was tagged ("Assistant coach Nadia Frei"
        # read as an organisation); titles before it do not count.
        if tok.pos_ == "PROPN" and tok.lower_.rstrip(".") not in titles:
            if tok.lower_ in cues.FEMALE_NAMES:
                return "f"
            if tok.lower_ in cues.MALE_NAMES:
                return "m"
            break  # only the first name counts
    return ""


def is_description(head: Token) -> bool:
    """A definite description that may refer back: "the diplomat", "the ministry",
    "the company"; not a name ("the Pentagon"), not a document ("the report")."""
    if head.pos_ != "NOUN":
        return False
    children = list(head.children)
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in children):
        return False
    if any(
        c.dep_ in ("poss", "compound", "amod", "nmod")
        and (c.pos_ == "PROPN" or c.ent_type_ in _NAME_ENTS)
        for c in children
    ):
        return False
    if any(c.dep_ == "prep" for c in children):  # "the minister of finance" names an office
        return False
    head_forms = forms(head)
    if head_forms & (cues.DOCUMENT_NOUNS | cues.VAGUE_HEADS):
        return False
    return bool(head_forms & (cues.PERSON_NOUNS | cues.INSTITUTIONS))


class Resolver:
    """Finds antecedents for one document: named entities (built once, on first use)
    plus the sources the finder registers as it classifies them in text order."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # spaCy rebuilds ``doc.text`` from the tokens on every access
        self._entities: list[Mention] | None = None
        self.sources: list[Mention] = []

    # -- building ------------------------------------------------------------------

    def entity_mentions(self) -> list[Mention]:
        if self._entities is None:
            self._entities = [m for ent in self.doc.ents if (m := self._entity(ent)) is not None]
        return self._entities

    def _entity(self, ent: Span) -> Mention | None:
        label = ent.label_
        if label not in _AGENT_ENTS:
            return None
        root = ent.root
        # Titles and determiners in front of the name: "Mayor Jane Ortiz", "the Ministry".
        start = ent.start
        while start > 0:
            prev = self.doc[start - 1]
            # "Defence Minister Oskar Lind": each title word hangs on the next.
            if prev.head.i in range(start, ent.end) and prev.dep_ in (
                "compound",
                "amod",
                "det",
                "nmod",
            ):
                start -= 1
            else:
                break
        tokens = list(self.doc[start : ent.end])
        appos = [t for c in root.children if c.dep_ == "appos" for t in c.subtree]
        # The small model tags some names as organisations; one set off as the name of
        # a person noun ("the finance spokesman, Emil Sarkis,") or opening with a common
        # first name is a person's.
        named_person = (root.dep_ == "appos" and bool(
            forms(root.head) & (cues.PERSON_NOUNS | cues.SPOKESPERSON_WORDS)
        )) or (len(ent) >= 2 and ent[0].lower_ in cues.FEMALE_NAMES | cues.MALE_NAMES)
        person = label == "PERSON" or (label == "ORG" and named_person)
        if person and label != "PERSON":
            label = "PERSON"
        words = _words([t for t in tokens + appos if t.pos_ in ("NOUN", "PROPN", "ADJ")])
        if label == "ORG" and any(t.lower_ in _CORPORATE for t in tokens):
            words |= _COMPANY_WORDS
        return Mention(
            self.doc[start].idx,
            ent.end_char,
            root,
            person=person,
            org=label in ("ORG", "GPE"),
            plural=label == "NORP" and root.tag_ in ("NNS", "NNPS"),
            subject=root.dep_ in ("nsubj", "nsubjpass"),
            gender=mention_gender(tokens + appos) if person else "",
            words=frozenset(words),
        )

    def source_mention(
        self, span: SpanRef, head: Token, info: SourceInfo, target: Mention | None
    ) -> Mention:
        """Register a classified source (in text order) so later ones can refer to it."""
        m = self.mention(span, head, info, target)
        if head.pos_ == "PRON" and target is not None and not target.final().gender:
            low = head.lower_
            target.final().gender = (
                "f" if low in _FEMALE_PRONOUNS else "m" if low in _MALE_PRONOUNS else ""
            )
        self.sources.append(m)
        return m

    def mention(
        self, span: SpanRef, head: Token, info: SourceInfo, target: Mention | None = None
    ) -> Mention:
        """A mention of ``span`` (not registered: see ``source_mention``)."""
        sp = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        tokens = list(sp) if sp is not None else [head]
        appos = [t for c in head.children if c.dep_ == "appos" for t in c.subtree]
        pron = head.pos_ == "PRON"
        m = Mention(
            span[0],
            span[1],
            head,
            person=info.person_like,
            org=not info.person_like and not pron,
            plural=info.plural,
            subject=True,
            gender=mention_gender(tokens + appos) if info.person_like and not pron else "",
            words=frozenset(
                _words([t for t in tokens + appos if t.pos_ in ("NOUN", "PROPN", "ADJ")])
            ),
            info=info,
            target=target,
            anaphor=target is not None or pron,
        )
        return m

    # -- resolving -----------------------------------------------------------------

    def _pool(self, before: int, exclude: SpanRef | None) -> list[Mention]:
        out = []
        # A source and an entity over the same words: the source (classified in
        # context, its kind possibly carried from an earlier mention) stands for both.
        taken = [(m.start, m.end) for m in self.sources]
        entities = [
            m
            for m in self.entity_mentions()
            if not any(s < m.end and m.start < e for s, e in taken)
        ]
        for m in (*entities, *self.sources):
            if m.end > before or before - m.end > ANTECEDENT_WINDOW:
                continue
            if exclude is not None and exclude[0] <= m.start and m.end <= exclude[1]:
                continue  # a mention inside the reported words is not the speaker
            out.append(m)
        return out

    def _ordered(self, pool: list[Mention]) -> list[Mention]:
        """Sentence by sentence backwards from the anchor's; within one, subjects and
        sources first, then left to right (the usual salience order)."""
        sent_start = {m.head.i: m.head.sent.start for m in pool}
        return sorted(
            pool,
            key=lambda m: (-sent_start[m.head.i], not m.subject, m.start),
        )

    def resolve_pronoun(self, pronoun: Token, exclude: SpanRef | None) -> Mention | None:
        """The nearest compatible earlier mention (number, person, gender agree)."""
        low = "they" if pronoun.lower_ in ("those", "these") else pronoun.lower_
        for m in self._ordered(self._pool(pronoun.idx, exclude)):
            final = m.final()
            if low in PERSON_PRONOUNS:
                if not (final.person and not final.plural):
                    continue
                if low in _FEMALE_PRONOUNS and final.gender == "m":
                    continue
                if low in _MALE_PRONOUNS and final.gender == "f":
                    continue
                return m
            if low in PLURAL_PRONOUNS and (final.plural or (final.org and not final.person)):
                return m
            if low in THING_PRONOUNS and final.org and not final.plural and not final.person:
                return m
        return None

    def resolve_description(self, head: Token, exclude: SpanRef | None) -> Mention | None:
        """An earlier mention that the description names again: one whose words hold
        the head noun and its modifiers ("the diplomat" after "Jean Dupont, a French
        diplomat"; "the foreign minister" not after "Prime Minister X"), "the company"
        for a name like "Veltro Ltd". Nothing else: "the official" after some other
        name would be a guess."""
        head_forms = forms(head)
        plural = head.tag_ in ("NNS", "NNPS")
        person_noun = bool(head_forms & cues.PERSON_NOUNS)
        modifiers = [
            c for c in head.children if c.dep_ in ("amod", "compound") and c.pos_ != "PROPN"
        ]
        ordered = self._ordered(self._pool(head.idx, exclude))
        for m in ordered:
            final = m.final()
            if final.head.i == head.i or final.plural != plural:
                continue
            if person_noun and not final.person:
                continue
            if not person_noun and final.person:
                continue
            if not person_noun and forms(final.head) & cues.DOCUMENT_NOUNS:
                continue  # "the council" is not "the council's consultation report"
            if head_forms & final.words and all(forms(c) & final.words for c in modifiers):
                return m
        if head_forms & cues.ORGANISATION_DESCRIPTIONS and not modifiers and not plural:
            # "the airline" after "Kestrel Air": the nearest organisation by name.
            for m in ordered:
                final = m.final()
                if (
                    final.org
                    and final.subject
                    and not final.person
                    and final.head.pos_ == "PROPN"  # "Harbour Foods" is one company
                    and final.head.ent_type_ not in ("GPE", "LOC", "FAC")
                    and not forms(final.head) & (cues.DOCUMENT_NOUNS | cues.MEDIA_NOUNS)
                ):
                    return m
        return None

    def resolve_group(self, noun: Token, exclude: SpanRef | None) -> Mention | None:
        """The group a partitive picks from ("one of the people" after "three people
        with knowledge of the talks"; "one of them"): the nearest plural mention with
        the same head noun, or for a pronoun the nearest plural mention."""
        if noun.pos_ == "PRON":
            return self.resolve_pronoun(noun, exclude) if noun.lower_ in PLURAL_PRONOUNS else None
        noun_forms = forms(noun)
        for m in self._ordered(self._pool(noun.idx, exclude)):
            final = m.final()
            if final.plural and forms(final.head) & noun_forms and final.head.i != noun.i:
                return m
        return None

    def resolve_name(
        self, words: list[str], span: SpanRef, *, forward: bool = False
    ) -> Mention | None:
        """The name as the article first gives it for a short name or speaker label:
        the first mention (before ``span``; anywhere when ``forward``, for a headline)
        whose words hold all of ``words`` and say more ("Finance Minister Dara Holm" for
        "Holm", "Eddisford mayor Delia Frost" for "MAYOR FROST")."""
        want = set(words)
        if not want:
            return None
        pool = [
            m
            for m in (*self.entity_mentions(), *self.sources)
            if not (m.start < span[1] and span[0] < m.end) and (forward or m.end <= span[0])
        ]
        for m in sorted(pool, key=lambda m: m.start):
            final = m.final()
            have = name_words(self.text[final.start : final.end])
            if want <= set(have) and len(have) > len(want):
                return final
        return None

    def possessed_person(self, word: str, before: int) -> Mention | None:
        """ "She spoke to Healthwire's Jonah Reyes": the person an outlet's label
        ("Healthwire:") stands for in a conversation."""
        for tok in self.doc:
            if tok.idx >= before:
                break
            if tok.dep_ == "poss" and tok.lower_ == word and tok.head.ent_type_ == "PERSON":
                for m in self.entity_mentions():
                    if m.head.i == tok.head.i:
                        return m
        return None

    def mention_at(self, span: SpanRef) -> Mention | None:
        """The named entity that starts inside ``span`` (an apposition's name)."""
        return next(
            (m for m in self.entity_mentions() if span[0] <= m.head.idx < span[1]), None
        )

    def info_of(self, m: Mention) -> SourceInfo:
        """Naming and kind of a mention (an entity's are computed on first use)."""
        if m.info is None:
            m.info = classify_source(self.doc, (m.start, m.end), m.head)
        return m.info
