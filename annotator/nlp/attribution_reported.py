"""Reported speech: a cue verb, noun or adjective with its agent, read from the dependency
parse.

One part of the attribution finder (:class:`annotator.nlp.attribution_finder.Finder`
is made of these parts; each reads the state of one pass over one document, declared in
:class:`annotator.nlp.attribution_candidate.FinderState`).
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp import cues
from annotator.nlp.attribution_candidate import Candidate, FinderState, SpanRef
from annotator.nlp.attribution_grammar import (
    BELIEF_COPULAS,
    BETWEEN_QUOTE_AND_CUE,
    FIRST_SECOND_PERSON,
    PRIORITY,
    RELATIVE,
    TAG_BLOCKERS,
    UNLISTED_AGENTS,
    UNREALISED_MODALS,
    WH_TAGS,
    antecedent_of,
    cited_source,
    conj_chain,
    cue_lexicon,
    finite,
    has_that,
    tag_agent,
    tok_span,
    verb_forms,
)
from annotator.nlp.attribution_sources import HUMAN_AGENTS, THING_PRONOUNS, agent_feature


class ReportedSpeech(FinderState):
    """Reported speech: a cue verb, noun or adjective with its agent, read from the
    dependency parse."""

    # -- matching ------------------------------------------------------------------

    def _dependency_candidates(self) -> list[Candidate]:
        doc = self.doc
        matches = self.matchers.dependencies(doc)
        rank = {name: i for i, name in enumerate(PRIORITY)}
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
        lex, weight = cue_lexicon(lemma) if lemma in cues.CUE_VERBS else ("lexicon:speech", 1.0)
        if name in ("quoted_as_saying", "passive_quoted_as_saying"):
            saying = doc[ids[-1]]
            found = self._content(cue, source, extra_heads=(saying,))
            if found is None:
                return None
            cand = self._candidate(name, found[1], found[0], tok_span(cue), cue.i, source)
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
        if source.lower_ in RELATIVE and source.tag_ in WH_TAGS | {"DT"}:
            # "Ortiz, who said ...": the relative pronoun is the source and stands for
            # the noun it modifies (its antecedent, which the rules read as the agent).
            modified = cue.head
            if modified.lower_ == "according":  # "according to X, who said ..."
                to = next((c for c in modified.children if c.lower_ == "to"), None)
                if to is not None:
                    modified = next((c for c in to.children if c.dep_ == "pobj"), modified)
            if cue.dep_ != "relcl" or modified.pos_ not in ("NOUN", "PROPN"):
                return None
            relative, source, pattern = source, antecedent_of(modified), "relative"
        if source.lower_ in FIRST_SECOND_PERSON:
            return None
        cls = lex.split(":", 1)[1]
        if lemma in cues.NAMING_VERBS and self._naming_content(cue) is not None:
            cls = "speech"  # "what it called speculation" says something
        if not self._agent_fits(cls, source, lemma):
            return None
        found = self._content(cue, source, cls=cls)
        if found is None:
            return None
        cited = cited_source(cue, source, found[0][1]) if name == "cue_subject" else None
        if cited is not None and cited[0].i < cue.i:
            # "Reuters, citing two security sources, reported ...": the cited party is
            # the source, the subject passed it on.
            cand = self._candidate("citing", found[1], found[0], tok_span(cue), cue.i, cited[1])
            self._take_pending(cand)
            start, end = self._source_span(source)
            cand.intermediary = self.text[start:end]
            self.used.add(cited[0].i)
        else:
            cand = self._candidate(pattern, found[1], found[0], tok_span(cue), cue.i, source)
            self._take_pending(cand)
            if relative is not None:
                cand.antecedent = cand.source
                cand.source = tok_span(relative)
        cand.weight = weight
        cand.cue_evidence = lex
        self._note_that(cand, cue)
        if cited is not None and cited[0].i > cue.i:
            # "X reported ..., citing Y": two reports of one content, X's and Y's (by
            # way of X).
            participle, obj = cited
            extra = self._candidate(
                "citing", found[1], found[0], tok_span(participle), participle.i, obj
            )
            extra.intermediary = self.text[cand.source[0] : cand.source[1]] if cand.source else None
            extra.cue_evidence = cue_lexicon(participle.lemma_.lower())[0]
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
            lex, weight = cue_lexicon(lemma)
            cls = lex.split(":", 1)[1]
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
            participle = cue.tag_ == "VBG" and (
                cue.dep_ in ("advcl", "xcomp", "acl")
                or (cue.dep_ == "pcomp" and cue.head.lower_ == "by")  # "opens by saying"
            )
            if participle and lemma in cues.QUOTING_VERBS:
                continue  # "..., citing two sources": see ``cited_source``
            to_say = (
                cue.dep_ == "xcomp"
                and verb_forms(cue.head) & cues.TO_SAY_HOSTS
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
                    "passive_agentless", found[1], found[0], tok_span(cue), cue.i, None
                )
            elif to_say:
                # "One listener has texted to say ...": the cue is the whole phrase.
                subject = next((c for c in cue.head.children if c.dep_ == "nsubj"), None)
                if subject is None or subject.lower_ in FIRST_SECOND_PERSON:
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
                if subject is None or subject.lower_ in FIRST_SECOND_PERSON:
                    continue
                if subject.lower_ in RELATIVE and subject.head.dep_ == "relcl":
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
                    pattern, found[1], found[0], tok_span(cue), cue.i, subject
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
            if subject is None or subject.lower_ in FIRST_SECOND_PERSON:
                continue
            if subject.lower_ in THING_PRONOUNS or subject.lower_ in RELATIVE:
                continue
            agent = agent_feature(subject)
            if agent not in UNLISTED_AGENTS or self._not_asserted(tok):
                continue
            quote = self._tag_quote(tok, subject) if tag_agent(subject, agent) else None
            if quote is not None and not any(
                c.dep_ in TAG_BLOCKERS and not quote[0] <= c.idx < quote[1] for c in tok.children
            ):
                cand = self._candidate("unlisted_tag", "quote", quote, tok_span(tok), tok.i, subject)
                cand.cue_evidence = "cue:unlisted"
                self.used.add(tok.i)
                out.append(cand)
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp" and finite(c)), None)
            if comp is not None:
                span = self._subtree_content(comp, tok)
                if span is None:
                    continue
                span = self._join_quote(span, self._adjacent_quote(tok, subject))
                kind = "quote" if self._is_quote(span) else "ccomp"
                cand = self._candidate("unlisted_subject", kind, span, tok_span(tok), tok.i, subject)
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
            if q.end <= left and BETWEEN_QUOTE_AND_CUE.fullmatch(self.text[q.end : left]):
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
            if agent is None or agent.lower_ in FIRST_SECOND_PERSON | {"my", "our", "your"}:
                continue
            if tok.dep_ == "nsubj" and tok.head.lemma_.lower() == "be":
                holders.append(tok.head)  # "The council's answer ... was that ..."
            clause = next(
                (
                    c
                    for h in holders
                    for c in h.children
                    if c.dep_ in ("acl", "ccomp", "appos", "relcl", "attr") and has_that(c)
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
            cand = self._candidate("nominal", "ccomp", span, tok_span(tok), tok.i, agent)
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
            if verb.lemma_.lower() not in BELIEF_COPULAS or self._not_asserted(verb):
                continue
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is None or subject.lower_ in FIRST_SECOND_PERSON | RELATIVE:
                continue
            if not self._agent_fits("cognition", subject, tok.lower_):
                continue
            comp = next(
                (c for c in tok.children if c.dep_ == "ccomp" and (finite(c) or has_that(c))),
                None,
            )
            span = self._subtree_content(comp, tok) if comp is not None else None
            if span is None:
                continue
            cand = self._candidate("cue_subject", "ccomp", span, tok_span(tok), tok.i, subject)
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
            cand = self._candidate("hearsay", "clause", content, tok_span(adverb), adverb.i, None)
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
            or (c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ in UNREALISED_MODALS)
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
        return sent[0].tag_ in WH_TAGS or (subject is not None and subject.tag_ in WH_TAGS)

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
            if first_subject is None and conj_chain(cue, node):
                if subject.lower_ in FIRST_SECOND_PERSON:
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
