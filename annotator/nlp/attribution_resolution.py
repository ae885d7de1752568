"""The source span and who it is: noun phrase bounds, naming and kind, pronouns, short
names, Q&A labels, partitives.

One part of the attribution finder (:class:`annotator.nlp.attribution_finder.Finder`
is made of these parts; each reads the state of one pass over one document, declared in
:class:`annotator.nlp.attribution_candidate.FinderState`).
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp import cues
from annotator.nlp.attribution_candidate import Candidate, FinderState, SpanRef
from annotator.nlp.attribution_grammar import (
    ASKING,
    PARTITIVES,
    POSSESSIVE,
    SOURCE_BREAKS,
    SOURCE_STOP_DEPS,
    other_script,
    same_name,
    tok_span,
)
from annotator.nlp.attribution_sources import (
    ANTECEDENT_WINDOW,
    HONORIFICS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    THING_PRONOUNS,
    Mention,
    Resolver,
    SourceInfo,
    classify_source,
    forms,
    is_description,
    name_words,
    short_name,
)


class SourceResolution(FinderState):
    """The source span and who it is: noun phrase bounds, naming and kind, pronouns, short
    names, Q&A labels, partitives."""

    # -- sources -------------------------------------------------------------------

    def _source_span(self, head: Token) -> SpanRef:
        """The speaker's noun phrase: left modifiers, then right modifiers up to the
        first clause, apposition or comma. A name in apposition with no comma is part
        of it ("Councillor Omar Haddad"), and so is the name written again in another
        script in brackets ("Omar Haddad (عمر حداد)")."""
        doc = self.doc
        if head.pos_ == "PRON":
            return tok_span(head)
        start = head.left_edge.i
        end = head.i + 1
        for child in head.rights:
            if child.dep_ == "appos" and child.left_edge.i == end and child.pos_ == "PROPN":
                end = child.right_edge.i + 1  # "Councillor Omar Haddad": one name
                continue
            if child.dep_ in SOURCE_STOP_DEPS or child.is_space:
                break
            end = child.right_edge.i + 1
        kept_bracket = -1
        # A comma, bracket or dash inside a modifier opens a clause or an aside:
        # "An analyst at the Brookings Institution, who asked not to be named".
        i = head.i + 1
        while i < end:
            if doc[i].text == "(":
                close = self._bracket_end(i)
                if close is not None and other_script(list(doc[i + 1 : close])):
                    kept_bracket = close
                    i = close + 1
                    continue
            if doc[i].text in SOURCE_BREAKS:
                end = i
                break
            i += 1
        if end < len(doc) and doc[end].text == "(":
            close = self._bracket_end(end)
            if close is not None and other_script(list(doc[end + 1 : close])):
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

    def _resolved_to(self, cand: Candidate, target: Mention, how: str) -> Mention:
        """Record that ``cand``'s source stands for ``target`` (found through ``how``:
        a pronoun, a description, a name) and return the mention it finally names."""
        final = target.final()
        cand.resolved = self.text[final.start : final.end]
        cand.evidence.add(f"resolved:{how}")
        return final

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
                    info = resolver.info_of(self._resolved_to(cand, target, "pronoun"))
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
                        info = resolver.info_of(self._resolved_to(cand, target, "description"))
                elif cand.antecedent is None:
                    target = self._resolve_name(cand, head, resolver, first_turn)
                    if target is not None:
                        # A short name or label takes the naming and kind of the name.
                        named = resolver.info_of(self._resolved_to(cand, target, "name"))
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
                    earlier = same_name(head, seen)
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
                cand.resolved = POSSESSIVE.sub("", cand.resolved)

    def _partitive_group(
        self, cand: Candidate, head: Token, resolver: Resolver, seen: list[Candidate]
    ) -> str | None:
        """The group a partitive source picks from: "One of them", "one of the people"
        (the nearest plural mention with that noun), bare "One" or "Another" (the group
        of the last such source or the last plural source of people)."""
        low = head.lower_
        if low not in PARTITIVES:
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
            if earlier.source_head is not None and earlier.source_head.lower_ in PARTITIVES:
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
            asking = tok.lemma_.lower() in ASKING or any(
                c.dep_ == "dobj" and c.lemma_.lower() in ASKING for c in tok.children
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
