"""Attribution suggestions that learn from the team's spans.

The rules (:mod:`annotator.nlp.attribution`) are precise, and their recall stops where
their constructions and lexicon stop. Two things are learnt from the attributions that
annotators mark in done documents:

- **cues**: the lemma of every CUE span's head, with how often that word is a cue when
  it occurs (``cue_stats``). A verb or noun the team uses as a cue, with an agent and a
  clause or a quotation, becomes a candidate even when no rule knows it;
- **a re-scorer**: boosted trees (the same :class:`TreeModel` as the block classifier)
  over each candidate's evidence (what the rules saw, the learnt cue statistics, the
  shape of source and content), trained to tell the team's attributions from the rest.

At suggestion time every rule candidate and every learnt-cue candidate is scored, and
those over the model's threshold are suggested, with ``rule`` saying
``learnt:<rule>``. The model travels in the project (JSON, no pickle); its digest is
part of the parse layers' version, so a retrained model redoes exactly that layer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span, Token

from annotator.nlp.attribution import AttributionSuggestion, suggest_attributions
from annotator.nlp.block_model import TreeModel

Ref = tuple[int, int]
GoldAttribution = tuple[Ref | None, Ref | None, Ref]  # source, cue, content
_QUOTES = "\"“”'‘’«»"
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "agent"})
_CLAUSES = frozenset({"ccomp", "xcomp", "advcl", "parataxis", "dobj", "attr"})
MIN_CUE_USES = 2  # a lemma marked as a cue in fewer documents is not learnt yet
CUE_KIND = "attribution"


def _evidence_vocabulary() -> tuple[str, ...]:
    from annotator.nlp import attribution

    return tuple(getattr(attribution, "EVIDENCE", ()))


def feature_names() -> tuple[str, ...]:
    base = ("from_rules", "rule_score", "cue_uses", "cue_precision", "cue_unknown",
            "cue_verb", "cue_noun", "cue_root", "cue_advcl", "cue_conj", "no_source",
            "source_pronoun", "source_person", "source_org", "source_tokens",
            "content_quote", "content_tokens", "content_before_cue", "source_cue_gap",
            "same_sentence")
    return base + tuple(f"ev_{e}" for e in _evidence_vocabulary())


@dataclass(frozen=True, slots=True)
class Candidate:
    suggestion: AttributionSuggestion
    from_rules: bool


def _head_lemma(doc: Doc, ref: Ref | None) -> str:
    if ref is None:
        return ""
    span = doc.char_span(ref[0], ref[1], alignment_mode="expand")
    if span is None or not len(span):
        return ""
    return span.root.lemma_.lower()


def cue_stats(docs: Iterable[tuple[Doc, Sequence[Ref]]]) -> dict[str, list[int]]:
    """lemma -> [documents where annotators marked it as a cue, documents it occurs in]."""
    used: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for doc, cues in docs:
        lemmas = {_head_lemma(doc, c) for c in cues} - {""}
        used.update(lemmas)
        seen.update({t.lemma_.lower() for t in doc if t.pos_ in ("VERB", "NOUN")} | lemmas)
    return {lemma: [used[lemma], max(seen[lemma], used[lemma])] for lemma in used}


def _trim(span: Span) -> Ref | None:
    tokens = [t for t in span if not t.is_punct or t.text in _QUOTES]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in _QUOTES:
        tokens.pop()
    if not tokens:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _subtree(tok: Token) -> Ref | None:
    return _trim(tok.doc[tok.left_edge.i : tok.right_edge.i + 1])


def _learnt_candidates(doc: Doc, stats: dict[str, list[int]],
                       taken: set[int]) -> list[AttributionSuggestion]:
    """A cue the team uses, with a subject and a clause or quotation: a candidate."""
    out = []
    for tok in doc:
        counts = stats.get(tok.lemma_.lower())
        if counts is None or counts[0] < MIN_CUE_USES or tok.i in taken:
            continue
        if tok.pos_ not in ("VERB", "NOUN"):
            continue
        subject = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
        clause = next((c for c in tok.children if c.dep_ in _CLAUSES
                       and c.i != (subject.i if subject else -1)), None)
        if subject is None or clause is None:
            continue
        source, content = _subtree(subject), _subtree(clause)
        if source is None or content is None:
            continue
        cue = (tok.idx, tok.idx + len(tok.text))
        out.append(AttributionSuggestion(
            source, cue, content,
            {"naming": "named" if subject.ent_type_ else "unnamed", "kind": "other",
             "quote_type": "direct" if doc.text[content[0]] in _QUOTES else "indirect",
             "evidence": ["cue:learnt"]},
            0.5, f"learnt_cue:{tok.lemma_.lower()}"))
    return out


def candidates(doc: Doc, stats: dict[str, list[int]],
               rules: list[AttributionSuggestion] | None = None) -> list[Candidate]:
    rules = suggest_attributions(doc) if rules is None else rules
    taken = set()
    for s in rules:
        if s.cue is not None:
            span = doc.char_span(s.cue[0], s.cue[1], alignment_mode="expand")
            if span is not None:
                taken.update(t.i for t in span)
    found = [Candidate(s, True) for s in rules]
    found += [Candidate(s, False) for s in _learnt_candidates(doc, stats, taken)]
    return found


def _row(doc: Doc, cand: Candidate, stats: dict[str, list[int]],
         names: tuple[str, ...]) -> list[float]:
    s = cand.suggestion
    values: dict[str, float] = {"from_rules": float(cand.from_rules), "rule_score": s.score}
    lemma = _head_lemma(doc, s.cue)
    used, seen = stats.get(lemma, [0, 0])
    values["cue_uses"] = math.log1p(used)
    values["cue_precision"] = used / seen if seen else 0.0
    values["cue_unknown"] = float(lemma not in stats)
    cue_span = doc.char_span(*s.cue, alignment_mode="expand") if s.cue else None
    cue_root = cue_span.root if cue_span is not None and len(cue_span) else None
    if cue_root is not None:
        values["cue_verb"] = float(cue_root.pos_ == "VERB")
        values["cue_noun"] = float(cue_root.pos_ == "NOUN")
        values["cue_root"] = float(cue_root.dep_ == "ROOT")
        values["cue_advcl"] = float(cue_root.dep_ in ("advcl", "xcomp"))
        values["cue_conj"] = float(cue_root.dep_ == "conj")
    values["no_source"] = float(s.source is None)
    if s.source is not None:
        src = doc.char_span(*s.source, alignment_mode="expand")
        if src is not None and len(src):
            values["source_pronoun"] = float(src.root.pos_ == "PRON")
            values["source_person"] = float(any(t.ent_type_ == "PERSON" for t in src))
            values["source_org"] = float(any(t.ent_type_ in ("ORG", "NORP", "GPE") for t in src))
            values["source_tokens"] = math.log1p(len(src))
        if s.cue is not None:
            values["source_cue_gap"] = math.log1p(abs(s.cue[0] - s.source[1]))
    content = doc.char_span(*s.content, alignment_mode="expand")
    values["content_quote"] = float(doc.text[s.content[0]] in _QUOTES)
    values["content_tokens"] = math.log1p(len(content)) if content is not None else 0.0
    if s.cue is not None:
        values["content_before_cue"] = float(s.content[1] <= s.cue[0])
        if content is not None and cue_span is not None and len(cue_span):
            values["same_sentence"] = float(content.sent == cue_span.sent)
    evidence = s.attrs.get("evidence") or []
    for e in evidence if isinstance(evidence, list) else []:
        values[f"ev_{e}"] = 1.0
    return [values.get(n, 0.0) for n in names]


def matrix(doc: Doc, cands: Sequence[Candidate], stats: dict[str, list[int]],
           names: tuple[str, ...]) -> np.ndarray:
    if not cands:
        return np.zeros((0, len(names)), dtype=np.float32)
    return np.array([_row(doc, c, stats, names) for c in cands], dtype=np.float32)


def _overlap(a: Ref | None, b: Ref | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def is_gold(s: AttributionSuggestion, gold: Sequence[GoldAttribution]) -> bool:
    """The suggestion matches a marked attribution: content overlaps, and the sources
    overlap (or both are missing)."""
    for source, _cue, content in gold:
        if not _overlap(s.content, content):
            continue
        if (s.source is None and source is None) or _overlap(s.source, source):
            return True
    return False


def model_stats(model: TreeModel) -> dict[str, list[int]]:
    return {str(k): [int(v[0]), int(v[1])] for k, v in model.data.get("cues", {}).items()}


def suggest(doc: Doc, model: TreeModel | None,
            rules: list[AttributionSuggestion] | None = None) -> list[AttributionSuggestion]:
    """The rule suggestions, re-scored and extended by a project's model (as they are
    without one)."""
    rules = suggest_attributions(doc) if rules is None else rules
    if model is None:
        return rules
    stats = model_stats(model)
    cands = candidates(doc, stats, rules)
    if not cands:
        return []
    proba = model.predict(matrix(doc, cands, stats, model.features))
    out = []
    for cand, p in zip(cands, proba, strict=True):
        if p >= model.threshold:
            s = cand.suggestion
            out.append(replace(s, score=round(float(p), 3), rule=f"learnt:{s.rule}"))
    return sorted(out, key=lambda s: (s.content[0], s.content[1]))


def training_rows(items: Iterable[tuple[Doc, Sequence[GoldAttribution], Sequence[Ref]]],
                  stats: dict[str, list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidates of each document labelled by whether the team marked them; plus the
    group (document number) of each row, for held-out folds."""
    names = feature_names()
    xs, ys, gs = [], [], []
    for number, (doc, gold, _cues) in enumerate(items):
        cands = candidates(doc, stats)
        if not cands:
            continue
        xs.append(matrix(doc, cands, stats, names))
        ys.append(np.array([is_gold(c.suggestion, gold) for c in cands], dtype=bool))
        gs.append(np.full(len(cands), number))
    if not xs:
        return np.zeros((0, len(names)), np.float32), np.zeros(0, bool), np.zeros(0, int)
    return np.vstack(xs), np.concatenate(ys), np.concatenate(gs)


def train(items: Sequence[tuple[Doc, Sequence[GoldAttribution], Sequence[Ref]]],
          meta: dict[str, Any] | None = None) -> TreeModel:
    """Learn cues and the re-scorer from parsed, labelled documents."""
    from annotator.nlp import block_training as bt

    stats = cue_stats((doc, cues) for doc, _gold, cues in items)
    x, y, groups = training_rows(items, stats)
    if len(np.unique(y)) < 2:
        raise ValueError("the marked attributions give nothing to tell apart yet")
    weight = np.ones(len(y))
    params = {"max_iter": 150, "min_samples_leaf": 5}
    threshold = 0.5
    if len(np.unique(groups)) >= 5:
        threshold = precise_threshold(y, bt.out_of_fold(x, y, weight, groups, params))
    model = bt.fit(x, y, weight, feature_names(), threshold=threshold,
                   meta={"kind": CUE_KIND, **(meta or {})}, params=params)
    model.data = {"cues": stats}
    return model


def precise_threshold(y: np.ndarray, proba: np.ndarray, min_precision: float = 0.85) -> float:
    """The cut with the best F1 among those whose held-out precision is at least 85 %
    (an attribution suggestion that is wrong costs an annotator more than a miss)."""
    best, best_f = 0.5, -1.0
    for cut in np.linspace(0.1, 0.9, 33):
        flagged = proba >= cut
        tp = float((flagged & y).sum())
        p = tp / flagged.sum() if flagged.any() else 0.0
        r = tp / y.sum() if y.any() else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        if p >= min_precision and f > best_f:
            best, best_f = float(cut), f
    return best
