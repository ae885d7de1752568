"""Command-line start-up: ``annotator --version`` and ``annotator list``.

Run as ``python tests/bench/bench_cli_start.py`` (``make bench`` runs every bench).
Each command runs as a real process, several times; the median wall time is printed
beside the floor for any Python program (``python -c pass``) and for any program that
opens the project through SQLAlchemy (``import sqlalchemy.orm``). ``list`` runs on the
default project (the demo articles) and on one of 1,000 articles, with its CPU time
beside (a busy machine stretches wall time, not CPU time). Target: both commands
<= 0.3 s.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7
TARGET = 0.3


def median_seconds(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of the command."""
    times, cpus = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpus)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ANNOTATOR_HOME": tmp}
        annotator = [sys.executable, "-m", "annotator"]
        subprocess.run([*annotator, "list"], env=env, check=True, stdout=subprocess.DEVNULL)
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i in range(1000):
            (folder / f"a{i}.txt").write_text(f"Article {i}\n\nThe ministry said talks on "
                                              f"day {i} went well.\n", encoding="utf-8")
        big = Path(tmp) / "thousand.sqlite"
        subprocess.run([*annotator, "--project", str(big), "import", str(folder)], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        rows = [
            ("annotator --version", median_seconds([*annotator, "--version"], env), True),
            ("annotator list (demo project)", median_seconds([*annotator, "list"], env), True),
            ("annotator list (1,000 articles)",
             median_seconds([*annotator, "--project", str(big), "list"], env), True),
            ("limit: python -c pass", median_seconds([sys.executable, "-c", "pass"], env),
             False),
            ("limit: python -c 'import sqlalchemy.orm'",
             median_seconds([sys.executable, "-c", "import sqlalchemy.orm"], env), False),
        ]
    print(f"median of {RUNS} runs; load average {os.getloadavg()[0]:.2f} (CPU time is what "
          "other load on the machine changes least)")
    for label, (seconds, cpu), targeted in rows:
        verdict = f"  (target <= {TARGET} s: {'ok' if seconds <= TARGET else 'MISSED'})" \
            if targeted else ""
        print(f"{label:<42} {seconds:>6.3f} s wall {cpu:>6.3f} s CPU{verdict}")


if __name__ == "__main__":
    main()
