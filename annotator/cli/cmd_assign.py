"""``annotator assign``: one import file per annotator, with a shared sample for agreement."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli.common import add_command, opened, progress_bar
from annotator.core.errors import InputError

EPILOG = """\
example:
  annotator assign --annotators alice,bob,carol --overlap 0.2 --out handout/

Every document goes to one annotator, and the --overlap share of all documents goes to
every annotator, so their agreement can be measured. Each annotator imports their file
(annotator import handout/alice.jsonl) into their own project, and their exported work
merges back into this project. The same documents and --seed give the same assignment.
"""


def _share(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100.0 if text.endswith("%") else 1.0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share: {text!r} (use e.g. 0.2 or 20%)") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = add_command(
        subparsers, common, "assign", run, help="hand documents out to annotators, with overlap",
        description="Split the project's documents between annotators: each document goes "
        "to one annotator, and a shared sample to all of them for agreement. Writes "
        "NAME.jsonl per annotator (importable with annotator import) and assignment.json.",
        epilog=EPILOG,
    )
    parser.add_argument("--annotators", required=True, metavar="A,B,...",
                        help="annotator names, separated by commas")
    parser.add_argument("--overlap", type=_share, default=0.2, metavar="SHARE",
                        help="share of documents every annotator gets (default 0.2)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    parser.add_argument("--seed", type=int, default=0, help="shuffle seed (default 0)")
    parser.add_argument("--force", action="store_true", help="replace existing files")


def run(args: argparse.Namespace) -> int:
    from annotator.core.jobs import counts
    from annotator.services.assign import assign  # numpy: only when assigning

    names = args.annotators.split(",")
    if not any(name.strip() for name in names):
        raise InputError("--annotators: give annotator names separated by commas")
    with opened(args, create=False) as project, progress_bar("assigning", "doc") as update:
        summary = assign(project, names, args.overlap, Path(args.out), seed=args.seed,
                         force=args.force, progress=counts(update))
    for line in summary.lines():
        print(line)
    return 0
