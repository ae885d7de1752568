"""Agreement report over 10,000 documents x 3 annotators. Target: at most 5 s.

Synthetic but shaped like real work: ~20 blocks a document, mostly content with a few
boilerplate blocks that annotators sometimes label differently; ~10 spans that each
annotator mostly reproduces, with jittered boundaries, occasional misses, extra spans and
label slips; ~3 attributions between sources and claims; one sourcing rating each; and a
few documents left unfinished by someone. Only ``report.build`` is timed.

The documents carry tokens as the store gives them (a token count, each span's token
range) so that token alpha is timed too: a synthetic grid of one token per five
characters, about what news prose has. Tokenizing the texts happens while the store is
read and is timed by ``bench_agreement_store.py``. ``--no-tokens`` leaves them out.

    python tests/bench/bench_agreement.py [--docs N] [--annotators K] [--budget SECONDS]
                                          [--no-tokens]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

from annotator.core.agreement import report
from annotator.core.agreement.data import AnnotatorWork, DocAnnotations, RelationUnit, SpanUnit

BLOCK_LABELS = [
    "content",
    "navigation",
    "caption",
    "metadata",
    "related",
    "promo",
    "unrelated",
    "widget",
    "legal",
]
SPAN_LABELS = ["CLAIM", "SOURCE", "CUE", "CONTENT"]
SOURCING = ["well_sourced", "partly_sourced", "poorly_sourced", "not_applicable"]


def _truth(rng: random.Random, length: int, n_blocks: int) -> tuple[dict, list, list, int]:
    """The 'real' labels of one document, which annotators reproduce imperfectly."""
    blocks = {
        index: rng.choice(BLOCK_LABELS[1:]) for index in range(n_blocks) if rng.random() < 0.25
    }
    spans = []
    cursor = rng.randint(0, 80)
    for index in range(rng.randint(7, 13)):
        width = rng.randint(15, 220)
        if cursor + width >= length:
            break
        label = rng.choices(SPAN_LABELS, weights=[4, 3, 2, 2])[0]
        spans.append((f"s{index}", cursor, cursor + width, label))
        cursor += width + rng.randint(5, 300)
    sources = [s for s in spans if s[3] == "SOURCE"]
    targets = [s for s in spans if s[3] in ("CLAIM", "CONTENT")]
    relations: list[tuple[str, str]] = []
    if sources and targets:
        pairs = {(rng.choice(sources)[0], rng.choice(targets)[0]) for _ in range(6)}
        relations = sorted(pairs)[:3]
    return blocks, spans, relations, rng.randrange(len(SOURCING))


TOKEN_WIDTH = 5  # characters per token of the synthetic token grid


def _work(
    rng: random.Random, truth: tuple[dict, list, list, int], n_blocks: int, length: int,
    tokens: bool = True,
) -> AnnotatorWork:
    blocks, spans, relations, rating = truth
    labels = dict(blocks)
    for index in range(n_blocks):
        if rng.random() < 0.05:
            labels[index] = rng.choice(BLOCK_LABELS)
    labels = {index: label for index, label in labels.items() if label != "content"}
    mine = []
    for uid, start, end, label in spans:
        if rng.random() < 0.1:
            continue
        if rng.random() < 0.25:
            start = max(0, start + rng.randint(-6, 6))
            end = min(length, max(start + 1, end + rng.randint(-8, 8)))
        if rng.random() < 0.05:
            label = rng.choice(SPAN_LABELS)
        mine.append(_span(uid, start, end, label, tokens))
    if rng.random() < 0.3:
        start = rng.randrange(length - 40)
        mine.append(_span("extra", start, start + rng.randint(5, 40), rng.choice(SPAN_LABELS),
                          tokens))
    kept = {span.uid for span in mine}
    links = [
        RelationUnit(head, child, "ATTRIBUTION")
        for head, child in relations
        if head in kept and child in kept and rng.random() < 0.9
    ]
    if rng.random() < 0.25:
        rating = min(len(SOURCING) - 1, max(0, rating + rng.choice((-1, 1))))
    status = "done" if rng.random() < 0.97 else "in_progress"
    return AnnotatorWork(status, labels, mine, links, {"sourcing": SOURCING[rating]})


def _span(uid: str, start: int, end: int, label: str, tokens: bool) -> SpanUnit:
    if not tokens:
        return SpanUnit(uid, start, end, label)
    return SpanUnit(uid, start, end, label, start // TOKEN_WIDTH, -(-end // TOKEN_WIDTH))


def corpus(n_docs: int, n_annotators: int, seed: int, tokens: bool = True) -> list[DocAnnotations]:
    rng = random.Random(seed)
    names = [f"annotator{index}" for index in range(n_annotators)]
    docs = []
    for number in range(n_docs):
        length = rng.randint(2500, 7000)
        n_blocks = rng.randint(14, 26)
        truth = _truth(rng, length, n_blocks)
        docs.append(
            DocAnnotations(
                doc_id=f"{number:064x}",
                title=f"Article {number}",
                text_length=length,
                n_blocks=n_blocks,
                annotators={name: _work(rng, truth, n_blocks, length, tokens) for name in names},
                n_tokens=-(-length // TOKEN_WIDTH) if tokens else None,
            )
        )
    return docs


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--budget", type=float, default=5.0, help="fail above this many seconds")
    parser.add_argument("--no-tokens", action="store_true", help="documents without tokens")
    args = parser.parse_args()

    docs = corpus(args.docs, args.annotators, args.seed, tokens=not args.no_tokens)
    start = time.perf_counter()
    result = report.build(
        docs,
        block_labels=BLOCK_LABELS,
        ordinal_values={"sourcing": SOURCING},
        span_labels=SPAN_LABELS,
        relation_labels=["ATTRIBUTION"],
    )
    elapsed = time.perf_counter() - start
    json.dumps(result)
    spans, relations = result["spans"]["micro"], result["relations"]
    print(
        f"agreement over {result['n_documents']:,} of {len(docs):,} documents x "
        f"{args.annotators} annotators in {elapsed:.2f} s"
    )
    print(
        f"  units: {result['blocks']['n_units']:,} blocks, {spans['n_spans']:,} spans, "
        f"{relations['n_relations']:,} relations, "
        f"{result['doc_labels']['sourcing']['n_units']:,} ratings"
    )
    print(
        f"  blocks alpha {result['blocks']['alpha']:.3f}  AC1 {result['blocks']['ac1']:.3f}  "
        f"spans F1 exact {spans['f1_exact']:.3f} overlap {spans['f1_overlap']:.3f} "
        f"alpha_u {spans['alpha_u']:.3f}  token alpha {_fmt(result['spans'].get('token_alpha'))} "
        f"(n={result['spans'].get('n_tokens', 0):,} tokens)  "
        f"relations F1 strict {relations['f1_strict']:.3f} "
        f"matched {relations['f1_matched']:.3f}  sourcing alpha "
        f"{result['doc_labels']['sourcing']['alpha']:.3f}"
    )
    if elapsed > args.budget:
        print(f"FAIL: {elapsed:.2f} s is over the {args.budget:.1f} s budget")
        return 1
    print(f"ok: within the {args.budget:.1f} s budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
