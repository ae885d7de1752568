"""Helpers shared by the commands: declaring one, opening the chosen project, progress
bars, standard output closed by its reader."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from annotator.paths import default_project
from annotator.services.project import Project, open_project


def add_command(
    subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser, name: str,
    run: Callable[[argparse.Namespace], int], *, help: str, description: str,
    epilog: str | None = None,
) -> argparse.ArgumentParser:
    """The parser of one command: the options every command takes, its ``run``, and an
    epilog of examples kept as written (line breaks and indents matter there)."""
    parser = subparsers.add_parser(
        name, parents=[common], help=help, description=description, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter if epilog else
        argparse.HelpFormatter,
    )
    parser.set_defaults(run=run)
    return parser


def project_from(args: argparse.Namespace, *, create: bool = True) -> Project:
    """The chosen project. ``create=False`` for commands that only read one: a report on
    a project that does not exist is a usage error, not a new empty project."""
    return open_project(getattr(args, "project", None) or default_project(), create=create)


@contextmanager
def opened(args: argparse.Namespace, *, create: bool = True) -> Iterator[Project]:
    """The chosen project, closed when the command is done with it, whatever happens."""
    project = project_from(args, create=create)
    try:
        yield project
    finally:
        project.close()


@contextmanager
def progress_bar(desc: str, unit: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback that shows a bar on stderr only once work passes a second.

    tqdm is imported here, not at the top: commands without a bar (``list``) start
    faster."""
    from tqdm import tqdm

    bar = tqdm(total=0, desc=desc, unit=unit, delay=1.0, file=sys.stderr, leave=False)

    def update(done: int, total: int) -> None:
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()


def reader_gone() -> None:
    """Standard output's reader stopped early (``| head``): not a failure. Point the
    descriptor at /dev/null so the interpreter's final flush does not raise again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
