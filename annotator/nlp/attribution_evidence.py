"""The evidence vocabulary of attribution suggestions, and the score made from it.

Why a fixed vocabulary: every suggestion records the features that fired
(``attrs["evidence"]``), and a learned re-scorer will later read them as one-hot
features. That only works if the strings are few, stable and documented, so they are
listed here once and the finder may emit nothing else (a test checks it). The score
is still set by hand from the same evidence, so what an annotator sees next to a
suggestion ("cue_subject/ccomp", 0.85) and what a model would learn from agree.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The construction that fired, with its base score. The key is also the first part
#: of the suggestion's ``rule`` ("<form>/<content kind>[+statement]").
FORM_SCORES: dict[str, float] = {
    "quoted_as_saying": 0.9,  # "state media quoted X as saying ..."
    "passive_quoted_as_saying": 0.85,  # "X was quoted as saying ..."
    "according_to": 0.85,  # "according to X, ..."
    "cue_subject": 0.85,  # listed cue verb with its subject: "X said ..."
    "citing": 0.85,  # "Reuters, citing two sources, reported ..."
    "relative": 0.8,  # "X, who said ..."
    "participle": 0.75,  # "X rejected the plan, saying ..."
    "passive_agent": 0.7,  # "... was announced by X"
    "conj_subject": 0.7,  # "X said ... and added that ..."
    "transcript": 0.75,  # "SMITH: ..." in a document with speaker lines
    "dash_tag": 0.7,  # a quote then "— Name"
    "nominal": 0.65,  # "X's statement that ...", "the claim by X that ..."
    "headline_colon": 0.6,  # "Name: words" on a line of its own
    "unlisted_subject": 0.55,  # unlisted verb + finite clause + human subject
    "unlisted_tag": 0.5,  # "'...,' X interjected": unlisted verb beside a quote
    "continuation": 0.5,  # a quote paragraph continuing the previous speaker
    "passive_agentless": 0.45,  # "it was reported that ..."
    "dialogue_turn": 0.4,  # an unattributed turn in a clearly alternating exchange
    "hearsay": 0.4,  # "reportedly"
}

#: How the content was found, as a multiplier: a quotation next to a cue is the surest.
CONTENT_FACTORS: dict[str, float] = {
    "quote": 1.05,  # a quotation beside the cue
    "ccomp": 1.0,  # the cue's clausal complement
    "clause": 1.0,  # the rest of the sentence ("according to", passive subject + to-clause)
    "parataxis": 0.9,  # the clause a parenthetical cue interrupts
    "next_block": 0.9,  # "X wrote:" then the next paragraph
    "line": 0.9,  # the rest of a "Name: ..." line
    "xcomp": 0.8,  # an infinitive: "vowed to rebuild", "urged X to leave"
    "object": 0.7,  # a noun phrase object: "confirmed meetings ..."
    "prep": 0.65,  # a prepositional object: "called for an inquiry"
}

#: Multipliers for other evidence (absent = 1.0).
FACTORS: dict[str, float] = {
    "resolved:pronoun": 0.95,
    "unresolved:pronoun": 0.75,
    "agent:other": 0.95,
}
#: Additions for other evidence.
BONUSES: dict[str, float] = {"medium:statement": 0.05}

EVIDENCE: tuple[str, ...] = (
    # which construction fired (one per suggestion)
    *(f"form:{name}" for name in FORM_SCORES),
    # what the cue is: a verb of a lexicon class, an unlisted verb, or another cue
    "lexicon:speech",
    "lexicon:dialogue",
    "lexicon:cognition",
    "lexicon:intention",
    "lexicon:request",
    "lexicon:evidence",
    "cue:unlisted",
    "cue:weak",
    "cue:noun",
    "cue:punct",
    "cue:phrase",
    "cue:adverb",
    "cue:none",
    "cue:learnt",  # a word the team marks as a cue (nlp.attribution_learning), no rule
    # how the content was found (one per suggestion), and a "that" complementiser
    *(f"content:{kind}" for kind in CONTENT_FACTORS),
    "content:that",
    # what the source's head is (one per suggestion)
    "agent:PERSON",
    "agent:ORG",
    "agent:GPE",
    "agent:NORP",
    "agent:propn",
    "agent:person_noun",
    "agent:institution",
    "agent:document",
    "agent:pronoun",
    "agent:other",
    "agent:none",
    # pronoun and definite description sources
    "resolved:pronoun",
    "resolved:description",
    "resolved:name",
    "resolved:relative",
    "unresolved:pronoun",
    # the rest
    "medium:statement",
    "nested",
    "exchange",
)
"""Every string that may appear in ``attrs["evidence"]``, in a fixed order.

* ``form:<name>``: the construction (see ``FORM_SCORES``); exactly one.
* ``lexicon:<class>``: the cue verb is listed in that class of
  ``resources/attribution/cues.toml``; ``cue:unlisted`` a verb found by structure only;
  ``cue:weak`` a listed verb with a weight under 0.8 (frequent non-reporting senses);
  ``cue:noun`` a nominal cue, ``cue:punct`` a colon or dash, ``cue:phrase`` "according
  to", ``cue:adverb`` "reportedly", ``cue:none`` no cue (continuations, dialogue turns).
* ``content:<kind>``: how the content was found (see ``CONTENT_FACTORS``); exactly one;
  ``content:that`` when the clause has the complementiser "that".
* ``agent:<type>``: the source's head: a named entity of that type, a bare proper noun,
  a person noun ("diplomat"), an institution or outlet, a document ("report", "poll"),
  a pronoun, anything else, or no source; exactly one.
* ``resolved:pronoun`` / ``resolved:description``: the source was resolved to an
  earlier named mention (``attrs["resolved"]``); ``unresolved:pronoun``: it was not;
  ``resolved:name``: a short name, speaker label or role with a name in apposition
  was resolved to the full name; ``resolved:relative``: a relative pronoun ("who")
  to the noun it modifies.
* ``medium:statement``: "in a statement", "at a news conference" hangs on the cue.
* ``nested``: the statement was passed on by an intermediary.
* ``exchange``: the quote is a turn in a dialogue of alternating speakers.
"""

_KNOWN = frozenset(EVIDENCE)


def score(form: str, content_kind: str, weight: float, evidence: Iterable[str]) -> float:
    """The suggestion's score: the form's base score times the content factor, the cue
    word's weight and the other evidence's factors, plus bonuses, within [0, 1]."""
    value = FORM_SCORES.get(form, 0.5) * CONTENT_FACTORS.get(content_kind, 1.0) * weight
    bonus = 0.0
    for item in evidence:
        value *= FACTORS.get(item, 1.0)
        bonus += BONUSES.get(item, 0.0)
    return round(max(0.0, min(1.0, value + bonus)), 3)


def check(evidence: Iterable[str]) -> list[str]:
    """The evidence in vocabulary order, refusing strings outside the vocabulary (a
    typo would silently become a feature no model has seen)."""
    items = set(evidence)
    unknown = items - _KNOWN
    if unknown:
        raise ValueError(f"evidence outside the vocabulary: {sorted(unknown)}")
    return [e for e in EVIDENCE if e in items]
