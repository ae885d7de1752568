"""``annotator train``: learn clutter suggestions from the project's done documents."""

from __future__ import annotations

import argparse

from annotator.cli.common import progress_bar, project_from


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "train", parents=[common], help="learn clutter suggestions from done documents",
        description="Train the project's block classifier from the block labels of documents "
        "marked done (gold where adjudicated), mixed with the shipped base data, print "
        "held-out figures beside the model in use, and store the model in the project. "
        "Run `annotator suggest` afterwards to refresh suggestions.",
    )
    parser.add_argument("--no-base", action="store_true",
                        help="learn from this project's labels alone")
    parser.add_argument("--reset", action="store_true",
                        help="drop the project's model and go back to the shipped one")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.services.block_models import store_block_model
    from annotator.services.training import train_blocks

    project = project_from(args)
    try:
        if args.reset:
            store_block_model(project, None)
            print("the project's block model is dropped; the shipped model is in use")
            return 0
        with progress_bar("training", "doc") as update:
            summary = train_blocks(project, with_base=not args.no_base,
                                   progress=lambda done, total, _stage: update(done, total))
    finally:
        project.close()
    print("\n".join(summary.lines()))
    return 0
