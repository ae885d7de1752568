"""The project's attribution evaluation set (``tests/data/attribution_set``) and its scoring.

40 articles written and labelled before any tuning, split 30 train / 10 test (see the
set's README). Scoring follows the attribution literature's usual figures:

- per span label (SOURCE, CUE, CONTENT): precision, recall and F1, exact (same offsets)
  and overlap (sharing a character), matched one to one;
- attributions found: a gold attribution is found when a suggestion's source overlaps
  its source (both absent also counts) and the suggestion's content overlaps its
  content; "relations right" is the share of suggestions that match a gold attribution;
- speaker resolution (``Resolution``): of the gold SOURCE spans with ``resolved``, the
  share whose overlapping suggestion names the same person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SET = Path(__file__).resolve().parents[1] / "data" / "attribution_set" / "articles.jsonl"
LABELS = ("SOURCE", "CUE", "CONTENT")
Ref = tuple[int, int]
Attribution = tuple[Ref | None, Ref | None, Ref]  # source, cue, content


@dataclass
class Article:
    id: str
    text: str
    split: str
    style: str
    attributions: list[Attribution]
    spans: dict[str, list[Ref]]
    record: dict[str, Any]


def load(split: str | None = None) -> list[Article]:
    out = []
    for line in SET.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if split is not None and rec["meta"]["split"] != split:
            continue
        by_id = {s["id"]: s for s in rec["spans"]}

        def ref(sid: str | None, by_id: dict[str, Any] = by_id) -> Ref | None:
            return (by_id[sid]["start"], by_id[sid]["end"]) if sid else None

        atts = []
        for rel in rec["relations"]:
            content = ref(rel["child"])
            assert content is not None
            atts.append((ref(rel["head"]), ref(rel.get("cue")), content))
        spans: dict[str, list[Ref]] = {label: [] for label in LABELS}
        for s in rec["spans"]:
            if s["label"] in spans:
                spans[s["label"]].append((s["start"], s["end"]))
        out.append(Article(rec["id"], rec["text"], rec["meta"]["split"],
                           rec["meta"].get("style", ""), atts, spans, rec))
    return out


def _overlap(a: Ref, b: Ref) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class PRF:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, tp: int, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.n_pred += n_pred
        self.n_gold += n_gold

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def line(self) -> str:
        p, r, f = self.prf()
        return f"{p:.2f} / {r:.2f} / {f:.2f}"


def _matches(pred: Sequence[Ref], gold: Sequence[Ref], exact: bool) -> int:
    used: set[int] = set()
    hits = 0
    for p in pred:
        for k, g in enumerate(gold):
            if k not in used and (p == g if exact else _overlap(p, g)):
                used.add(k)
                hits += 1
                break
    return hits


@dataclass
class Scores:
    spans: dict[tuple[str, str], PRF] = field(default_factory=dict)  # (label, exact|overlap)
    found: PRF = field(default_factory=PRF)  # tp = gold found; n_pred = suggestions
    right: int = 0  # suggestions that match a gold attribution

    def add(self, gold: Article, predicted: Iterable[Attribution]) -> None:
        predicted = list(predicted)
        for i, label in enumerate(LABELS):
            pred = sorted({a[i] for a in predicted if a[i] is not None})  # type: ignore[misc]
            for mode in ("exact", "overlap"):
                cell = self.spans.setdefault((label, mode), PRF())
                cell.add(_matches(pred, gold.spans[label], mode == "exact"), len(pred),
                         len(gold.spans[label]))
        used: set[int] = set()
        found = 0
        for g in gold.attributions:
            for k, p in enumerate(predicted):
                if k in used or not _overlap(p[2], g[2]):
                    continue
                if (p[0] is None) != (g[0] is None):
                    continue
                if p[0] is not None and g[0] is not None and not _overlap(p[0], g[0]):
                    continue
                used.add(k)
                found += 1
                break
        self.found.add(found, len(predicted), len(gold.attributions))
        self.right += len(used)

    @property
    def precision(self) -> float:
        return self.right / self.found.n_pred if self.found.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.found.tp / self.found.n_gold if self.found.n_gold else 0.0

    def lines(self) -> list[str]:
        out = ["   span      exact P / R / F1    overlap P / R / F1"]
        for label in LABELS:
            out.append(f"   {label:8}  {self.spans[(label, 'exact')].line():18}  "
                       f"{self.spans[(label, 'overlap')].line()}")
        out.append(f"   attributions found {self.recall:.2f} ({self.found.tp}/{self.found.n_gold}), "
                   f"suggested relations right {self.precision:.2f} "
                   f"({self.right}/{self.found.n_pred})")
        return out


def _name_words(text: str) -> list[str]:
    return re.findall(r"\w[\w'’.-]*", text.casefold())


def same_person(suggested: str, gold: str) -> bool:
    """Whether a suggested name names the gold one: equal ignoring case, or the
    suggestion holds the gold name's last word ("Dara Holm" for "Finance Minister Dara
    Holm", "the council" for "Fennick Borough Council")."""
    if suggested.casefold().strip() == gold.casefold().strip():
        return True
    gold_words = _name_words(gold)
    return bool(gold_words) and gold_words[-1].rstrip(".") in (
        w.rstrip(".") for w in _name_words(suggested)
    )


@dataclass
class Resolution:
    """Speaker resolution: of the gold SOURCE spans with ``attrs["resolved"]``, how many
    have a suggestion whose source overlaps them (``suggested``) and whose resolved
    text (or source text, where the gold source is itself the full name, as a speaker
    label "SAM OKONJO" is) names the same person (``right``)."""

    right: int = 0
    suggested: int = 0
    gold: int = 0

    def add(self, article: Article, suggestions: Iterable[tuple[Ref | None, str | None]]) -> None:
        """``suggestions``: (source span, ``attrs.get("resolved")``) per suggestion."""
        made = [(s, r) for s, r in suggestions if s is not None]
        text = article.text
        for span in article.record["spans"]:
            resolved = span["attrs"].get("resolved") if span["label"] == "SOURCE" else None
            if not resolved:
                continue
            self.gold += 1
            ref = (span["start"], span["end"])
            over = [(s, r) for s, r in made if _overlap(s, ref)]
            if not over:
                continue
            self.suggested += 1
            source, name = max(over, key=lambda m: (m[0] == ref, min(m[0][1], ref[1])
                                                    - max(m[0][0], ref[0])))
            if name is None and span["text"].casefold() == resolved.casefold():
                name = text[source[0] : source[1]]
            if name is not None and same_person(name, resolved):
                self.right += 1

    def line(self) -> str:
        share = self.right / self.gold if self.gold else 0.0
        return (f"   speaker resolution {share:.2f} ({self.right}/{self.gold} gold sources with "
                f"`resolved`; {self.suggested} have a suggestion)")
