"""What the attribution finder reads in a parse: word classes, dependency labels and
small tests of tokens and clauses (a finite clause, a clause that reports by itself, a
byline verb, a cited source), shared by the finder's parts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Token

from annotator.nlp import cues
from annotator.nlp.attribution_candidate import Candidate, SpanRef
from annotator.nlp.attribution_sources import HUMAN_AGENTS, agent_feature, forms

PRIORITY = (
    "quoted_as_saying",
    "passive_quoted_as_saying",
    "according_to",
    "passive_agent",
    "cue_subject",
)
POSSESSIVE = re.compile(r"\s*['’]s?$")
#: The rest of a tag's sentence before a continuing quotation: no quote, no new
#: sentence ("... told reporters outside parliament. ").
TAG_TAIL = re.compile(r"(?:[^\"“”‘’'.!?\n]|(?<=\w)['’](?=\w)){0,120}[.!?]?\s+")
BETWEEN_QUOTES = re.compile(r"\s+")
BETWEEN_QUOTE_AND_CUE = re.compile(r"[\s,:;—–-]*")
#: Modals that make a cue a report still to come ("would announce", "will ask").
UNREALISED_MODALS = frozenset(
    {"will", "would", "'ll", "’ll", "'d", "’d", "shall", "may", "might", "could", "should"}
)
#: Verbs that link a subject to an adjective of belief ("is confident", "remains sure").
BELIEF_COPULAS = frozenset({"be", "feel", "remain", "seem", "sound", "appear", "stay"})
#: Classes of a coordinated cue verb that is a report of its own, whatever follows it.
OWN_REPORT_CLASSES = frozenset({"speech", "dialogue", "intention", "request"})
#: Dependents after a parenthetical cue that do not continue the clause it interrupts
#: ("..., he explained, though nobody knows how"; "..., one said, speaking on ...").
NOT_CLAUSE_CORE = frozenset({"advcl", "punct", "parataxis", "npadvmod", "advmod", "prep"})
#: Marks of a clause after "according to X" that is the writer's contrast, not the report.
CONTRAST_MARKS = frozenset({"while", "whereas", "although", "though"})
FIRST_SECOND_PERSON = frozenset({"i", "we", "you", "me", "us"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
SOURCE_STOP_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "parataxis", "punct", "ccomp"})
SOURCE_BREAKS = frozenset({",", "(", "[", "—", "–", "--", ";", ":"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
WH_TAGS = frozenset({"WP", "WRB", "WDT", "WP$"})
#: Dependents that make an unlisted verb more than a dialogue tag ("X left the room").
TAG_BLOCKERS = frozenset(
    {"dobj", "ccomp", "xcomp", "prep", "attr", "acomp", "dative", "advcl", "oprd", "agent"}
)
#: Agents an unlisted verb accepts: people and organisations, never "it" or a document.
UNLISTED_AGENTS = HUMAN_AGENTS
#: The complement of a naming verb: "called the deal a betrayal" (oprd), "calls that
#: forecast optimistic" (read as a clause).
NAMING_COMPS = frozenset({"oprd", "xcomp", "ccomp", "attr", "acomp"})
#: Heads of partitive sources: "one of them", "two of those people", "another".
PARTITIVES = frozenset({"one", "two", "three", "another", "some", "several", "both", "each"})
#: Words of asking that introduce a Q&A: "The Courier put five questions to her".
ASKING = frozenset({"question", "interview", "ask"})
TAG_AGENTS = frozenset({"agent:PERSON", "agent:propn", "agent:person_noun", "agent:pronoun"})


def cue_lexicon(lemma: str) -> tuple[str, float]:
    """(evidence, weight) of a listed cue verb."""
    cls, weight = cues.CUE_VERBS[lemma]
    return f"lexicon:{cls}", weight


def tok_span(tok: Token) -> SpanRef:
    return tok.idx, tok.idx + len(tok)


def other_script(tokens: list[Token]) -> bool:
    """Letters of another script only ("(عمر حداد)"): a name written twice, not an aside."""
    letters = [ch for t in tokens for ch in t.text if ch.isalpha()]
    return bool(letters) and all(ord(ch) > 0x24F for ch in letters)


def conj_chain(start: Token, target: Token) -> bool:
    """Whether ``start`` is coordinated (through "conj" links) under ``target``. Tokens
    are compared by index: spaCy makes a new ``Token`` object on every access."""
    node = start
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
        if node.i == target.i:
            return True
    return False


def finite(comp: Token) -> bool:
    """A finite clause with its own subject ("that the fund had lost ..."), not an
    infinitive or a question ("whether ...")."""
    children = list(comp.children)
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in children):
        return False
    if any(c.dep_ == "mark" and c.lower_ != "that" for c in children):
        return False
    return comp.tag_ in FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in children
    )


def verb_forms(verb: Token) -> set[str]:
    """The lemma and crude stems of a verb (the small model lemmatises "texted" as
    "texte")."""
    low = verb.lower_
    return {verb.lemma_.lower(), low, low.removesuffix("ed"), low.removesuffix("d"),
            low.removesuffix("s")}


def holds_report(clause: Token) -> bool:
    """A clause that reports by itself: a participial cue ("noting ...", "citing ..."),
    a cue verb with its own subject and clause ("which analysts say makes ..."),
    "according to". An ordinary relative clause that mentions a report ("a meeting at
    which the coach had demanded signings") is part of what was said."""
    if clause.tag_ == "VBG" and clause.lemma_.lower() in cues.CUE_VERBS:
        return True
    for tok in clause.subtree:
        if tok.lower_ == "according":
            return True
        if (
            tok.pos_ == "VERB"
            and tok.lemma_.lower() in cues.CUE_VERBS
            and any(c.dep_ == "nsubj" and c.lower_ not in RELATIVE for c in tok.children)
            and any(c.dep_ in ("ccomp", "parataxis") for c in tok.children)
        ):
            return True
    return False


def has_that(clause: Token) -> bool:
    """The clause opens with the complementiser "that" (the parser may hang it on an
    auxiliary: "that 95 percent would be vaccinated")."""
    edge = clause.left_edge
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children) or (
        edge.lower_ == "that" and edge.dep_ == "mark"
    )


def full_clause(tok: Token) -> bool:
    """A clause with its own subject ("it was too early"), or a "that" clause."""
    if has_that(tok):
        return True
    return tok.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children
    )


def expand(cand: Candidate) -> list[Candidate]:
    """One candidate per content: a report with two contents ("said A and that B", "A,
    he said, and B") is two attributions sharing source and cue."""
    if not cand.more:
        return [cand]
    more, cand.more = cand.more, []
    return [cand] + [replace(cand, content=span, evidence=set(cand.evidence)) for span in more]


def cue_inside_content(cand: Candidate) -> bool:
    """A content widened to a quotation that holds its own cue ("'The minister is
    asking ...,' she said" read from "asking") reports nothing about that quotation;
    a cue that interrupts its clause ("X, one lawmaker said, could ...") is inside
    by design."""
    if cand.pattern == "hearsay" or cand.interrupted:  # "reportedly" sits inside too
        return False
    return cand.cue is not None and cand.content[0] <= cand.cue[0] < cand.content[1]


def tag_agent(subject: Token, agent: str) -> bool:
    """Who can be the subject of a bare speech tag: a person, a name (the small model
    often tags a surname as an organisation), a person noun or a pronoun."""
    return agent in TAG_AGENTS or (agent == "agent:ORG" and subject.pos_ == "PROPN")


def byline(verb: Token) -> bool:
    """ "reports for <outlet>", "reported from <place>" with a named writer."""
    if verb.lemma_.lower() not in cues.BYLINE_VERBS:
        return False
    if not any(c.dep_ == "prep" and c.lower_ in cues.BYLINE_PREPS for c in verb.children):
        return False
    return not any(c.dep_ in ("ccomp", "dobj") for c in verb.children)


def exchange_of(turns: list[tuple[int, str | None]], idx: int) -> str | None:
    """Whether the paragraphs before ``idx`` are a two-person exchange: ``None`` if not
    (the last turn stands alone or one speaker goes on), the next speaker when three
    or more turns alternated strictly, ``"unclear"`` otherwise."""
    recent: list[str | None] = []
    expected = idx - 1
    for block, speaker in reversed(turns):
        if block != expected:
            break
        recent.append(speaker)
        expected -= 1
    if len(recent) < 2 or recent[0] == recent[1]:
        return None
    a, b = recent[0], recent[1]
    if len(recent) >= 3 and recent[2] == a and a != b:
        return b
    return "unclear"


def antecedent_of(noun: Token) -> Token:
    """The noun a relative clause is about: "two people familiar with the matter, who
    said ..." is about the people (the parser hangs the clause on "matter")."""
    node = noun
    for _ in range(4):
        if node.pos_ in ("NOUN", "PROPN") and (
            agent_feature(node) in HUMAN_AGENTS or forms(node) & cues.VAGUE_HEADS
        ):
            return node
        if node.dep_ not in ("pobj", "prep", "amod", "acl") or node.head.i == node.i:
            break
        node = node.head
    return noun


def continuation(
    pattern: str, span: SpanRef, speaker: Candidate, quote_type: Callable[[SpanRef], str]
) -> Candidate:
    """A quotation without a cue, given to ``speaker``'s source."""
    cont = Candidate(
        pattern,
        "quote",
        span,
        None,
        None,
        speaker.source,
        speaker.source_head,
        weight=1.0 if quote_type(speaker.content) != "indirect" else 0.7,
        intermediary=speaker.intermediary,
        naming=speaker.naming,
        kind=speaker.kind,
        person_like=speaker.person_like,
        plural=speaker.plural,
        resolved=speaker.resolved,
        speaker=speaker.speaker,
        antecedent=speaker.antecedent,
    )
    cont.evidence = {e for e in speaker.evidence if e.startswith(("resolved:", "unresolved:"))}
    return cont


def same_name(head: Token, seen: list[Candidate]) -> Candidate | None:
    """An earlier source with the same last name ("Al-Shammari" after "Tariq al-Shammari")."""
    key = head.lower_
    for cand in reversed(seen):
        other = cand.source_head
        if other is not None and other.lower_ == key and cand.kind != "other":
            return cand
    return None


def cited_source(cue: Token, subject: Token, content_end: int) -> tuple[Token, Token] | None:
    """ "Reuters, citing two security sources, reported ..." / "X reported ..., citing
    two sources": the participle and the party it cites. Only a speaker-like object
    counts for "citing" ("citing the defeat of ISIS" cites a reason, not a source);
    "quoting" always quotes someone. The parser hangs the participle on the verb
    (advcl), on the subject (acl) or, after the content, inside it."""
    participles = [c for c in cue.children if c.dep_ == "advcl"]
    participles += [c for c in subject.children if c.dep_ == "acl"]
    participles += [
        t
        for t in cue.subtree
        if t.dep_ == "advcl" and t.tag_ == "VBG" and t.idx >= content_end and t.head.i != cue.i
    ]
    speakerish = cues.PERSON_NOUNS | cues.VAGUE_HEADS | cues.INSTITUTIONS | cues.DOCUMENT_NOUNS
    for child in participles:
        lemma = child.lemma_.lower()
        if lemma not in cues.QUOTING_VERBS:
            continue
        obj = next((c for c in child.children if c.dep_ == "dobj"), None)
        if obj is None:
            continue
        if (
            forms(obj) & speakerish
            or obj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
            or (lemma == "quote" and obj.pos_ in ("NOUN", "PROPN"))
        ):
            return child, obj
    return None
