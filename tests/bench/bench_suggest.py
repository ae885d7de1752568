"""Pre-annotation cost: suggest's overhead over a bare ``nlp.pipe``, and GUI stall.

1. Bare: ``nlp.pipe`` over the texts in this process (the floor: the parse itself).
2. suggest: ``run_suggest`` on a project holding the same texts: worker process start,
   model load, parse, every suggester, and the writes. The model load is timed apart
   and reported, because it is paid once per run, not per document.
3. Stall: ``run_suggest`` in a QThread while a 5 ms QTimer ticks on the main thread;
   the longest gap between ticks beyond the interval is the event-loop stall.
Target: overhead <= 10 %, stall <= 50 ms.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.nlp.model import load_model  # noqa: E402
from annotator.services.importing import import_paths  # noqa: E402
from annotator.services.suggest import run_suggest  # noqa: E402
from annotator.store import open_project  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
N_COPIES = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def corpus() -> list[str]:
    sources = sorted((REPO / "tests" / "data" / "clutter").glob("*.txt"))
    sources += sorted((REPO.parent / "shared" / "samples").glob("*.txt"))
    base = [p.read_text(encoding="utf-8-sig").replace("\r\n", "\n") for p in sources]
    # Distinct texts (suggest skips duplicates by hash), same length and content mix.
    return [f"{text}\n\nCopy {i}." for i in range(N_COPIES) for text in base]


def make_project(folder: Path, texts: list[str]):  # type: ignore[no-untyped-def]
    articles = folder / "articles"
    articles.mkdir()
    for i, text in enumerate(texts):
        (articles / f"{i:05}.txt").write_text(text, encoding="utf-8")
    project = open_project(folder / "bench.sqlite")
    import_paths(project, [articles])
    return project


def main() -> None:
    texts = corpus()
    chars = sum(map(len, texts))
    t0 = time.perf_counter()
    model = load_model()
    load_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in model.nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - t0
    print(f"{len(texts)} documents, {chars / 1e6:.2f} M characters, model {model.version}")
    print(f"model load: {load_seconds:.2f} s (paid once per run)")
    print(f"bare nlp.pipe: {bare:.2f} s ({len(texts) / bare:.1f} docs/s)")

    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), texts)
        t0 = time.perf_counter()
        summary = run_suggest(project)
        total = time.perf_counter() - t0
        project.close()
    work = total - summary.startup_seconds
    print(f"suggest: {total:.2f} s in all: {summary.startup_seconds:.2f} s worker start-up "
          f"(spawn, spaCy import, model load), {work:.2f} s of work; "
          f"{summary.suggestions} suggestions")
    print(f"overhead over bare nlp.pipe: {(work / bare - 1) * 100:+.1f} % after start-up; "
          f"{(total / (bare + load_seconds) - 1) * 100:+.1f} % counting start-up against "
          f"an in-process model load")

    from PySide6.QtCore import QElapsedTimer, QThread, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), texts[: max(20, len(texts) // 4)])
        gaps: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)

        class Worker(QThread):
            def run(self) -> None:  # noqa: D401 - Qt override
                run_suggest(project)

        worker = Worker()
        worker.finished.connect(app.quit)
        timer.start()
        worker.start()
        app.exec()
        timer.stop()
        worker.wait()
        project.close()
    stall = max(gaps) - 5 if gaps else float("nan")
    print(f"event loop during suggest: {len(gaps)} ticks, longest stall {stall:.1f} ms "
          f"beyond the 5 ms interval")


if __name__ == "__main__":
    main()
