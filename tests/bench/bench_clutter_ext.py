"""Clutter suggestions on real pages nobody here wrote: the shared benchmark's test split.

Prints, for text-dump (``txt``) and ``html`` imports, the character-weighted boilerplate
precision / recall / F1 by the benchmark's scoring rule (see ``ext_news``), and the
share of content characters wrongly flagged, for: the shipped suggester (trained model
over rules), the rules alone, jusText on the same blocks' text, and trafilatura's
extraction mapped onto the blocks (HTML evidence ``extracted`` ≥ 0.5). Beside them, the
shipped model's out-of-fold F1 on the train split (from its build): a small gap between
that and the test split is what generalising looks like (the train split scored by the
model trained on it would say nothing). Also: milliseconds per article for
classification (no spaCy parse).

Run: ``python tests/bench/bench_clutter_ext.py [--split test|train|all]``.
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

import ext_news  # noqa: E402

from annotator.core.fingerprint import line_key  # noqa: E402
from annotator.nlp import block_classifier as bc  # noqa: E402
from annotator.nlp import block_features as bf  # noqa: E402
from annotator.nlp.block_model import default_model  # noqa: E402


def justext_verdicts(doc: ext_news.BenchDoc) -> list[bool] | None:
    try:
        import justext
    except ImportError:
        return None
    raw = [" ".join(doc.text[s:e].split()) for s, e in doc.blocks]
    page = "<html><body>" + "".join(f"<p>{html.escape(t)}</p>" for t in raw) + "</body></html>"
    paragraphs = justext.justext(page, justext.get_stoplist("English"))
    if len(paragraphs) != len(raw):
        return None
    return [p.is_boilerplate for p in paragraphs]


def run(kind: str, split: str) -> None:
    docs = ext_news.load(kind, split)
    keys = [[line_key(d.text[s:e]) for s, e in d.blocks] for d in docs]
    repeats = bf.collection_repeats(keys)
    model, rules, jt, traf = (ext_news.Counts() for _ in range(4))
    timings = []
    have_jt, have_traf = True, kind == "html"
    for doc, reps in zip(docs, repeats, strict=True):
        item = bc.BlockInput(doc.blocks, doc.evidence if kind == "html" else None, reps)
        started = time.perf_counter()
        found = bc.suggest(doc.text, item)
        timings.append((time.perf_counter() - started) * 1000)
        flagged = {s.block_index for s in found}
        model.add_doc(doc, [i in flagged for i in range(len(doc.blocks))])
        verdicts = bc.verdict_list(bc.detector_verdicts(doc.text, doc.blocks), len(doc.blocks))
        rules.add_doc(doc, [v is not None for v in verdicts])
        jv = justext_verdicts(doc)
        if jv is None:
            have_jt = False
        else:
            jt.add_doc(doc, jv)
        if have_traf:
            ex = [e.get("extracted") if e else None for e in doc.evidence]
            traf.add_doc(doc, [x is None or x < 0.5 for x in ex])
    print(f"-- {kind}, {split} split: {len(docs)} pages, "
          f"{sum(len(d.blocks) for d in docs)} blocks")
    print(f"   suggester (model over rules)  {model.line()}")
    print(f"   rules alone                   {rules.line()}")
    if have_jt:
        print(f"   jusText on the same blocks    {jt.line()}")
    if have_traf:
        print(f"   trafilatura, mapped to blocks {traf.line()}")
    print(f"   classification per article: median {statistics.median(timings):.1f} ms, "
          f"max {max(timings):.1f} ms (no parse)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("test", "train", "all"), default="test",
                    help="train and all are in-sample for the shipped model: for debugging")
    args = ap.parse_args()
    if not ext_news.available():
        print(f"benchmark not found at {ext_news.BENCH}: skipped")
        return 0
    model = default_model()
    if model is not None:
        print(f"shipped model {model.digest}: {len(model.trees)} trees, threshold "
              f"{model.threshold:.3f}, out-of-fold F1 on its training data "
              f"{model.meta.get('oof_f1')} ({model.meta.get('trained_on')})")
    for kind in ("txt", "html"):
        run(kind, args.split)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
