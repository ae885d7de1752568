"""Merge throughput: 40,000 annotators' export records into a project.

Run as ``python tests/bench/bench_merge.py [N]`` (``make bench`` runs every bench).
A child process builds a project of N annotated documents (``bench_export.build``: 6
blocks, 2 block labels, 5 spans, 2 attributions and a rating each), which is exported
to JSONL through the real service. That file is then merged through the real command
path (``services.merge.merge_paths``) three times:

- into a new project: every document added, every record merged (the lead's first merge);
- again: every record unchanged (a file merged twice changes nothing);
- a newer version of every record (a changed rating, a later ``updated_at``): every
  record replaces what is stored.

Beside it, the simplest program that could store the same rows: raw ``sqlite3``
reading the same file with ``json.loads`` and writing documents, blocks, block labels,
spans, relations, document labels and progress with ``executemany`` (one transaction
per 500 records, like the merge), no checks. Target: >= 2,000 records/s for the first
merge.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

N = 40_000
TARGET = 2_000
RAW_BATCH = 500


def _newer(source: Path, out: Path) -> None:
    """Every record changed (its rating flipped) one day later: each one replaces."""
    flip = {"well_sourced": "partly_sourced", "partly_sourced": "well_sourced"}
    with open(source, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            record = json.loads(line)
            record["doc_labels"]["sourcing"] = flip[record["doc_labels"]["sourcing"]]
            record["updated_at"] = "2025" + record["updated_at"][4:]
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")


def raw_sqlite(path: Path, records: Path) -> tuple[float, float]:
    """Seconds the simplest program takes to store the same rows (no ORM, no checks)."""
    from annotator.store import open_project

    open_project(path).close()  # the same schema, indexes and constraints
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("INSERT INTO annotators (name, role) VALUES ('alice', 'annotator')")
    conn.commit()
    started, cpu = time.perf_counter(), time.process_time()
    doc_id = span_id = 0
    with open(records, encoding="utf-8") as fh:
        lines = fh.readlines()
    for first in range(0, len(lines), RAW_BATCH):
        docs, blocks, labels, spans, relations, ratings, progress = ([] for _ in range(7))
        for line in lines[first : first + RAW_BATCH]:
            r = json.loads(line)
            doc_id += 1
            docs.append((doc_id, r["id"], r["meta"].get("title", ""), r["text"], "bench",
                         json.dumps(r["meta"]), "2024-01-01 00:00:00"))
            ids = {}
            for i, b in enumerate(r["blocks"]):
                blocks.append((doc_id, i, b["start"], b["end"]))
                if b["label"]:
                    labels.append((doc_id, i, 1, b["label"]))
            for s in r["spans"]:
                span_id += 1
                ids[s["id"]] = span_id
                spans.append((span_id, s["id"], doc_id, 1, s["label"], s["start"], s["end"],
                              json.dumps(s["attrs"])))
            for x in r["relations"]:
                relations.append((x["id"], doc_id, 1, x["label"], ids[x["head"]],
                                  ids[x["child"]], ids.get(x["cue"]), json.dumps(x["attrs"])))
            ratings.extend((doc_id, 1, k, v) for k, v in r["doc_labels"].items())
            progress.append((doc_id, 1, r["status"], 0.0, r["updated_at"]))
        with conn:
            conn.executemany("INSERT INTO documents (id, sha256, title, text, source, meta, "
                             "imported_at) VALUES (?,?,?,?,?,?,?)", docs)
            conn.executemany('INSERT INTO blocks (document_id, "index", start, "end") '
                             "VALUES (?,?,?,?)", blocks)
            conn.executemany("INSERT INTO block_labels (document_id, block_index, "
                             "annotator_id, label) VALUES (?,?,?,?)", labels)
            conn.executemany('INSERT INTO spans (id, uid, document_id, annotator_id, label, '
                             'start, "end", attrs) VALUES (?,?,?,?,?,?,?,?)', spans)
            conn.executemany("INSERT INTO relations (uid, document_id, annotator_id, label, "
                             "head_id, child_id, cue_id, attrs) VALUES (?,?,?,?,?,?,?,?)",
                             relations)
            conn.executemany("INSERT INTO doc_labels (document_id, annotator_id, name, value) "
                             "VALUES (?,?,?,?)", ratings)
            conn.executemany("INSERT INTO progress (document_id, annotator_id, status, "
                             "seconds, updated_at) VALUES (?,?,?,?,?)", progress)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    conn.close()
    return elapsed, cpu


def timed(what: Callable[[], object]) -> tuple[object, float, float]:
    """The result, wall seconds and CPU seconds (what other load changes least)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = what()
    return result, time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N
    from annotator.services.export import ExportOptions, export
    from annotator.services.merge import merge_paths
    from annotator.store import open_project

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.sqlite"
        subprocess.run([sys.executable, str(Path(__file__).parent / "bench_export.py"),
                        "--build", str(source), str(n)], check=True)
        records = Path(tmp) / "alice.jsonl"
        project = open_project(source)
        try:
            export(project, ExportOptions(annotators=("alice",)), records)
        finally:
            project.close()
        newer = Path(tmp) / "alice-newer.jsonl"
        _newer(records, newer)
        size = records.stat().st_size
        print(f"{n:,} export records, {size / 1e6:.1f} MB; load average "
              f"{os.getloadavg()[0]:.2f}")
        print(f"{'merge':<34} {'seconds':>8} {'records/s':>10} {'MB/s':>6} {'CPU s':>6} "
              f"{'rec/CPU-s':>9}  counts")
        target = open_project(Path(tmp) / "lead.sqlite")
        rows = []
        try:
            for label, path in (("into a new project (all added)", records),
                                ("the same file again (unchanged)", records),
                                ("newer records (all replaced)", newer)):
                counts, seconds, cpu = timed(lambda path=path: merge_paths(target, [path]))
                rows.append((label, seconds, counts))
                print(f"{label:<34} {seconds:>8.2f} {n / seconds:>10,.0f} "
                      f"{size / 1e6 / seconds:>6.1f} {cpu:>6.1f} {n / cpu:>9,.0f}  "
                      f"{counts.line()}")  # type: ignore[attr-defined]
        finally:
            target.close()
        raw, raw_cpu = raw_sqlite(Path(tmp) / "raw.sqlite", records)
        print(f"{'limit: raw sqlite3 executemany':<34} {raw:>8.2f} {n / raw:>10,.0f} "
              f"{size / 1e6 / raw:>6.1f} {raw_cpu:>6.1f} {n / raw_cpu:>9,.0f}  same rows, "
              "json.loads, no checks")
    first = rows[0][1]
    rate = n / first
    print(f"first merge: {rate:,.0f} records/s, {first / raw:.1f}× the raw limit "
          f"(target >= {TARGET:,} records/s: {'ok' if rate >= TARGET else 'MISSED'})")


if __name__ == "__main__":
    main()
