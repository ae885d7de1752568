"""The bundle's entry point: ``annotator`` as installed, plus what a desktop launch needs.

File managers and the desktop entry start the application as ``annotator FILE`` (the
``%f`` of the desktop entry, Explorer's ``"%1"``): a lone existing file that is not a
command is taken as ``--project FILE``. ``freeze_support`` lets the spawned worker
processes (spaCy, training) start from the frozen executable.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path


def _project_argument(argv: list[str]) -> list[str]:
    lone = argv[1] if len(argv) == 2 else ""
    # A command name never has a suffix; a project file always has one.
    if lone and not lone.startswith("-") and Path(lone).suffix and Path(lone).is_file():
        return [argv[0], "--project", argv[1]]
    return argv


if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.argv = _project_argument(sys.argv)
    from annotator.__main__ import main

    main()
