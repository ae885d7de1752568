"""``annotator agreement``: inter-annotator agreement as text, JSON, HTML or CSV."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from annotator.cli.common import add_command, opened, progress_bar, reader_gone
from annotator.core import report_render
from annotator.core.errors import InputError

FORMATS = ("text", "json", "html", "csv")

EPILOG = """\
examples:
  annotator agreement
  annotator agreement --annotators alice,bob,carol --format html --out agreement.html
  annotator agreement --format json | jq '.documents[:5]'

What counts: documents marked done by at least two of the annotators; on such a document
an unmarked block counts as content. Everything left out is counted under "excluded"
(JSON) or "Left out" (text, HTML), and every figure stands beside the number of units
behind it. Documents are ranked by a disagreement score from 0 (full agreement) to 1.
"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = add_command(
        subparsers, common, "agreement", run, help="inter-annotator agreement report",
        description="Agreement between annotators on every layer: blocks (Krippendorff's "
        "alpha, Gwet's AC1), spans (F1 exact and overlap, unitizing alpha), relations (F1), "
        "document labels (alpha); overall, per label and per annotator pair, with the "
        "documents ranked by disagreement.",
        epilog=EPILOG,
    )
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json (every figure), html (one self-contained "
                        "page with charts) or csv (one row per figure and per document)")
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--annotators", metavar="A,B,...",
                        help="compare only these annotators (default: everyone except gold)")
    parser.add_argument("--top", type=int, metavar="N",
                        help="documents listed in text and HTML (default 20 and 200; 0 = all; "
                        "JSON and CSV list all)")


def _write(out: Path, content: str) -> None:
    """Write through a temporary file renamed into place: no half-written report."""
    if out.is_dir():
        raise InputError("is a folder; give a file name", where=str(out))
    if not out.parent.is_dir():
        raise InputError("no such folder", where=str(out.parent))
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")  # created with the usual mode
    try:
        with open(temp, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    from annotator.services.agreement import LOADING, compute, parse_annotators  # numpy: only here

    if args.top is not None and args.top < 0:
        raise InputError("--top must be 0 (all) or more")
    annotators = parse_annotators(args.annotators)
    with opened(args, create=False) as project:
        with progress_bar("agreement", "doc") as update:
            report = compute(project, annotators, progress=lambda done, total, stage: (
                update(done, total) if stage == LOADING else None))
        title = f"Agreement — {project.path.name if project.path else project.label}"
    empty = report_render.nothing_to_compare(report)
    if args.format == "json":
        content = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        content = report_render.to_csv(report)
    elif args.format == "html":
        content = report_render.to_html(report, top=200 if args.top is None else args.top,
                                        title=title)
    elif empty:  # one plain line, not a page of n/a
        content = empty + "\n"
    else:
        content = report_render.to_text(report, top=20 if args.top is None else args.top,
                                        title=title)
    if args.out in (None, "-"):
        try:
            sys.stdout.write(content)
            sys.stdout.flush()
        except BrokenPipeError:
            reader_gone()
        return 0
    _write(Path(args.out), content)
    if empty:
        print(f"{empty} (report written to {args.out})")
        return 0
    print(f"agreement over {report['n_documents']:,} documents "
          f"({', '.join(report['annotators']) or 'no annotators'}) written to {args.out}")
    return 0
