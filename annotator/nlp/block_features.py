"""What the block classifier knows about each block: one row of numbers per block.

The hand-written clutter rules were tuned on a few articles and stop at the edge of what
they have seen. Here they are one group of features among several, and a trained model
(:mod:`annotator.nlp.block_model`) decides:

- **shape**: length, stop-word density, capitals, digits, punctuation, bullets, how the
  block ends, its indentation in a text dump;
- **rules**: which label the lexical rules and the whole-document detector gave, and the
  phrase table (``resources/clutter/phrases.toml``);
- **position**: where the block sits, and whether it lies in the document's densest run
  of prose (the article body, as a reader finds it);
- **neighbours**: menus and lists come in runs, so the shape of the blocks around;
- **repetition**: the same line twice in a page, or in several documents of a project
  (a site's template);
- **HTML evidence** (``html_page``): landmark containers, link density, class/id words,
  the main-text extractor's verdict. Missing for text imports (NaN; the trees route it).

Everything is computed from the text, so training and suggesting see the same numbers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from annotator.core.fingerprint import line_key
from annotator.nlp import clutter_rules as cr
from annotator.nlp.rule_tables import PhraseTable, phrase_table

RULE_LABELS = ("navigation", "caption", "metadata", "related", "promo", "unrelated", "widget",
               "legal", "comment")
LANDMARKS = ("nav", "header", "footer", "aside", "figure", "figcaption", "form", "main",
             "article", "table", "li", "blockquote", "button", "label", "select")
TAG_GROUPS = {"p": "p", "li": "li", "td": "cell", "th": "cell", "div": "div", "span": "div",
              "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading",
              "h5": "heading", "h6": "heading", "blockquote": "quote", "pre": "p",
              "figcaption": "caption", "caption": "caption", "dd": "li", "dt": "li"}
TAGS = ("p", "li", "cell", "div", "heading", "quote", "caption", "other")
# Words of class/id attributes grouped by what they usually mean on a news page.
CLASS_GROUPS: dict[str, frozenset[str]] = {
    "comment": frozenset("comment comments reply replies discussion disqus respond".split()),
    "related": frozenset("related recommended recirc more popular trending also read teaser"
                         " teasers outbrain taboola promo promoted sponsored".split()),
    "share": frozenset("share sharing social facebook twitter whatsapp email print".split()),
    "subscribe": frozenset("newsletter subscribe subscription signup paywall register"
                           " login".split()),
    "ad": frozenset("ad ads advert advertisement banner dfp gpt sponsor adslot".split()),
    "nav": frozenset("nav navigation menu breadcrumb breadcrumbs topbar masthead skip"
                     " dropdown".split()),
    "footer": frozenset("footer copyright legal bottom colophon".split()),
    "sidebar": frozenset("sidebar rail aside widget widgets module".split()),
    "meta": frozenset("byline author date time timestamp published dateline meta tags tag"
                      " kicker".split()),
    "caption": frozenset("caption credit photo image figure media gallery video".split()),
    "body": frozenset("article content body story post entry text main paragraph"
                      " prose".split()),
}
_STOP = frozenset("""a about above after again against all am an and any are as at be because
been before being below between both but by can could did do does doing down during each few
for from further had has have having he her here hers herself him himself his how i if in into
is it its itself just me more most my myself no nor not now of off on once only or other our
ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
said says also would one two new year years people its it's""".split())
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_SENT_BREAK = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]*[A-Z]")
_URLISH = re.compile(r"https?://|www\.|\.com\b|@\w|#\w")
_BULLET_TXT = re.compile(r"^\s*(?:[*+o•·▪●◦–—-]|\d{1,3}[.)])\s")
_SEPARATORS = re.compile(r"\s[|•·/]\s|\s›\s|\s»\s")

SHAPE = ["log_chars", "log_words", "n_lines", "stop_share", "cap_share", "allcaps_share",
         "digit_share", "punct_share", "mean_word_len", "sentence_end", "ellipsis", "question",
         "comma_per_word", "sentences", "bullet", "separators", "urlish", "quote_marks",
         "title_like", "date_only", "dateline", "indent", "indent_rel", "colon_end",
         "starts_lower", "copyright"]
RULES = ([f"lex_{lab}" for lab in RULE_LABELS] + ["lex_score", "lex_weak", "lex_header"]
         + [f"det_{lab}" for lab in RULE_LABELS] + ["det_score"]
         + [f"phrase_{lab}" for lab in RULE_LABELS])
POSITION = ["rel_index", "rel_offset", "log_from_start", "log_from_end", "before_body",
            "after_body", "in_main", "log_dist_solid", "main_share"]
_NEIGH_KEYS = ("stop_share", "log_words", "sentence_end", "bullet", "title_like", "solid")
NEIGHBOURS = ([f"{side}{k}_{key}" for side in ("prev", "next") for k in (1, 2)
               for key in _NEIGH_KEYS]
              + [f"win{w}_{key}" for w in (3, 8) for key in ("stop_share", "log_words", "solid")]
              + ["same_indent_prev", "same_indent_next", "run_short"])
REPEAT = ["log_repeat_doc", "log_repeat_project"]
HTML = (["is_html", "link_share", "hidden", "depth", "extracted", "extracted_prev",
         "extracted_next", "extracted_win"]
        + [f"lm_{lm}" for lm in LANDMARKS] + [f"tag_{t}" for t in TAGS]
        + [f"cls_{g}" for g in CLASS_GROUPS])
FEATURE_NAMES: tuple[str, ...] = tuple(SHAPE + RULES + POSITION + NEIGHBOURS + REPEAT + HTML)
_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}


def collection_repeats(keys: Sequence[Sequence[str]]) -> list[list[int]]:
    """For documents given as their blocks' line keys: how many *other* documents hold
    each block's line (what the store answers for a project, for a training set)."""
    df: Counter[str] = Counter()
    for doc_keys in keys:
        df.update(set(k for k in doc_keys if k))
    return [[df[k] - 1 if k else 0 for k in doc_keys] for doc_keys in keys]


def _shape_row(raw: str, indent: int, s: cr.Shape) -> list[float]:
    """The :data:`SHAPE` values of one block, in that order."""
    words = _WORD.findall(raw)
    n = len(words)
    stripped = raw.strip()
    chars = max(1, len(stripped))
    letters = sum(map(str.isalpha, raw))
    digits = sum(map(str.isdigit, raw))
    spaces = sum(map(str.isspace, raw))
    core = s.core
    sentence_end = s.sentence_end
    return [
        math.log1p(len(stripped)),
        math.log1p(n),
        float(raw.count("\n") + 1),
        sum(w.lower() in _STOP for w in words) / n if n else 0.0,
        sum(w[0].isupper() for w in words) / n if n else 0.0,
        sum(w.isupper() and len(w) > 1 for w in words) / n if n else 0.0,
        digits / chars,
        (len(raw) - letters - digits - spaces) / chars,
        sum(map(len, words)) / n if n else 0.0,
        float(sentence_end),
        float(s.ellipsis),
        float(s.question),
        raw.count(",") / n if n else 0.0,
        float(len(_SENT_BREAK.findall(raw)) + (1 if sentence_end else 0)),
        float(bool(_BULLET_TXT.match(raw))),
        float(len(_SEPARATORS.findall(raw))),
        float(bool(_URLISH.search(raw))),
        float(raw.count('"') + raw.count("“") + raw.count("”")),
        float(s.title_like),
        float(s.date_only),
        float(s.dateline),
        math.log1p(indent),
        0.0,  # indent_rel: filled in by the document pass
        float(core.endswith(":")),
        float(bool(core[:1].islower())),
        float("©" in raw or "copyright" in core.lower()),
    ]


def _indent_of(text: str, start: int) -> int:
    line_start = text.rfind("\n", 0, start) + 1
    return start - line_start


def _main_region(prose: list[float]) -> tuple[int, int]:
    """The run of blocks with the most prose in it (maximum-sum segment), as a reader
    would find the article body: long, stop-word-rich paragraphs with little between."""
    best, best_span = 0.0, (0, -1)
    total, start = 0.0, 0
    for i, value in enumerate(prose):
        if total <= 0:
            total, start = value, i
        else:
            total += value
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def _shift(column: np.ndarray, k: int) -> np.ndarray:
    """``column`` moved by ``k`` places (value of block i+k at i), -1 beyond the ends."""
    out = np.full_like(column, -1.0)
    if k > 0:
        out[:-k] = column[k:]
    else:
        out[-k:] = column[:k]
    return out


def _window_mean(column: np.ndarray, w: int) -> np.ndarray:
    n = len(column)
    sums = np.concatenate([[0.0], np.cumsum(column)])
    idx = np.arange(n)
    lo, hi = np.maximum(0, idx - w), np.minimum(n, idx + w + 1)
    return (sums[hi] - sums[lo]) / (hi - lo)


def _one_hot(out: np.ndarray, prefix: str, values: Sequence[str | None]) -> None:
    for lab in RULE_LABELS:
        out[:, _INDEX[f"{prefix}_{lab}"]] = [v == lab for v in values]


def features(
    text: str,
    blocks: Sequence[tuple[int, int]],
    *,
    evidence: Sequence[Mapping[str, Any] | None] | None = None,
    project_repeats: Sequence[int] | None = None,
    detector: Sequence[tuple[str, float] | None] | None = None,
    lexical: Sequence[cr.Hit | None] | None = None,
    shapes: Sequence[cr.Shape] | None = None,
    table: PhraseTable | None = None,
) -> np.ndarray:
    """The feature matrix of one document, ``len(blocks) × len(FEATURE_NAMES)``.

    ``detector`` is the rule detector's (label, score) per block (None where it said
    content); ``lexical`` and ``shapes`` what it computed on the way (computed here when
    not given); ``project_repeats`` how many other documents of the project hold each
    block's line; ``evidence`` the HTML evidence per block.
    """
    n = len(blocks)
    out = np.full((n, len(FEATURE_NAMES)), np.nan, dtype=np.float32)
    if n == 0:
        return out
    table = table or phrase_table()
    raws = [text[s:e] for s, e in blocks]
    if shapes is None:
        lex = cr.lexicon()
        shapes = [cr.Shape(r, lex) for r in raws]
    if lexical is None:
        lexical = [cr.classify(sh) for sh in shapes]
    keys = [line_key(r) for r in raws]
    shape = np.array([_shape_row(r, _indent_of(text, b[0]), sh)
                      for r, b, sh in zip(raws, blocks, shapes, strict=True)], dtype=np.float64)
    col = {name: shape[:, k] for k, name in enumerate(SHAPE)}
    solid = ((col["log_words"] > math.log1p(14)) & (col["stop_share"] > 0.2)
             & (col["sentence_end"] > 0)).astype(np.float64)
    prose_indents = col["indent"][solid > 0]
    body_indent = (Counter(prose_indents.tolist()).most_common(1)[0][0]
                   if len(prose_indents) else 0.0)
    shape[:, SHAPE.index("indent_rel")] = col["indent"] - body_indent
    out[:, : len(SHAPE)] = shape

    # rules
    _one_hot(out, "lex", [h.label if h else None for h in lexical])
    out[:, _INDEX["lex_score"]] = [h.score if h else 0.0 for h in lexical]
    out[:, _INDEX["lex_weak"]] = [bool(h and h.weak) for h in lexical]
    out[:, _INDEX["lex_header"]] = [bool(h and h.header) for h in lexical]
    det = list(detector) if detector is not None else [None] * n
    _one_hot(out, "det", [d[0] if d else None for d in det])
    out[:, _INDEX["det_score"]] = [d[1] if d else 0.0 for d in det]
    phrases = [table.match(r) for r in raws]
    _one_hot(out, "phrase", [p.label if p else None for p in phrases])

    # position
    idx = np.arange(n, dtype=np.float64)
    starts = np.array([b[0] for b in blocks], dtype=np.float64)
    lengths = np.array([len(r) for r in raws], dtype=np.float64)
    prose = np.where(col["log_words"] > 1.5,
                     np.expm1(col["log_words"]) * (col["stop_share"] - 0.25), -1.0)
    main_lo, main_hi = _main_region(prose.tolist())
    solid_idx = np.flatnonzero(solid)
    out[:, _INDEX["rel_index"]] = idx / max(1, n - 1)
    out[:, _INDEX["rel_offset"]] = starts / max(1, len(text))
    out[:, _INDEX["log_from_start"]] = np.log1p(idx)
    out[:, _INDEX["log_from_end"]] = np.log1p(n - 1 - idx)
    out[:, _INDEX["before_body"]] = idx < (solid_idx[0] if len(solid_idx) else n)
    out[:, _INDEX["after_body"]] = idx > (solid_idx[-1] if len(solid_idx) else -1)
    out[:, _INDEX["in_main"]] = (idx >= main_lo) & (idx <= main_hi)
    if len(solid_idx):
        dist = np.abs(idx[:, None] - solid_idx[None, :]).min(axis=1)
    else:
        dist = np.full(n, float(n))
    out[:, _INDEX["log_dist_solid"]] = np.log1p(dist)
    out[:, _INDEX["main_share"]] = (lengths[main_lo : main_hi + 1].sum()
                                    / max(1.0, lengths.sum()))

    # neighbours
    neigh = {key: (solid if key == "solid" else col[key]) for key in _NEIGH_KEYS}
    for side, step in (("prev", -1), ("next", 1)):
        for k in (1, 2):
            for key in _NEIGH_KEYS:
                out[:, _INDEX[f"{side}{k}_{key}"]] = _shift(neigh[key], step * k)
    for w in (3, 8):
        for key in ("stop_share", "log_words", "solid"):
            out[:, _INDEX[f"win{w}_{key}"]] = _window_mean(neigh[key], w)
    indent = col["indent"]
    out[:, _INDEX["same_indent_prev"]] = np.concatenate([[False], indent[1:] == indent[:-1]])
    out[:, _INDEX["same_indent_next"]] = np.concatenate([indent[:-1] == indent[1:], [False]])
    short = (col["log_words"] <= math.log1p(6)).astype(np.float64)
    sums = np.concatenate([[0.0], np.cumsum(short)])
    lo, hi = np.maximum(0, idx.astype(int) - 3), np.minimum(n, idx.astype(int) + 4)
    out[:, _INDEX["run_short"]] = (sums[hi] - sums[lo]) / 7

    # repetition
    doc_counts = Counter(keys)
    out[:, _INDEX["log_repeat_doc"]] = [math.log(doc_counts[k]) if k else 0.0 for k in keys]
    if project_repeats is not None:
        out[:, _INDEX["log_repeat_project"]] = np.log1p(np.asarray(project_repeats, float))
    if evidence is not None and any(e is not None for e in evidence):
        _html_features(out, evidence)
    return out


def _html_features(out: np.ndarray, evidence: Sequence[Mapping[str, Any] | None]) -> None:
    n = len(evidence)
    extracted = [
        (float(e["extracted"]) if e and e.get("extracted") is not None else np.nan)
        for e in evidence
    ]
    for i, ev in enumerate(evidence):
        row = out[i]
        row[_INDEX["is_html"]] = 1.0
        if not ev:
            continue
        row[_INDEX["link_share"]] = float(ev.get("link_share") or 0.0)
        row[_INDEX["hidden"]] = float(bool(ev.get("hidden")))
        row[_INDEX["depth"]] = float(ev.get("depth") or 0)
        row[_INDEX["extracted"]] = extracted[i]
        row[_INDEX["extracted_prev"]] = extracted[i - 1] if i > 0 else -1.0
        row[_INDEX["extracted_next"]] = extracted[i + 1] if i + 1 < n else -1.0
        window = [x for x in extracted[max(0, i - 3) : i + 4] if not math.isnan(x)]
        row[_INDEX["extracted_win"]] = float(np.mean(window)) if window else np.nan
        marks = set(ev.get("landmarks") or ())
        for lm in LANDMARKS:
            row[_INDEX[f"lm_{lm}"]] = float(lm in marks)
        tag = TAG_GROUPS.get(str(ev.get("tag") or ""), "other")
        for t in TAGS:
            row[_INDEX[f"tag_{t}"]] = float(t == tag)
        words = set(ev.get("class_words") or ())
        for group, vocab in CLASS_GROUPS.items():
            row[_INDEX[f"cls_{group}"]] = float(bool(words & vocab))
