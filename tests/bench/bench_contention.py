"""Annotators' writes while long writers run: how long does a label wait?

Run as ``python tests/bench/bench_contention.py [N]`` (``make bench`` runs every bench).
Two annotators label blocks on the lead's project, each through its own connection and
``AnnotationService`` (as two windows would), one write every ~20 ms, while three
``annotator import`` processes run on the same file: a merge of N (default 20,000)
annotators' export records and two imports of 3,000 plain articles each. Every write's
wall time is recorded, from the call to its commit; a write that raises counts as failed.

Prints the wait distribution (p50, p99, max) and the failed writes. Targets: p99 <= 200
ms, max <= 2 s, zero failed writes; they hold only if the long writers commit in short
chunks, since SQLite has one writer at a time.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

N = 20_000
ARTICLES = 3_000
TARGET_P99_MS = 200.0
TARGET_MAX_MS = 2_000.0
WORDS = ("the council said officials ministry talks security budget vote statement "
         "commission months agreement government according to spokesman reported").split()


def _articles(folder: Path, tag: str, n: int) -> None:
    rng = random.Random(tag)
    folder.mkdir()
    for i in range(n):
        parts = [f"{tag} headline {i}"]
        while sum(len(p) for p in parts) < 3000:
            parts.append(" ".join(rng.choice(WORDS) for _ in range(20)).capitalize() + ".")
        (folder / f"{tag}{i:05}.txt").write_text("\n\n".join(parts), encoding="utf-8")


def _annotate(path: Path, name: str, stop: threading.Event, waits: list[float],
              failures: list[str]) -> None:
    from annotator.services.annotation import AnnotationService
    from annotator.store import open_project

    project = open_project(path)
    try:
        service = AnnotationService(project, name)
        ids = service.document_ids()[:50]
        rng = random.Random(name)
        labels = ["content", "navigation", "caption", "promo"]
        while not stop.is_set():
            doc_id = rng.choice(ids)
            started = time.perf_counter()
            try:
                service.set_block_labels(doc_id, {0: rng.choice(labels)})
            except Exception as exc:  # noqa: BLE001 - a failed write is what is counted
                failures.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
            waits.append(time.perf_counter() - started)
            time.sleep(0.02)
    finally:
        project.close()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N
    articles = max(100, ARTICLES * n // N)
    from annotator.services.export import ExportOptions, export
    from annotator.services.importing import import_paths
    from annotator.store import open_project

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / "source.sqlite"
        subprocess.run([sys.executable, str(Path(__file__).parent / "bench_export.py"),
                        "--build", str(source), str(n)], check=True)
        records = tmp / "carol.jsonl"
        project = open_project(source)
        try:
            export(project, ExportOptions(annotators=("alice",)), records)
        finally:
            project.close()
        _articles(tmp / "a", "a", articles)
        _articles(tmp / "b", "b", articles)
        _articles(tmp / "own", "own", 50)
        lead = tmp / "lead.sqlite"
        project = open_project(lead)
        import_paths(project, [tmp / "own"])  # the documents the annotators label
        project.close()

        stop = threading.Event()
        waits: dict[str, list[float]] = {"dana": [], "erik": []}
        failures: list[str] = []
        annotators = [threading.Thread(target=_annotate, args=(lead, name, stop, waits[name],
                                                               failures))
                      for name in waits]
        for thread in annotators:
            thread.start()
        time.sleep(0.5)
        started = time.perf_counter()
        command = [sys.executable, "-m", "annotator", "--project", str(lead), "import"]
        jobs = {f"merge of {n:,} records": records,
                **{f"import of {articles:,} articles ({tag})": tmp / tag for tag in "ab"}}
        writers = {}
        for i, (label, what) in enumerate(jobs.items()):
            with open(tmp / f"out{i}.txt", "w") as out:  # the child keeps its own handle
                writers[label] = (subprocess.Popen([*command, str(what)], stdout=out,
                                                   stderr=subprocess.STDOUT), tmp / f"out{i}.txt")
        outcomes = {}
        while len(outcomes) < len(writers):
            for label, (proc, out_path) in writers.items():
                if label not in outcomes and proc.poll() is not None:
                    lines = [line.split("\r")[-1] for line in
                             out_path.read_text().strip().splitlines()]
                    errors = [line for line in lines if line.startswith("annotator:")]
                    summary = [line for line in lines if " imported, " in line]
                    outcomes[label] = (proc.returncode, time.perf_counter() - started,
                                       "; ".join([*summary, *errors[:3]]))
            time.sleep(0.05)
        stop.set()
        for thread in annotators:
            thread.join()

    everything = [w * 1000 for ws in waits.values() for w in ws]
    print(f"load average {os.getloadavg()[0]:.2f}")
    for label, (code, seconds, line) in outcomes.items():
        print(f"{label:<34} exit {code} after {seconds:6.1f} s  {line}")
    print(f"{'writes':<10} {'count':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, ws in [*waits.items(), ("both", [w / 1000 for w in everything])]:
        ms = [w * 1000 for w in ws]
        print(f"{name:<10} {len(ms):>6} {statistics.median(ms):>8.1f} "
              f"{_percentile(ms, 0.99):>8.1f} {max(ms):>8.1f}")
    print(f"failed writes: {len(failures)}" + (f" (first: {failures[0]})" if failures else ""))
    p99, worst = _percentile(everything, 0.99), max(everything)
    ok = p99 <= TARGET_P99_MS and worst <= TARGET_MAX_MS and not failures
    print(f"targets p99 <= {TARGET_P99_MS:.0f} ms, max <= {TARGET_MAX_MS:,.0f} ms, "
          f"0 failed: {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
