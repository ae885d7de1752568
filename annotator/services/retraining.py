"""When the window retrains the clutter model: every N documents marked done.

The annotation window retrains in the background as the team works, so suggestions
learn a site's template while its pages are still being labelled. What decides it lives
here, not in the window, so the rule reads the same from any front end and stays
testable without Qt: the project holds N (:data:`RETRAIN_EVERY`, 0 turns it off) and the
number of done documents the model in use learnt from (:data:`DONE_COUNT`); a training
is due once :func:`done_count` has grown by N since then.

The count is of documents, not of (document, annotator) pairs: a document done by two
annotators, or adjudicated into gold, adds one training document (``train_blocks``
learns one version of each), so it counts once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.store import Project
from annotator.store.training_queries import labelled_document_ids

if TYPE_CHECKING:  # the trainer (numpy, the block model) loads when a training starts,
    # not when the window opens
    from annotator.core.jobs import Progress
    from annotator.services.training import TrainSummary

RETRAIN_EVERY = "block_model_retrain_every"
DONE_COUNT = "block_model_done_count"
DEFAULT_RETRAIN_EVERY = 20
MAX_RETRAIN_EVERY = 100_000


def retrain_every(project: Project) -> int:
    """N: retrain after every N done documents; 0 means never (a bad value reads as the
    default, so a hand-edited setting cannot switch retraining off by accident)."""
    value = project.get_setting(RETRAIN_EVERY, DEFAULT_RETRAIN_EVERY)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return DEFAULT_RETRAIN_EVERY
    return min(value, MAX_RETRAIN_EVERY)


def set_retrain_every(project: Project, every: int) -> None:
    project.set_setting(RETRAIN_EVERY, max(0, min(int(every), MAX_RETRAIN_EVERY)))


def done_count(project: Project) -> int:
    """Documents marked done by anyone (annotators or gold): what training learns from."""
    with project.sessions() as session:
        return len(labelled_document_ids(session))


def last_done_count(project: Project) -> int:
    """The done count when the model in use was trained here (0 before the first)."""
    value = project.get_setting(DONE_COUNT, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@dataclass(frozen=True, slots=True)
class RetrainCheck:
    """Where the project stands: N, documents done now, and at the last training."""

    every: int
    done: int
    last: int

    @property
    def due(self) -> bool:
        """N > 0 and N more documents are done than at the last training."""
        return self.every > 0 and self.done - self.last >= self.every


def check(project: Project) -> RetrainCheck:
    return RetrainCheck(retrain_every(project), done_count(project), last_done_count(project))


def retrain(
    project: Project,
    *,
    with_base: bool = True,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[TrainSummary, int]:
    """Train and store the block model, then record the done count it learnt from.

    The count is taken before training, so documents finished while it runs count
    towards the next one. A cancelled training records nothing (the model in use is
    unchanged, so the old count still describes it); ``InputError`` propagates. Returns
    the summary and the count, from which the window postpones automatic retraining
    after a Cancel.
    """
    from annotator.services.training import train_blocks_in_child

    count = done_count(project)
    summary = train_blocks_in_child(project, with_base=with_base, progress=progress,
                                    cancel=cancel)
    if not summary.cancelled:
        project.set_setting(DONE_COUNT, count)
    return summary, count


def one_line(summary: TrainSummary) -> str:
    """The status-bar line: how much was learnt and the held-out F1 before and after.

    ``summary.lines()`` is laid out for a terminal (several lines, an aligned second
    row, a version hash); the window has one line, so this keeps the figures a person
    acts on: how many documents, and the F1 of the model in use and the new one.
    """
    if summary.cancelled:
        first = summary.lines()[0]
        return first[:1].upper() + first[1:]
    plural = "s" if summary.documents != 1 else ""
    text = f"Clutter model retrained on {summary.documents} done document{plural}"
    if summary.after is None:
        return text + " (too few to hold any out for a score)"
    before = f"{summary.before.f1:.3f} → " if summary.before is not None else ""
    plural = "s" if summary.held_out != 1 else ""
    return (text + f": held-out F1 {before}{summary.after.f1:.3f} "
            f"({summary.held_out} document{plural})")
