"""``annotator train``: learn clutter and attribution suggestions from done documents."""

from __future__ import annotations

import argparse

from annotator.cli.common import add_command, opened, progress_bar


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = add_command(
        subparsers, common, "train", run, help="learn clutter and attribution suggestions from "
        "done documents",
        description="Train the project's block classifier from the block labels of documents "
        "marked done (gold where adjudicated), mixed with the shipped base data, and its "
        "attribution re-scorer and cue words from their attributions; print held-out "
        "figures beside what is in use, and store both models in the project. Run "
        "`annotator suggest` afterwards to refresh suggestions.",
    )
    parser.add_argument("--model", help="spaCy model that parses for the attribution model")
    parser.add_argument("--blocks-only", action="store_true",
                        help="train the clutter model only (no spaCy parse)")
    parser.add_argument("--no-base", action="store_true",
                        help="learn from this project's labels alone")
    parser.add_argument("--reset", action="store_true",
                        help="drop the project's models: the shipped clutter model and the "
                        "attribution rules alone")


def run(args: argparse.Namespace) -> int:
    from annotator.core.jobs import counts
    from annotator.services.block_models import store_attribution_model, store_block_model
    from annotator.services.retraining import retrain
    from annotator.services.training import train_attributions

    with opened(args) as project:
        if args.reset:
            store_block_model(project, None)
            store_attribution_model(project, None)
            print("the project's models are dropped: the shipped clutter model and the "
                  "attribution rules are in use")
            return 0
        with progress_bar("training clutter", "doc") as update:
            # as the window trains: in a child process, recording the done count it
            # learnt from so the window's "every N done documents" counts from here
            summary, _count = retrain(project, with_base=not args.no_base,
                                      progress=counts(update))
        lines = summary.lines()
        if not args.blocks_only:
            with progress_bar("training attributions", "doc") as update:
                learnt = train_attributions(project, model_name=args.model,
                                            progress=counts(update))
            lines += learnt.lines()
    print("\n".join(lines))
    return 0
