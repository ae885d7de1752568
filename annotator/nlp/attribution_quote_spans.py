"""Quotations as contents: a tag beside a quote, a clause widened to its closing mark, the
quote type.

One part of the attribution finder (:class:`annotator.nlp.attribution_finder.Finder`
is made of these parts; each reads the state of one pass over one document, declared in
:class:`annotator.nlp.attribution_candidate.FinderState`).
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.attribution_candidate import FinderState, SpanRef
from annotator.nlp.attribution_grammar import BETWEEN_QUOTE_AND_CUE


class QuoteSpans(FinderState):
    """Quotations as contents: a tag beside a quote, a clause widened to its closing mark,
    the quote type."""

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
            if q.end <= left and BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[q.end : left]):
                if self.text[q.end - 2] == "." and first.text[:1].isupper():
                    continue  # '... neighbour." Oskarian television described ...': a new sentence
                return q.start, q.end
            if q.start >= right and BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[right : q.start]):
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

    def _in_quote(self, offset: int) -> bool:
        return any(q.start <= offset < q.end for q in self.quotes)
