""""According to X": the phrase, the clause it reports, and the object the parser hung
elsewhere.

One part of the attribution finder (:class:`annotator.nlp.attribution_finder.Finder`
is made of these parts; each reads the state of one pass over one document, declared in
:class:`annotator.nlp.attribution_candidate.FinderState`).
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.attribution_candidate import Around, Candidate, FinderState


class AccordingTo(FinderState):
    """"According to X": the phrase, the clause it reports, and the object the parser hung
    elsewhere."""

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
