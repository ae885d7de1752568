"""Reports that continue: a quotation after a tagged one, nested reports, and the noise
dropped after the pass.

One part of the attribution finder (:class:`annotator.nlp.attribution_finder.Finder`
is made of these parts; each reads the state of one pass over one document, declared in
:class:`annotator.nlp.attribution_candidate.FinderState`).
"""

from __future__ import annotations

from dataclasses import replace

from annotator.nlp.attribution_candidate import Candidate, FinderState, SpanRef
from annotator.nlp.attribution_grammar import (
    BETWEEN_QUOTES,
    TAG_TAIL,
    byline,
    continuation,
    exchange_of,
)
from annotator.nlp.attribution_sources import PERSON_PRONOUNS, PLURAL_PRONOUNS


class Continuations(FinderState):
    """Reports that continue: a quotation after a tagged one, nested reports, and the noise
    dropped after the pass."""

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
            exchange = exchange_of(turns, idx)
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
            cont = continuation(pattern, (lead.start, lead.end), speaker_cand, self._quote_type)
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
            tail = TAG_TAIL
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
                    out.append(continuation("continuation", span, cand, self._quote_type))
                taken.append(span)
                tail_start, tail = q.end, BETWEEN_QUOTES
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
                if cue is not None and cue.pos_ in ("VERB", "AUX") and byline(cue):
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
            (t.head.i < sp.start or t.head.i >= sp.end or t.head.i == t.i) and byline(t)
            for t in sp
        )
