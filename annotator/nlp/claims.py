"""Claim suggestions: sentences that state something a fact-checker could verify.

Why sentence level: ClaimBuster-style check-worthiness is judged per sentence, and a
sentence is the unit an annotator can accept or trim with one keystroke. The score is
a transparent sum of features rather than a trained model (there is no labelled data
yet; this tool produces it), so ``rule`` lists the features that fired and an
annotator can see why a sentence was suggested.

Features (weights in ``WEIGHTS``): figures (numbers, quantities, percentages, money),
dates and times, named actors (organisations, places, people, nationalities),
comparisons (comparatives, superlatives, "more than"), a factual/event verb or a past
tense, and a reporting cue ("said", "according to": a reported statement is still a
claim that can be checked against its source). Hedges ("may", "could") and a missing
finite verb (headline fragments, "Engine: 3.0-litre turbo") count against.

Excluded outright: questions, imperatives (promo text such as "Follow the latest
news", "Text the following numbers"), first-person opinion ("I think", "we believe",
"in my view") and sentences of fewer than ``MIN_WORDS`` words.

Thresholds: a sentence is suggested when its score is at least ``EMIT_THRESHOLD``
(0.4); it is marked ``checkworthy: yes`` from ``CHECKWORTHY_THRESHOLD`` (0.6) and
``no`` below, i.e. a factual statement worth a CLAIM span but not a priority to check.
On the three sample articles 0.4 keeps the factual sentences of the article body and
drops most sidebar and widget lines; 0.6 needs, roughly, a figure or a date plus an actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from annotator.nlp import cues
from annotator.nlp.versions import claims_files, digest

#: A hash of the features, weights and thresholds, and of the speech verbs they read
#: (``versions.claims_files``; see ``nlp/pipeline.py``).
RULES_VERSION = "claims-" + digest(claims_files())

EMIT_THRESHOLD = 0.4
CHECKWORTHY_THRESHOLD = 0.6
MIN_WORDS = 4

WEIGHTS: dict[str, float] = {
    "base": 0.2,
    "figure": 0.25,
    "percent_money": 0.05,
    "date": 0.1,
    "actor": 0.15,
    "actors": 0.05,
    "comparison": 0.1,
    "event": 0.1,
    "reported": 0.05,
    "hedge": -0.1,
    "fragment": -0.3,
    "normative": -0.1,
}

#: Verbs of events and measurable change: their sentences report what happened.
EVENT_VERBS: frozenset[str] = frozenset(
    {
        "kill",
        "injure",
        "wound",
        "die",
        "launch",
        "attack",
        "strike",
        "fire",
        "form",
        "found",
        "rise",
        "fall",
        "increase",
        "decrease",
        "decline",
        "double",
        "grow",
        "drop",
        "agree",
        "approve",
        "sign",
        "vote",
        "pass",
        "withdraw",
        "deploy",
        "station",
        "provide",
        "deliver",
        "seize",
        "capture",
        "defeat",
        "arrest",
        "elect",
        "appoint",
        "spend",
        "pledge",
        "raise",
        "cost",
        "reach",
        "comprise",
        "lead",
        "host",
        "retaliate",
        "collapse",
        "escalate",
        "meet",
        "begin",
        "end",
        "hold",
        "announce",
    }
)
_ACTOR_ENTS = frozenset({"ORG", "GPE", "PERSON", "NORP", "LOC", "FAC", "EVENT", "LAW"})
_FIGURE_ENTS = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"})
_DATE_ENTS = frozenset({"DATE", "TIME"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_HEDGES = frozenset({"may", "might", "could", "perhaps", "possibly"})
_NORMATIVE = frozenset({"should", "ought", "must"})
_OPINION_VERBS = frozenset({"think", "believe", "feel", "hope", "guess", "suppose", "reckon"})
_FIRST_PERSON = frozenset({"i", "we"})
_OPINION_PHRASES = re.compile(
    r"\b(in my (opinion|view)|i think|we think|i believe|to me|"
    r"(would|would've|would have|'d) been better)\b",
    re.I,
)
_MONTHS = re.compile(
    r"^(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)$",
    re.I,
)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_LEADING_MARKERS = re.compile(r"^[\s•·*▪●◦–—-]+")


@dataclass(frozen=True, slots=True)
class ClaimSuggestion:
    """A suggested CLAIM span ``[start, end)`` (one sentence) with its check-worthiness."""

    start: int
    end: int
    score: float
    rule: str
    attrs: dict[str, str] = field(default_factory=dict)


def suggest_claims(doc: Doc, threshold: float = EMIT_THRESHOLD) -> list[ClaimSuggestion]:
    """Sentences of ``doc`` scoring at least ``threshold``, in text order.

    Works with any pipeline that sets sentence boundaries; without NER or a tagger the
    figure/date/actor features fall back to token shapes (digits, month names, years,
    capitalised words inside the sentence), so a blank pipeline still gets suggestions.
    """
    if not doc.has_annotation("SENT_START"):
        return []
    found: list[ClaimSuggestion] = []
    for sent in doc.sents:
        scored = score_sentence(sent)
        if scored is None:
            continue
        score, features = scored
        if score < threshold:
            continue
        start, end = _trimmed(sent)
        checkworthy = "yes" if score >= CHECKWORTHY_THRESHOLD else "no"
        rule = "claim:" + "+".join(features) if features else "claim"
        found.append(ClaimSuggestion(start, end, score, rule, {"checkworthy": checkworthy}))
    return found


def score_sentence(sent: Span) -> tuple[float, list[str]] | None:
    """Score one sentence; ``None`` when it is excluded (question, imperative, opinion,
    too short). The feature list names what contributed, in a fixed order."""
    words = [t for t in sent if not (t.is_space or t.is_punct)]
    if len(words) < MIN_WORDS:
        return None
    text = sent.text.strip()
    if text.rstrip("\"'”’»)").endswith("?"):
        return None
    if _is_imperative(sent) or _is_first_person_opinion(sent, text):
        return None
    has_tags = sent.doc.has_annotation("TAG")
    has_ents = sent.doc.has_annotation("ENT_IOB")
    features: list[str] = []
    if _has_figure(sent, has_ents):
        features.append("figure")
        if any(t.ent_type_ in ("PERCENT", "MONEY") for t in sent) or any(
            t.text in ("%", "$", "€", "£") or t.lower_ in ("percent", "per cent") for t in sent
        ):
            features.append("percent_money")
    if _has_date(sent, has_ents):
        features.append("date")
    actors = _actors(sent, has_ents)
    if actors:
        features.append("actor")
        if len(actors) >= 2:
            features.append("actors")
    if _has_comparison(sent, text):
        features.append("comparison")
    if any(t.lemma_.lower() in EVENT_VERBS or t.tag_ == "VBD" for t in words):
        features.append("event")
    if any(t.lemma_.lower() in cues.SPEECH_VERBS and t.pos_ == "VERB" for t in words) or (
        "according to" in text.lower()
    ):
        features.append("reported")
    lowers = {t.lower_ for t in words}
    if lowers & _HEDGES:
        features.append("hedge")
    if lowers & _NORMATIVE:
        features.append("normative")
    if has_tags and not any(t.tag_ in _FINITE_TAGS for t in words):
        features.append("fragment")
    score = WEIGHTS["base"] + sum(WEIGHTS[f] for f in features)
    return round(max(0.0, min(1.0, score)), 3), features


def _trimmed(sent: Span) -> tuple[int, int]:
    """The sentence without surrounding space and leading list bullets."""
    text = sent.text
    match = _LEADING_MARKERS.match(text)
    start = sent.start_char + (match.end() if match else 0)
    end = sent.start_char + len(text.rstrip())
    return start, max(start, end)


def _is_imperative(sent: Span) -> bool:
    """A subjectless base-form main verb that opens the sentence or follows a colon:
    "Follow the latest news", "Live updates: Follow ...", "Text the following numbers".

    Needs a parser; a blank pipeline can't tell and keeps the sentence.
    """
    root = sent.root
    if root.tag_ != "VB" or not sent.doc.has_annotation("DEP"):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "aux", "auxpass") for c in root.children):
        return False
    before = [t for t in sent.doc[sent.start : root.i] if not t.is_space]
    return not before or before[-1].text == ":"


def _is_first_person_opinion(sent: Span, text: str) -> bool:
    if _OPINION_PHRASES.search(text):
        return True
    return any(
        tok.lower_ in _FIRST_PERSON
        and tok.dep_ == "nsubj"
        and tok.head.lemma_.lower() in _OPINION_VERBS
        for tok in sent
    )


def _has_figure(sent: Span, has_ents: bool) -> bool:
    doc = sent.doc
    for tok in sent:
        if has_ents and tok.ent_type_ in _DATE_ENTS:
            continue
        if has_ents and tok.ent_type_ in _FIGURE_ENTS:
            return True
        if tok.like_num and not _YEAR.match(tok.text) and not tok.is_space:
            # Without NER, "January 27" is a date, not a figure.
            near = [doc[i] for i in (tok.i - 1, tok.i + 1) if 0 <= i < len(doc)]
            if not has_ents and any(_MONTHS.match(t.text) for t in near):
                continue
            return True
    return False


def _has_date(sent: Span, has_ents: bool) -> bool:
    if has_ents and any(t.ent_type_ in _DATE_ENTS for t in sent):
        return True
    return any(
        (_MONTHS.match(t.text) and t.text[:1].isupper()) or _YEAR.match(t.text) for t in sent
    )


def _actors(sent: Span, has_ents: bool) -> set[str]:
    if has_ents:
        return {ent.text for ent in sent.ents if ent.label_ in _ACTOR_ENTS}
    # Without NER: capitalised words that do not open the sentence.
    words = [t for t in sent if not (t.is_space or t.is_punct)]
    return {t.text for t in words[1:] if t.text[:1].isupper() and not t.like_num}


def _has_comparison(sent: Span, text: str) -> bool:
    if any(t.tag_ in ("JJR", "JJS", "RBR", "RBS") for t in sent):
        return True
    low = text.lower()
    return any(p in low for p in ("more than", "less than", "fewer than", "compared to"))
