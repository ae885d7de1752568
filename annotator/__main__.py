"""Entry point: ``annotator`` opens the window, ``annotator COMMAND`` runs the CLI.

The GUI is imported only when no command is given, so every command works on a
machine with no display and without loading Qt.
"""

import sys

from annotator.cli import build_parser
from annotator.cli import main as cli_main


def main() -> None:
    code = cli_main()
    if code == -1:
        from annotator.gui.app import run_app

        project = build_parser().parse_args().project
        code = run_app(project)
    sys.exit(code)


if __name__ == "__main__":
    main()
