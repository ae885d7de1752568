"""Import throughput and memory, each figure beside the machine's own limit.

1. Plain import of 10,000 generated ~5 kB articles (4 JSONL files, as a lead receives
   them), with the real ``annotator import`` command run as a subprocess: start-up
   counted. Beside it, the physical limit: the same rows (documents and blocks, read
   back from the imported project) written with raw ``sqlite3`` executemany into a
   fresh file with the same schema and pragmas, no ORM, no parsing. Targets: >= 5,000
   articles/s and within 2x of the raw limit.
2. The same articles as 10,000 ``.txt`` files in a folder.
3. One 100 MB JSONL file in one command: time and peak memory (the command and its
   reader process together). Target: under 300 MB.
4. A 17.5 MB ``.txt`` of 3.5 million short lines: refused in one line (over the
   documented per-document line limit), in linear time and bounded memory.

Usage: ``bench_import.py [N]`` (default 10,000 articles).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.text import MAX_LINES

REPO = Path(__file__).resolve().parents[2]
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


# Runs the command and reports its wall time and peak memory. A small launcher process is
# the command's parent because on Linux a child's ru_maxrss includes the memory it
# shared with its parent before exec: measured from this (large) benchmark process, every
# command would seem to use at least as much as the benchmark holds. A large import
# reads in a worker process of its own, so the launcher also samples the resident memory
# of the command and its children together every 20 ms and reports the larger figure.
LAUNCHER = """
import os, resource, subprocess, sys, threading, time

def resident(pid):
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmRSS"))
    except (OSError, StopIteration):
        return 0

def tree(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [pid, *map(int, fh.read().split())]
    except OSError:
        return [pid]

start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
together = [0]

def sample():
    while child.returncode is None:
        together[0] = max(together[0], sum(map(resident, tree(child.pid))))
        time.sleep(0.02)

threading.Thread(target=sample, daemon=True).start()
child.wait()
elapsed = time.perf_counter() - start
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"@@ {elapsed} {max(maxrss, together[0])} {child.returncode}", file=sys.stderr)
"""


# ``annotator import`` with the reading done in its own process whatever the input's size
# (as it is below ``importing.WORKER_MIN_BYTES``): what the worker process gains.
WITHOUT_WORKER = ("import sys; from annotator.services import importing; "
                  "importing.WORKER_MIN_BYTES = 1 << 62; from annotator.cli import main; "
                  "sys.exit(main(sys.argv[1:]))")


def run_import(project: Path, *paths: Path, worker: bool = True
               ) -> tuple[float, float, str, int]:
    """(seconds, peak memory in MB, summary line, exit code) of one real ``annotator
    import`` (the memory of the command and its reader process together)."""
    env = {**os.environ, "ANNOTATOR_HOME": str(project.parent / "home")}
    command = ["-m", "annotator"] if worker else ["-c", WITHOUT_WORKER]
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, sys.executable, *command,
         "--project", str(project), "import", *map(str, paths)],
        capture_output=True, text=True, env=env, cwd=REPO,
    )
    out, err = done.stdout, done.stderr
    _, elapsed, maxrss, code = next(e for e in err.splitlines() if e.startswith("@@")).split()
    seconds, rss = float(elapsed), int(maxrss) / 1024
    line = (out.strip().splitlines() or [""])[-1]
    errors = [e for e in err.splitlines() if e.startswith("annotator:")]
    if errors:
        line += " | " + errors[0][:160] + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else "")
    return seconds, rss, line, int(code)


def raw_limit(project: Path, fresh: Path) -> float:
    """Seconds for raw sqlite3 to write the project's documents and blocks again."""
    src = sqlite3.connect(project)
    schema = [sql for (sql,) in src.execute(
        "select sql from sqlite_master where tbl_name in ('documents', 'blocks') "
        "and sql is not null order by type desc")]
    docs = src.execute("select id, sha256, title, text, source, meta, imported_at "
                       "from documents").fetchall()
    blocks = src.execute('select document_id, "index", start, "end", evidence, fingerprint '
                         "from blocks").fetchall()
    src.close()
    dst = sqlite3.connect(fresh)
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA synchronous=NORMAL")
    for sql in schema:
        dst.execute(sql)
    dst.commit()
    start = time.perf_counter()
    with dst:
        dst.executemany("insert into documents (id, sha256, title, text, source, meta, "
                        "imported_at) values (?, ?, ?, ?, ?, ?, ?)", docs)
        dst.executemany('insert into blocks (document_id, "index", start, "end", evidence, '
                        "fingerprint) values (?, ?, ?, ?, ?, ?)", blocks)
    elapsed = time.perf_counter() - start
    dst.close()
    return elapsed


def plain_import(tmp: Path, texts: list[str]) -> None:
    folder = tmp / "jsonl"
    folder.mkdir()
    quarter = (len(texts) + 3) // 4
    for part in range(4):
        with open(folder / f"part{part}.jsonl", "w", encoding="utf-8") as fh:
            for text in texts[part * quarter : (part + 1) * quarter]:
                fh.write(json.dumps({"text": text}) + "\n")
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    project = tmp / "jsonl.sqlite"
    seconds, rss, line, code = run_import(project, folder)
    alone, alone_rss, alone_line, alone_code = run_import(tmp / "alone.sqlite", folder,
                                                          worker=False)
    raw = raw_limit(project, tmp / "raw.sqlite")
    tiny = tmp / "tiny.txt"
    tiny.write_text("One short article.", encoding="utf-8")
    startup = min(run_import(tmp / f"startup{i}.sqlite", tiny)[0] for i in range(3))
    n = len(texts)
    print(f"plain import, {n:,} articles in 4 JSONL files ({size:.0f} MB), start-up counted:")
    print(f"  annotator import   {seconds:6.2f} s  {n / seconds:8,.0f} articles/s  "
          f"peak {rss:.0f} MB  (target >= 5,000/s)   [{line}] exit {code}")
    print(f"  without a worker   {alone:6.2f} s  {n / alone:8,.0f} articles/s  "
          f"peak {alone_rss:.0f} MB  (reading here, between writes)   [{alone_line}] "
          f"exit {alone_code}")
    print(f"  raw sqlite3 limit  {raw:6.2f} s  {n / raw:8,.0f} articles/s  "
          f"(same rows, executemany, no ORM)")
    print(f"  ratio              {seconds / raw:6.2f}x the raw limit (target <= 2x)")
    print(f"  of which start-up  {startup:6.2f} s  (a one-article import into a new project); "
          f"without it {n / (seconds - startup):,.0f} articles/s, "
          f"{(seconds - startup) / raw:.2f}x the raw limit")

    folder = tmp / "txt"
    folder.mkdir()
    for i, text in enumerate(texts):
        (folder / f"a{i:05}.txt").write_text(text, encoding="utf-8")
    seconds, rss, line, code = run_import(tmp / "txt.sqlite", folder)
    print(f"  {n:,} .txt files   {seconds:6.2f} s  {n / seconds:8,.0f} articles/s  "
          f"peak {rss:.0f} MB   [{line}] exit {code}")


def big_jsonl(tmp: Path, rng: random.Random) -> None:
    path = tmp / "big.jsonl"
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < 100_000_000:
            fh.write(json.dumps({"text": article(rng, 100_000 + n), "meta": {"n": n}}) + "\n")
            n += 1
    size = path.stat().st_size / 1e6
    seconds, rss, line, code = run_import(tmp / "big.sqlite", path)
    print(f"one {size:.0f} MB JSONL ({n:,} records) in one command:")
    print(f"  {seconds:6.2f} s  {size / seconds:5.1f} MB/s  peak {rss:.0f} MB "
          f"(target < 300 MB)   [{line}] exit {code}")
    gz = tmp / "big.jsonl.gz"
    with open(path, "rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
    seconds, rss, line, code = run_import(tmp / "gz.sqlite", gz)
    print(f"  the same gzipped ({gz.stat().st_size / 1e6:.0f} MB .jsonl.gz): {seconds:6.2f} s  "
          f"peak {rss:.0f} MB   [{line}] exit {code}")


def many_lines(tmp: Path) -> None:
    path = tmp / "lines.txt"
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(f"l{i % 1000:03}\n" for i in range(3_500_000))
    size = path.stat().st_size / 1e6
    seconds, rss, line, code = run_import(tmp / "lines.sqlite", path)
    print(f"a {size:.1f} MB .txt of 3.5 million short lines:")
    print(f"  {seconds:6.2f} s  peak {rss:.0f} MB (target < 300 MB)   [{line}] exit {code}")
    rng = random.Random(3)
    path = tmp / "widest.txt"
    with open(path, "w", encoding="utf-8") as fh:  # the largest .txt accepted: 20 MB,
        for _ in range(MAX_LINES - 1):  # every line its own block
            fh.write(" ".join(rng.choice(WORDS) for _ in range(30))[:199] + "\n")
    size = path.stat().st_size / 1e6
    seconds, rss, line, code = run_import(tmp / "widest.sqlite", path)
    print(f"the largest accepted .txt ({size:.1f} MB, {MAX_LINES - 1:,} lines, one block each):")
    print(f"  {seconds:6.2f} s  peak {rss:.0f} MB (target < 300 MB)   [{line}] exit {code}")


def main() -> None:
    rng = random.Random(7)
    texts = [article(rng, i) for i in range(N)]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        plain_import(tmp, texts)
        big_jsonl(tmp, rng)
        many_lines(tmp)


if __name__ == "__main__":
    main()
