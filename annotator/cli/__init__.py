"""The command line: thin over services.

Each command lives in its own module with ``register(subparsers)`` and a ``run(args)``
returning an exit code. Exit codes: 0 success, 2 bad input or usage (one line, no
traceback), 1 internal error.

Start-up is kept short: the command modules import their services (and with them
spaCy, numpy, lxml) inside ``run``, so ``annotator list`` never pays for spaCy, and
``annotator --version`` answers before any command module is imported.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from importlib import import_module

from annotator import __version__
from annotator.core.errors import InputError

# The command modules (annotator/cli/cmd_NAME.py), imported when the parser is built.
COMMANDS = ("import", "list", "suggest", "train", "export", "assign", "agreement")


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, exit code 2, like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="annotator",
        description="Annotate scraped news articles for source quality. "
        "Without a command, opens the annotation window.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "--project", metavar="PATH_OR_URL", default=None,
        help="project file or SQLAlchemy URL (default: the project in ANNOTATOR_HOME "
        "or the user data folder)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
        help="project file or SQLAlchemy URL",
    )
    for name in COMMANDS:
        import_module(f"annotator.cli.cmd_{name}").register(subparsers, common)
    return parser


def asks_version(argv: Sequence[str]) -> bool:
    """Is ``--version`` given before any command (as argparse would read it)?"""
    options = iter(argv)
    for token in options:
        if token == "--version":
            return True
        if token == "--project":
            next(options, None)
        elif not token.startswith("-") or token in ("-h", "--help", "--"):
            return False
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; with no command, return -1 so the entry point opens the GUI."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if asks_version(argv):
        from annotator.cli.versions import version_text

        print(version_text(__version__))
        return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return -1
    try:
        return int(args.run(args))
    except InputError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the user gave that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"annotator: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("ANNOTATOR_DEBUG"):
            traceback.print_exc()
        print(f"annotator: internal error: {type(exc).__name__}: {exc} "
              "(set ANNOTATOR_DEBUG=1 for details)", file=sys.stderr)
        return 1
