"""Build the default block model shipped in ``resources/clutter/``.

Trains on the shared benchmark's **train split** only (``../shared/ext-news-benchmark``,
read at run time, never copied), imported both as text dumps and as HTML, plus the
project's own labelled articles in ``tests/data/clutter``. Writes:

- ``resources/clutter/block_model.json``: the trees (:class:`TreeModel`);
- ``resources/clutter/block_base.npz``: the training rows as features (no text), which
  ``annotator train`` mixes with a project's own labels.

Run: ``make block-model`` (or ``python tools/build_block_model.py``). Prints the
out-of-fold figures on the train split that chose the threshold; the test split is
reported by ``tests/bench/bench_clutter_ext.py``, never used here.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "bench")]

import ext_news  # noqa: E402

from annotator.core.blocks import segment  # noqa: E402
from annotator.core.fingerprint import line_key  # noqa: E402
from annotator.core.text import decode  # noqa: E402
from annotator.nlp import block_classifier as bc  # noqa: E402
from annotator.nlp import block_features as bf  # noqa: E402
from annotator.nlp import block_training as bt  # noqa: E402

OWN = REPO / "tests" / "data" / "clutter"
# The project's own articles look like the input it is for (../shared/samples): they
# weigh as much as a project's own labels do in `annotator train` (5 on 123 pages'
# worth of benchmark blocks lifted their out-of-fold F1 from 0.978 to 0.989 and the
# benchmark's from 0.942 to 0.946).
OWN_WEIGHT = 5.0
OUT = REPO / "resources" / "clutter"


@dataclass
class Labelled:
    """A document with a content/boilerplate verdict per block (None: not scored)."""

    name: str
    text: str
    blocks: list[tuple[int, int]]
    evidence: list[dict | None] | None
    boilerplate: list[bool | None]


def own_set() -> list[Labelled]:
    """The project's hand-labelled articles (labels are character spans), less the
    ``heldout_*`` ones, which stay unseen so ``bench_clutter.py`` can report on them."""
    out = []
    for path in sorted(OWN.glob("*.txt")):
        if path.name.startswith("heldout_"):
            continue
        text = decode(path.read_bytes(), where=str(path))
        spans = json.loads(path.with_suffix(".labels.json").read_text(encoding="utf-8"))
        blocks = [(b.start, b.end) for b in segment(text)]
        verdicts: list[bool | None] = []
        for start, _end in blocks:
            label = next((s["label"] for s in spans if s["start"] <= start < s["end"]),
                         "content")
            verdicts.append(label != "content")
        out.append(Labelled(path.stem, text, blocks, None, verdicts))
    return out


def bench_set(kind: str, split: str) -> list[Labelled]:
    return [
        Labelled(d.page_id, d.text, d.blocks, d.evidence if kind == "html" else None,
                 [None if g is None else g == "boilerplate" for g in d.gold])
        for d in ext_news.load(kind, split)
    ]


def matrix(docs: list[Labelled]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows of every scored block, with repeats counted across the set like a project."""
    keys = [[line_key(d.text[s:e]) for s, e in d.blocks] for d in docs]
    repeats = bf.collection_repeats(keys)
    xs, ys, ws, gs = [], [], [], []
    for number, (doc, reps) in enumerate(zip(docs, repeats, strict=True)):
        item = bc.BlockInput(doc.blocks, doc.evidence, reps)
        x = bc.block_matrix(doc.text, item, bc.detector_verdicts(doc.text, doc.blocks))
        keep = [i for i, v in enumerate(doc.boilerplate) if v is not None]
        xs.append(x[keep])
        ys.append(np.array([doc.boilerplate[i] for i in keep], dtype=bool))
        ws.append(np.array([len(" ".join(doc.text[slice(*doc.blocks[i])].split()))
                            for i in keep], dtype=float))
        gs.append(np.full(len(keep), number))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws), np.concatenate(gs)


def training_rows() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Every training row; a page's text and HTML copies share a group, so no fold
    ever sees one copy while scoring the other. Weights are characters (the score's
    weight), times ``OWN_WEIGHT`` for the project's own articles."""
    sets = [bench_set("txt", "train"), bench_set("html", "train"), own_set()]
    names: dict[str, int] = {}
    parts = []
    for docs in sets:
        x, y, w, local = matrix(docs)
        page = np.array([names.setdefault(d.name, len(names)) for d in docs])
        if docs is sets[-1]:
            w = w * OWN_WEIGHT
        parts.append((x, y, w, page[local]))
    return (np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]), np.concatenate([p[3] for p in parts]),
            [len(p[1]) for p in parts])


def main() -> int:
    if not ext_news.available():
        print(f"no benchmark at {ext_news.BENCH}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    x, y, w, groups, sizes = training_rows()
    print(f"{len(y)} blocks from {len(np.unique(groups))} documents "
          f"({time.perf_counter() - started:.1f} s of features)")
    proba = bt.out_of_fold(x, y, w, groups)
    chars = w / np.where(np.arange(len(w)) >= sizes[0] + sizes[1], OWN_WEIGHT, 1.0)
    threshold = bt.best_threshold(y, proba, chars)
    print(f"out-of-fold at 0.5: {bt.scores(y, proba >= 0.5, chars).line()}")
    flagged = proba >= threshold
    print(f"out-of-fold at {threshold:.3f}: {bt.scores(y, flagged, chars).line()}")
    start = 0
    for name, size in zip(("txt", "html", "own"), sizes, strict=True):
        part = slice(start, start + size)
        print(f"   {name:5} {bt.scores(y[part], flagged[part], chars[part]).line()}")
        start += size
    meta = {"trained_on": "ext-news-benchmark train split (txt + html) + tests/data/clutter",
            "n_blocks": int(len(y)), "n_documents": int(len(np.unique(groups))),
            "oof_f1": round(bt.scores(y, flagged, chars).f1, 4)}
    model = bt.fit(x, y, w, bf.FEATURE_NAMES, threshold=threshold, meta=meta)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "block_model.json").write_text(model.to_json() + "\n", encoding="utf-8")
    np.savez_compressed(OUT / "block_base.npz", x=x.astype(np.float32), y=y, w=w.astype(np.float32),
                        features=np.array(bf.FEATURE_NAMES))
    print(f"wrote {OUT / 'block_model.json'} ({(OUT / 'block_model.json').stat().st_size / 1e3:.0f} kB)"
          f" and block_base.npz ({(OUT / 'block_base.npz').stat().st_size / 1e3:.0f} kB) in "
          f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
