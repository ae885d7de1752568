"""Entry point: ``annotator`` opens the window, ``annotator COMMAND`` runs the CLI."""

import sys

from annotator.cli import main as _cli_main


def main() -> None:
    sys.exit(_cli_main())


if __name__ == "__main__":
    main()
