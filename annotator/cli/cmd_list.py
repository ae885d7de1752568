"""``annotator list``: the project's documents with their status counts."""

from __future__ import annotations

import argparse

from annotator.cli.common import add_command, opened
from annotator.core.terminal import printable
from annotator.services.project import document_rows


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    add_command(
        subparsers, common, "list", run, help="list documents with their status counts",
        description="List the project's documents: how many annotators have each one done, "
        "in progress or skipped.",
    )


def run(args: argparse.Namespace) -> int:
    with opened(args) as project:
        rows = document_rows(project)
    print(f"{'id':>6} {'done':>5} {'prog':>5} {'skip':>5} {'chars':>8}  title")
    for row in rows:
        title = printable(row.title if len(row.title) <= 70 else row.title[:69] + "…")
        print(f"{row.id:>6} {row.done:>5} {row.in_progress:>5} {row.skipped:>5} "
              f"{row.chars:>8}  {title}")
    done = sum(1 for r in rows if r.done)
    print(f"{len(rows)} documents, {done} done by at least one annotator "
          f"({printable(project.label)})")
    return 0
