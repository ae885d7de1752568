"""The attribution finder: one pass over one parsed document.

Why structure first: a list of reporting verbs finds most attributions where its verbs
are used, and almost none elsewhere. So the finder reads constructions from the parse
(a verb or noun governing a clause, a quotation or an "according to" phrase, with an
agent) and uses the lexicon as one feature among several: a listed verb says which
contents and agents it accepts and how sure the cue is; an unlisted verb with a finite
clausal complement and a human or organisation subject is still a candidate, with a
lower score. Layout forms that carry no verb at all (headline "Name: ...", transcript
"NAME: ...", "— Name" after a quote, "X wrote:" before a paragraph) are read from the
text in ``attribution_layout.py``.

Every candidate records the evidence that fired (``attribution_evidence.EVIDENCE``);
its score and ``rule`` are made from that evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from annotator.core.blocks import segment
from annotator.nlp import attribution_evidence as ev
from annotator.nlp import attribution_layout as layout
from annotator.nlp import cues
from annotator.nlp.attribution_quotes import find_quotes
from annotator.nlp.attribution_sources import (
    ANTECEDENT_WINDOW,
    HONORIFICS,
    HUMAN_AGENTS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    THING_PRONOUNS,
    Mention,
    Resolver,
    SourceInfo,
    agent_feature,
    classify_source,
    forms,
    is_description,
    name_words,
    short_name,
)
from annotator.nlp.cues import matchers_for

SpanRef = tuple[int, int]
#: Contents around a parenthetical cue, and whether the cue interrupts the first.
Around = tuple[list[SpanRef], bool]

_PRIORITY = (
    "quoted_as_saying",
    "passive_quoted_as_saying",
    "according_to",
    "passive_agent",
    "cue_subject",
)
_POSSESSIVE = re.compile(r"\s*['’]s?$")
#: The rest of a tag's sentence before a continuing quotation: no quote, no new
#: sentence ("... told reporters outside parliament. ").
_TAG_TAIL = re.compile(r"(?:[^\"“”‘’'.!?\n]|(?<=\w)['’](?=\w)){0,120}[.!?]?\s+")
_BETWEEN_QUOTES = re.compile(r"\s+")
_BETWEEN_QUOTE_AND_CUE = re.compile(r"[\s,:;—–-]*")
#: Modals that make a cue a report still to come ("would announce", "will ask").
_UNREALISED_MODALS = frozenset(
    {"will", "would", "'ll", "’ll", "'d", "’d", "shall", "may", "might", "could", "should"}
)
#: Verbs that link a subject to an adjective of belief ("is confident", "remains sure").
_BELIEF_COPULAS = frozenset({"be", "feel", "remain", "seem", "sound", "appear", "stay"})
#: Classes of a coordinated cue verb that is a report of its own, whatever follows it.
_OWN_REPORT_CLASSES = frozenset({"speech", "dialogue", "intention", "request"})
#: Dependents after a parenthetical cue that do not continue the clause it interrupts
#: ("..., he explained, though nobody knows how"; "..., one said, speaking on ...").
_NOT_CLAUSE_CORE = frozenset({"advcl", "punct", "parataxis", "npadvmod", "advmod", "prep"})
#: Marks of a clause after "according to X" that is the writer's contrast, not the report.
_CONTRAST_MARKS = frozenset({"while", "whereas", "although", "though"})
_FIRST_SECOND_PERSON = frozenset({"i", "we", "you", "me", "us"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_SOURCE_STOP_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "parataxis", "punct", "ccomp"})
_SOURCE_BREAKS = frozenset({",", "(", "[", "—", "–", "--", ";", ":"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_WH_TAGS = frozenset({"WP", "WRB", "WDT", "WP$"})
#: Dependents that make an unlisted verb more than a dialogue tag ("X left the room").
_TAG_BLOCKERS = frozenset(
    {"dobj", "ccomp", "xcomp", "prep", "attr", "acomp", "dative", "advcl", "oprd", "agent"}
)
#: Agents an unlisted verb accepts: people and organisations, never "it" or a document.
_UNLISTED_AGENTS = HUMAN_AGENTS
#: The complement of a naming verb: "called the deal a betrayal" (oprd), "calls that
#: forecast optimistic" (read as a clause).
_NAMING_COMPS = frozenset({"oprd", "xcomp", "ccomp", "attr", "acomp"})
#: Heads of partitive sources: "one of them", "two of those people", "another".
_PARTITIVES = frozenset({"one", "two", "three", "another", "some", "several", "both", "each"})
#: Words of asking that introduce a Q&A: "The Courier put five questions to her".
_ASKING = frozenset({"question", "interview", "ask"})
_TAG_AGENTS = frozenset({"agent:PERSON", "agent:propn", "agent:person_noun", "agent:pronoun"})


@dataclass(slots=True)
class Candidate:
    """A suggestion under construction; mutable while naming, nesting and scores are
    settled over the whole document."""

    pattern: str
    content_kind: str
    content: SpanRef
    cue: SpanRef | None
    cue_token: int | None
    source: SpanRef | None
    source_head: Token | None
    weight: float = 1.0
    cue_evidence: str = "cue:none"
    evidence: set[str] = field(default_factory=set)
    intermediary: str | None = None
    statement: bool = False
    naming: str = "vague"
    kind: str = "other"
    person_like: bool = False
    plural: bool = False
    quote_type: str = "indirect"
    resolved: str | None = None
    speaker: str | None = None  # who spoke, for telling dialogue turns apart
    label_name: bool = False  # the source is a "Name:" or "— Name" label
    antecedent: SpanRef | None = None  # the noun a relative-pronoun source stands for
    more: list[SpanRef] = field(default_factory=list)  # further contents of the same report
    interrupted: bool = False  # the cue interrupts its content ("X, he said, could ...")
    score: float = 0.0
    evidence_list: list[str] = field(default_factory=list)


def _lexicon(lemma: str) -> tuple[str, float]:
    """(evidence, weight) of a listed cue verb."""
    cls, weight = cues.CUE_VERBS[lemma]
    return f"lexicon:{cls}", weight


def _tok_span(tok: Token) -> SpanRef:
    return tok.idx, tok.idx + len(tok)


def _other_script(tokens: list[Token]) -> bool:
    """Letters of another script only ("(عمر حداد)"): a name written twice, not an aside."""
    letters = [ch for t in tokens for ch in t.text if ch.isalpha()]
    return bool(letters) and all(ord(ch) > 0x24F for ch in letters)


def _conj_chain(start: Token, target: Token) -> bool:
    """Whether ``start`` is coordinated (through "conj" links) under ``target``. Tokens
    are compared by index: spaCy makes a new ``Token`` object on every access."""
    node = start
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
        if node.i == target.i:
            return True
    return False


class Finder:
    """One pass over one document; holds the quotes, blocks and matches it shares."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.quotes = find_quotes(self.text)
        self.open_marks = {q.start for q in self.quotes}
        self.close_marks = {q.end - 1 for q in self.quotes if not q.open_ended}
        self.blocks = segment(self.text)
        self.block_starts = [b.start for b in self.blocks]
        self.matchers = matchers_for(doc.vocab)
        self.phrase_matches = self.matchers.phrases(doc)  # read by several constructions
        self._qa: dict[str, Mention | None] = {}
        self.used: set[int] = set()
        self._extra: list[Candidate] = []  # second reports a match gives ("citing")
        self._pending: Around = ([], False)  # what ``_content`` found besides its span

    # -- driver --------------------------------------------------------------------

    def run(self) -> list[Candidate]:
        statement_heads = self._statement_heads()
        found = self._dependency_candidates()
        found += self._according_fallback()
        found += self._subjectless_candidates()
        found += self._structural_candidates()
        found += self._nominal_candidates()
        found += self._adjective_candidates()
        found += self._hearsay_candidates()
        found += layout.layout_candidates(self, found)
        prefixes = layout.label_prefixes(self)
        self._clip_prefixes(found, prefixes)
        self._cue_particles(found)
        for cand in found:
            if cand.cue_token is not None and cand.cue_token in statement_heads:
                cand.statement = True
        found = [c for c in found if not _cue_inside_content(c)]
        for cand in found:
            self._split_coordination(cand)
        found = [part for cand in found for part in _expand(cand)]
        found = self._drop_embedded_noise(found)
        found = self._drop_bylines(found)
        found.sort(key=lambda c: (c.content[0], c.cue[0] if c.cue else -1))
        self._classify_all(found)
        found = self._add_continuations(found)
        self._mark_nesting(found)
        for cand in found:
            cand.quote_type = self._quote_type(cand.content)
            self._finish(cand)
        found.sort(key=lambda c: (c.content[0], c.cue[0] if c.cue else -1))
        return found

    def _cue_particles(self, found: list[Candidate]) -> None:
        """The cue takes its particle ("shot back") or the preposition it needs ("called
        for", "called on", "warned against") when it follows the verb."""
        for cand in found:
            if cand.cue is None or cand.cue_token is None:
                continue
            verb = self.doc[cand.cue_token]
            if cand.cue != _tok_span(verb) or verb.i + 1 >= len(self.doc):
                continue
            nxt = self.doc[verb.i + 1]
            hangs = nxt.head.i == verb.i or (nxt.dep_ == "mark" and nxt.head.head.i == verb.i)
            if not hangs or nxt.idx + len(nxt) > cand.content[0] >= cand.cue[0]:
                continue
            if nxt.dep_ == "prt" or (
                nxt.dep_ in ("prep", "mark")
                and (verb.lemma_.lower(), nxt.lower_) in cues.CUE_PREPOSITIONS
            ):
                cand.cue = (verb.idx, nxt.idx + len(nxt))

    @staticmethod
    def _clip_prefixes(found: list[Candidate], prefixes: list[SpanRef]) -> None:
        """A content or source that starts a block leaves out the block's "Name:"
        label, dateline or time stamp ("Q: Shoplifting rose ..., according to ...")."""
        for cand in found:
            for start, end in prefixes:
                if start <= cand.content[0] < end < cand.content[1]:
                    cand.content = (end, cand.content[1])
                if cand.source is not None and start <= cand.source[0] < end < cand.source[1]:
                    cand.source = (end, cand.source[1])  # "23:40 — Civic Alliance leader ..."

    def _finish(self, cand: Candidate) -> None:
        """Collect the evidence that fired and score it."""
        items = set(cand.evidence)
        items.add(f"form:{cand.pattern}")
        items.add(cand.cue_evidence)
        items.add(f"content:{cand.content_kind}")
        items.add(agent_feature(cand.source_head))
        if cand.cue_evidence.startswith("lexicon:") and cand.weight < 0.8:
            items.add("cue:weak")
        if cand.statement:
            items.add("medium:statement")
        if cand.intermediary:
            items.add("nested")
        cand.evidence_list = ev.check(items)
        cand.score = ev.score(cand.pattern, cand.content_kind, cand.weight, items)

    # -- matching ------------------------------------------------------------------

    def _dependency_candidates(self) -> list[Candidate]:
        doc = self.doc
        matches = self.matchers.dependencies(doc)
        rank = {name: i for i, name in enumerate(_PRIORITY)}
        ordered = sorted(
            ((doc.vocab.strings[mid], ids) for mid, ids in matches),
            key=lambda m: (rank.get(m[0], 99), m[1][0], abs(m[1][1] - m[1][0])),
        )
        out: list[Candidate] = []
        for name, ids in ordered:
            cue = doc[ids[0]]
            if cue.i in self.used:
                continue
            cand = self._from_match(name, ids)
            if cand is None:
                continue
            self.used.add(cue.i)
            if name in ("quoted_as_saying", "passive_quoted_as_saying"):
                self.used.add(ids[-1])  # "saying" is part of the same report
            out.append(cand)
        out += self._extra
        self._extra = []
        return out

    def _from_match(self, name: str, ids: list[int]) -> Candidate | None:
        doc = self.doc
        cue = doc[ids[0]]
        if self._not_asserted(cue):
            return None
        if name == "according_to":
            to, source = doc[ids[1]], doc[ids[2]]
            around = self._according_content(cue, source)
            if around is None:
                return None
            cue_span = (cue.idx, to.idx + len(to))
            cand = self._candidate(name, "clause", around[0][0], cue_span, cue.i, source)
            cand.more, cand.interrupted = around[0][1:], around[1]
            cand.cue_evidence = "cue:phrase"
            return cand
        source = doc[ids[1]]
        lemma = cue.lemma_.lower()
        lex, weight = _lexicon(lemma) if lemma in cues.CUE_VERBS else ("lexicon:speech", 1.0)
        if name in ("quoted_as_saying", "passive_quoted_as_saying"):
            saying = doc[ids[-1]]
            found = self._content(cue, source, extra_heads=(saying,))
            if found is None:
                return None
            cand = self._candidate(name, found[1], found[0], _tok_span(cue), cue.i, source)
            self._take_pending(cand)
            cand.intermediary = self._intermediary(cue, name)
            cand.cue_evidence = lex
            return cand
        if name == "passive_agent":
            source = doc[ids[2]]
        elif cue.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in cue.children):
            return None  # "The rules, said to be the strictest, ...": a participle, no report
        if (
            cue.dep_ == "parataxis"
            and lemma not in cues.XCOMP_CONTENT_VERBS
            and any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)
                    for c in cue.children)
        ):
            return None  # the same, as the parser often reads it: "..., said to be ..., "
        pattern = name
        relative: Token | None = None
        if source.lower_ in _RELATIVE and source.tag_ in _WH_TAGS | {"DT"}:
            # "Ortiz, who said ...": the relative pronoun is the source and stands for
            # the noun it modifies (its antecedent, which the rules read as the agent).
            modified = cue.head
            if modified.lower_ == "according":  # "according to X, who said ..."
                to = next((c for c in modified.children if c.lower_ == "to"), None)
                if to is not None:
                    modified = next((c for c in to.children if c.dep_ == "pobj"), modified)
            if cue.dep_ != "relcl" or modified.pos_ not in ("NOUN", "PROPN"):
                return None
            relative, source, pattern = source, _antecedent(modified), "relative"
        if source.lower_ in _FIRST_SECOND_PERSON:
            return None
        cls = lex.split(":", 1)[1]
        if lemma in cues.NAMING_VERBS and self._naming_content(cue) is not None:
            cls = "speech"  # "what it called speculation" says something
        if not self._agent_fits(cls, source, lemma):
            return None
        found = self._content(cue, source, cls=cls)
        if found is None:
            return None
        cited = _cited_source(cue, source, found[0][1]) if name == "cue_subject" else None
        if cited is not None and cited[0].i < cue.i:
            # "Reuters, citing two security sources, reported ...": the cited party is
            # the source, the subject passed it on.
            cand = self._candidate("citing", found[1], found[0], _tok_span(cue), cue.i, cited[1])
            self._take_pending(cand)
            start, end = self._source_span(source)
            cand.intermediary = self.text[start:end]
            self.used.add(cited[0].i)
        else:
            cand = self._candidate(pattern, found[1], found[0], _tok_span(cue), cue.i, source)
            self._take_pending(cand)
            if relative is not None:
                cand.antecedent = cand.source
                cand.source = _tok_span(relative)
        cand.weight = weight
        cand.cue_evidence = lex
        self._note_that(cand, cue)
        if cited is not None and cited[0].i > cue.i:
            # "X reported ..., citing Y": two reports of one content, X's and Y's (by
            # way of X).
            participle, obj = cited
            extra = self._candidate(
                "citing", found[1], found[0], _tok_span(participle), participle.i, obj
            )
            extra.intermediary = self.text[cand.source[0] : cand.source[1]] if cand.source else None
            extra.cue_evidence = _lexicon(participle.lemma_.lower())[0]
            self.used.add(participle.i)
            self._extra.append(extra)
        return cand

    def _agent_fits(self, cls: str, source: Token, lemma: str) -> bool:
        """Speech verbs take any subject (the classifier judges it); beliefs, promises
        and requests need someone who can hold them; findings may come from a study,
        and "show" only from one. "It" qualifies as the subject of a main clause ("It
        expects the beaches to reopen", of an authority; resolution follows), never
        embedded ("said it expects")."""
        if cls in cues.SPEAKING_CLASSES:
            return True
        if source.lower_ == "it" and lemma not in cues.DOCUMENT_ONLY_VERBS:
            verb = source.head
            return source.dep_ == "nsubj" and (
                verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
            )
        if source.lower_ in THING_PRONOUNS or source.lower_ == "there":
            return False
        agent = agent_feature(source)
        if agent not in HUMAN_AGENTS and any(
            c.dep_ == "appos" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN")
            for c in source.children
        ):
            agent = "agent:person_noun"  # "The mediator, former judge Ines Moravec, asked"
        if lemma in cues.DOCUMENT_ONLY_VERBS:
            return agent == "agent:document"
        if cls == "evidence":
            return agent in HUMAN_AGENTS or agent == "agent:document"
        return agent in HUMAN_AGENTS

    def _note_that(self, cand: Candidate, cue: Token) -> None:
        for comp in cue.children:
            if comp.dep_ == "ccomp" and any(
                c.dep_ == "mark" and c.lower_ == "that" for c in comp.children
            ):
                cand.evidence.add("content:that")

    def _according_fallback(self) -> list[Candidate]:
        """ "according to" whose object the parser hung elsewhere: the noun phrase right
        after "to" is the source."""
        out: list[Candidate] = []
        doc = self.doc
        for match_id, start, _end in self.phrase_matches:
            if doc.vocab.strings[match_id] != "according_to" or start in self.used:
                continue
            according, to = doc[start], doc[start + 1]
            sent = according.sent
            run = []
            for i in range(to.i + 1, min(sent.end, to.i + 12)):
                if doc[i].is_punct or doc[i].is_space:
                    break
                run.append(doc[i])
            inside = {t.i for t in run}
            roots = [t for t in run if t.head.i not in inside and t.pos_ in ("NOUN", "PROPN")]
            if not roots:
                continue
            source = roots[0]
            around = self._according_content(according, source)
            if around is None:
                continue
            cue_span = (according.idx, to.idx + len(to))
            cand = self._candidate(
                "according_to", "clause", around[0][0], cue_span, according.i, source
            )
            cand.more, cand.interrupted = around[0][1:], around[1]
            cand.cue_evidence = "cue:phrase"
            self.used.add(according.i)
            out.append(cand)
        return out

    def _subjectless_candidates(self) -> list[Candidate]:
        """Cue verbs without a subject of their own: coordinated ("described ... and
        said ..."), participial ("rejected the plan, saying ..."; "a statement saying
        ...") or passive without an agent ("it was reported that ...")."""
        out: list[Candidate] = []
        for _, start, _end in self.matchers.verbs(self.doc):
            cue = self.doc[start]
            if cue.i in self.used or any(c.dep_ == "nsubj" for c in cue.children):
                continue
            if self._not_asserted(cue):
                continue
            lemma = cue.lemma_.lower()
            lex, weight = _lexicon(lemma)
            cls = lex.split(":", 1)[1]
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
            participle = cue.tag_ == "VBG" and (
                cue.dep_ in ("advcl", "xcomp", "acl")
                or (cue.dep_ == "pcomp" and cue.head.lower_ == "by")  # "opens by saying"
            )
            if participle and lemma in cues.QUOTING_VERBS:
                continue  # "..., citing two sources": see ``_cited_source``
            to_say = (
                cue.dep_ == "xcomp"
                and _verb_forms(cue.head) & cues.TO_SAY_HOSTS
                and any(c.lower_ == "to" and c.dep_ == "aux" for c in cue.children)
                and cls in cues.SPEAKING_CLASSES
            )
            if passive:
                if lemma not in cues.PASSIVE_CUES:
                    continue
                found = self._content(cue, None, passive=True, cls=cls)
                if found is None:
                    continue
                cand = self._candidate(
                    "passive_agentless", found[1], found[0], _tok_span(cue), cue.i, None
                )
            elif to_say:
                # "One listener has texted to say ...": the cue is the whole phrase.
                subject = next((c for c in cue.head.children if c.dep_ == "nsubj"), None)
                if subject is None or subject.lower_ in _FIRST_SECOND_PERSON:
                    continue
                found = self._content(cue, None, cls=cls)
                if found is None:
                    continue
                cue_span = (cue.head.idx, cue.idx + len(cue))
                cand = self._candidate("cue_subject", found[1], found[0], cue_span, cue.i, subject)
                self._take_pending(cand)
                self._note_that(cand, cue)
            elif cue.dep_ == "conj" or participle:
                if participle and cue.dep_ == "acl":
                    subject: Token | None = cue.head  # "a statement saying ..."
                    if cue.head.pos_ not in ("NOUN", "PROPN"):
                        continue
                else:
                    subject = self._inherited_subject(cue)
                if subject is None or subject.lower_ in _FIRST_SECOND_PERSON:
                    continue
                if subject.lower_ in _RELATIVE and subject.head.dep_ == "relcl":
                    subject = subject.head.head
                if participle and agent_feature(subject) not in HUMAN_AGENTS | {"agent:document"}:
                    continue
                if not self._agent_fits(cls, subject, lemma):
                    continue
                found = self._content(cue, None, cls=cls)
                if found is None:
                    continue
                pattern = "participle" if participle else "conj_subject"
                cand = self._candidate(
                    pattern, found[1], found[0], _tok_span(cue), cue.i, subject
                )
                self._take_pending(cand)
                self._note_that(cand, cue)
            else:
                continue
            cand.weight = weight
            cand.cue_evidence = lex
            self.used.add(cue.i)
            out.append(cand)
        return out

    def _structural_candidates(self) -> list[Candidate]:
        """Verbs outside the lexicon read by structure: a finite clausal complement with
        a human or organisation subject ("the court ruled that ..."), or, with no
        dependents but a subject, a tag beside a quotation ("'...,' Trump interjected")."""
        out: list[Candidate] = []
        for tok in self.doc:
            if tok.pos_ != "VERB" or tok.i in self.used:
                continue
            lemma = tok.lemma_.lower()
            if lemma in cues.CUE_VERBS or lemma in cues.NEVER_CUES:
                continue
            subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subject is None or subject.lower_ in _FIRST_SECOND_PERSON:
                continue
            if subject.lower_ in THING_PRONOUNS or subject.lower_ in _RELATIVE:
                continue
            agent = agent_feature(subject)
            if agent not in _UNLISTED_AGENTS or self._not_asserted(tok):
                continue
            quote = self._tag_quote(tok, subject) if _tag_agent(subject, agent) else None
            if quote is not None and not any(
                c.dep_ in _TAG_BLOCKERS and not quote[0] <= c.idx < quote[1] for c in tok.children
            ):
                cand = self._candidate("unlisted_tag", "quote", quote, _tok_span(tok), tok.i, subject)
                cand.cue_evidence = "cue:unlisted"
                self.used.add(tok.i)
                out.append(cand)
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp" and _finite(c)), None)
            if comp is not None:
                span = self._subtree_content(comp, tok)
                if span is None:
                    continue
                span = self._join_quote(span, self._adjacent_quote(tok, subject))
                kind = "quote" if self._is_quote(span) else "ccomp"
                cand = self._candidate("unlisted_subject", kind, span, _tok_span(tok), tok.i, subject)
                self._note_that(cand, tok)
            else:
                continue
            cand.cue_evidence = "cue:unlisted"
            self.used.add(tok.i)
            out.append(cand)
        return out

    def _tag_quote(self, verb: Token, subject: Token) -> SpanRef | None:
        """The quotation a bare speech tag follows: "'...,' X chuckled." / "'...,'
        chuckled X." The tag must end its sentence (or be set off by a comma)."""
        lo = min(verb.i, subject.left_edge.i)
        hi = max(verb.i, subject.right_edge.i)
        left = self.doc[lo].idx
        after = self.doc[hi + 1] if hi + 1 < len(self.doc) else None
        if after is not None and not (after.is_punct or after.is_space):
            return None
        block = self._block_of(verb.idx)
        for q in self.quotes:
            if q.open_ended or (block is not None and not block[0] <= q.start < block[1]):
                continue
            if q.end <= left and _BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[q.end : left]):
                return q.start, q.end
        return None

    def _nominal_candidates(self) -> list[Candidate]:
        """Nominal cues: "X's statement that ...", "the claim by X that ...", "a warning
        from X that ..."; only with an agent, since "the claim that ..." alone names
        nobody."""
        out: list[Candidate] = []
        for tok in self.doc:
            if tok.pos_ != "NOUN" or tok.lemma_.lower() not in cues.NOUN_CUES:
                continue
            agent = next((c for c in tok.children if c.dep_ == "poss"), None)
            holders = [tok]
            if agent is None:
                for prep in tok.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("by", "from", "of"):
                        agent = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if agent is not None:
                            # "the claim by the opposition that ...": the parser often
                            # hangs the clause on the agent.
                            holders.append(agent)
                            break
            if agent is None or agent.lower_ in _FIRST_SECOND_PERSON | {"my", "our", "your"}:
                continue
            if tok.dep_ == "nsubj" and tok.head.lemma_.lower() == "be":
                holders.append(tok.head)  # "The council's answer ... was that ..."
            clause = next(
                (
                    c
                    for h in holders
                    for c in h.children
                    if c.dep_ in ("acl", "ccomp", "appos", "relcl", "attr") and _has_that(c)
                ),
                None,
            )
            if clause is None:
                continue
            if agent_feature(agent) not in HUMAN_AGENTS:
                continue
            span = self._subtree_content(clause, tok)
            if span is None:
                continue
            cand = self._candidate("nominal", "ccomp", span, _tok_span(tok), tok.i, agent)
            cand.cue_evidence = "cue:noun"
            cand.weight = cues.NOUN_CUES[tok.lemma_.lower()]
            cand.evidence.add("content:that")
            out.append(cand)
        return out

    def _adjective_candidates(self) -> list[Candidate]:
        """Adjectives of belief: "Frei is confident the team can turn things around",
        "The minister remains convinced that ..."; the adjective is the cue, the
        subject of "be" the source, the clause it governs the content."""
        out: list[Candidate] = []
        for match_id, start, _end in self.phrase_matches:
            if self.doc.vocab.strings[match_id] != "adjective_cue":
                continue
            tok = self.doc[start]
            weight = cues.ADJECTIVE_CUES[tok.lower_]
            if tok.dep_ != "acomp":
                continue
            verb = tok.head
            if verb.lemma_.lower() not in _BELIEF_COPULAS or self._not_asserted(verb):
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is None or subject.lower_ in _FIRST_SECOND_PERSON | _RELATIVE:
                continue
            if not self._agent_fits("cognition", subject, tok.lower_):
                continue
            comp = next(
                (c for c in tok.children if c.dep_ == "ccomp" and (_finite(c) or _has_that(c))),
                None,
            )
            span = self._subtree_content(comp, tok) if comp is not None else None
            if span is None:
                continue
            cand = self._candidate("cue_subject", "ccomp", span, _tok_span(tok), tok.i, subject)
            cand.cue_evidence = "lexicon:cognition"
            cand.weight = weight
            self._note_that(cand, tok)
            out.append(cand)
        return out

    def _hearsay_candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        for match_id, start, _end in self.phrase_matches:
            if self.doc.vocab.strings[match_id] != "hearsay_adverb":
                continue
            adverb = self.doc[start]
            sent = adverb.sent
            content = self._trim(sent.start, sent.end)
            if content is None:
                continue
            cand = self._candidate("hearsay", "clause", content, _tok_span(adverb), adverb.i, None)
            cand.cue_evidence = "cue:adverb"
            out.append(cand)
        return out

    def _statement_heads(self) -> set[int]:
        """Cue tokens that a medium phrase ("in a statement") hangs on."""
        heads: set[int] = set()
        for match_id, start, _end in self.phrase_matches:
            if self.doc.vocab.strings[match_id] != "statement_marker":
                continue
            prep = self.doc[start]
            heads.add(prep.head.i)
            # "In a statement, X confirmed ..." may hang on a noun; credit the sentence root.
            heads.add(prep.sent.root.i)
        return heads

    def _candidate(
        self,
        pattern: str,
        content_kind: str,
        content: SpanRef,
        cue: SpanRef | None,
        cue_token: int | None,
        source_head: Token | None,
    ) -> Candidate:
        source = self._source_span(source_head) if source_head is not None else None
        return Candidate(pattern, content_kind, content, cue, cue_token, source, source_head)

    def _take_pending(self, cand: Candidate) -> Candidate:
        """Give ``cand`` the further contents the last ``_content`` call found."""
        cand.more, cand.interrupted = list(self._pending[0]), self._pending[1]
        self._pending = ([], False)
        return cand

    def _not_asserted(self, cue: Token) -> bool:
        """ "did not say", "if X had announced", "Did X say ...?": no content is
        attributed (a quoted question is still a statement of its speaker)."""
        if any(
            (c.dep_ == "neg")
            or (c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"))
            # "the minister would announce a freeze", "he will ask the committee": a
            # report still to come is no report.
            or (c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ in _UNREALISED_MODALS)
            for c in cue.children
        ):
            return True
        return self._is_question(cue)

    def _is_question(self, cue: Token) -> bool:
        sent = cue.sent
        last = next((t for t in reversed(sent) if not t.is_space), None)
        if last is None or last.text != "?" or self._in_quote(last.idx):
            return False
        if self._in_quote(cue.idx):
            return False
        subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and any(
            c.dep_ in ("aux", "auxpass") and c.i < subject.i for c in cue.children
        ):
            return True
        return sent[0].tag_ in _WH_TAGS or (subject is not None and subject.tag_ in _WH_TAGS)

    def _in_quote(self, offset: int) -> bool:
        return any(q.start <= offset < q.end for q in self.quotes)

    # -- sources -------------------------------------------------------------------

    def _source_span(self, head: Token) -> SpanRef:
        """The speaker's noun phrase: left modifiers, then right modifiers up to the
        first clause, apposition or comma. A name in apposition with no comma is part
        of it ("Councillor Omar Haddad"), and so is the name written again in another
        script in brackets ("Omar Haddad (عمر حداد)")."""
        doc = self.doc
        if head.pos_ == "PRON":
            return _tok_span(head)
        start = head.left_edge.i
        end = head.i + 1
        for child in head.rights:
            if child.dep_ == "appos" and child.left_edge.i == end and child.pos_ == "PROPN":
                end = child.right_edge.i + 1  # "Councillor Omar Haddad": one name
                continue
            if child.dep_ in _SOURCE_STOP_DEPS or child.is_space:
                break
            end = child.right_edge.i + 1
        kept_bracket = -1
        # A comma, bracket or dash inside a modifier opens a clause or an aside:
        # "An analyst at the Brookings Institution, who asked not to be named".
        i = head.i + 1
        while i < end:
            if doc[i].text == "(":
                close = self._bracket_end(i)
                if close is not None and _other_script(list(doc[i + 1 : close])):
                    kept_bracket = close
                    i = close + 1
                    continue
            if doc[i].text in _SOURCE_BREAKS:
                end = i
                break
            i += 1
        if end < len(doc) and doc[end].text == "(":
            close = self._bracket_end(end)
            if close is not None and _other_script(list(doc[end + 1 : close])):
                end = kept_bracket = close
                end += 1
        # Two subjects side by side are one name: "Iraq's state news agency INA".
        if head.dep_ == "nsubj":
            for sib in head.head.children:
                if sib.i != head.i and sib.dep_ == "nsubj" and sib.i == start - 1:
                    start = sib.left_edge.i
                elif sib.i != head.i and sib.dep_ == "nsubj" and sib.left_edge.i == end:
                    end = sib.i + 1
        if end - 1 > head.i and doc[end - 1].dep_ == "case":
            end -= 1  # "The ministry's statement that ...": the source is "The ministry"
        if end - 1 == head.i + 1 and doc[end - 1].dep_ == "case":
            end -= 1
        while start < head.i and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end - 1 > head.i and end - 1 != kept_bracket and (
            doc[end - 1].is_punct or doc[end - 1].is_space
        ):
            end -= 1
        return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])

    def _bracket_end(self, open_i: int) -> int | None:
        for j in range(open_i + 1, min(open_i + 8, len(self.doc))):
            if self.doc[j].text == ")":
                return j
        return None

    def _inherited_subject(self, cue: Token) -> Token | None:
        """The subject of a coordinated or participial cue. A participle hanging on a
        clause belongs to that clause's subject ("The council rejected the plan,
        saying ..."). A coordinated cue prefers an enclosing reporting verb's subject
        ("The diplomat said his country would accept ..., but cautioned ..." is the
        diplomat cautioning), else the first conjunct's subject."""
        if cue.dep_ == "pcomp" and cue.head.lower_ == "by" and cue.head.head.i != cue.head.i:
            cue = cue.head  # "She opens by saying ...": the subject of "opens"
        if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp") or cue.dep_ == "prep":
            subject = next((c for c in cue.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return subject
            if cue.head.dep_ == "conj":
                # "X welcomed the delay but called for ..., saying ...": the host
                # clause's subject is itself inherited.
                return self._inherited_subject(cue.head)
        node = cue
        first_subject: Token | None = None
        quote = next((q for q in self.quotes if q.start <= cue.idx < q.end), None)
        while node.dep_ in ("conj", "ccomp", "xcomp", "advcl") and node.head.i != node.i:
            node = node.head
            subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subject is None:
                continue
            if quote is not None and not quote.start <= subject.idx < quote.end:
                break  # a verb inside a quotation has its subject in the quotation
            if first_subject is None and _conj_chain(cue, node):
                if subject.lower_ in _FIRST_SECOND_PERSON:
                    return subject  # "I changed the shape and asked them ...": the speaker's own
                first_subject = subject
            if node.lemma_.lower() in cues.CUE_VERBS and node.pos_ in ("VERB", "AUX"):
                return subject
        return first_subject

    def _intermediary(self, cue: Token, name: str) -> str | None:
        if name == "quoted_as_saying":
            head = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        else:
            agent = next((c for c in cue.children if c.dep_ == "agent"), None)
            head = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if head is None:
            return None
        start, end = self._source_span(head)
        return self.text[start:end]

    # -- contents ------------------------------------------------------------------

    def _content(
        self,
        cue: Token,
        source: Token | None,
        *,
        extra_heads: tuple[Token, ...] = (),
        passive: bool = False,
        cls: str = "speech",
    ) -> tuple[SpanRef, str] | None:
        """Find what was reported, in order of reliability:

        a prepositional object for cues that take one ("called for X"); a quotation
        right next to the reporting clause; the clausal complement; the clause a
        parenthetical speech cue interrupts ("..., he said, ..."); an infinitive ("vowed
        to rebuild"); an object for cues that take one ("confirmed meetings ..."); the
        next paragraph after "X wrote:".
        """
        self._pending = ([], False)
        lemma = cue.lemma_.lower()
        preps = cues.PREP_CONTENT.get(lemma)
        if preps:
            span = self._prep_content(cue, preps)
            if span is not None:
                return span, "prep"
        if lemma in cues.NAMING_VERBS:
            span = self._naming_content(cue)
            if span is not None:
                return span, "object"
        prep_only = lemma in cues.PREP_ONLY_VERBS
        quote = None if prep_only else self._adjacent_quote(cue, source)
        if lemma in cues.QUOTE_ONLY_VERBS:
            return (quote, "quote") if quote is not None else None
        if quote is not None and self._tag_quote_before(quote, cue):
            # "“...,” X said. “...”": the quotation the tag closes is its content,
            # whatever the parser hung on the verb from the next sentence.
            return quote, "quote"
        heads = (cue, *extra_heads)
        comps = [] if prep_only else [c for h in heads for c in h.children if c.dep_ == "ccomp"]
        if not comps and not prep_only:
            comps = self._stray_that_clause(cue)
        if cls not in cues.SPEAKING_CLASSES:
            # A belief or finding is a clause ("considered it safe" is a judgement).
            comps = [
                c
                for c in comps
                if c.pos_ in ("VERB", "AUX")
                or any(a.dep_ in ("aux", "auxpass") for a in c.children)
                or _has_that(c)  # "found that only one in four ... walks" (tagged a noun)
            ]
        if comps:
            comp = min(comps, key=lambda c: abs(c.i - cue.i))
            span = self._subtree_content(comp, cue)
            if span is not None:
                span = self._join_quote(span, quote)
                kind = "quote" if self._is_quote(span) else "ccomp"
                return span, kind
        if quote is not None:
            return quote, "quote"
        if cue.dep_ == "parataxis" and not passive and cls in cues.SPEAKING_CLASSES:
            around = self._parataxis_content(cue)
            if around is not None:
                spans, interrupted = around
                self._pending = (spans[1:], interrupted)
                return self._join_quote(spans[0], quote), "parataxis"
        if passive:
            subj = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
            xcomp = next((c for c in cue.children if c.dep_ == "xcomp"), None)
            if subj is not None and xcomp is not None and subj.lower_ not in ("it", "this"):
                return self._trim(subj.left_edge.i, xcomp.right_edge.i + 1), "clause"
            return None
        if lemma in cues.XCOMP_CONTENT_VERBS:
            span = self._xcomp_content(cue, needs_object=lemma in cues.XCOMP_NEEDS_OBJECT)
            if span is not None:
                return span, "xcomp"
        np_content = lemma in cues.NP_CONTENT_VERBS or (
            lemma in cues.DOCUMENT_NP_VERBS
            and source is not None
            and agent_feature(source) == "agent:document"
        )
        if np_content and not prep_only:
            obj = next((c for c in cue.children if c.dep_ == "dobj"), None) or next(
                (c for c in cue.children if c.dep_ == "xcomp" and c.tag_ == "VBG"), None
            )
            if obj is not None and not forms(obj) & cues.NP_NOT_CONTENT:
                right = max(
                    (
                        c.right_edge.i
                        for c in cue.rights
                        if c.dep_ not in ("punct", "conj", "cc") and not self._adjunct(c)
                    ),
                    default=obj.right_edge.i,
                )
                right = max(right, obj.right_edge.i)
                tail = [c for c in obj.rights if c.right_edge.i == right]
                if tail and self._adjunct(tail[-1]) and tail[-1].dep_ == "prep":
                    right = tail[-1].left_edge.i - 1  # "a fall in profit on Thursday"
                span = self._trim(obj.left_edge.i, right + 1)
                if span is not None:
                    return self._widen_to_quotes(span, cue.idx), "object"
        if not prep_only:
            span = self._next_block_content(cue)
            if span is not None:
                return span, "next_block"
        return None

    def _adjunct(self, child: Token) -> bool:
        """A verb's dependent that is no part of its object content: a time ("on
        Thursday"), "according to X", a clause of its own after a comma."""
        if child.lower_ == "according":
            return True
        if child.dep_ in ("advcl", "parataxis"):
            return self._after_comma(child.left_edge.i)  # ", raising the prospect ..."
        if child.dep_ in ("prep", "npadvmod", "advmod"):
            sub = list(child.subtree)
            words = [t for t in sub if not t.is_punct and t.i != child.i]
            return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)
        return False

    def _naming_content(self, cue: Token) -> SpanRef | None:
        """ "called the deal “a betrayal”", "calls that forecast “optimistic”": the
        object with its complement; after "what" ("what it called “speculation”") the
        complement alone."""
        comp = next(
            (c for c in cue.children if c.dep_ in _NAMING_COMPS and c.i > cue.i), None
        )
        if comp is None:
            return None
        obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
        if comp.dep_ != "ccomp" and obj is None:
            return None
        if obj is not None and obj.i > comp.i:
            obj = None  # the complement is the object's own ("called out the plan")
        lo = comp.left_edge.i if obj is None or obj.i < cue.i else obj.left_edge.i
        right = max(
            (c.right_edge.i for c in cue.rights if c.dep_ not in ("punct", "conj", "cc", "advcl")),
            default=comp.right_edge.i,
        )
        span = self._trim(lo, right + 1)
        return self._widen_to_quotes(span, cue.idx) if span is not None else None

    def _stray_that_clause(self, cue: Token) -> list[Token]:
        """ "The council said in a statement after the vote that no decision had been
        taken": a finite "that" clause the parser hung on a noun of the cue's own
        prepositional phrase is the cue's complement."""
        for prep in cue.children:
            if prep.dep_ != "prep" or prep.i < cue.i:
                continue
            for tok in prep.subtree:
                if tok.dep_ in ("acl", "relcl", "ccomp") and _has_that(tok) and _finite(tok):
                    return [tok]
        return []

    def _xcomp_content(self, cue: Token, *, needs_object: bool) -> SpanRef | None:
        """ "vowed to rebuild the team", "urged residents to stay indoors": the
        infinitive, with the object it is predicated of when there is one ("called on
        the council to resign": the object of "on")."""
        on = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "on"), None)
        # "called on the board to back the coach": the parser may read the infinitive
        # as a clause of purpose (advcl) after the object of "on".
        deps = ("xcomp", "advcl") if on is not None else ("xcomp",)
        xcomp = next(
            (
                c
                for c in cue.children
                if c.dep_ in deps and c.i > cue.i and any(a.lower_ == "to" for a in c.children)
            ),
            None,
        )
        if xcomp is None:
            return None
        lo = xcomp.left_edge.i
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i < xcomp.i), None)
        if obj is None:
            obj = next((c for c in on.children if c.dep_ == "pobj"), None) if on else None
        if obj is not None:
            lo = obj.left_edge.i
        elif needs_object:
            return None
        span = self._trim(lo, xcomp.right_edge.i + 1)
        return self._widen_to_quotes(span, cue.idx) if span is not None else None

    def _next_block_content(self, cue: Token) -> SpanRef | None:
        """ "Dane Lisser wrote:" at the end of a paragraph: the next paragraph (its
        quotation when it is one) is what was written."""
        idx = self._block_index(cue.idx)
        if idx is None or idx + 1 >= len(self.blocks):
            return None
        block = self.blocks[idx]
        tail = self.text[cue.idx + len(cue) : block.end].rstrip()
        if not tail.endswith(":") or len(tail) > 80 or any(ch in tail for ch in ".!?\"“”"):
            return None
        nxt = self.blocks[idx + 1]
        body = self.text[nxt.start : nxt.end]
        lead = nxt.start + len(body) - len(body.lstrip())
        quote = next((q for q in self.quotes if q.start == lead), None)
        if quote is not None:
            return quote.start, quote.end
        end = nxt.start + len(body.rstrip())
        return (lead, end) if end - lead > 1 else None

    def _prep_content(self, cue: Token, preps: frozenset[str]) -> SpanRef | None:
        """ "pointed to X", "warned of X": the prepositional object is the content; with
        an infinitive after it ("called for family doctors to be given more time"), the
        object and the infinitive, however the parser hangs them."""
        clause = next(
            (
                c
                for c in cue.children
                if c.dep_ in ("advcl", "ccomp", "xcomp")
                and any(m.dep_ == "mark" and m.lower_ in preps and m.i < c.i for m in c.children)
            ),
            None,
        )
        if clause is not None:  # "called for the director to resign" (a for-clause)
            mark = next(m for m in clause.children if m.dep_ == "mark" and m.lower_ in preps)
            span = self._trim(mark.i + 1, clause.right_edge.i + 1)
            return self._widen_to_quotes(span, cue.idx) if span is not None else None
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in preps), None)
        if prep is None:
            # "warned managers about corroded tanks": the parser hangs it on the object.
            obj = next((c for c in cue.children if c.dep_ in ("dobj", "dative")), None)
            prep = next(
                (
                    c
                    for c in (obj.children if obj is not None else ())
                    if c.dep_ == "prep" and c.lower_ in preps and c.i > obj.i
                ),
                None,
            )
        if prep is None:
            return None
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
        if obj is None:
            return None
        end = obj.right_edge.i
        infinitive = next(
            (
                c
                for c in cue.children
                if c.dep_ in ("advcl", "xcomp")
                and c.left_edge.i == end + 1
                and any(a.lower_ == "to" and a.dep_ in ("aux", "auxpass") for a in c.children)
            ),
            None,
        )
        if infinitive is not None:
            end = infinitive.right_edge.i
        span = self._trim(obj.left_edge.i, end + 1)
        return self._widen_to_quotes(span, cue.idx) if span is not None else None

    def _join_quote(self, span: SpanRef, quote: SpanRef | None) -> SpanRef:
        """ "... three key factors: "the threat ...," Austin said": a clause that runs
        straight into the quotation next to the cue takes the quotation in."""
        if quote is None or (quote[0] < span[1] and span[0] < quote[1]):
            return span
        if quote[0] >= span[1] and _BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[span[1] : quote[0]]):
            return span[0], quote[1]
        if quote[1] <= span[0] and _BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[quote[1] : span[0]]):
            return quote[0], span[1]
        return span

    def _subtree_content(self, comp: Token, cue: Token) -> SpanRef | None:
        """The complement's subtree as one contiguous run around its head, leaving out
        coordinated reporting verbs that carry a report of their own."""
        excluded: set[int] = set()
        for tok in comp.subtree:
            if (
                tok.dep_ == "conj"
                and tok.lemma_.lower() in cues.CUE_VERBS
                and tok.pos_ in ("VERB", "AUX")
                and not any(c.dep_ == "nsubj" for c in tok.children)
                and not self._in_quote(tok.idx)
                and not self._not_asserted(tok)
                and (
                    cues.CUE_VERBS[tok.lemma_.lower()][0] in _OWN_REPORT_CLASSES
                    or any(c.dep_ == "ccomp" for c in tok.children)
                )
            ):
                # "said it noted the plan and hoped it was ...", "... and vowed to
                # table a motion": the speaker's own report (see ``_inherited_subject``);
                # "and was not expected to object", "and expected to publish its
                # findings" stay part of what was said.
                excluded.update(t.i for t in tok.subtree)
            elif (
                (tok.dep_ in ("advcl", "relcl", "acl") or tok.lower_ == "according")
                and tok.i > comp.i
                and self._after_comma(tok.left_edge.i)
                and _holds_report(tok)
            ):
                # "..., noting that ...", "..., citing two sources", "..., which
                # analysts say makes ...": a report of its own after the content.
                excluded.update(t.i for t in tok.subtree)
        comp_ids = {t.i for t in comp.subtree}
        excluded.update(t.i for t in cue.subtree if t.i not in comp_ids)
        members = comp_ids - excluded
        lo = hi = comp.i
        while lo - 1 in members:
            lo -= 1
        while hi + 1 in members:
            hi += 1
        span = self._trim(lo, hi + 1)
        return self._widen_to_quotes(span, cue.idx) if span is not None else None

    def _after_comma(self, i: int) -> bool:
        """Token ``i`` follows a comma, perhaps inside closing quotation marks
        ("... people,” quoting ...")."""
        j = i - 1
        while j >= 0 and self.doc[j].is_quote and self.doc[j].idx in self.close_marks | {
            q.end - 1 for q in self.quotes
        }:
            j -= 1
        return j >= 0 and self.doc[j].text == ","

    def _parataxis_content(self, cue: Token) -> Around | None:
        """ "X said, ISIS has failed ...": the host clause minus the cue's own clause
        (see ``_around``)."""
        return self._around(cue.head, cue.left_edge.i, cue.right_edge.i)

    def _around(self, host: Token, lo: int, hi: int) -> Around | None:
        """The content around a parenthetical cue (tokens ``lo..hi``) that hangs on
        ``host``: the side that holds the clause ("ISIS has failed, he said"); two
        contents when the cue stands between two coordinated clauses ("The branch costs
        £200,000 a year, he said, and its visitors have halved"); the whole clause, cue
        inside, when the cue interrupts one ("The reshuffle, one lawmaker said, could
        ..."). A clause after the cue that opens with "while", "whereas" ... is the
        writer's, not the report's."""
        inside = set(range(lo, hi + 1))
        dropped: set[int] = set()
        for child in host.children:
            if child.i > hi and child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in _CONTRAST_MARKS for c in child.children
            ):
                dropped.update(t.i for t in child.subtree)
        # Never across a full stop outside quotation marks (a misparse may hang the
        # next sentence on this one).
        stops = [
            t.i
            for t in host.subtree
            if t.tag_ == "." and t.text == "." and not self._in_quote(t.idx)
        ]
        first = max((i for i in stops if i < lo), default=-1)
        last = min((i for i in stops if i > hi), default=len(self.doc))
        members = [
            t.i
            for t in host.subtree
            if t.i not in inside
            and t.i not in dropped
            and first < t.i < last
            and not (t.is_punct or t.is_space)
        ]
        before = [i for i in members if i < lo]
        after = [i for i in members if i > hi]
        conj = next(
            (c for c in host.children if c.dep_ == "conj" and c.i > hi and _full_clause(c)),
            None,
        )
        if before and conj is not None and host.i < lo:
            first = self._trim(before[0], before[-1] + 1)
            second = self._trim(conj.left_edge.i, conj.right_edge.i + 1)
            if first is not None and second is not None:
                return [self._widen_to_quotes(first), self._widen_to_quotes(second)], False
        if before and after:
            # "The reshuffle, one lawmaker said, could ..."; "Ardent refused, one of
            # those present said, and told Quist ...": one clause around the cue.
            subject = next((c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            goes_on = host.i > hi or any(
                c.i > hi and c.dep_ not in _NOT_CLAUSE_CORE for c in host.children
            )
            if subject is not None and subject.i < lo and goes_on:
                span = self._trim(before[0], after[-1] + 1)
                return ([self._widen_to_quotes(span)], True) if span is not None else None
        side = after if len(after) >= len(before) else before
        if not side:
            return None
        span = self._trim(side[0], side[-1] + 1)
        return ([self._widen_to_quotes(span)], False) if span is not None else None

    def _according_content(self, according: Token, source: Token) -> Around | None:
        """ "According to X, ..." / "..., according to X.": the clause the phrase hangs
        on, as ``_around`` reads it; where the parser hangs it on no verb, the longer
        rest of the sentence."""
        lo, hi = according.left_edge.i, max(according.right_edge.i, source.right_edge.i)
        host = according.head
        while host.dep_ in ("advcl", "relcl") and any(
            c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB") for c in host.children
        ):
            host = host.head  # "The fraud came to light when ..., according to X": all of it
        if host.i != according.i and host.pos_ in ("VERB", "AUX") and not lo <= host.i <= hi:
            found = self._around(host, lo, hi)
            if found is not None:
                return found
        sent = according.sent
        before = self._trim(sent.start, lo)
        after = self._trim(hi + 1, sent.end)
        options = [s for s in (before, after) if s is not None]
        if not options:
            return None
        return [self._widen_to_quotes(max(options, key=lambda s: s[1] - s[0]))], False

    def _split_coordination(self, cand: Candidate) -> None:
        """ "told reporters that 400 guards would be hired and that the ministry would
        buy drones": two coordinated "that" clauses are two contents. Clauses joined
        without a second "that" stay one ("says IS is defeated and the coalition's job
        is over"). A quotation is never split; a coordinated clause that reports by
        itself ("and Ortiz said ...") is its own attribution."""
        if cand.content_kind not in ("ccomp", "clause") or cand.more or cand.interrupted:
            return
        sp = self.doc.char_span(cand.content[0], cand.content[1], alignment_mode="expand")
        if sp is None:
            return
        roots = [
            t
            for t in sp
            if not t.is_punct and (not sp.start <= t.head.i < sp.end or t.head.i == t.i)
        ]
        if len(roots) != 1:
            return
        root = roots[0]
        conjs = [
            c
            for c in root.children
            if c.dep_ == "conj"
            and c.i > root.i
            and _has_that(c)
            and c.lemma_.lower() not in cues.CUE_VERBS
            and sp.start < c.left_edge.i
            and c.right_edge.i < sp.end
        ]
        if not conjs:
            return
        cuts = [sp.start] + [c.left_edge.i for c in conjs] + [sp.end]
        if any(q.start < self.doc[i].idx < q.end for q in self.quotes for i in cuts[1:-1]):
            return
        parts = [self._trim(a, b) for a, b in zip(cuts, cuts[1:], strict=False)]
        if any(p is None for p in parts):
            return
        spans = [p for p in parts if p is not None]
        cand.content, cand.more = spans[0], spans[1:]

    def _adjacent_quote(self, cue: Token, source: Token | None) -> SpanRef | None:
        """A quotation that ends just before the reporting clause or starts just after
        it (only spaces and , : ; dashes between), within the same block."""
        toks = [cue]
        if source is not None:
            toks.extend(source.subtree)
        toks.extend(
            t
            for c in cue.children
            if c.dep_ in ("dobj", "dative", "prep", "npadvmod", "advmod", "agent")
            for t in c.subtree
        )
        left = min(t.idx for t in toks)
        right = max(t.idx + len(t) for t in toks)
        block = self._block_of(cue.idx)
        first = min(toks, key=lambda t: t.idx)
        for q in self.quotes:
            if block is not None and not (block[0] <= q.start < block[1]):
                continue
            if q.end <= left and _BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[q.end : left]):
                if self.text[q.end - 2] == "." and first.text[:1].isupper():
                    continue  # '... neighbour." Oskarian television described ...': a new sentence
                return q.start, q.end
            if q.start >= right and _BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[right : q.start]):
                return q.start, q.end
        return None

    def _tag_quote_before(self, quote: SpanRef, cue: Token) -> bool:
        """A quotation that opens its sentence and ends in a comma, question or
        exclamation mark inside the marks, before its tag ("“We walk,” she said"): the
        tag is about it alone (a clause running into it is another matter: 'This is
        "necessary,” he said')."""
        if quote[1] > cue.idx or quote[1] - quote[0] < 3:
            return False
        if self.text[quote[1] - 2] not in ",?!—–":
            return False
        block = self._block_of(quote[0])
        before = self.text[block[0] if block else 0 : quote[0]].rstrip()
        return not before or before[-1] in ".!?\"”’'"

    # -- span helpers --------------------------------------------------------------

    def _trim(self, lo: int, hi: int) -> SpanRef | None:
        """Token range -> char span without outer spaces, outer punctuation (quotation
        marks of a quote inside the range excepted) and a leading "that"."""
        doc = self.doc
        while lo < hi:
            tok = doc[lo]
            outer_punct = tok.is_punct and tok.idx not in self.open_marks
            # "that" opening the clause, even where the parser misreads it ("told the
            # Sentinel that sightings had come in"), but not "that plan" or "that was".
            complementiser = tok.lower_ == "that" and (
                tok.dep_ == "mark"
                or (
                    tok.dep_ != "det"
                    and lo + 1 < hi
                    and doc[lo + 1].dep_ in ("nsubj", "nsubjpass", "expl")
                    and doc[lo + 1].head.i != tok.i
                )
            )
            if not (tok.is_space or outer_punct or complementiser or tok.dep_ == "cc"):
                break
            lo += 1
        while hi > lo:
            tok = doc[hi - 1]
            outer_punct = tok.is_punct and tok.idx not in self.close_marks
            if not (tok.is_space or tok.dep_ == "cc" or outer_punct):
                break
            hi -= 1
        if hi - lo < 2:
            return None
        return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])

    def _widen_to_quotes(self, span: SpanRef, cue_at: int | None = None) -> SpanRef:
        """Never split a quotation: widen to cover every quote the span overlaps, except
        one that holds the cue itself (a report nested in a quotation: '"Most were
        patient. A few told us they had seen worse," he said' keeps to its words)."""
        start, end = span
        changed = True
        while changed:
            changed = False
            for q in self.quotes:
                if cue_at is not None and q.start <= cue_at < q.end:
                    continue
                if q.start < end and q.end > start and (q.start < start or q.end > end):
                    start, end = min(start, q.start), max(end, q.end)
                    changed = True
        return start, end

    def _is_quote(self, span: SpanRef) -> bool:
        return any(q.start == span[0] and q.end == span[1] for q in self.quotes)

    def _quote_type(self, span: SpanRef) -> str:
        if self._is_quote(span):
            return "direct"
        if any(span[0] <= q.start and q.end <= span[1] for q in self.quotes):
            return "mixed"
        return "indirect"

    def _block_of(self, offset: int) -> SpanRef | None:
        idx = self._block_index(offset)
        if idx is None:
            return None
        block = self.blocks[idx]
        return block.start, block.end

    def _block_index(self, offset: int) -> int | None:
        i = bisect_right(self.block_starts, offset) - 1
        if i >= 0 and offset < self.blocks[i].end:
            return i
        return None

    # -- post-processing -----------------------------------------------------------

    def _drop_embedded_noise(self, found: list[Candidate]) -> list[Candidate]:
        """Drop "it/this" + cue inside another report's content ("said it confirms that
        ..."): there the verb means "shows", not "says"; and an agentless passive there
        ("officials said the process is expected to take months"): the expectation is
        the outer speaker's; so is a belief the speaker states of themselves there
        ("Castell said she felt 'let down'")."""
        keep: list[Candidate] = []
        for cand in found:
            head = cand.source_head
            embedded_kind = (
                cand.pattern == "passive_agentless"
                or (head is not None and head.lower_ in ("it", "this"))
                or (
                    head is not None
                    and head.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS
                    and cand.cue_evidence == "lexicon:cognition"
                )
            )
            if (
                embedded_kind
                and cand.cue is not None
                and any(
                    other is not cand
                    and other.content[0] <= cand.cue[0]
                    and cand.cue[1] <= other.content[1]
                    for other in found
                )
            ):
                continue
            keep.append(cand)
        return keep

    def _drop_bylines(self, found: list[Candidate]) -> list[Candidate]:
        """ "Glorioso reports for Naples Daily News; Williams reports for ...": a writer
        working for an outlet reports nothing. Neither a byline cue nor a content that
        is a byline clause makes an attribution (a quotation still does)."""
        keep: list[Candidate] = []
        for cand in found:
            if cand.content_kind != "quote":
                cue = self.doc[cand.cue_token] if cand.cue_token is not None else None
                if cue is not None and cue.pos_ in ("VERB", "AUX") and _byline(cue):
                    continue
                if self._content_is_byline(cand.content):
                    continue
            keep.append(cand)
        return keep

    def _content_is_byline(self, span: SpanRef) -> bool:
        sp = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        if sp is None:
            return False
        return any(
            (t.head.i < sp.start or t.head.i >= sp.end or t.head.i == t.i) and _byline(t)
            for t in sp
        )

    def _classify_all(self, found: list[Candidate]) -> None:
        """Naming and kind in text order, so pronouns, descriptions and surnames can
        look back (see ``attribution_sources.Resolver``). A source that does not name
        its speaker in full gets ``resolved``: a pronoun or description its antecedent,
        a relative pronoun the noun it modifies, a short name ("Holm") or a speaker
        label ("MAYOR FROST", "Q") the name as the article first gives it, a role with
        a name in apposition ("Our economics editor, Lena Fischer,") that name."""
        resolver = Resolver(self.doc)
        seen: list[Candidate] = []
        turns = [c.source[0] for c in found if c.pattern == "transcript" and c.source]
        first_turn = min(turns, default=len(self.text))
        for cand in found:
            head = cand.source_head
            target: Mention | None = None
            if head is None or cand.source is None:
                cand.naming, cand.kind = "vague", "other"
                continue
            group = self._partitive_group(cand, head, resolver, seen)
            if group is not None:
                # "One of them", "two of those people", "Another": the group picked from.
                cand.resolved = group
                cand.evidence.add("resolved:description")
            if head.pos_ == "PRON" and cand.antecedent is None and group is not None:
                info = SourceInfo("unnamed", "other", True, False)
            elif head.pos_ == "PRON" and cand.antecedent is None:
                low = head.lower_
                if low in PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS:
                    target = resolver.resolve_pronoun(head, cand.content)
                if target is not None:
                    final = target.final()
                    info = resolver.info_of(final)
                    cand.resolved = self.text[final.start : final.end]
                    cand.evidence.add("resolved:pronoun")
                else:
                    info = SourceInfo(
                        "unnamed", "other", low in PERSON_PRONOUNS, low in PLURAL_PRONOUNS
                    )
                    cand.evidence.add("unresolved:pronoun")
            else:
                span = cand.antecedent or cand.source
                info = classify_source(self.doc, span, head)
                if cand.label_name and info.naming == "unnamed" and not (
                    forms(head) & (cues.PERSON_NOUNS | cues.INSTITUTIONS)
                ):
                    # "Trump: ..." - a capitalised speaker label is a name even where the
                    # small model tags it as a common noun.
                    info = SourceInfo("named", info.kind, info.person_like, info.plural)
                if cand.antecedent is not None:
                    cand.resolved = self.text[span[0] : span[1]]
                    cand.evidence.add("resolved:relative")
                if is_description(head):
                    target = resolver.resolve_description(head, cand.content)
                    if target is not None:
                        final = target.final()
                        info = resolver.info_of(final)
                        cand.resolved = self.text[final.start : final.end]
                        cand.evidence.add("resolved:description")
                elif cand.antecedent is None:
                    target = self._resolve_name(cand, head, resolver, first_turn)
                    if target is not None:
                        final = target.final()
                        cand.resolved = self.text[final.start : final.end]
                        cand.evidence.add("resolved:name")
                        # A short name or label takes the naming and kind of the name.
                        named = resolver.info_of(final)
                        kind = named.kind if info.kind == "other" or cand.label_name else info.kind
                        info = SourceInfo(named.naming, kind, named.person_like, info.plural)
                if cand.resolved is None and head.pos_ == "NOUN":
                    appos = self._apposition(head)
                    if appos is not None:
                        cand.resolved = self.text[appos[0] : appos[1]]
                        cand.evidence.add("resolved:name")
                        target = resolver.mention_at(appos)
                        info = SourceInfo("named", info.kind, info.person_like, info.plural)
                        if target is not None and target.info is None:
                            target.info = info  # "He" later is the director, an official
                if group is not None:  # "One of them" stands for a person of the group
                    info = SourceInfo(info.naming, info.kind, True, False)
                if info.kind == "other" and head.pos_ == "PROPN":
                    earlier = _same_name(head, seen)
                    if earlier is not None:
                        info = SourceInfo(info.naming, earlier.kind, info.person_like, info.plural)
            cand.naming, cand.kind = info.naming, info.kind
            cand.person_like, cand.plural = info.person_like, info.plural
            resolver.source_mention(cand.antecedent or cand.source, head, info, target)
            name = cand.resolved or self.text[cand.source[0] : cand.source[1]]
            cand.speaker = name.split()[-1].lower() if name.split() else name.lower()
            seen.append(cand)
        # A headline's label names someone the article introduces later ("Water
        # authority: ..." before "the regional water authority said ...").
        for cand in found:
            if cand.label_name and cand.resolved is None and cand.source is not None:
                words = name_words(self.text[cand.source[0] : cand.source[1]])
                later = resolver.resolve_name(words, cand.source, forward=True)
                if later is not None and cand.pattern == "headline_colon":
                    cand.resolved = self.text[later.start : later.end]
                    cand.evidence.add("resolved:name")
                    named = resolver.info_of(later)
                    cand.naming = named.naming
                    if cand.kind == "other":
                        cand.kind = named.kind
        for cand in found:
            if cand.resolved:
                cand.resolved = _POSSESSIVE.sub("", cand.resolved)

    def _partitive_group(
        self, cand: Candidate, head: Token, resolver: Resolver, seen: list[Candidate]
    ) -> str | None:
        """The group a partitive source picks from: "One of them", "one of the people"
        (the nearest plural mention with that noun), bare "One" or "Another" (the group
        of the last such source or the last plural source of people)."""
        low = head.lower_
        if low not in _PARTITIVES:
            return None
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if noun is not None:
            found = resolver.resolve_group(noun, cand.content)
            if found is None:
                return None
            final = found.final()
            # The group as the article gave it, participle and all ("Two people involved
            # in the talks"), up to a comma.
            head_np = final.head
            end = max(final.end, head_np.right_edge.idx + len(head_np.right_edge))
            comma = self.text.find(",", final.start, end)
            return self.text[final.start : comma if comma >= 0 else end].strip()
        if any(c.dep_ in ("compound", "amod") or c.pos_ == "NOUN" for c in head.children):
            return None
        if head.dep_ not in ("nsubj", "nsubjpass") or (head.pos_ == "NUM" and low != "one"):
            return None
        for earlier in reversed(seen):
            if earlier.source is None or cand.source is None:
                continue
            if cand.source[0] - earlier.source[1] > ANTECEDENT_WINDOW:
                break
            if earlier.source_head is not None and earlier.source_head.lower_ in _PARTITIVES:
                return earlier.resolved
            if earlier.plural and earlier.person_like:
                return earlier.resolved or self.text[earlier.source[0] : earlier.source[1]]
        return None

    def _resolve_name(
        self, cand: Candidate, head: Token, resolver: Resolver, first_turn: int
    ) -> Mention | None:
        """The full name behind a short name or a speaker label (see ``_classify_all``)."""
        assert cand.source is not None
        label = self.text[cand.source[0] : cand.source[1]]
        if cand.label_name and cand.pattern == "transcript":
            if label in ("Q", "A"):
                return self._qa_speaker(label, resolver, first_turn)
            person = resolver.possessed_person(label.casefold(), first_turn)
            if person is not None:
                return person
        if cand.label_name:
            words = [w for w in name_words(label) if w not in HONORIFICS]
        else:
            sp = self.doc.char_span(cand.source[0], cand.source[1], alignment_mode="expand")
            short = short_name(sp) if sp is not None else None
            if short is None:
                return None
            words = short
        found = resolver.resolve_name(words, cand.source)
        if found is None and cand.label_name:
            found = resolver.resolve_name(words, cand.source, forward=True)
        titles = cues.UNIQUE_OFFICES | cues.PERSON_NOUNS
        surname = [w for w in words if w not in titles]
        if found is None and cand.pattern == "transcript" and surname and surname != words:
            # "CHIEF INSPECTOR ADEYEMI" for "Chief Inspector Grace Adeyemi of ...".
            found = resolver.resolve_name(surname, cand.source, forward=True)
        return found

    def _qa_speaker(self, label: str, resolver: Resolver, first_turn: int) -> Mention | None:
        """Who "Q" and "A" are (see ``_find_qa_speaker``), once per document."""
        if label not in self._qa:
            self._qa[label] = self._find_qa_speaker(label, resolver, first_turn)
        return self._qa[label]

    def _find_qa_speaker(self, label: str, resolver: Resolver, first_turn: int) -> Mention | None:
        """Who "Q" and "A" are, from the introduction before the first turn: the asker
        is the subject of "put questions to" / "asked" / "interviewed", the one
        answering the first person named that is not the asker."""
        end = self.doc.char_span(0, first_turn, alignment_mode="contract")
        intro = list(end) if end is not None else []
        asker: Token | None = None
        for tok in intro:
            asking = tok.lemma_.lower() in _ASKING or any(
                c.dep_ == "dobj" and c.lemma_.lower() in _ASKING for c in tok.children
            )
            if tok.pos_ == "VERB" and asking:
                asker = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                if asker is not None and asker.pos_ != "PRON":
                    break
                asker = None
        if label == "Q":
            if asker is None:
                return None
            start, end = self._source_span(asker)
            return resolver.mention(
                (start, end), asker, classify_source(self.doc, (start, end), asker)
            )
        body = self.blocks[1].start if len(self.blocks) > 1 else 0  # after the headline
        for m in resolver.entity_mentions():
            if m.start >= first_turn:
                break
            full = len(name_words(self.text[m.start : m.end])) >= 2
            if m.start >= body and m.person and full and (asker is None or m.head.i != asker.i):
                return m
        return None

    def _apposition(self, head: Token) -> SpanRef | None:
        """ "Our economics editor, Lena Fischer, writes": the name set off by commas."""
        for child in head.rights:
            if (
                child.dep_ == "appos"
                and (child.pos_ == "PROPN" or child.ent_type_ == "PERSON")
                and child.left_edge.i > 0
                and self.doc[child.left_edge.i - 1].text == ","
            ):
                return self._source_span(child)
        return None

    def _add_continuations(self, found: list[Candidate]) -> list[Candidate]:
        """A paragraph that is a bare quotation right after a reported one continues
        the same speaker's words (news style: no attribution repeated). After an
        exchange between two speakers that is not so: the quote may be either's, so it
        is left alone, unless three or more turns alternated strictly (A, B, A), which
        makes the next turn B's. Within a paragraph, a quotation right after a tagged
        one ("“...,” she said. “...”") continues it too."""
        found = found + self._continuations_in_block(found)
        found.sort(key=lambda c: (c.content[0], c.cue[0] if c.cue else -1))
        by_block: dict[int, list[Candidate]] = {}
        for cand in found:
            anchor = cand.cue[0] if cand.cue else cand.content[0]
            idx = self._block_index(anchor)
            if idx is not None:
                by_block.setdefault(idx, []).append(cand)
        contents = {c.content for c in found}
        extra: list[Candidate] = []
        previous: Candidate | None = None
        turns: list[tuple[int, str | None]] = []  # (block, speaker) of direct quotes
        for idx, block in enumerate(self.blocks):
            own = by_block.get(idx)
            if own:
                previous = own[-1]
                if self._is_quote(previous.content) and previous.source is not None:
                    turns.append((idx, previous.speaker))
                continue
            lead = next((q for q in self.quotes if q.start == block.start), None)
            if lead is not None and (lead.start, lead.end) in contents:
                continue  # already reported ("X wrote:" before it)
            if previous is None or lead is None or previous.source is None:
                previous = None
                continue
            prev_block = self._block_index(previous.cue[0] if previous.cue else previous.content[0])
            if prev_block != idx - 1:
                previous = None
                continue
            pattern, speaker_cand = "continuation", previous
            exchange = _exchange(turns, idx)
            if exchange is not None:
                if exchange == "unclear":
                    previous = None
                    continue
                other = next(
                    (
                        c
                        for c in reversed(found + extra)
                        if c.speaker == exchange and c.source is not None
                    ),
                    None,
                )
                if other is None:
                    previous = None
                    continue
                pattern, speaker_cand = "dialogue_turn", other
            cont = _continuation(pattern, (lead.start, lead.end), speaker_cand, self._quote_type)
            if pattern == "dialogue_turn":
                cont.evidence.add("exchange")
            extra.append(cont)
            turns.append((idx, cont.speaker))
            previous = cont
        return found + extra

    def _continuations_in_block(self, found: list[Candidate]) -> list[Candidate]:
        """ "“We did not join to do this,” Oksby told reporters. “If it goes to a vote,
        we walk.”": a quotation that follows a tagged one in the same paragraph, after
        only the rest of the tag's sentence, is the same speaker's (``cue`` None); so
        is one right after that, and so on."""
        taken = [c.content for c in found]
        out: list[Candidate] = []
        for cand in found:
            if cand.source is None or cand.cue is None or not self._is_quote(cand.content):
                continue
            block = self._block_of(cand.content[0])
            if block is None:
                continue
            tail_start = max(cand.content[1], cand.cue[1], cand.source[1])
            tail = _TAG_TAIL
            for q in self.quotes:
                if q.open_ended or q.start < tail_start or q.start >= block[1]:
                    continue
                if not tail.fullmatch(self.text[tail_start : q.start]):
                    break
                span = (q.start, q.end)
                if any(t[0] < span[1] and span[0] < t[1] for t in taken):
                    break
                if self.text[tail_start : q.start].rstrip().endswith((",", ":")):
                    # "“We will,” she said, “and soon.”": one quotation the cue
                    # interrupts; both parts are its content.
                    out.append(replace(cand, content=span, evidence=set(cand.evidence)))
                else:
                    out.append(_continuation("continuation", span, cand, self._quote_type))
                taken.append(span)
                tail_start, tail = q.end, _BETWEEN_QUOTES
        return out

    def _mark_nesting(self, found: list[Candidate]) -> None:
        """A report inside another report's content was passed on by the outer source."""
        for cand in found:
            if cand.intermediary or cand.cue is None:
                continue
            outer = [
                o
                for o in found
                if o is not cand
                and o.source is not None
                and o.content[0] <= cand.cue[0]
                and cand.cue[1] <= o.content[1]
                and o.content != cand.content
            ]
            if outer:
                o = min(outer, key=lambda x: x.content[1] - x.content[0])
                assert o.source is not None
                cand.intermediary = self.text[o.source[0] : o.source[1]]


# --- helpers ----------------------------------------------------------------------------


def _finite(comp: Token) -> bool:
    """A finite clause with its own subject ("that the fund had lost ..."), not an
    infinitive or a question ("whether ...")."""
    children = list(comp.children)
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in children):
        return False
    if any(c.dep_ == "mark" and c.lower_ != "that" for c in children):
        return False
    return comp.tag_ in _FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in children
    )


def _verb_forms(verb: Token) -> set[str]:
    """The lemma and crude stems of a verb (the small model lemmatises "texted" as
    "texte")."""
    low = verb.lower_
    return {verb.lemma_.lower(), low, low.removesuffix("ed"), low.removesuffix("d"),
            low.removesuffix("s")}


def _holds_report(clause: Token) -> bool:
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
            and any(c.dep_ == "nsubj" and c.lower_ not in _RELATIVE for c in tok.children)
            and any(c.dep_ in ("ccomp", "parataxis") for c in tok.children)
        ):
            return True
    return False


def _has_that(clause: Token) -> bool:
    """The clause opens with the complementiser "that" (the parser may hang it on an
    auxiliary: "that 95 percent would be vaccinated")."""
    edge = clause.left_edge
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children) or (
        edge.lower_ == "that" and edge.dep_ == "mark"
    )


def _full_clause(tok: Token) -> bool:
    """A clause with its own subject ("it was too early"), or a "that" clause."""
    if _has_that(tok):
        return True
    return tok.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children
    )


def _expand(cand: Candidate) -> list[Candidate]:
    """One candidate per content: a report with two contents ("said A and that B", "A,
    he said, and B") is two attributions sharing source and cue."""
    if not cand.more:
        return [cand]
    more, cand.more = cand.more, []
    return [cand] + [replace(cand, content=span, evidence=set(cand.evidence)) for span in more]


def _cue_inside_content(cand: Candidate) -> bool:
    """A content widened to a quotation that holds its own cue ("'The minister is
    asking ...,' she said" read from "asking") reports nothing about that quotation;
    a cue that interrupts its clause ("X, one lawmaker said, could ...") is inside
    by design."""
    if cand.pattern == "hearsay" or cand.interrupted:  # "reportedly" sits inside too
        return False
    return cand.cue is not None and cand.content[0] <= cand.cue[0] < cand.content[1]


def _tag_agent(subject: Token, agent: str) -> bool:
    """Who can be the subject of a bare speech tag: a person, a name (the small model
    often tags a surname as an organisation), a person noun or a pronoun."""
    return agent in _TAG_AGENTS or (agent == "agent:ORG" and subject.pos_ == "PROPN")


def _byline(verb: Token) -> bool:
    """ "reports for <outlet>", "reported from <place>" with a named writer."""
    if verb.lemma_.lower() not in cues.BYLINE_VERBS:
        return False
    if not any(c.dep_ == "prep" and c.lower_ in cues.BYLINE_PREPS for c in verb.children):
        return False
    return not any(c.dep_ in ("ccomp", "dobj") for c in verb.children)


def _exchange(turns: list[tuple[int, str | None]], idx: int) -> str | None:
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


def _antecedent(noun: Token) -> Token:
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


def _continuation(
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


def _same_name(head: Token, seen: list[Candidate]) -> Candidate | None:
    """An earlier source with the same last name ("Al-Shammari" after "Tariq al-Shammari")."""
    key = head.lower_
    for cand in reversed(seen):
        other = cand.source_head
        if other is not None and other.lower_ == key and cand.kind != "other":
            return cand
    return None


def _cited_source(cue: Token, subject: Token, content_end: int) -> tuple[Token, Token] | None:
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
