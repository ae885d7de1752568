"""Attribution suggestions: who said what, with which cue, and how the source is named.

The suggester is rule based on purpose. Annotators correct its output, so every
suggestion says which rule fired (``rule``) and how sure the rule is (``score``), and
the rules follow the source / cue / content model of PARC 3.0 and PolNeAR that the
label schema uses. A statistical model would need training data; this project is
where that data gets made.

Span conventions (character offsets, code points, end exclusive):

* **source**: the noun phrase of the speaker: head noun with determiners, adjectives,
  compounds, possessives, titles, coordinated nouns and prepositional modifiers, but
  without relative clauses, participial clauses or appositions set off by commas
  ("a senior western diplomat", not "..., whose country is ..."; "Reports at the time";
  "US Secretary of Defense Lloyd Austin"). A pronoun source is the pronoun; its naming
  and kind come from the antecedent. ``None`` for agentless reports ("it was reported
  that ...", "reportedly").
* **cue**: the reporting verb ("said", "told", "quoted"), or "according to", or the
  hearsay adverb. Medium phrases such as "in a statement" are not part of the cue; they
  show in ``rule`` ("+statement") and raise the score.
* **content**: the reported clause or quotation. The complementiser "that" and
  punctuation outside quotation marks are left out; **a quotation keeps its quotation
  marks**, and a content span never splits a quotation (a clause that runs into a quote
  is widened to the closing mark), so a direct quote is exactly ``“...”`` and
  ``quote_type`` can be read off the span.

``attrs`` holds ``naming`` (named / unnamed / vague), ``kind`` (see DESIGN.md; ``other``
when the text does not show it), ``quote_type`` (direct / indirect / mixed) and, for
nested reports ("state media quoted X as saying"), ``intermediary``: the text of the
outlet or speaker that passed the statement on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from annotator.core.blocks import segment
from annotator.nlp import cues
from annotator.nlp.cues import matchers_for
from annotator.nlp.versions import source_digest

SpanRef = tuple[int, int]

#: A hash of the rules' and the lexicon's source, so stored suggestions from older rules
#: are recomputed (see ``nlp/pipeline.py``).
RULES_VERSION = "attribution-" + source_digest("attribution.py", "cues.py", "tokens.py")

#: Base scores per pattern, before the cue verb's weight and adjustments.
RULE_SCORES: dict[str, float] = {
    "quoted_as_saying": 0.9,
    "passive_quoted_as_saying": 0.85,
    "according_to": 0.85,
    "cue_subject": 0.85,
    "citing": 0.85,
    "passive_agent": 0.7,
    "conj_subject": 0.7,
    "passive_agentless": 0.45,
    "continuation": 0.5,
    "hearsay": 0.4,
}
#: Multipliers for how the content was found: a quotation next to a cue is the surest.
CONTENT_FACTORS: dict[str, float] = {
    "quote": 1.05,
    "ccomp": 1.0,
    "parataxis": 0.9,
    "clause": 1.0,
    "object": 0.7,
    "prep": 0.65,
}
_PRIORITY = (
    "quoted_as_saying",
    "passive_quoted_as_saying",
    "according_to",
    "passive_agent",
    "cue_subject",
)
_OPENING = "“«„‘"
_CLOSING = "”»’"
_DOUBLE = '"“”«»„'
_BETWEEN_QUOTE_AND_CUE = re.compile(r"[\s,:;—–-]*")
_PASSIVE_CUES = frozenset({"say", "report", "claim", "allege", "state", "announce", "confirm"})
_FIRST_SECOND_PERSON = frozenset({"i", "we", "you", "me", "us"})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_PLURAL_PRONOUNS = frozenset({"they", "them"})
_THING_PRONOUNS = frozenset({"it", "this", "that"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "both", "its", "their", "his"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
_SOURCE_STOP_DEPS = frozenset({"relcl", "acl", "appos", "advcl", "parataxis", "punct", "ccomp"})
_MASS_NOUNS = frozenset({"media", "press"})  # grammatically plural, one outlet in meaning
_SOURCE_BREAKS = frozenset({",", "(", "[", "—", "–", "--", ";", ":"})
_ANTECEDENT_WINDOW = 2500  # characters: pronouns refer back at most a few paragraphs


@dataclass(frozen=True, slots=True)
class AttributionSuggestion:
    """One suggested ATTRIBUTION: SOURCE -> CONTENT, optionally with its CUE span."""

    source: SpanRef | None
    cue: SpanRef | None
    content: SpanRef
    attrs: dict[str, str]
    score: float
    rule: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation ``[start, end)`` including its marks; ``open_ended`` when a paragraph
    opens a quote that the next paragraph continues (news style for long quotes)."""

    start: int
    end: int
    open_ended: bool = False


@dataclass(slots=True)
class _Candidate:
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
    intermediary: str | None = None
    statement: bool = False
    naming: str = "vague"
    kind: str = "other"
    person_like: bool = False
    plural: bool = False
    quote_type: str = "indirect"
    score: float = 0.0


# --- quotations -----------------------------------------------------------------------


def find_quotes(text: str) -> list[Quote]:
    """Quotations in ``text``, paired within each block, in order.

    Straight double quotes alternate open/close; curly ones say which they are. A block
    that ends inside an open quotation yields an open-ended quote to the block's end
    (the next paragraph will reopen it). Single quotes count only when they clearly
    pair up (``'word ... word'``), since ``’`` is mostly an apostrophe.
    """
    quotes: list[Quote] = []
    for block in segment(text):
        quotes.extend(_block_quotes(text, block.start, block.end))
    return quotes


def _block_quotes(text: str, start: int, end: int) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in _DOUBLE:
            continue
        if ch in "“«„" or (ch == '"' and open_at is None):
            open_at = i
        elif open_at is not None:
            found.append(Quote(open_at, i + 1))
            open_at = None
    if open_at is not None and end - open_at > 1:
        found.append(Quote(open_at, end, open_ended=True))
    found.extend(_single_quotes(text, start, end, found))
    found.sort(key=lambda q: q.start)
    return found


def _single_quotes(text: str, start: int, end: int, doubles: list[Quote]) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in "'‘’" or any(q.start <= i < q.end for q in doubles):
            continue
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if ch in "'‘" and (before.isspace() or before in "([") and after.isalnum():
            open_at = i
        elif ch in "'’" and open_at is not None and not before.isspace() and not after.isalnum():
            found.append(Quote(open_at, i + 1))
            open_at = None
    return found


# --- entry point ----------------------------------------------------------------------


def suggest_attributions(doc: Doc) -> list[AttributionSuggestion]:
    """Attribution suggestions for ``doc``, ordered by content start.

    Needs a dependency parse: with a blank pipeline (no parser) it returns nothing
    rather than guessing, and ``LoadedModel.notice`` tells the user why.
    """
    if not doc.has_annotation("DEP"):
        return []
    finder = _Finder(doc)
    candidates = finder.run()
    return [_to_suggestion(c) for c in candidates]


def _to_suggestion(c: _Candidate) -> AttributionSuggestion:
    attrs = {"naming": c.naming, "kind": c.kind, "quote_type": c.quote_type}
    if c.intermediary:
        attrs["intermediary"] = c.intermediary
    rule = f"{c.pattern}/{c.content_kind}" + ("+statement" if c.statement else "")
    return AttributionSuggestion(c.source, c.cue, c.content, attrs, c.score, rule)


class _Finder:
    """One pass over one document; holds the quotes, blocks and matches it shares."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.quotes = find_quotes(self.text)
        self.open_marks = {q.start for q in self.quotes}
        self.close_marks = {q.end - 1 for q in self.quotes if not q.open_ended}
        self.blocks = segment(self.text)
        self.matchers = matchers_for(doc.vocab)
        self.used: set[int] = set()

    # -- driver --------------------------------------------------------------------

    def run(self) -> list[_Candidate]:
        statement_heads = self._statement_heads()
        found = self._dependency_candidates()
        found += self._subjectless_candidates()
        found += self._hearsay_candidates()
        for cand in found:
            if cand.cue_token is not None and cand.cue_token in statement_heads:
                cand.statement = True
        found = self._drop_embedded_noise(found)
        found.sort(key=lambda c: (c.content[0], c.cue[0] if c.cue else -1))
        self._classify_all(found)
        found = self._add_continuations(found)
        self._mark_nesting(found)
        for cand in found:
            cand.quote_type = self._quote_type(cand.content)
            cand.score = self._score(cand)
        found.sort(key=lambda c: (c.content[0], c.cue[0] if c.cue else -1))
        return found

    # -- matching ------------------------------------------------------------------

    def _dependency_candidates(self) -> list[_Candidate]:
        doc = self.doc
        matches = self.matchers.dependencies(doc)
        rank = {name: i for i, name in enumerate(_PRIORITY)}
        ordered = sorted(
            ((doc.vocab.strings[mid], ids) for mid, ids in matches),
            key=lambda m: (rank.get(m[0], 99), m[1][0], abs(m[1][1] - m[1][0])),
        )
        out: list[_Candidate] = []
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
        return out

    def _from_match(self, name: str, ids: list[int]) -> _Candidate | None:
        doc = self.doc
        cue = doc[ids[0]]
        if _not_asserted(cue):
            return None
        if name == "according_to":
            to, source = doc[ids[1]], doc[ids[2]]
            content = self._according_content(cue, source)
            if content is None:
                return None
            cue_span = (cue.idx, to.idx + len(to))
            return self._candidate(name, "clause", content, cue_span, cue.i, source)
        source = doc[ids[1]]
        if name in ("quoted_as_saying", "passive_quoted_as_saying"):
            saying = doc[ids[-1]]
            found = self._content(cue, source, extra_heads=(saying,))
            if found is None:
                return None
            cand = self._candidate(name, found[1], found[0], _tok_span(cue), cue.i, source)
            cand.intermediary = self._intermediary(cue, name)
            return cand
        if name == "passive_agent":
            source = doc[ids[2]]
        if source.lower_ in _FIRST_SECOND_PERSON:
            return None
        found = self._content(cue, source)
        if found is None:
            return None
        cited = _cited_source(cue, source) if name == "cue_subject" else None
        if cited is not None:
            cand = self._candidate("citing", found[1], found[0], _tok_span(cue), cue.i, cited)
            start, end = self._source_span(source)
            cand.intermediary = self.text[start:end]
        else:
            cand = self._candidate(name, found[1], found[0], _tok_span(cue), cue.i, source)
        cand.weight = cues.SPEECH_VERBS.get(cue.lemma_.lower(), 0.6)
        return cand

    def _subjectless_candidates(self) -> list[_Candidate]:
        """Cue verbs without a subject: coordinated ("described ... and said ...") or
        passive without an agent ("it was reported that ...")."""
        out: list[_Candidate] = []
        for _, start, _end in self.matchers.verbs(self.doc):
            cue = self.doc[start]
            if cue.i in self.used or any(c.dep_ == "nsubj" for c in cue.children):
                continue
            if _not_asserted(cue):
                continue
            lemma = cue.lemma_.lower()
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
            if passive:
                if lemma not in _PASSIVE_CUES:
                    continue
                found = self._content(cue, None, passive=True)
                if found is None:
                    continue
                cand = self._candidate(
                    "passive_agentless", found[1], found[0], _tok_span(cue), cue.i, None
                )
            elif cue.dep_ == "conj":
                subject = self._inherited_subject(cue)
                if subject is None or subject.lower_ in _FIRST_SECOND_PERSON:
                    continue
                found = self._content(cue, subject)
                if found is None:
                    continue
                cand = self._candidate(
                    "conj_subject", found[1], found[0], _tok_span(cue), cue.i, subject
                )
            else:
                continue
            cand.weight = cues.SPEECH_VERBS.get(lemma, 0.6)
            self.used.add(cue.i)
            out.append(cand)
        return out

    def _hearsay_candidates(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        for match_id, start, _end in self.matchers.phrases(self.doc):
            if self.doc.vocab.strings[match_id] != "hearsay_adverb":
                continue
            adverb = self.doc[start]
            sent = adverb.sent
            content = self._trim(sent.start, sent.end)
            if content is None:
                continue
            out.append(
                self._candidate("hearsay", "clause", content, _tok_span(adverb), adverb.i, None)
            )
        return out

    def _statement_heads(self) -> set[int]:
        """Cue tokens that a medium phrase ("in a statement") hangs on."""
        heads: set[int] = set()
        for match_id, start, _end in self.matchers.phrases(self.doc):
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
    ) -> _Candidate:
        source = self._source_span(source_head) if source_head is not None else None
        return _Candidate(pattern, content_kind, content, cue, cue_token, source, source_head)

    # -- sources -------------------------------------------------------------------

    def _source_span(self, head: Token) -> SpanRef:
        """The speaker's noun phrase: left modifiers, then right modifiers up to the
        first clause, apposition or comma."""
        doc = self.doc
        if head.pos_ == "PRON":
            return _tok_span(head)
        start = head.left_edge.i
        end = head.i + 1
        for child in head.rights:
            if child.dep_ in _SOURCE_STOP_DEPS or child.is_space:
                break
            end = child.right_edge.i + 1
        # A comma, bracket or dash inside a modifier opens a clause or an aside:
        # "An analyst at the Brookings Institution, who asked not to be named".
        for i in range(head.i + 1, end):
            if doc[i].text in _SOURCE_BREAKS:
                end = i
                break
        # Two subjects side by side are one name: "Iraq's state news agency INA".
        if head.dep_ == "nsubj":
            for sib in head.head.children:
                if sib is not head and sib.dep_ == "nsubj" and sib.i == start - 1:
                    start = sib.left_edge.i
                elif sib is not head and sib.dep_ == "nsubj" and sib.left_edge.i == end:
                    end = sib.i + 1
        while start < head.i and (doc[start].is_punct or doc[start].is_space):
            start += 1
        while end - 1 > head.i and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])

    def _inherited_subject(self, cue: Token) -> Token | None:
        """The subject of a coordinated cue: prefer an enclosing reporting verb's subject
        ("The diplomat said his country would accept ..., but cautioned ..." is the
        diplomat cautioning), else the first conjunct's subject."""
        node = cue
        first_subject: Token | None = None
        while node.dep_ in ("conj", "ccomp", "xcomp", "advcl") and node.head is not node:
            node = node.head
            subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subject is None:
                continue
            if node.lemma_.lower() in cues.SPEECH_VERBS and node.pos_ in ("VERB", "AUX"):
                return subject
            if first_subject is None and _conj_chain(cue, node):
                first_subject = subject
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
    ) -> tuple[SpanRef, str] | None:
        """Find what was reported, in order of reliability:

        a quotation right next to the reporting clause; the clausal complement; the
        clause a parenthetical cue interrupts ("..., he said, ..."); an object or
        prepositional object for cues that take one ("confirmed meetings ...").
        """
        lemma = cue.lemma_.lower()
        preps = cues.PREP_CONTENT.get(lemma)
        if preps:
            span = self._prep_content(cue, preps)
            if span is not None:
                return span, "prep"
        heads = (cue, *extra_heads)
        comps = [c for h in heads for c in h.children if c.dep_ == "ccomp"]
        quote = self._adjacent_quote(cue, source)
        if comps:
            comp = min(comps, key=lambda c: abs(c.i - cue.i))
            span = self._subtree_content(comp, cue)
            if span is not None:
                span = self._join_quote(span, quote)
                kind = "quote" if self._is_quote(span) else "ccomp"
                return span, kind
        if quote is not None:
            return quote, "quote"
        if cue.dep_ == "parataxis" and not passive:
            span = self._parataxis_content(cue)
            if span is not None:
                return self._join_quote(span, quote), "parataxis"
        if passive:
            subj = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
            xcomp = next((c for c in cue.children if c.dep_ == "xcomp"), None)
            if subj is not None and xcomp is not None and subj.lower_ not in ("it", "this"):
                return self._trim(subj.left_edge.i, xcomp.right_edge.i + 1), "clause"
            return None
        if lemma in cues.NP_CONTENT_VERBS:
            obj = next((c for c in cue.children if c.dep_ == "dobj"), None) or next(
                (c for c in cue.children if c.dep_ == "xcomp" and c.tag_ == "VBG"), None
            )
            if obj is not None:
                right = max(
                    (c.right_edge.i for c in cue.rights if c.dep_ not in ("punct", "conj", "cc")),
                    default=obj.right_edge.i,
                )
                span = self._trim(obj.left_edge.i, right + 1)
                if span is not None:
                    return self._widen_to_quotes(span), "object"
        return None

    def _prep_content(self, cue: Token, preps: frozenset[str]) -> SpanRef | None:
        """ "pointed to X", "warned of X": the prepositional object is the content."""
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in preps), None)
        if prep is None:
            return None
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
        if obj is None:
            return None
        span = self._trim(obj.left_edge.i, obj.right_edge.i + 1)
        return self._widen_to_quotes(span) if span is not None else None

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
                and tok.lemma_.lower() in cues.SPEECH_VERBS
                and tok.pos_ in ("VERB", "AUX")
                and not any(c.dep_ == "nsubj" for c in tok.children)
            ):
                excluded.update(t.i for t in tok.subtree)
        excluded.update(t.i for t in cue.subtree if t.i not in {x.i for x in comp.subtree})
        members = {t.i for t in comp.subtree} - excluded
        lo = hi = comp.i
        while lo - 1 in members:
            lo -= 1
        while hi + 1 in members:
            hi += 1
        span = self._trim(lo, hi + 1)
        return self._widen_to_quotes(span) if span is not None else None

    def _parataxis_content(self, cue: Token) -> SpanRef | None:
        """ "X said, ISIS has failed ...": the host clause minus the cue's own clause."""
        host = cue.head
        inside = {t.i for t in cue.subtree}
        members = sorted(t.i for t in host.subtree if t.i not in inside)
        after = [i for i in members if i > cue.right_edge.i]
        before = [i for i in members if i < cue.left_edge.i]
        side = after if len(after) >= len(before) else before
        if not side:
            return None
        span = self._trim(side[0], side[-1] + 1)
        return self._widen_to_quotes(span) if span is not None else None

    def _according_content(self, according: Token, source: Token) -> SpanRef | None:
        """ "According to X, ..." / "..., according to X.": the rest of the sentence."""
        sent = according.sent
        lo, hi = according.left_edge.i, max(according.right_edge.i, source.right_edge.i)
        before = self._trim(sent.start, lo)
        after = self._trim(hi + 1, sent.end)
        options = [s for s in (before, after) if s is not None]
        if not options:
            return None
        return self._widen_to_quotes(max(options, key=lambda s: s[1] - s[0]))

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
        for q in self.quotes:
            if block is not None and not (block[0] <= q.start < block[1]):
                continue
            if q.end <= left and _BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[q.end : left]):
                return q.start, q.end
            if q.start >= right and _BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[right : q.start]):
                return q.start, q.end
        return None

    # -- span helpers --------------------------------------------------------------

    def _trim(self, lo: int, hi: int) -> SpanRef | None:
        """Token range -> char span without outer spaces, outer punctuation (quotation
        marks of a quote inside the range excepted) and a leading "that"."""
        doc = self.doc
        while lo < hi:
            tok = doc[lo]
            outer_punct = tok.is_punct and tok.idx not in self.open_marks
            complementiser = tok.lower_ == "that" and tok.dep_ == "mark"
            if not (tok.is_space or outer_punct or complementiser):
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

    def _widen_to_quotes(self, span: SpanRef) -> SpanRef:
        """Never split a quotation: widen to cover every quote the span overlaps."""
        start, end = span
        changed = True
        while changed:
            changed = False
            for q in self.quotes:
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
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block.start, block.end
        return None

    # -- post-processing -----------------------------------------------------------

    def _drop_embedded_noise(self, found: list[_Candidate]) -> list[_Candidate]:
        """Drop "it/this" + cue inside another report's content ("said it confirms that
        ..."): there the verb means "shows", not "says"."""
        keep: list[_Candidate] = []
        for cand in found:
            head = cand.source_head
            if (
                head is not None
                and head.lower_ in ("it", "this")
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

    def _classify_all(self, found: list[_Candidate]) -> None:
        """Naming and kind in text order, so pronouns and surnames can look back."""
        seen: list[_Candidate] = []
        for cand in found:
            head = cand.source_head
            if head is None:
                cand.naming, cand.kind = "vague", "other"
            elif head.pos_ == "PRON":
                antecedent = _antecedent(head, seen)
                if antecedent is not None:
                    cand.naming, cand.kind = antecedent.naming, antecedent.kind
                    cand.person_like, cand.plural = antecedent.person_like, antecedent.plural
                    cand.weight *= 0.95
                else:
                    cand.naming, cand.kind = "unnamed", "other"
                    cand.plural = head.lower_ in _PLURAL_PRONOUNS
                    cand.person_like = head.lower_ in _PERSON_PRONOUNS
                    cand.weight *= 0.75
            else:
                assert cand.source is not None
                info = classify_source(self.doc, cand.source, head)
                cand.naming, cand.kind = info.naming, info.kind
                cand.person_like, cand.plural = info.person_like, info.plural
                if cand.kind == "other" and head.pos_ == "PROPN":
                    earlier = _same_name(head, seen)
                    if earlier is not None:
                        cand.kind = earlier.kind
            if cand.source_head is not None:
                seen.append(cand)

    def _add_continuations(self, found: list[_Candidate]) -> list[_Candidate]:
        """A paragraph that is a bare quotation right after a reported one continues
        the same speaker's words (news style: no attribution repeated)."""
        by_block: dict[int, list[_Candidate]] = {}
        for cand in found:
            anchor = cand.cue[0] if cand.cue else cand.content[0]
            idx = self._block_index(anchor)
            if idx is not None:
                by_block.setdefault(idx, []).append(cand)
        extra: list[_Candidate] = []
        previous: _Candidate | None = None
        for idx, block in enumerate(self.blocks):
            own = by_block.get(idx)
            if own:
                previous = own[-1]
                continue
            lead = next((q for q in self.quotes if q.start == block.start), None)
            if previous is None or lead is None or previous.source is None:
                previous = None
                continue
            prev_block = self._block_index(previous.cue[0] if previous.cue else previous.content[0])
            if prev_block != idx - 1:
                previous = None
                continue
            cont = _Candidate(
                "continuation",
                "quote",
                (lead.start, lead.end),
                None,
                None,
                previous.source,
                previous.source_head,
                weight=1.0 if self._quote_type(previous.content) != "indirect" else 0.7,
                intermediary=previous.intermediary,
                naming=previous.naming,
                kind=previous.kind,
                person_like=previous.person_like,
                plural=previous.plural,
            )
            extra.append(cont)
            previous = cont
        return found + extra

    def _block_index(self, offset: int) -> int | None:
        for i, block in enumerate(self.blocks):
            if block.start <= offset < block.end:
                return i
        return None

    def _mark_nesting(self, found: list[_Candidate]) -> None:
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

    def _score(self, cand: _Candidate) -> float:
        score = RULE_SCORES.get(cand.pattern, 0.5)
        score *= CONTENT_FACTORS.get(cand.content_kind, 1.0) * cand.weight
        if cand.statement:
            score += 0.05
        return round(max(0.0, min(1.0, score)), 3)


# --- source classification ------------------------------------------------------------


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
        or bool(_forms(head) & cues.PERSON_NOUNS)
        or kind in ("spokesperson", "expert", "eyewitness")
    ) and head.ent_type_ not in ("ORG", "GPE")
    return SourceInfo(naming, kind, person_like, plural)


def _forms(tok: Token) -> set[str]:
    """Surface, lemma and a crude singular: the small model lemmatises capitalised
    words (sentence-initial "Reports", "Analysts") as proper nouns, unchanged."""
    low = tok.lower_
    forms = {low, tok.lemma_.lower()}
    if low.endswith("ies"):
        forms.add(low[:-3] + "y")
    elif low.endswith("men"):
        forms.add(low[:-3] + "man")
    elif low.endswith("s"):
        forms.add(low[:-1])
    return forms


def _words(tokens: list[Token]) -> set[str]:
    out: set[str] = set()
    for tok in tokens:
        out |= _forms(tok)
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
            _forms(tokens[i + 1]) & cues.STATE_MEDIA_NOUNS
        ):
            return "state_media"
    if "state-run" in lowers or "state-owned" in lowers:
        return "state_media"
    if words & cues.SPOKESPERSON_WORDS:
        return "spokesperson"
    if words & cues.EXPERT_WORDS:
        return "expert"
    head_forms = _forms(head)
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
    head_forms = _forms(head)
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


def _antecedent(pronoun: Token, seen: list[_Candidate]) -> _Candidate | None:
    """The nearest earlier source the pronoun can refer to (number and person agree)."""
    low = pronoun.lower_
    for cand in reversed(seen):
        if cand.source is None or cand.source_head is None:
            continue
        if pronoun.idx - cand.source[1] > _ANTECEDENT_WINDOW:
            return None
        if cand.source[0] >= pronoun.idx:
            continue
        if low in _PERSON_PRONOUNS and cand.person_like and not cand.plural:
            return cand
        if low in _PLURAL_PRONOUNS and (cand.plural or not cand.person_like):
            return cand
        if low in _THING_PRONOUNS and not cand.person_like and not cand.plural:
            return cand
    return None


def _same_name(head: Token, seen: list[_Candidate]) -> _Candidate | None:
    """An earlier source with the same last name ("Al-Shammari" after "Tariq al-Shammari")."""
    key = head.lower_
    for cand in reversed(seen):
        other = cand.source_head
        if other is not None and other.lower_ == key and cand.kind != "other":
            return cand
    return None


def _cited_source(cue: Token, subject: Token) -> Token | None:
    """ "Reuters, citing two security sources, reported ...": the cited party is the
    source and the subject passed it on. Only a speaker-like object counts ("citing
    the defeat of ISIS" cites a reason, not a source). The parser hangs the participle
    on the verb (advcl) or on the subject (acl)."""
    participles = [c for c in cue.children if c.dep_ == "advcl"]
    participles += [c for c in subject.children if c.dep_ == "acl"]
    for child in participles:
        if child.lemma_.lower() not in cues.QUOTING_VERBS:
            continue
        obj = next((c for c in child.children if c.dep_ == "dobj"), None)
        if obj is None:
            continue
        speakerish = cues.PERSON_NOUNS | cues.VAGUE_HEADS | cues.INSTITUTIONS | cues.DOCUMENT_NOUNS
        if _forms(obj) & speakerish or obj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return obj
    return None


def _not_asserted(cue: Token) -> bool:
    """ "did not say", "if X had announced": no content is attributed."""
    return any(
        (c.dep_ == "neg") or (c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"))
        for c in cue.children
    )


def _conj_chain(start: Token, target: Token) -> bool:
    node = start
    while node.dep_ == "conj" and node.head is not node:
        node = node.head
        if node is target:
            return True
    return False


def _tok_span(tok: Token) -> SpanRef:
    return tok.idx, tok.idx + len(tok)
