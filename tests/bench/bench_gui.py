"""Annotation window timings against the issue's targets.

Run as ``QT_QPA_PLATFORM=offscreen python tests/bench/bench_gui.py``. Prints:

1. opening an 8,000-character article with every layer drawn (median; target 50 ms),
2. opening a 1 MB article with every layer drawn (target 1 s),
3. switching documents in a 100,000-document project (median; target 100 ms),
4. process start to a usable window on that project (target 1 s), beside the limit: the
   same start of a bare QMainWindow with a QListView over the project's ids.

"Drawn" means the document is loaded, every layer computed and the viewport painted
(``repaint()``), not merely scheduled. The 100,000-document project is built once with
bulk inserts and cached in the temp folder (pass ``--rebuild`` to rebuild it).
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.blocks import segment  # noqa: E402
from annotator.core.model import DocumentData, NewSuggestion  # noqa: E402
from annotator.services.annotation import AnnotationService  # noqa: E402
from annotator.store import open_project  # noqa: E402
from annotator.store.documents import add_documents  # noqa: E402
from annotator.store.suggestions import replace_for_document  # noqa: E402

N_DOCS = 100_000
BIG_PROJECT = Path(tempfile.gettempdir()) / "annotator-bench-gui-100k-v1.sqlite"
WORDS = ("the coalition said officials ministry talks security forces withdrawal Baghdad "
         "Washington statement commission training months agreement government military "
         "according to spokesman reported analysts expected would could on Thursday in "
         "قال الوزير 🎉").split()


def article(rng: random.Random, chars: int, tag: str) -> str:
    parts = [f"Headline {tag} about coalition talks", "By Staff Reporter | 12 Jan, 2024"]
    size = sum(len(p) for p in parts)
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30)))
        para = sentence.capitalize() + ". " + sentence + "."
        parts.append(para)
        size += len(para) + 2
    return "\n\n".join(parts)[:chars]


def new_doc(text: str, title: str) -> DocumentData:
    return DocumentData(hashlib.sha256(text.encode()).hexdigest(), text, title, "bench", {},
                       [(b.start, b.end) for b in segment(text)])


def layer_everything(project, doc_id: int, text: str, service: AnnotationService) -> None:  # type: ignore[no-untyped-def]
    """Entities, block/claim/attribution suggestions, spans, a relation per 2 kB."""
    rng = random.Random(doc_id)
    blocks = [(b.start, b.end) for b in segment(text)]
    items: list[NewSuggestion] = []
    for pos in range(0, len(text) - 20, 90):  # an entity every 90 characters
        items.append(NewSuggestion("entity", rng.choice(["PERSON", "ORG", "GPE", "DATE"]),
                                   pos, pos + 8))
    for i, (s, e) in enumerate(blocks):
        if i % 4 == 1:
            items.append(NewSuggestion("block", "related", s, e, 0.8, "b", {"block_index": i}))
        elif i % 4 == 2 and e - s > 40:
            items.append(NewSuggestion("claim", "CLAIM", s, s + 40, 0.6, "c"))
        elif i % 4 == 3 and e - s > 60:
            items.append(NewSuggestion("attribution", "ATTRIBUTION", s, s + 60, 0.7, "a",
                                       {"source": [s, s + 10], "cue": [s + 11, s + 15],
                                        "content": [s + 16, s + 60]}))
    with project.session() as session:
        replace_for_document(session, doc_id, "bench", items)
    service.set_block_labels(doc_id, {i: "caption" for i in range(0, len(blocks), 5)})
    for start in range(0, len(text) - 200, 2000):
        head = service.add_span(doc_id, "SOURCE", start + 5, start + 25)
        child = service.add_span(doc_id, "CLAIM", start + 30, start + 120)
        service.add_span(doc_id, "CONTENT", start + 60, start + 160)  # overlaps the claim
        service.link(doc_id, head.uid, child.uid)


def drawn(window, doc_id: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    window.show_document(doc_id)
    window.articleView.viewport().repaint()
    return time.perf_counter() - start


def bench_open(tmp: Path) -> tuple[float, float]:
    from annotator.gui import create_window

    project = open_project(tmp / "layers.sqlite")
    rng = random.Random(3)
    texts = [article(rng, 8000, "small one"), article(rng, 8000, "small two"),
             article(rng, 1_000_000, "one megabyte")]
    with project.session() as session:
        ids = add_documents(session, [new_doc(t, t[:40]) for t in texts])
    service = AnnotationService(project, "bench")
    doc_ids = [ids[new_doc(t, "").sha256] for t in texts]
    for doc_id, text in zip(doc_ids, texts, strict=True):
        layer_everything(project, doc_id, text, service)
    window = create_window(project, "bench")
    window.show()
    QApplication.processEvents()
    small = [drawn(window, doc_ids[i % 2]) for i in range(30)]
    big = [drawn(window, doc_ids[2]) for _ in range(3)]
    spans = len(window.current.annotations.spans)
    doc = window.articleView.document()
    extra = sum(len(doc.findBlockByNumber(n).layout().formats())
                for n in range(doc.blockCount()))  # layers are drawn as layout formats
    window.close()
    project.close()
    print(f"   (1 MB article: {spans} spans, {extra} drawn format ranges)")
    return statistics.median(small), statistics.median(big)


def build_big_project(rebuild: bool) -> Path:
    if BIG_PROJECT.exists() and not rebuild:
        return BIG_PROJECT
    BIG_PROJECT.unlink(missing_ok=True)
    start = time.perf_counter()
    project = open_project(BIG_PROJECT)
    rng = random.Random(11)
    template = article(rng, 3000, "{n}")
    # Same shape for every document (fixed-width numbers), so segment once.
    marker = template.index("{n}")
    blocks = [(b.start, b.end) for b in segment(template.replace("{n}", "000000"))]
    for batch in range(0, N_DOCS, 10_000):
        docs = []
        for n in range(batch, batch + 10_000):
            text = template[:marker] + f"{n:06d}" + template[marker + 3:]
            docs.append(DocumentData(hashlib.sha256(text.encode()).hexdigest(), text,
                                    f"Headline {n:06d} about coalition talks", "bench", {},
                                    blocks))
        with project.session() as session:
            add_documents(session, docs)
    project.close()
    print(f"   (built the {N_DOCS:,}-document project in {time.perf_counter() - start:.0f} s)")
    return BIG_PROJECT


def bench_switch(path: Path) -> float:
    from annotator.gui import create_window

    project = open_project(path)
    window = create_window(project, "bench")
    window.show()
    QApplication.processEvents()
    rng = random.Random(5)
    ids = window.model.all_ids()
    times = [drawn(window, rng.choice(ids)) for _ in range(40)]
    window.close()
    project.close()
    return statistics.median(times)


STARTUP = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication
app = QApplication([])
from annotator.gui import create_window
from annotator.store import open_project
window = create_window(open_project(sys.argv[2]), "bench")
window.show()
app.processEvents()
window.articleView.viewport().repaint()
print(time.time() - t0, flush=True)
window.close()  # stops whatever the window started in the background before exiting
"""


# The limit: the simplest program that shows the same list. Python, Qt, a window with a
# list view over a Python model of every id, read with plain sqlite3; no titles, no
# article, no SQLAlchemy.
BARE = """
import sys, time, sqlite3
t0 = float(sys.argv[1])
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QListView, QMainWindow
app = QApplication([])
ids = sorted(r[0] for r in sqlite3.connect(sys.argv[2]).execute("select id from documents"))

class Model(QAbstractListModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(ids)
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return f"Document {ids[index.row()]}" if role == Qt.ItemDataRole.DisplayRole else None

window = QMainWindow()
view = QListView()
view.setUniformItemSizes(True)
model = Model()
view.setModel(model)
window.setCentralWidget(view)
window.resize(1440, 900)
window.show()
view.scrollTo(model.index(0))
app.processEvents()
view.viewport().repaint()
print(time.time() - t0)
"""


def bench_startup(path: Path, script: str = STARTUP) -> float:
    """Median of three process starts: interpreter, imports, project, window painted."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", script, repr(time.time()), str(path)],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841
    os.environ.setdefault("ANNOTATOR_HOME", tempfile.mkdtemp(prefix="annotator-bench-"))
    with tempfile.TemporaryDirectory() as tmp:
        small, big = bench_open(Path(tmp))
    path = build_big_project("--rebuild" in sys.argv)
    switch = bench_switch(path)
    startup = bench_startup(path)
    bare = bench_startup(path, BARE)
    rows = [
        ("open 8,000-char article, every layer drawn (median)", small * 1000, 50, "ms"),
        ("open 1 MB article, every layer drawn", big * 1000, 1000, "ms"),
        (f"switch documents, {N_DOCS:,}-document project (median)", switch * 1000, 100, "ms"),
        (f"start to usable window, {N_DOCS:,}-document project", startup * 1000, 1000, "ms"),
    ]
    for name, value, target, unit in rows:
        verdict = "ok" if value <= target else "OVER"
        print(f"{name:<62} {value:8.1f} {unit}  (target {target} {unit}) {verdict}")
    print(f"{'   limit: bare QMainWindow + QListView over the same ids':<62} "
          f"{bare * 1000:8.1f} ms  (window start is {startup / bare:.1f}x the limit)")


if __name__ == "__main__":
    main()
