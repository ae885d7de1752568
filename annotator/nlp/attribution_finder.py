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

from bisect import bisect_right

from spacy.tokens import Doc

from annotator.core.blocks import segment
from annotator.nlp import attribution_evidence as ev
from annotator.nlp import attribution_layout as layout
from annotator.nlp import cues
from annotator.nlp.attribution_according import AccordingTo
from annotator.nlp.attribution_candidate import Around, Candidate, SpanRef
from annotator.nlp.attribution_content import ContentSpans
from annotator.nlp.attribution_continuations import Continuations
from annotator.nlp.attribution_grammar import cue_inside_content, expand, tok_span
from annotator.nlp.attribution_quote_spans import QuoteSpans
from annotator.nlp.attribution_quotes import find_quotes
from annotator.nlp.attribution_reported import ReportedSpeech
from annotator.nlp.attribution_resolution import SourceResolution
from annotator.nlp.attribution_sources import Mention, agent_feature
from annotator.nlp.cues import matchers_for

__all__ = ["Candidate", "Finder"]


class Finder(ReportedSpeech, AccordingTo, ContentSpans, QuoteSpans, SourceResolution,
             Continuations):
    """One pass over one document; holds the quotes, blocks and matches it shares.

    The constructions, content bounds and source resolution live in the parts it is made
    of, one module each: ``attribution_reported`` (cue verbs, nouns and adjectives with
    their agents), ``attribution_according`` ("according to X"), ``attribution_content``
    (where a content begins and ends), ``attribution_quote_spans`` (quotations as
    contents), ``attribution_resolution`` (the source span, its naming and who it is)
    and ``attribution_continuations`` (continued quotations, nesting, noise dropped).
    Shared word classes and token tests are in ``attribution_grammar``."""

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
        found = [c for c in found if not cue_inside_content(c)]
        for cand in found:
            self._split_coordination(cand)
        found = [part for cand in found for part in expand(cand)]
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
            if cand.cue != tok_span(verb) or verb.i + 1 >= len(self.doc):
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
