"""``annotator export``: labelled data for training (JSONL, spaCy DocBin, Prodigy)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import add_command, opened, progress_bar, reader_gone
from annotator.core.split import parse_split
from annotator.core.vocabulary import Status

# The export service's formats (a test checks they agree); the service itself, and
# what it imports, loads only when an export runs.
FORMATS = ("jsonl", "spacy", "prodigy")

EPILOG = """\
examples:
  annotator export --all --out corpus.jsonl
  annotator export --gold --format spacy --split train=0.8,dev=0.1,test=0.1 --seed 1 --out corpus/
  annotator export --annotator alice --status done,in_progress > alice.jsonl

Each JSONL line is one document as labelled by one annotator (the record described by
resources/export_record.schema.json); `annotator import` merges such a file into
another project. Every block is listed with its label: in a document marked done an
unmarked block is "content" (the annotator saw it and left it, as in the DocBin and
the agreement report); only in a document not done is it null. With --split, --out is
a folder that gets one file per part
(train.jsonl, dev.jsonl, ...); a document goes to the same part for every annotator
and for every run with the same seed.
"""


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = add_command(
        subparsers, common, "export", run,
        help="export labels as JSONL, spaCy DocBin or Prodigy JSONL",
        description="Export labelled documents for model training or for merging into "
        "another project. Choose whose labels with --annotator, --gold, --all or "
        "--suggestions (they combine).",
        epilog=EPILOG,
    )
    parser.add_argument("--format", choices=FORMATS, default="jsonl",
                        help="jsonl (default): export records; spacy: a DocBin (.spacy); "
                        "prodigy: Prodigy tasks with tokens, spans and relations")
    who = parser.add_argument_group("whose labels")
    who.add_argument("--annotator", action="append", default=[], metavar="NAME",
                     help="this annotator's labels (repeat for several)")
    who.add_argument("--gold", action="store_true", help="the adjudicated (gold) labels")
    who.add_argument("--all", action="store_true", dest="all_annotators",
                     help="every annotator's labels, gold included (one record each)")
    who.add_argument("--suggestions", action="store_true",
                     help="machine suggestions, one record per document with any "
                     "(\"annotator\": \"suggestions\"; --status does not apply)")
    parser.add_argument("--entities", action="store_true",
                        help="include entity suggestions (doc.ents in a DocBin; spans of the "
                        "suggestions record); left out by default")
    parser.add_argument("--status", default=Status.DONE, metavar="STATUS[,STATUS]",
                        help="only documents the annotator has in this status: todo, "
                        "in_progress, done (default), skipped, or any")
    parser.add_argument("--split", metavar="NAME=FRACTION,...",
                        help="split by document, e.g. train=0.8,dev=0.1,test=0.1")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    parser.add_argument("--out", metavar="PATH",
                        help="output file (a folder with --split); default: standard output")


def run(args: argparse.Namespace) -> int:
    from annotator.core.jobs import counts
    from annotator.services.export import ExportOptions, export, parse_statuses

    options = ExportOptions(
        format=args.format,
        annotators=tuple(args.annotator),
        all_annotators=args.all_annotators,
        gold=args.gold,
        suggestions=args.suggestions,
        entities=args.entities,
        statuses=parse_statuses(args.status),
        split=parse_split(args.split) if args.split else None,
        seed=args.seed,
    )
    out = None if args.out in (None, "-") else Path(args.out)
    try:
        with opened(args) as project, progress_bar("exporting", "record") as update:
            summary = export(project, options, out, stream=sys.stdout.buffer if out is None
                             else None, progress=counts(update))
    except BrokenPipeError:
        reader_gone()
        return 0
    # The records may be on standard output: the summary goes to standard error then.
    print(summary.line(), file=sys.stderr if out is None else sys.stdout)
    return 0
