"""The plain input of the agreement report: one document, each annotator's work on it.

The store builds these from its rows; keeping them as frozen dataclasses of builtins lets
the maths run (and be tested) with no database, and keeps `core` free of SQLAlchemy.

They are units of comparison, not the stored values of ``core.model``: a unit carries
what the measures read (a span's token range; no attributes, which no measure compares)
and nothing else, because the report builds one per span of a whole project. What makes
two spans the same is what ``core.model.SpanKey`` says: equal label, start and end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.vocabulary import RESERVED_ANNOTATORS as RESERVED_ANNOTATORS
from annotator.core.vocabulary import Status

DONE = Status.DONE
"""Only work with this status counts: half-finished work would read as disagreement."""

DEFAULT_BLOCK_LABEL = "content"
"""What an unmarked block of a done document means: the annotator saw it and left it."""


@dataclass(frozen=True, slots=True)
class SpanUnit:
    """A labelled character range ``[start, end)`` in code points of the canonical text.

    Unlike ``core.model.SpanData`` it has a token range and no attributes (see above).
    ``token_start``/``token_end`` are the tokens the span shares a character with,
    ``[token_start, token_end)`` counted from the document's first token (see
    ``tokenizer``); ``None`` when the reader did not tokenize the text. Only token alpha
    reads them.
    """

    uid: str
    start: int
    end: int
    label: str
    token_start: int | None = None
    token_end: int | None = None


@dataclass(frozen=True, slots=True)
class RelationUnit:
    """A labelled link between two of the same annotator's spans, named by their uids.

    Unlike ``core.model.RelationData`` it has no uid and no attributes: agreement never
    names a relation, only its ends. The cue is carried for the adjudication view; agreement compares (head, child, label)
    only, as the attribution literature does.
    """

    head_uid: str
    child_uid: str
    label: str
    cue_uid: str | None = None


@dataclass(frozen=True, slots=True)
class AnnotatorWork:
    """One annotator's labels on one document, and how far they got with it: the units
    of ``core.model.Annotations`` that agreement compares."""

    status: str
    block_labels: dict[int, str] = field(default_factory=dict)
    """Block index -> label; unlabelled blocks are absent (they mean `content` once done)."""
    spans: list[SpanUnit] = field(default_factory=list)
    relations: list[RelationUnit] = field(default_factory=list)
    doc_labels: dict[str, str] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.status == DONE


@dataclass(frozen=True, slots=True)
class DocAnnotations:
    """Everything the agreement report needs about one document: no text, only sizes.

    ``n_tokens`` is the number of tokens of the text, given with the spans' token ranges
    by readers that tokenize (``token_alpha.with_tokens``, the store); ``None`` leaves
    the document out of token alpha only. Keeping counts, not the text, keeps memory flat
    over a whole project.
    """

    doc_id: str
    title: str
    text_length: int
    n_blocks: int
    annotators: dict[str, AnnotatorWork]
    n_tokens: int | None = None
