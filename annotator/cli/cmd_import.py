"""``annotator import PATH...``: add articles, or merge annotators' exported records."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import add_command, opened, progress_bar
from annotator.core.terminal import printable


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = add_command(
        subparsers, common, "import", run,
        help="import .txt, .jsonl, .jsonl.gz, .html files or folders",
        description="Import articles. Folders are read recursively (symbolic links followed; "
        "loops and broken links are reported). Each file is imported whole or not at all; "
        "the same text twice is imported once, also by two imports running at once. JSONL "
        "files (plain or .jsonl.gz) are read record by record: each record may be up to "
        "20 MB, the file any size; a .txt or .html file may be up to 20 MB, and one "
        "article up to 100,000 lines. JSONL export records "
        "(with an \"annotator\") are merged as that annotator's labels: documents are "
        "matched by SHA-256 and added if missing, the newer record wins, and bad records "
        "are refused one by one.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--encoding", help="read files in this encoding instead of UTF-8")


def run(args: argparse.Namespace) -> int:
    from annotator.core.jobs import counts
    from annotator.services.importing import import_paths  # lazy: keeps the CLI's start fast

    with opened(args) as project, progress_bar("importing", "file") as update:
        summary = import_paths(project, args.paths, encoding=args.encoding,
                               progress=counts(update))
    for line in summary.refused:
        print(f"annotator: error: {printable(line)}", file=sys.stderr)
    print(summary.line())
    return 2 if summary.refused else 0
