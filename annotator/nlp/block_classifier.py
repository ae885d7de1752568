"""Clutter suggestions: the trained block model decides, the rules explain.

For each block the rule detector (:mod:`annotator.nlp.clutter`) and the phrase table give
their verdicts; these, the block's shape, position, neighbours, repetition and HTML
evidence go into the trained model (:mod:`annotator.nlp.block_model`), whose probability
decides *whether* a block is clutter. *Which* label it gets comes from the rule that
fired, else the phrase table, else the page's evidence, else the block's shape, and the
suggestion names that source (``rule``), so an annotator can see why.

One rule stays a hard limit: a lone paragraph (no clutter either side) is never
suggested as ``unrelated`` when it shares the article's names or subject, because an
off-topic verdict also hides every claim and attribution inside it. A box of several
blocks (a film review, a car's specifications) is judged as a whole by the rules and the
model, as a lone paragraph between article paragraphs cannot be.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.core.fingerprint import fingerprint
from annotator.core.model import Block
from annotator.nlp import block_features as bf
from annotator.nlp import clutter, topic
from annotator.nlp.block_model import TreeModel, default_model
from annotator.nlp.rule_tables import PhraseHit, phrase_table, rules_dir
from annotator.nlp.versions import block_files, digest

_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}(?:[-'’][A-Z]?[a-z]+)?\b")
_CONTENT_WORD = re.compile(r"[a-z]{5,}")


@dataclass(frozen=True, slots=True)
class BlockInput:
    """What the classifier reads of one document besides its text."""

    blocks: Sequence[tuple[int, int]]
    evidence: Sequence[Mapping[str, Any] | None] | None = None
    repeats: Sequence[int] | None = None  # other documents of the project with the line


def version(model: TreeModel | None) -> str:
    """The block layer's version: a hash of the rules' code and tables and of the model,
    so that any change to what decides re-checks every document (see services.suggest)."""
    rules = digest(block_files(rules_dir()))
    combined = hashlib.sha256(f"{rules}:{model.digest if model else 'rules'}".encode())
    return f"blocks-{combined.hexdigest()[:12]}"


def detector_verdicts(text: str, blocks: Sequence[tuple[int, int]], doc: Any = None
                      ) -> clutter.Analysis:
    """The rule detector's pass over the document (its verdicts, lexical hits, shapes)."""
    return clutter.analyse(text, [Block(i, s, e) for i, (s, e) in enumerate(blocks)], doc)


def verdict_list(analysis: clutter.Analysis, n: int) -> list[clutter.BlockSuggestion | None]:
    out: list[clutter.BlockSuggestion | None] = [None] * n
    for hit in analysis.suggestions:
        out[hit.block_index] = hit
    return out


def block_matrix(text: str, item: BlockInput, analysis: clutter.Analysis) -> np.ndarray:
    verdicts = verdict_list(analysis, len(item.blocks))
    return bf.features(
        text, item.blocks, evidence=item.evidence, project_repeats=item.repeats,
        detector=[(v.label, v.score) if v else None for v in verdicts],
        lexical=analysis.lexical or None, shapes=analysis.shapes or None,
    )


def _fallback_label(row: np.ndarray, evidence: Mapping[str, Any] | None) -> tuple[str, str]:
    """The label of a block the model flags and no rule named, from what the page says."""
    idx = {name: i for i, name in enumerate(bf.FEATURE_NAMES)}
    if evidence:
        words = set(evidence.get("class_words") or ())
        marks = set(evidence.get("landmarks") or ())
        for group, label in (("comment", "comment"), ("caption", "caption"),
                             ("share", "widget"), ("ad", "promo"), ("subscribe", "promo"),
                             ("related", "related"), ("meta", "metadata"), ("nav", "navigation"),
                             ("footer", "legal")):
            if words & bf.CLASS_GROUPS[group]:
                return label, f"model:class_{group}"
        for mark, label in (("figcaption", "caption"), ("figure", "caption"),
                            ("nav", "navigation"), ("footer", "legal"), ("aside", "related"),
                            ("header", "navigation"), ("form", "widget")):
            if mark in marks:
                return label, f"model:landmark_{mark}"
    if row[idx["date_only"]] > 0:
        return "metadata", "model:date_line"
    if row[idx["log_words"]] <= np.log1p(8):
        return "navigation", "model:short_line"
    return "related", "model:other_story"


def _label_for(verdict: clutter.BlockSuggestion | None, phrase: PhraseHit | None,
               row: np.ndarray, evidence: Mapping[str, Any] | None) -> tuple[str, str]:
    """Which label a flagged block gets, and the rule to name. Reader comments first:
    the older rules, written before the schema had ``comment``, call them widgets."""
    in_comments = bool(evidence and set(evidence.get("class_words") or ())
                       & bf.CLASS_GROUPS["comment"])
    if phrase is not None and phrase.label == "comment":
        return phrase.label, phrase.rule
    if in_comments:
        return "comment", "model:class_comment"
    if verdict is not None:
        return verdict.label, verdict.rule
    if phrase is not None:
        return phrase.label, phrase.rule
    return _fallback_label(row, evidence)


def _names(text: str) -> set[str]:
    return set(_NAME.findall(text))


def _on_topic(text: str, blocks: Sequence[tuple[int, int]], i: int, flagged: set[int]) -> bool:
    """Does block ``i`` share a name, or a fair part of its subject words, with the
    blocks left as article content?"""
    mine = text[blocks[i][0] : blocks[i][1]]
    rest = " ".join(text[s:e] for j, (s, e) in enumerate(blocks) if j != i and j not in flagged)
    if _names(mine) & _names(rest):
        return True
    words = set(_CONTENT_WORD.findall(mine.lower())) - topic.STOPWORDS
    if not words:
        return False
    rest_words = set(_CONTENT_WORD.findall(rest.lower()))
    return len(words & rest_words) / len(words) >= 0.3


def suggest(text: str, item: BlockInput, model: TreeModel | None = None, doc: Any = None,
            ) -> list[clutter.BlockSuggestion]:
    """Boilerplate suggestions for one document (content gets none)."""
    blocks = list(item.blocks)
    if len(blocks) < 2:
        return []  # a document of one block is the article, whatever it looks like
    model = model if model is not None else default_model()
    analysis = detector_verdicts(text, blocks, doc)
    verdicts = verdict_list(analysis, len(blocks))
    table = phrase_table()
    if model is None:  # a tree without a trained model: the rules alone
        chosen = {i: (v.label, v.score, v.rule) for i, v in enumerate(verdicts) if v}
    else:
        x = block_matrix(text, item, analysis)
        proba = model.predict(x)
        chosen = {}
        for i in np.flatnonzero(model.decide(x, proba)):
            i = int(i)
            ev = item.evidence[i] if item.evidence else None
            raw = text[blocks[i][0] : blocks[i][1]]
            learnt = model.labels.get(fingerprint(raw)) if model.labels else None
            if learnt is not None:
                label, rule = learnt, f"learnt:{learnt}"
            else:
                label, rule = _label_for(verdicts[i], table.match(raw), x[i], ev)
            chosen[i] = (label, round(float(proba[i]), 3), rule)
    if table.sure:
        for i, (start, end) in enumerate(blocks):
            if (sure := table.match_sure(text[start:end])) is not None:
                chosen[i] = (sure.label, 0.99, sure.rule)
    flagged = set(chosen)
    out = []
    for i, (label, score, rule) in sorted(chosen.items()):
        lone = i - 1 not in flagged and i + 1 not in flagged
        if label == "unrelated" and lone and _on_topic(text, blocks, i, flagged):
            continue
        out.append(clutter.BlockSuggestion(i, label, score, rule))
    return out
