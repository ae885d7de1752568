"""Export throughput and memory: 100,000 small annotated documents to JSONL.

Run as ``python tests/bench/bench_export.py [N]`` (``make bench`` runs every bench).
A child process builds the project with bulk Core inserts (``store.export_queries.
bulk_insert``), so this process's memory figures belong to the export alone. The
export then runs through the real service (``services.export.export``), which for an
export this large encodes pages in worker processes (one per core). At 10k, 50k and
100k records it prints records/s, MB/s (cumulative, start-up included) and resident
memory of this process and of the workers. Flat memory: this process stays constant;
each worker grows until its token cache is full (two generations of 20,000 chunks,
reached after ~40,000 documents here, each bringing a new number) and then stays.
Target: >= 20 MB/s. It then gives MB per CPU-second, which other load on the
machine does not change much, and beside it the simplest program that could write
these records (``raw_limit``: raw ``sqlite3`` and ``json.dumps``, one process).

Documents are ~1.5 kB of news-like prose (words and sentences from a fixed
vocabulary, quotes, a byline) with 6 blocks, 2 block labels, 5 spans, 2 attributions
and a sourcing rating each, all by one annotator, status done.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

N = 100_000
CHECKPOINTS = (10_000, 50_000, 100_000)
BUILD_CHUNK = 5_000
WORDS = (
    "the coalition officials ministry talks security forces withdrawal Baghdad Washington "
    "statement commission training months agreement government military according to "
    "analysts expected would could on Thursday in of and a for with its their new "
    "parliament Iraq's US-led troops bases attacks militias future phased timeline"
).split()
SOURCES = ["The foreign ministry", "A senior official", "Analysts", "The spokesman",
           "Two diplomats", "Prime Minister Mohammed Shia al-Sudani"]


def _sentence(rng: random.Random, n: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 22)))
    return f"{words.capitalize()}, {n % 97} people said."


def _document(rng: random.Random, n: int):  # type: ignore[no-untyped-def]
    from annotator.core.blocks import segment
    from annotator.core.model import Annotations, DocumentData, RelationData, SpanData
    from annotator.core.text import sha256
    from annotator.store.export_queries import BulkDocument

    source = rng.choice(SOURCES)
    quote = _sentence(rng, n).rstrip(".")
    paragraphs = [
        f"Coalition talks, day {n}: what we know",
        f"By Staff Reporter | {n % 28 + 1} Jan, 2024",
        f"{source} said “{quote}” on Thursday. {_sentence(rng, n)}",
        " ".join(_sentence(rng, n + i) for i in range(3)),
        f"{rng.choice(SOURCES)} told reporters that {_sentence(rng, n).lower()}",
        "Related: Iraq coalition talks explained",
    ]
    text = "\n\n".join(paragraphs)
    blocks = [(b.start, b.end) for b in segment(text)]
    p3, p5 = text.index(paragraphs[2]), text.index(paragraphs[4])
    second = paragraphs[4].split(" told")[0]
    said = p3 + len(source) + 1
    quoted = text.index("“", p3)
    claim2 = text.index(" that ", p5) + 6
    uid = f"{n:06d}"
    spans = [
        SpanData(f"s1-{uid}", "SOURCE", p3, p3 + len(source), {"naming": "named",
                                                                 "kind": "official"}),
        SpanData(f"c1-{uid}", "CUE", said, said + 4, {}),
        SpanData(f"k1-{uid}", "CLAIM", quoted, text.index("”", quoted) + 1,
                 {"checkworthy": "yes"}),
        SpanData(f"s2-{uid}", "SOURCE", p5, p5 + len(second), {"naming": "vague"}),
        SpanData(f"k2-{uid}", "CLAIM", claim2, p5 + len(paragraphs[4]), {}),
    ]
    relations = [
        RelationData(f"r1-{uid}", "ATTRIBUTION", f"s1-{uid}", f"k1-{uid}", f"c1-{uid}",
                     {"quote_type": "direct"}),
        RelationData(f"r2-{uid}", "ATTRIBUTION", f"s2-{uid}", f"k2-{uid}", None,
                     {"quote_type": "indirect"}),
    ]
    labels = Annotations(
        blocks={1: "metadata", len(blocks) - 1: "related"}, spans=spans, relations=relations,
        doc_labels={"sourcing": rng.choice(["well_sourced", "partly_sourced"])},
        status="done", updated_at=datetime(2024, 1, 1) + timedelta(seconds=n),
    )
    return BulkDocument(DocumentData(sha256(text), text, paragraphs[0], "bench.jsonl",
                                    {"n": n}, blocks), {"alice": labels})


def build(path: Path, n: int) -> None:
    """Child process: a project with ``n`` annotated documents."""
    from annotator.store import open_project
    from annotator.store.export_queries import bulk_insert

    rng = random.Random(11)
    project = open_project(path)
    try:
        for first in range(0, n, BUILD_CHUNK):
            items = [_document(rng, i) for i in range(first, min(n, first + BUILD_CHUNK))]
            with project.session() as session:
                bulk_insert(session, items)
    finally:
        project.close()


def _status(pid: str) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _memory() -> tuple[float, float, float]:
    """Resident set size in MB: (this process now, its peak, export workers now).

    Large exports run worker processes, so their memory is shown too (Linux /proc;
    elsewhere only this process's peak from getrusage)."""
    try:
        current, peak = _status("self")
        workers = 0.0
        for task in Path("/proc/self/task").iterdir():
            for child in (task / "children").read_text().split():
                workers += _status(child)[0]
        return current, peak, workers
    except (OSError, KeyError, ValueError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak, 0.0


def _cpu() -> float:
    """CPU seconds used by this process and its finished children (the workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def raw_limit(db: Path, out: Path) -> tuple[float, float, int]:
    """The simplest program that could write these records: raw ``sqlite3`` reading the
    same rows (documents, blocks, block labels, spans, relations, document labels,
    progress) a page of ids at a time, one ``json.dumps`` per document, in one process.
    No token offsets, no metrics. Returns wall seconds, CPU seconds and bytes written."""
    import json
    import sqlite3
    from collections import defaultdict

    started, cpu = time.perf_counter(), time.process_time()
    conn = sqlite3.connect(db)
    size = 0
    with open(out, "wb") as stream:
        last = 0
        while True:
            ids = [r[0] for r in conn.execute(
                "SELECT document_id FROM progress WHERE document_id > ? ORDER BY document_id "
                "LIMIT 500", (last,))]
            if not ids:
                break
            span = (ids[0], ids[-1])
            last = ids[-1]
            grouped: dict[str, dict[int, list[tuple[object, ...]]]] = {}
            for table, query in (
                ("blocks", 'SELECT document_id, start, "end" FROM blocks WHERE document_id '
                           'BETWEEN ? AND ? ORDER BY document_id, "index"'),
                ("labels", "SELECT document_id, block_index, label FROM block_labels "
                           "WHERE document_id BETWEEN ? AND ?"),
                ("spans", 'SELECT document_id, id, uid, label, start, "end", attrs FROM spans '
                          'WHERE document_id BETWEEN ? AND ? ORDER BY document_id, start, "end"'),
                ("relations", "SELECT document_id, uid, label, head_id, child_id, cue_id, attrs "
                              "FROM relations WHERE document_id BETWEEN ? AND ?"),
                ("doc_labels", "SELECT document_id, name, value FROM doc_labels "
                               "WHERE document_id BETWEEN ? AND ?"),
                ("progress", "SELECT document_id, status, updated_at FROM progress "
                             "WHERE document_id BETWEEN ? AND ?"),
            ):
                rows: dict[int, list[tuple[object, ...]]] = defaultdict(list)
                for row in conn.execute(query, span):
                    rows[row[0]].append(row[1:])
                grouped[table] = rows
            for doc_id, sha, text, title, source, meta in conn.execute(
                    "SELECT id, sha256, text, title, source, meta FROM documents "
                    "WHERE id BETWEEN ? AND ?", span):
                uid = {sid: u for sid, u, *_ in grouped["spans"][doc_id]}
                status, updated = grouped["progress"][doc_id][0]
                record = {
                    "id": sha, "text": text,
                    "meta": {"source": source, "title": title, **json.loads(meta)},
                    "status": status, "updated_at": updated,
                    "blocks": [{"start": s, "end": e} for s, e in grouped["blocks"][doc_id]],
                    "block_labels": dict(grouped["labels"][doc_id]),
                    "spans": [{"id": u, "start": s, "end": e, "label": lab,
                               "text": text[s:e], "attrs": json.loads(a)}
                              for _, u, lab, s, e, a in grouped["spans"][doc_id]],
                    "relations": [{"id": u, "head": uid[h], "child": uid[c],
                                   "cue": uid.get(cue), "label": lab, "attrs": json.loads(a)}
                                  for u, lab, h, c, cue, a in grouped["relations"][doc_id]],
                    "doc_labels": dict(grouped["doc_labels"][doc_id]),
                }
                line = (json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                        + "\n").encode("utf-8")
                stream.write(line)
                size += len(line)
    conn.close()
    return time.perf_counter() - started, time.process_time() - cpu, size


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N
    from annotator.services.export import ExportOptions, export
    from annotator.store import open_project

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build", str(db), str(n)], check=True)
        print(f"built {n:,} annotated documents in {time.perf_counter() - started:.1f} s "
              f"({db.stat().st_size / 1e6:.0f} MB project)")
        out = Path(tmp) / "export.jsonl"
        project = open_project(db)
        rows: list[str] = []
        begin = time.perf_counter()
        marks = [c for c in CHECKPOINTS if c <= n] or [n]

        def progress(done: int, total: int, _stage: str) -> None:
            if marks and done >= marks[0]:
                marks.pop(0)
                elapsed = time.perf_counter() - begin
                written = sum(p.stat().st_size for p in Path(tmp).glob(".export.jsonl.*"))
                current, peak, workers = _memory()
                rows.append(f"{done:>9,} {done / elapsed:>11,.0f} {written / 1e6 / elapsed:>7.1f} "
                            f"{current:>8.0f} {peak:>8.0f} {workers:>11.0f}")

        load = os.getloadavg()[0]
        cpu_before = _cpu()
        try:
            summary = export(project, ExportOptions(annotators=("alice",)), out,
                             progress=progress)
        finally:
            project.close()
        elapsed = time.perf_counter() - begin
        cpu = _cpu() - cpu_before
        out.unlink()
        raw_wall, raw_cpu, raw_bytes = raw_limit(db, Path(tmp) / "raw.jsonl")
    print(f"{'records':>9} {'records/s':>11} {'MB/s':>7} {'RSS MB':>8} {'peak MB':>8} "
          f"{'workers MB':>11}")
    print("\n".join(rows))
    rate = summary.bytes / 1e6 / elapsed
    print(f"exported {summary.records:,} records ({summary.bytes / 1e6:.0f} MB) in "
          f"{elapsed:.1f} s: {summary.records / elapsed:,.0f} records/s, {rate:.1f} MB/s "
          f"(target >= 20 MB/s: {'ok' if rate >= 20 else 'MISSED'})")
    # CPU time does not depend on what else the machine runs: MB per CPU-second, over
    # this process and its export workers, says what the code itself costs.
    print(f"CPU: {cpu:.1f} s over {elapsed:.1f} s on {os.cpu_count()} cores, "
          f"{summary.bytes / 1e6 / cpu:.1f} MB per CPU-second; load average before: "
          f"{load:.2f}")
    print(f"limit: raw sqlite3 + json.dumps, one process, no token offsets or metrics: "
          f"{raw_bytes / 1e6:.0f} MB in {raw_wall:.1f} s, {raw_bytes / 1e6 / raw_wall:.1f} MB/s "
          f"wall, {raw_bytes / 1e6 / raw_cpu:.1f} MB per CPU-second")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        build(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
