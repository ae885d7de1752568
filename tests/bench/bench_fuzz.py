"""Fuzzing the import, merge and HTML parsers with a large budget.

The same properties as ``tests/fuzz`` (``tests/fuzz/properties.py``: exit 0 with the
data stored, or exit 2 with one line per problem and nothing half-stored), with many
more examples than the test suite can afford. Prints, per parser, the examples run and
the time taken; a failing example is printed by Hypothesis and the script exits 1.

    python tests/bench/bench_fuzz.py [EXAMPLES]   (default 2,000 per parser)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from annotator.store import open_project  # noqa: E402
from tests.fuzz import properties as p  # noqa: E402


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    budget = settings(max_examples=examples, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "fuzz.sqlite"
        open_project(project).close()
        runs = [
            ("HTML pages", given(markup=p.html_pages())(p.check_html)),
            ("article files (import)",
             given(file=p.article_files())(lambda file: p.check_import(project, *file))),
            ("export records (merge)",
             given(lines=p.merge_files())(lambda lines: p.check_merge(project, lines))),
        ]
        for label, test in runs:
            started = time.perf_counter()
            try:
                budget(test)()
                verdict = "ok"
            except Exception as exc:  # noqa: BLE001 - report and go on with the next parser
                verdict = f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                failed = True
            print(f"{label:<26} {examples:>6,} examples {time.perf_counter() - started:>7.1f} s  "
                  f"{verdict}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
