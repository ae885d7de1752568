"""The window shows its document list before anything slow is loaded: spaCy, numpy,
scikit-learn and the HTML extractors come later, with the background suggestion pass.
(How fast it starts is measured in tests/bench/bench_gui.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from annotator.services.importing import import_paths
from annotator.store import open_project

SLOW = ("spacy", "thinc", "numpy", "sklearn", "scipy", "trafilatura", "lxml")

PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from annotator.gui import create_window
from annotator.store import open_project
window = create_window(open_project(sys.argv[1]), "ana")
window.show()
app.processEvents()
listed = window.model.rowCount()
painted = window.documentList.indexAt(window.documentList.rect().topLeft()).isValid()
loaded = sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)
print(json.dumps({"listed": listed, "painted": painted, "loaded": loaded}))
window.close()
"""


def test_window_lists_documents_without_loading_anything_slow(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    project = open_project(path)
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"Headline {n}\n\nThe ministry said on Monday.")
    import_paths(project, sorted(tmp_path.glob("*.txt")))
    project.close()
    result = subprocess.run([sys.executable, "-c", PROBE, str(path), json.dumps(SLOW)],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {"listed": 3, "painted": True, "loaded": []}


UNCLOSED = """
import sys, threading
from PySide6.QtWidgets import QApplication
app = QApplication([])
from annotator.gui import create_window
from annotator.store import open_project
window = create_window(open_project(sys.argv[1]), "ana")
window.show()
for _ in range(20):
    app.processEvents()
print(sorted(t.name for t in threading.enumerate()))
# the window is never closed: the interpreter exits with it still open
"""


def test_a_script_that_never_closes_its_window_exits_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "p.annotator"
    project = open_project(path)
    (tmp_path / "a.txt").write_text("Headline\n\nThe ministry said on Monday.")
    import_paths(project, [tmp_path / "a.txt"])
    project.close()
    result = subprocess.run([sys.executable, "-c", UNCLOSED, str(path)],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "QThread" not in result.stderr, result.stderr
    # The label writer's thread starts with the first write that has to wait, not
    # with the window.
    assert "label-writer" not in result.stdout, result.stdout
