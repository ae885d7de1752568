"""Helpers shared by the commands: opening the chosen project, progress bars."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from annotator.paths import default_project
from annotator.services.project import Project, open_project


def project_from(args: argparse.Namespace) -> Project:
    return open_project(getattr(args, "project", None) or default_project())


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
