"""Import throughput: 10,000 generated ~5 kB articles into a new project.

Prints articles per second and peak RSS at each quarter of the run, so a memory leak
(RSS growing with the corpus) shows as a rising column. Target: >= 1,000 articles/s.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from annotator.services.importing import import_paths
from annotator.store import open_project

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
WORDS = (
    "the coalition said officials ministry talks security forces withdrawal Baghdad "
    "Washington statement commission training months agreement government military "
    "according to spokesman reported analysts expected would could on Thursday in"
).split()


def article(rng: random.Random, n: int) -> str:
    parts = [f"Headline number {n} about coalition talks", "By Staff Reporter | 12 Jan, 2024"]
    while sum(len(p) for p in parts) < 5000:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
        parts.append(sentence.capitalize() + f" ({n}).")
    parts.append("Published in The Daily, January 26th, 2024")
    return "\n\n".join(parts)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i in range(N):
            (folder / f"a{i:05}.txt").write_text(article(rng, i), encoding="utf-8")
        size = sum(p.stat().st_size for p in folder.iterdir())
        project = open_project(Path(tmp) / "bench.sqlite")
        marks: list[tuple[int, float, float]] = []
        start = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done % (total // 4 or 1) == 0:
                marks.append((done, time.perf_counter() - start, rss_mb()))

        summary = import_paths(project, [folder], progress=progress)
        elapsed = time.perf_counter() - start
        project.close()
    print(f"imported {summary.imported} articles ({size / 1e6:.1f} MB) in {elapsed:.2f} s: "
          f"{summary.imported / elapsed:,.0f} articles/s, {size / 1e6 / elapsed:.1f} MB/s")
    print("  done  seconds  peak RSS MB")
    for done, secs, rss in marks:
        print(f"{done:>6} {secs:>8.2f} {rss:>12.1f}")


if __name__ == "__main__":
    main()
