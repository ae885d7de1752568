"""Entry point: ``annotator`` opens the window, ``annotator COMMAND`` runs the CLI.

The GUI is imported only when no command is given, so every command works on a
machine with no display and without loading Qt.
"""

import os
import sys

from annotator.cli import build_parser
from annotator.cli import main as cli_main


def has_display() -> bool:
    """Qt aborts the process when it finds no display; say so in one line instead."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY",
                                                  "QT_QPA_PLATFORM"))


def main() -> None:
    code = cli_main()
    if code == -1:
        if not has_display():
            print("annotator: error: no display to open the window on (set DISPLAY, or run a "
                  "command: annotator --help)", file=sys.stderr)
            sys.exit(2)
        from annotator.gui.app import run_app

        project = build_parser().parse_args().project
        code = run_app(project)
    sys.exit(code)


if __name__ == "__main__":
    main()
