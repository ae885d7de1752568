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

_LABEL = re.compile(r"[ \t]*([^\n:]{1,60}?)[ \t]*:[ \t]+(?=\S)")
_DASH_TAG = re.compile(r"[ \t]*(?:\n[ \t]*)?(―|—|–|--)[ \t]*(?=[A-Z])")
_PARTICLES = frozenset({"al", "el", "de", "van", "von", "bin", "da", "del", "la", "le", "of"})
_NOT_NAME_ENTS = frozenset(
    {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL", "QUANTITY", "EVENT"}
)
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_NAME_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_MIN_CONTENT_WORDS = 3
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


@dataclass(frozen=True, slots=True)
class _Label:
    name: tuple[int, int]
    colon: int
    content: tuple[int, int]
    caps: bool


def _looks_like_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in name):
        return False
    low = name.lower().strip()
    if low in cues.NOT_SPEAKERS or words[0].lower() in cues.NOT_SPEAKERS:
        return False
    if any(ch in name for ch in "?!\"“”()[]|/"):
        return False
    if not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower().strip("-") in _PARTICLES for w in words)


def _labels(f: Finder) -> list[_Label]:
    """Lines that open with "Name:" (the first line of each block)."""
    text = f.text
    out: list[_Label] = []
    for block in f.blocks:
        line_end = text.find("\n", block.start, block.end)
        if line_end < 0:
            line_end = block.end
        m = _LABEL.match(text, block.start, line_end)
        if m is None or not _looks_like_name(m.group(1)):
            continue
        name = m.group(1)
        content_end = block.start + len(text[block.start : line_end].rstrip())
        colon = text.index(":", m.end(1))
        letters = [ch for ch in name if ch.isalpha()]
        caps = len(letters) >= 2 and all(ch.isupper() for ch in letters)
        out.append(_Label((m.start(1), m.end(1)), colon, (m.end(), content_end), caps))
    return out


def layout_candidates(f: Finder, found: list[Candidate]) -> list[Candidate]:
    """Headline "Name: ...", transcript "NAME: ..." and "— Name" after a quotation."""
    out: list[Candidate] = []
    labels = _labels(f)
    caps_lines = sum(1 for lab in labels if lab.caps)
    listed = _listed_labels(f, labels)
    for lab in labels:
        if lab in listed:
            continue
        cand = _label_candidate(f, lab, caps_lines)
        if cand is not None and not _overlaps_found(cand, found):
            out.append(cand)
    for cand in _dash_tags(f):
        if not _overlaps_found(cand, found):
            out.append(cand)
    return out


def _listed_labels(f: Finder, labels: list[_Label]) -> set[_Label]:
    """Title-case labels in consecutive blocks are a list of items ("Aries: ...",
    "Taurus: ..."; "Engine: ...", "Power: ..."), not headlines quoting someone."""
    index = {lab: f._block_index(lab.name[0]) for lab in labels if not lab.caps}
    blocks = {i for i in index.values() if i is not None}
    return {
        lab
        for lab, i in index.items()
        if i is not None and (i - 1 in blocks or i + 1 in blocks)
    }


def _label_candidate(f: Finder, lab: _Label, caps_lines: int) -> Candidate | None:
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
        form = "headline_colon"
    start, end = lab.content
    if len(f.text[start:end].split()) < _MIN_CONTENT_WORDS:
        return None
    quote = next((q for q in f.quotes if q.start == start and q.end >= end - 1), None)
    if quote is not None:
        content, kind = (quote.start, quote.end), "quote"
    else:
        # A statement, not a value: "Engine: 3.0-litre turbo", "Best Coach: Klopp".
        words = f.doc.char_span(start, end, alignment_mode="expand")
        if words is None or "|" in words.text or not _finite_root(words[0].sent):
            return None
        content, kind = (start, end), "line"
    cand = f._candidate(form, kind, content, (lab.colon, lab.colon + 1), None, sp.root)
    cand.source = lab.name
    cand.cue_evidence = "cue:punct"
    cand.label_name = True
    return cand


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
    """A verb-based suggestion for the same words wins over a layout reading."""
    return any(
        other.content[0] < cand.content[1] and cand.content[0] < other.content[1]
        for other in found
        if other.source is not None
    )
