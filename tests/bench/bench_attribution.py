"""Attribution quality on the hand-labelled set, plus spaCy throughput on the samples.

Run: ``python tests/bench/bench_attribution.py [--verbose]``

Prints, per split of ``tests/data/attribution/gold.jsonl`` (samples / own / heldout)
and overall:

* found: share of gold attributions with a suggestion whose source overlaps the gold
  source *and* whose content overlaps the gold content (one-to-one, greedy);
* exact source: share of gold attributions found with exactly the gold source span;
* naming / kind / quote type: accuracy on the found ones;
* precision: share of suggestions that have a source and match a gold attribution
  (the gold set lists every attribution with a source in its texts).

Then the number of claim suggestions on the samples and ``nlp.pipe`` throughput.
``--verbose`` lists misses, wrong labels and unmatched suggestions.

The ``samples`` and ``own`` splits were used while writing the rules; ``heldout`` was
labelled before the rules ever ran on it, so its figures are the honest ones.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from annotator.core.text import normalise_newlines
from annotator.nlp.attribution import AttributionSuggestion, suggest_attributions
from annotator.nlp.claims import suggest_claims
from annotator.nlp.model import load_model

DATA = Path(__file__).resolve().parents[1] / "data" / "attribution"
SPLITS = ("samples", "own", "heldout", "heldout2")
SAMPLE_DOCS = (
    "al-fassel-commission-review.txt",
    "dawn-coalition-committee.txt",
    "the-national-coalition-talks.txt",
)


@dataclass
class Scores:
    gold: int = 0
    found: int = 0
    exact_source: int = 0
    naming: int = 0
    kind: int = 0
    quote_type: int = 0
    predicted: int = 0
    predicted_matched: int = 0

    def add(self, other: Scores) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def load_gold() -> tuple[dict[str, str], list[dict]]:
    """Gold records and the canonical texts they point into (offsets are checked)."""
    records = [json.loads(line) for line in (DATA / "gold.jsonl").read_text("utf-8").splitlines()]
    texts: dict[str, str] = {}
    for rec in records:
        doc = rec["doc"]
        if doc not in texts:
            raw = (DATA / "texts" / doc).read_text(encoding="utf-8")
            texts[doc] = normalise_newlines(raw)
        text = texts[doc]
        for part in ("source", "content"):
            span = rec[part]
            got = text[span["start"] : span["end"]]
            if got != span["text"]:
                raise ValueError(f"{doc}: {part} {span} does not match the text ({got!r})")
    return texts, records


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match(
    gold: list[dict], predicted: list[AttributionSuggestion]
) -> list[tuple[dict, AttributionSuggestion | None]]:
    """Pair each gold attribution with at most one suggestion (and vice versa): the
    unused suggestion overlapping both its source and its content, most content overlap
    first."""
    used: set[int] = set()
    pairs: list[tuple[dict, AttributionSuggestion | None]] = []
    for rec in gold:
        gs = (rec["source"]["start"], rec["source"]["end"])
        gc = (rec["content"]["start"], rec["content"]["end"])
        best: tuple[int, int] | None = None
        for i, sug in enumerate(predicted):
            if i in used or sug.source is None:
                continue
            if not (_overlaps(sug.source, gs) and _overlaps(sug.content, gc)):
                continue
            overlap = min(sug.content[1], gc[1]) - max(sug.content[0], gc[0])
            if best is None or overlap > best[1]:
                best = (i, overlap)
        if best is None:
            pairs.append((rec, None))
        else:
            used.add(best[0])
            pairs.append((rec, predicted[best[0]]))
    return pairs


def evaluate(verbose: bool = False) -> dict[str, Scores]:
    """Score every split; returns {split: Scores} plus "all"."""
    model = load_model()
    texts, records = load_gold()
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for rec in records:
        by_doc[rec["doc"]].append(rec)
    results: dict[str, Scores] = {split: Scores() for split in SPLITS}
    for doc_name, gold in by_doc.items():
        text = texts[doc_name]
        predicted = suggest_attributions(model.nlp(text))
        split = gold[0]["split"]
        scores = results[split]
        pairs = match(gold, predicted)
        matched_ids = {id(sug) for _, sug in pairs if sug is not None}
        scores.predicted += sum(1 for sug in predicted if sug.source is not None)
        scores.predicted_matched += len(matched_ids)
        for rec, sug in pairs:
            scores.gold += 1
            if sug is None:
                if verbose:
                    print(
                        f"  MISS [{doc_name}] {rec['source']['text']!r}: "
                        f"{rec['content']['text'][:70]!r}"
                    )
                continue
            scores.found += 1
            src = text[sug.source[0] : sug.source[1]] if sug.source else ""
            exact = sug.source == (rec["source"]["start"], rec["source"]["end"])
            scores.exact_source += exact
            checks = {
                name: sug.attrs.get(name) == rec[name] for name in ("naming", "kind", "quote_type")
            }
            scores.naming += checks["naming"]
            scores.kind += checks["kind"]
            scores.quote_type += checks["quote_type"]
            if verbose and (not exact or not all(checks.values())):
                wrong = ", ".join(
                    f"{k}: {sug.attrs.get(k)} (gold {rec[k]})" for k, ok in checks.items() if not ok
                )
                span = "" if exact else f" source {src!r} (gold {rec['source']['text']!r})"
                print(f"  DIFF [{doc_name}]{span} {wrong}")
        if verbose:
            for sug in predicted:
                if sug.source is not None and id(sug) not in matched_ids:
                    print(
                        f"  EXTRA [{doc_name}] {text[sug.source[0] : sug.source[1]]!r} "
                        f"{sug.rule}: {text[sug.content[0] : sug.content[1]][:70]!r}"
                    )
    total = Scores()
    for scores in results.values():
        total.add(scores)
    results["all"] = total
    return results


def _pct(num: int, den: int) -> str:
    return f"{num / den:6.1%} ({num}/{den})" if den else "     - (0/0)"


def report(results: dict[str, Scores]) -> None:
    print(
        f"{'split':<8} {'found':>16} {'exact source':>16} {'naming':>16} {'kind':>16} "
        f"{'quote type':>16} {'precision':>16}"
    )
    for split, s in results.items():
        print(
            f"{split:<8} {_pct(s.found, s.gold):>16} {_pct(s.exact_source, s.gold):>16} "
            f"{_pct(s.naming, s.found):>16} {_pct(s.kind, s.found):>16} "
            f"{_pct(s.quote_type, s.found):>16} "
            f"{_pct(s.predicted_matched, s.predicted):>16}"
        )


def throughput_and_claims() -> None:
    model = load_model()
    texts = [
        normalise_newlines((DATA / "texts" / name).read_text(encoding="utf-8"))
        for name in SAMPLE_DOCS
    ]
    docs = list(model.nlp.pipe(texts))
    claims = [c for doc in docs for c in suggest_claims(doc)]
    yes = sum(1 for c in claims if c.attrs["checkworthy"] == "yes")
    sentences = sum(1 for doc in docs for _ in doc.sents)
    print(
        f"claim suggestions on the {len(texts)} samples: {len(claims)} "
        f"({yes} checkworthy=yes) out of {sentences} sentences"
    )

    repeat = 20
    batch = texts * repeat
    chars = sum(len(t) for t in batch)
    start = time.perf_counter()
    piped = list(model.nlp.pipe(batch, batch_size=16))
    elapsed = time.perf_counter() - start
    tokens = sum(len(d) for d in piped)
    print(
        f"nlp.pipe ({model.version}): {len(batch)} docs, {chars / 1e3:.0f} k chars in "
        f"{elapsed:.2f} s: {len(batch) / elapsed:.1f} docs/s, {chars / elapsed / 1e3:.0f} "
        f"k chars/s, {tokens / elapsed:,.0f} tokens/s"
    )
    start = time.perf_counter()
    for doc in piped:
        suggest_attributions(doc)
        suggest_claims(doc)
    elapsed = time.perf_counter() - start
    print(f"suggesters (attributions + claims) on the same docs: {len(piped) / elapsed:.1f} docs/s")


def main() -> None:
    verbose = "--verbose" in sys.argv or "-v" in sys.argv
    results = evaluate(verbose=verbose)
    report(results)
    throughput_and_claims()


if __name__ == "__main__":
    main()
