"""The GUI's modules import each other one way: the window imports its parts, never the
reverse, so any part can be read, tested and changed without the window.

Read from the source with grimp (what import-linter uses), imports under
``TYPE_CHECKING`` included: a cycle kept alive only for type hints is still a cycle for
the reader.
"""

from __future__ import annotations

import grimp
import pytest

WINDOW = "annotator.gui.main_window"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("annotator", cache_dir=None)


def test_no_import_cycle_among_gui_modules(graph: grimp.ImportGraph) -> None:
    assert graph.nominate_cycle_breakers("annotator.gui") == set()


def test_only_the_entry_points_import_the_window(graph: grimp.ImportGraph) -> None:
    """The labeller, the Project menu, the export dialog and retraining are given the
    window (``ProjectWindow`` names what they may use of it); only the package and the
    application start import it."""
    importers = graph.find_modules_that_directly_import(WINDOW)
    assert importers == {"annotator.gui", "annotator.gui.app"}
