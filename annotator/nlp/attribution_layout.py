"""Attributions carried by layout rather than by a verb: colon, dash and transcript forms.

Why apart from the parse: in "Trump: Generals don't want 'her as their boss.'" or a
transcript line "PENCE: We will ..." the cue is a colon at the start of a line, and in
a pull quote followed by "― Jane Roe" it is a dash after the quotation. The parser
reads these lines as fragments (the small model tags a headline's "Trump" as a common
noun), so they are found from the text's lines and checked against the tokens: the
label must look like a name (capitalised words, no digits, not a label such as
"Update" or "Photo" from ``cues.NOT_SPEAKERS``), and an all-caps label counts as a
speaker only in a document with several such lines or when it is a person's name (a
single "BAGHDAD:" is a dateline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.nlp import cues

if TYPE_CHECKING:
    from spacy.tokens import Span

    from annotator.nlp.attribution_finder import Candidate, Finder

#: "Name: text" at the start of a block, after an optional live-page time stamp
#: ("15:05 — Holm: ..."); an aside in brackets after the name stays outside it
#: ("REPORTER (Radio Kestrel): ...").
_LABEL = re.compile(
    r"[ \t]*(?:\d{1,2}[:.]\d{2}[ \t]*(?:[—–-]|--)[ \t]*)?"
    r"([^\n:()]{1,60}?)(?:[ \t]*\([^)\n]{1,40}\))?[ \t]*:[ \t]+(?=\S)"
)
_DASH_TAG = re.compile(r"[ \t]*(?:\n[ \t]*)?(―|—|–|--)[ \t]*(?=[A-Z])")
_PARTICLES = frozenset({"al", "el", "de", "van", "von", "bin", "da", "del", "la", "le", "of"})
_NOT_NAME_ENTS = frozenset(
    {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL", "QUANTITY", "EVENT"}
)
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_MIN_CONTENT_WORDS = 3
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


#: The labels of a Q&A: speakers only where both take turns.
_QA = frozenset({"Q", "A"})
#: A run of consecutive "Name:" blocks with at most this many names, one of them
#: recurring, is a conversation ("Marou: ...", "Healthwire: ...", "Marou: ...").
_MAX_TURN_NAMES = 3
_MIN_QA_LINES = 3
#: Heads that make a headline label a speaker though not a name: "Defence minister:",
#: "Water authority:".
_ROLE_HEADS = cues.PERSON_NOUNS | cues.INSTITUTIONS | cues.UNIQUE_OFFICES
#: A wire dateline or a live page's time stamp opening a block ("MERROW, March 4 (MPA)
#: - ", "TOLLAN BAY — ", "16:12 — "): never part of a content span.
_DATELINE = re.compile(
    r"[ \t]*(?:[A-Z][A-Z .'’-]{1,40}(?:,[ \t]*[A-Z][a-z]{2,9}\.?[ \t]+\d{1,2})?"
    r"[ \t]*(?:\([A-Za-z .]{2,20}\))?|\d{1,2}[:.]\d{2})[ \t]*(?:—|–|--|-)[ \t]+(?=\S)"
)


@dataclass(frozen=True, slots=True)
class _Label:
    name: tuple[int, int]
    colon: int
    content: tuple[int, int]  # the rest of the label's line
    caps: bool
    block: int  # index in ``Finder.blocks``
    text: str  # the label as written


def _looks_like_name(name: str, *, headline: bool = False) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in name):
        return False
    if name.strip() in _QA:
        return True  # counted as speakers only when both take turns (``_turns``)
    low = name.lower().strip()
    if low in cues.NOT_SPEAKERS or words[0].lower() in cues.NOT_SPEAKERS:
        return False
    if any(ch in name for ch in "?!\"“”()[]|/"):
        return False
    if not words[0][0].isupper():
        return False
    if all(w[0].isupper() or w.lower().strip("-") in _PARTICLES for w in words):
        return True
    # A headline names a speaker by role as often as by name: "Defence minister: ...".
    return headline and len(words) <= 4 and words[-1].lower() in _ROLE_HEADS


def _labels(f: Finder) -> list[_Label]:
    """Lines that open with "Name:" (the first line of each block)."""
    text = f.text
    out: list[_Label] = []
    for idx, block in enumerate(f.blocks):
        line_end = text.find("\n", block.start, block.end)
        if line_end < 0:
            line_end = block.end
        m = _LABEL.match(text, block.start, line_end)
        if m is None or not _looks_like_name(m.group(1), headline=idx == 0):
            continue
        name = m.group(1)
        content_end = block.start + len(text[block.start : line_end].rstrip())
        colon = text.index(":", m.end(1))
        letters = [ch for ch in name if ch.isalpha()]
        caps = len(letters) >= 2 and all(ch.isupper() for ch in letters)
        out.append(
            _Label((m.start(1), m.end(1)), colon, (m.end(), content_end), caps, idx, name.strip())
        )
    return out


def label_prefixes(f: Finder) -> list[tuple[int, int]]:
    """Block openings that no content span may include: a "Name:" label with its
    colon, a wire dateline, a time stamp (``[start, end)`` of each)."""
    text = f.text
    out: list[tuple[int, int]] = []
    for block in f.blocks:
        line_end = text.find("\n", block.start, block.end)
        if line_end < 0:
            line_end = block.end
        end = block.start
        m = _DATELINE.match(text, end, line_end)
        if m is not None:
            end = m.end()
        m = _LABEL.match(text, end, line_end)
        if m is not None and len(m.group(1).split()) <= 5:
            end = m.end()
        if end > block.start:
            out.append((block.start, end))
    return out


def layout_candidates(f: Finder, found: list[Candidate]) -> list[Candidate]:
    """Headline "Name: ...", transcript and Q&A turns "NAME: ..." / "Q: ..." and "— Name"
    after a quotation."""
    out: list[Candidate] = []
    labels = _labels(f)
    caps_lines = sum(1 for lab in labels if lab.caps)
    turns = _turns(labels, caps_lines)
    listed = _listed_labels(f, labels) - turns
    for lab in labels:
        if lab in listed or (lab.text in _QA and lab not in turns):
            continue
        cand = _label_candidate(f, lab, caps_lines, turn=lab in turns)
        if cand is not None and not _overlaps_found(cand, found):
            out.append(cand)
    for cand in _dash_tags(f):
        if not _overlaps_found(cand, found):
            out.append(cand)
    return out


def _turns(labels: list[_Label], caps_lines: int) -> set[_Label]:
    """Labels that are turns of a conversation, whose whole block is what was said:
    all-caps speaker lines where there are several, "Q:" / "A:" where both recur, and
    runs of consecutive "Name:" blocks where a few names take turns."""
    turns: set[_Label] = set()
    if caps_lines >= 2:
        turns.update(lab for lab in labels if lab.caps)
    qa = [lab for lab in labels if lab.text in _QA]
    if {lab.text for lab in qa} == _QA and len(qa) >= _MIN_QA_LINES:
        turns.update(qa)
    run: list[_Label] = []
    for lab in [*labels, None]:
        if lab is not None and run and lab.block == run[-1].block + 1:
            run.append(lab)
            continue
        names = [r.text.casefold() for r in run]
        if len(run) >= 3 and len(set(names)) <= _MAX_TURN_NAMES and len(set(names)) < len(names):
            turns.update(run)
        run = [lab] if lab is not None else []
    return turns


def _listed_labels(f: Finder, labels: list[_Label]) -> set[_Label]:
    """Title-case labels in consecutive blocks are a list of items ("Aries: ...",
    "Taurus: ..."; "Engine: ...", "Power: ..."), not headlines quoting someone."""
    index = {lab: lab.block for lab in labels if not lab.caps}
    blocks = set(index.values())
    return {lab for lab, i in index.items() if i - 1 in blocks or i + 1 in blocks}


def _label_candidate(f: Finder, lab: _Label, caps_lines: int, *, turn: bool) -> Candidate | None:
    sp = f.doc.char_span(lab.name[0], lab.name[1], alignment_mode="expand")
    if sp is None or any(t.ent_type_ in _NOT_NAME_ENTS for t in sp):
        return None
    ents = {t.ent_type_ for t in sp if t.ent_type_}
    if lab.caps:
        if ents & _PLACE_ENTS and "PERSON" not in ents:
            return None  # "BAGHDAD:" opens a dispatch
        if caps_lines < 2 and "PERSON" not in ents:
            return None
        form = "transcript"
    else:
        form = "transcript" if turn else "headline_colon"
    start, end = lab.content
    if turn:
        # A turn is the whole block, however many sentences, final punctuation kept.
        block = f.blocks[lab.block]
        end = block.start + len(f.text[block.start : block.end].rstrip())
        if end <= start:
            return None
    elif len(f.text[start:end].split()) < _MIN_CONTENT_WORDS:
        return None
    quote = next((q for q in f.quotes if q.start == start and q.end >= end - 1), None)
    if quote is not None:
        content, kind = (quote.start, quote.end), "quote"
    else:
        words = f.doc.char_span(start, end, alignment_mode="expand")
        if words is None or "|" in words.text:
            return None
        # A statement, not a value: "Engine: 3.0-litre turbo", "Best Coach: Klopp". A
        # turn says anything ("Thank you, Sam."); a headline quoting a speaker is
        # often verbless ("Water authority: Beaches to stay shut").
        headline = lab.block == 0 and _speaker_like(lab, sp, ents)
        if not (turn or headline or _finite_root(words[0].sent)):
            return None
        content, kind = (start, end), "line"
    cand = f._candidate(form, kind, content, (lab.colon, lab.colon + 1), None, sp.root)
    cand.source = lab.name
    cand.cue_evidence = "cue:punct"
    cand.label_name = True
    return cand


def _speaker_like(lab: _Label, sp: Span, ents: set[str]) -> bool:
    """A label that names a person or body ("Defence minister", "Oskarian PM",
    "Lund"), not a topic ("Budget day live", "Transcript")."""
    if ents & {"PERSON", "ORG"}:
        return True
    return sp[-1].lower_ in _ROLE_HEADS or (sp[-1].pos_ == "PROPN" and sp[-1].ent_type_ != "GPE")


def _finite_root(sent: Span) -> bool:
    root = sent.root
    return root.tag_ in _FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in root.children
    )


def _dash_tags(f: Finder) -> list[Candidate]:
    """A quotation that opens its line, then "― Name" or "— Name, title"."""
    text = f.text
    out: list[Candidate] = []
    for q in f.quotes:
        if q.open_ended:
            continue
        line_start = text.rfind("\n", 0, q.start) + 1
        if text[line_start : q.start].strip():
            continue
        m = _DASH_TAG.match(text, q.end)
        if m is None:
            continue
        name_start = m.end()
        line_end = text.find("\n", name_start)
        if line_end < 0:
            line_end = len(text)
        comma = text.find(",", name_start, line_end)
        name_end = comma if comma >= 0 else line_end
        name = text[name_start:name_end].rstrip(" .;")
        name_end = name_start + len(name)
        if not 1 <= len(name.split()) <= 6:
            continue
        sp = f.doc.char_span(name_start, name_end, alignment_mode="expand")
        if sp is None or not any(t.pos_ == "PROPN" or t.ent_type_ in _NAME_ENTS for t in sp):
            continue
        dash = (m.start(1), m.end(1))
        cand = f._candidate("dash_tag", "quote", (q.start, q.end), dash, None, sp.root)
        cand.source = (name_start, name_end)
        cand.cue_evidence = "cue:punct"
        cand.label_name = True
        out.append(cand)
    return out


def _overlaps_found(cand: Candidate, found: list[Candidate]) -> bool:
    """A verb-based suggestion for the same words wins over a layout reading; one whose
    cue lies inside the layout's content is nested in it ("The engineers told us ..."
    inside the mayor's turn) and leaves it alone."""
    return any(
        other.content[0] < cand.content[1]
        and cand.content[0] < other.content[1]
        and not (
            other.cue is not None and cand.content[0] <= other.cue[0] < cand.content[1]
        )
        for other in found
        if other.source is not None
    )
