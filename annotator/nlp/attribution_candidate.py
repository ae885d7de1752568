"""A suggestion under construction, and the state of the pass that builds it."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from annotator.core.model import Block
from annotator.nlp.attribution_quotes import Quote
from annotator.nlp.attribution_sources import Mention
from annotator.nlp.cues import CueMatchers

SpanRef = tuple[int, int]
#: Contents around a parenthetical cue, and whether the cue interrupts the first.
Around = tuple[list[SpanRef], bool]


@dataclass(slots=True)
class Candidate:
    """A suggestion under construction; mutable while naming, nesting and scores are
    settled over the whole document."""

    pattern: str
    content_kind: str
    content: SpanRef
    cue: SpanRef | None
    cue_token: int | None
    source: SpanRef | None
    source_head: Token | None
    weight: float = 1.0
    cue_evidence: str = "cue:none"
    evidence: set[str] = field(default_factory=set)
    intermediary: str | None = None
    statement: bool = False
    naming: str = "vague"
    kind: str = "other"
    person_like: bool = False
    plural: bool = False
    quote_type: str = "indirect"
    resolved: str | None = None
    speaker: str | None = None  # who spoke, for telling dialogue turns apart
    label_name: bool = False  # the source is a "Name:" or "— Name" label
    antecedent: SpanRef | None = None  # the noun a relative-pronoun source stands for
    more: list[SpanRef] = field(default_factory=list)  # further contents of the same report
    interrupted: bool = False  # the cue interrupts its content ("X, he said, could ...")
    score: float = 0.0
    evidence_list: list[str] = field(default_factory=list)

class FinderState:
    """What one pass over one document holds, shared by the finder's parts: the parse,
    its quotations and blocks, the matches of the cue lexicon, and the cue tokens already
    used by a construction."""

    doc: Doc
    text: str
    quotes: list[Quote]
    open_marks: set[int]
    close_marks: set[int]
    blocks: list[Block]
    block_starts: list[int]
    matchers: CueMatchers
    phrase_matches: list[tuple[int, int, int]]
    _qa: dict[str, Mention | None]
    used: set[int]
    _extra: list[Candidate]  # second reports a match gives ("citing")
    _pending: Around  # what ``_content`` found besides its span
