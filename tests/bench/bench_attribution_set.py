"""Attribution suggestions on the project's attribution set (40 articles written and
labelled before any tuning; 30 train, 10 test: ``tests/data/attribution_set``).

Prints:
- the rule suggester's P / R / F1 per span label (exact and overlap), the
  attribution-level figures (found, suggested relations right) and speaker resolution
  (of the gold sources with ``resolved``: pronouns, descriptions, short names, speaker
  labels, the share whose suggestion names the same person), on the train part and,
  separately, the held-out test part;
- a learning curve: the test part after training the attribution model
  (``nlp.attribution_learning``) on 0, 10, 20 and 30 train articles;
- the cost: every parse-reading suggester (entities, claims, attributions; with and
  without a learnt model) against a bare ``nlp.pipe`` on the same texts (target 1.2x).

Run: ``python tests/bench/bench_attribution_set.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

import attribution_set as aset  # noqa: E402

from annotator.nlp import attribution_learning as al  # noqa: E402
from annotator.nlp.attribution import suggest_attributions  # noqa: E402
from annotator.nlp.model import load_model  # noqa: E402
from annotator.nlp.pipeline import doc_suggestions  # noqa: E402


def score(articles, docs, model=None) -> aset.Scores:  # type: ignore[no-untyped-def]
    scores = aset.Scores()
    for art, doc in zip(articles, docs, strict=True):
        made = al.suggest(doc, model) if model is not None else suggest_attributions(doc)
        scores.add(art, [(s.source, s.cue, s.content) for s in made])
    return scores


def resolution(articles, docs) -> aset.Resolution:  # type: ignore[no-untyped-def]
    out = aset.Resolution()
    for art, doc in zip(articles, docs, strict=True):
        made = suggest_attributions(doc)
        resolved = [(s.source, s.attrs.get("resolved")) for s in made]
        out.add(art, [(src, r if isinstance(r, str) else None) for src, r in resolved])
    return out


def overlap_f1(scores: aset.Scores) -> str:
    return "  ".join(f"{label} {scores.spans[(label, 'overlap')].prf()[2]:.2f}"
                     for label in aset.LABELS)


def main() -> int:
    loaded = load_model(None)
    nlp = loaded.nlp
    train, test = aset.load("train"), aset.load("test")
    train_docs = list(nlp.pipe(a.text for a in train))
    test_docs = list(nlp.pipe(a.text for a in test))
    print(f"attribution set: {len(train)} train articles ({sum(len(a.attributions) for a in train)}"
          f" attributions), {len(test)} test ({sum(len(a.attributions) for a in test)}); "
          f"model {loaded.version}")
    for name, arts, docs in (("train part (rules were written beside it)", train, train_docs),
                             ("test part (held out)", test, test_docs)):
        print(f"-- rule suggester, {name}")
        print("\n".join(score(arts, docs).lines()))
        print(resolution(arts, docs).line())

    print("-- learning curve on the test part (attribution model trained on k train articles)")
    learnt = None
    for k in (0, 10, 20, 30):
        if k == 0:
            s = score(test, test_docs)
        else:
            items = [(d, a.attributions, a.spans["CUE"]) for a, d in zip(train[:k],
                                                                         train_docs[:k], strict=True)]
            started = time.perf_counter()
            learnt = al.train(items)
            took = time.perf_counter() - started
            s = score(test, test_docs, learnt)
        extra = "" if k == 0 else f"   (trained in {took:.1f} s)"
        print(f"   k={k:2}  found {s.recall:.2f}  right {s.precision:.2f}  overlap F1: "
              f"{overlap_f1(s)}{extra}")

    texts = [a.text for a in train + test]
    runs: dict[str, list[float]] = {"bare": [], "rules": [], "learnt": []}
    for _ in range(3):
        started = time.perf_counter()
        list(nlp.pipe(texts))
        runs["bare"].append(time.perf_counter() - started)
        started = time.perf_counter()
        for doc in nlp.pipe(texts):
            doc_suggestions(doc, loaded)
        runs["rules"].append(time.perf_counter() - started)
        started = time.perf_counter()
        for doc in nlp.pipe(texts):
            doc_suggestions(doc, loaded, learnt)
        runs["learnt"].append(time.perf_counter() - started)
    bare = min(runs["bare"])
    print(f"-- cost on {len(texts)} articles: bare nlp.pipe {bare:.2f} s; with every "
          f"suggester {min(runs['rules']):.2f} s ({min(runs['rules']) / bare:.2f}x), with the "
          f"learnt model {min(runs['learnt']):.2f} s ({min(runs['learnt']) / bare:.2f}x); "
          "target 1.2x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
