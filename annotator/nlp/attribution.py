"""Attribution suggestions: who said what, with which cue, and how the source is named.

The suggester is rule based on purpose. Annotators correct its output, so every
suggestion says which construction fired (``rule``), which evidence supported it
(``attrs["evidence"]``, from the fixed vocabulary ``EVIDENCE``) and how sure the rules
are (``score``, made from that evidence). The rules follow the source / cue / content
model of PARC 3.0 and PolNeAR that the label schema uses. A statistical model would
need training data; this project is where that data gets made, and the evidence lists
are the features a learned re-scorer will read.

The work is split along its seams: ``attribution_quotes`` finds quotations,
``attribution_finder`` runs one pass over the parse (with the lexicon of ``cues``, kept
as data in ``resources/attribution/``), made of one part per kind of construction:
``attribution_reported`` (cue verbs, nouns and adjectives with their agents),
``attribution_according`` ("according to X"), ``attribution_content`` (where a content
begins and ends), ``attribution_quote_spans`` (quotations as contents),
``attribution_resolution`` (the source span and who it is) and
``attribution_continuations`` (continued quotations and nesting), over the word classes
of ``attribution_grammar``. ``attribution_layout`` reads colon, dash and transcript
forms from the lines, ``attribution_sources`` classifies sources and resolves pronouns
and descriptions, ``attribution_evidence`` holds the evidence vocabulary and the score.

Span conventions (character offsets, code points, end exclusive):

* **source**: the noun phrase of the speaker: head noun with determiners, adjectives,
  compounds, possessives, titles, coordinated nouns and prepositional modifiers, but
  without relative clauses, participial clauses or appositions set off by commas
  ("a senior western diplomat", not "..., whose country is ..."; "Reports at the time";
  "US Secretary of Defense Lloyd Austin"). A name in apposition without a comma and a
  name written again in another script in brackets stay inside ("Councillor Omar
  Haddad (عمر حداد)"). A pronoun source is the pronoun, a relative pronoun too ("...,
  who said"); their naming and kind come from the antecedent, whose text is
  ``attrs["resolved"]``. Short names ("Holm"), speaker labels ("MAYOR FROST", "Q"),
  partitives ("One of them") and roles with a name in apposition ("Its director, Mira
  Sand,") are resolved the same way. ``None`` for agentless reports ("it was reported
  that ...", "reportedly").
* **cue**: the reporting verb ("said", "told", "quoted", "believes") with the
  preposition or particle it needs ("called for", "called on", "texted to say"), the
  adjective of "is confident", a nominal cue ("statement" in "X's statement that
  ..."), "according to", the hearsay adverb, or the colon or dash of a layout form
  ("Name: ...", "― Name"). Medium phrases such as "in a statement" are not part of the
  cue; they show in ``rule`` ("+statement") and raise the score.
* **content**: the reported clause or quotation. The complementiser "that" and
  punctuation outside quotation marks are left out; **a quotation keeps its quotation
  marks**, and a content span never splits a quotation (a clause that runs into a quote
  is widened to the closing mark, unless the quote holds the cue itself: a report
  nested in a quotation), so a direct quote is exactly ``“...”`` and ``quote_type`` can
  be read off the span. Two coordinated "that" clauses, a quotation interrupted by its
  cue and two clauses around a parenthetical cue ("A, he said, and B") are two
  contents (two suggestions); a cue that interrupts one clause ("The merger, one
  member said, could ...", medial "according to") lies inside its content. A
  transcript or Q&A turn is the whole paragraph after the label; a quotation after a
  tagged one in the same paragraph, or opening the next, continues it (``cue`` None).

``attrs`` holds ``naming`` (named / unnamed / vague), ``kind`` (the label schema's values
in ``resources/schema.toml``; ``other`` when the text does not show it), ``quote_type``
(direct / indirect / mixed),
``evidence`` (a list of strings from ``EVIDENCE``), ``resolved`` for a pronoun or
definite description source resolved to an earlier mention, and, for nested reports
("state media quoted X as saying"), ``intermediary``: the text of the outlet or speaker
that passed the statement on.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from annotator.nlp.attribution_evidence import (
    CONTENT_FACTORS,
    EVIDENCE,
    FORM_SCORES,
)
from annotator.nlp.attribution_finder import Candidate, Finder
from annotator.nlp.attribution_quotes import Quote, find_quotes
from annotator.nlp.attribution_sources import SourceInfo, classify_source
from annotator.nlp.versions import attribution_files, digest

__all__ = [
    "CONTENT_FACTORS",
    "EVIDENCE",
    "RULES_VERSION",
    "RULE_SCORES",
    "AttributionSuggestion",
    "Quote",
    "SourceInfo",
    "classify_source",
    "find_quotes",
    "suggest_attributions",
]

SpanRef = tuple[int, int]

#: A hash of the rules' modules and the lexicon's data files (``versions.attribution_files``), so stored suggestions
#: from older rules are recomputed (see ``nlp/pipeline.py``).
RULES_VERSION = "attribution-" + digest(attribution_files())

#: Base scores per construction (kept under its old name for readers of the scores).
RULE_SCORES: dict[str, float] = FORM_SCORES


@dataclass(frozen=True, slots=True)
class AttributionSuggestion:
    """One suggested ATTRIBUTION: SOURCE -> CONTENT, optionally with its CUE span.

    ``attrs`` values are strings except ``evidence``, a list of strings."""

    source: SpanRef | None
    cue: SpanRef | None
    content: SpanRef
    attrs: dict[str, str | list[str]]
    score: float
    rule: str


def suggest_attributions(doc: Doc) -> list[AttributionSuggestion]:
    """Attribution suggestions for ``doc``, ordered by content start.

    Needs a dependency parse: with a blank pipeline (no parser) it returns nothing
    rather than guessing, and ``LoadedModel.notice`` tells the user why.
    """
    if not doc.has_annotation("DEP"):
        return []
    return [_to_suggestion(c) for c in Finder(doc).run()]


def _to_suggestion(c: Candidate) -> AttributionSuggestion:
    attrs: dict[str, str | list[str]] = {
        "naming": c.naming,
        "kind": c.kind,
        "quote_type": c.quote_type,
    }
    if c.intermediary:
        attrs["intermediary"] = c.intermediary
    if c.resolved:
        attrs["resolved"] = c.resolved
    attrs["evidence"] = list(c.evidence_list)
    rule = f"{c.pattern}/{c.content_kind}" + ("+statement" if c.statement else "")
    return AttributionSuggestion(c.source, c.cue, c.content, attrs, c.score, rule)
