"""Named-entity suggestions: spaCy's NER output in the app's offset convention.

Offsets are Python code points into the canonical text, end exclusive, i.e. spaCy's
``Token.idx``/``Span.start_char`` as they are, so no conversion happens here; Qt's UTF-16
positions are the GUI's business (``annotator.core.offsets``).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class EntitySuggestion:
    """One suggested entity span ``[start, end)`` with its spaCy label (PERSON, ORG, ...)."""

    start: int
    end: int
    label: str
    score: float = 1.0
    rule: str = "ner"


def entities(doc: Doc) -> list[EntitySuggestion]:
    """The entities of ``doc``, in text order; empty when the pipeline has no NER.

    Surrounding whitespace is trimmed (the small model occasionally takes a newline in),
    and an entity that runs over a blank line is dropped: it joins two blocks, which no
    annotator would accept. The score is 1.0 because spaCy's NER gives no confidence.
    """
    if not doc.has_annotation("ENT_IOB"):
        return []
    text = doc.text
    found: list[EntitySuggestion] = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end or "\n\n" in text[start:end]:
            continue
        found.append(EntitySuggestion(start, end, ent.label_))
    return found
