"""The shared external news-page benchmark (``../shared/ext-news-benchmark``), read at run
time and never copied into the project.

Pages are imported the way a user imports them (``txt`` as a ``.txt`` file, ``html`` as an
``.html`` file, through :func:`annotator.services.import_reading.to_new_document`, so the
blocks are the project's own segmentation), then each block gets its gold label by the
rule in the benchmark's README: a block is content when at least half of its word
characters are covered by word 4-grams of the gold body that are still unused; a block of
1-3 words only when it equals or begins a gold paragraph; headline blocks are left out.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bench_clutter

from annotator.core.formats import parse
from annotator.services.import_reading import to_new_document

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO.parent / "shared" / "ext-news-benchmark" / "pages.jsonl.gz"
_WORD = re.compile(r"\w+")
TEST_PREFIXES = ("0", "1", "2", "3")


def available() -> bool:
    return BENCH.is_file()


def is_test(page_id: str) -> bool:
    return page_id.startswith(TEST_PREFIXES)


@dataclass
class BenchDoc:
    """One page imported one way: its text, blocks, block evidence and gold per block."""

    page_id: str
    url: str
    kind: str  # "txt" | "html"
    text: str
    blocks: list[tuple[int, int]]
    evidence: list[dict[str, Any] | None]
    gold: list[str | None] = field(default_factory=list)  # "content" | "boilerplate" | None

    @property
    def weights(self) -> list[int]:
        return [len(" ".join(self.text[s:e].split())) for s, e in self.blocks]


def pages() -> Iterator[dict[str, Any]]:
    with gzip.open(BENCH, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def gold_labels(text: str, blocks: list[tuple[int, int]], gold: str,
                titles: list[str]) -> list[str | None]:
    """The README's rule, block by block in document order."""
    paragraphs = [_words(p) for p in gold.split("\n") if p.strip()]
    grams: Counter[tuple[str, ...]] = Counter()
    for words in paragraphs:
        grams.update(tuple(words[i : i + 4]) for i in range(len(words) - 3))
    title_words = [_words(t) for t in titles if t and t.strip()]
    out: list[str | None] = []
    for start, end in blocks:
        chunk = text[start:end]
        words = _words(chunk)
        if not words:
            out.append("boilerplate")
            continue
        if any(words == t for t in title_words):
            out.append(None)
            continue
        if len(words) <= 3:
            hit = any(p[: len(words)] == words for p in paragraphs)
            out.append("content" if hit else "boilerplate")
            continue
        covered = [False] * len(words)
        matched: list[tuple[str, ...]] = []
        for i in range(len(words) - 3):
            gram = tuple(words[i : i + 4])
            if grams[gram] > 0:
                matched.append(gram)
                for j in range(i, i + 4):
                    covered[j] = True
        total = sum(len(w) for w in words)
        share = sum(len(w) for w, c in zip(words, covered, strict=True) if c) / total
        if share >= 0.5:
            out.append("content")
            for gram in matched:
                if grams[gram] > 0:
                    grams[gram] -= 1
        else:
            out.append("boilerplate")
    return out


def load(kind: str, split: str = "all") -> list[BenchDoc]:
    """Every page of ``split`` ("train", "test" or "all") imported as ``kind``."""
    docs = []
    for page in pages():
        if split == "train" and is_test(page["id"]) or split == "test" and not is_test(page["id"]):
            continue
        suffix = ".txt" if kind == "txt" else ".html"
        parsed = parse(page[kind].encode("utf-8"), suffix, page["id"])[0]
        new = to_new_document(parsed, page["url"])
        evidence = list(getattr(new, "evidence", None) or [None] * len(new.blocks))
        doc = BenchDoc(page["id"], page["url"], kind, new.text, list(new.blocks), evidence)
        doc.gold = gold_labels(doc.text, doc.blocks, page["gold"], page.get("titles") or [])
        docs.append(doc)
    return docs


@dataclass
class Counts(bench_clutter.Counts):
    """Character-weighted counts of the boilerplate class over scored blocks."""

    content_chars: float = 0.0

    def add_doc(self, doc: BenchDoc, predicted_boilerplate: list[bool]) -> None:
        for gold, pred, weight in zip(doc.gold, predicted_boilerplate, doc.weights, strict=True):
            if gold is None:
                continue
            if gold != "boilerplate":
                self.content_chars += weight
            self.add(gold == "boilerplate", pred, weight)

    @property
    def content_flagged(self) -> float:
        """Share of gold content characters suggested as clutter."""
        return self.fp / self.content_chars if self.content_chars else 0.0

    def line(self) -> str:
        p, r, f = self.prf()
        return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  content flagged {self.content_flagged:.1%}"
