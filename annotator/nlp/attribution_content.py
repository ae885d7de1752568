"""Where a reported content begins and ends: clauses, objects, infinitives, parentheticals,
coordination.

One part of the attribution finder (:class:`annotator.nlp.attribution_finder.Finder`
is made of these parts; each reads the state of one pass over one document, declared in
:class:`annotator.nlp.attribution_candidate.FinderState`).
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp import cues
from annotator.nlp.attribution_candidate import Around, Candidate, FinderState, SpanRef
from annotator.nlp.attribution_grammar import (
    BETWEEN_QUOTE_AND_CUE,
    CONTRAST_MARKS,
    NAMING_COMPS,
    NOT_CLAUSE_CORE,
    OWN_REPORT_CLASSES,
    finite,
    full_clause,
    has_that,
    holds_report,
)
from annotator.nlp.attribution_sources import agent_feature, forms


class ContentSpans(FinderState):
    """Where a reported content begins and ends: clauses, objects, infinitives,
    parentheticals, coordination."""

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
                or has_that(c)  # "found that only one in four ... walks" (tagged a noun)
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
            (c for c in cue.children if c.dep_ in NAMING_COMPS and c.i > cue.i), None
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
                if tok.dep_ in ("acl", "relcl", "ccomp") and has_that(tok) and finite(tok):
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
        if quote[0] >= span[1] and BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[span[1] : quote[0]]):
            return span[0], quote[1]
        if quote[1] <= span[0] and BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[quote[1] : span[0]]):
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
                    cues.CUE_VERBS[tok.lemma_.lower()][0] in OWN_REPORT_CLASSES
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
                and holds_report(tok)
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
                c.dep_ == "mark" and c.lower_ in CONTRAST_MARKS for c in child.children
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
            (c for c in host.children if c.dep_ == "conj" and c.i > hi and full_clause(c)),
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
                c.i > hi and c.dep_ not in NOT_CLAUSE_CORE for c in host.children
            )
            if subject is not None and subject.i < lo and goes_on:
                span = self._trim(before[0], after[-1] + 1)
                return ([self._widen_to_quotes(span)], True) if span is not None else None
        side = after if len(after) >= len(before) else before
        if not side:
            return None
        span = self._trim(side[0], side[-1] + 1)
        return ([self._widen_to_quotes(span)], False) if span is not None else None

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
            and has_that(c)
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
