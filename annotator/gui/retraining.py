"""Retraining the clutter model from the window, in the background, as the team works.

Every N documents marked done (``services.retraining``: N is a project setting, 0 turns
it off) the window trains the project's block model again, then refreshes the pending
suggestions of the documents the annotator has still to do, so what they see next comes
from what they have just taught it. The Project menu's "Train clutter model" runs the
same path at once.

Three jobs, all in the window's ``Background`` pool (a worker computes and returns; only
the slots here, on the GUI thread, touch widgets):

- ``train_check``: counts done documents after each Ctrl+Enter. It runs off the GUI
  thread because on a team server the count is a round trip; it shows no progress.
- ``train``: the training, with a progress bar and Cancel. Never two at once.
- ``suggest``: the refresh, under the key the window's own pre-annotation uses, so the
  two never write one document's suggestions together; when pre-annotation is already
  running, the refresh waits for it to end.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from annotator.core.errors import InputError
from annotator.core.jobs import Progress
from annotator.core.vocabulary import Status
from annotator.gui import project_menu
from annotator.gui.task_bar import start_with_bar
from annotator.services import retraining

if TYPE_CHECKING:
    from annotator.gui.project_window import ProjectWindow
    from annotator.services.training import TrainSummary

TRAIN_KEY = "train"
CHECK_KEY = "train_check"
SUGGEST_KEY = "suggest"
TRAINING = "Training clutter model"
REFRESHING = "Refreshing suggestions"
RESULT_MS = 30_000  # a training result is read once, but not in a glance


class Retrainer(QObject):
    """Owned by the window; decides when to train and reacts to the jobs' outcomes."""

    def __init__(self, window: ProjectWindow) -> None:
        super().__init__(window)
        self.window = window
        self.last_result = ""  # the last training's one line (the menu action's status tip)
        self._refresh_pending = False
        # The done count behind a training that stored nothing (Cancel, or a refusal):
        # automatic retraining waits for N more from there, so Cancel means "not now".
        self._postponed_at: int | None = None
        window.background.ended.connect(self._job_ended)

    # -- when ---------------------------------------------------------------------------
    def document_done(self) -> None:
        """After a document is marked done (or gold saved): retrain if N more are done.

        A newer check supersedes an older one still in flight (same key), so quick
        Ctrl+Enters cost one count each and never start two trainings.
        """
        if self.window.background.is_running(TRAIN_KEY):
            return
        project = self.window.project
        self.window.background.run(CHECK_KEY, "", lambda: retraining.check(project),
                                   self._checked, self._check_failed)

    def _checked(self, check: retraining.RetrainCheck) -> None:
        if not check.due:
            return
        if self._postponed_at is not None and check.done - self._postponed_at < check.every:
            return
        self._start(manual=False)

    def _check_failed(self, message: str) -> None:
        self.window.notify(f"Could not count done documents for retraining: {message}")

    # -- training -----------------------------------------------------------------------
    def train_now(self) -> None:
        """The Project menu's "Train clutter model": the same training, at once."""
        self._start(manual=True)

    @property
    def training(self) -> bool:
        return self.window.background.is_running(TRAIN_KEY)

    def _start(self, manual: bool) -> None:
        window = self.window
        if self.training:
            if manual:  # an automatic one just finds it running and leaves it be
                project_menu.already_running(window, TRAIN_KEY, "Training")
            return
        project = window.project

        def work(*, progress: Progress, cancel: threading.Event
                 ) -> tuple[TrainSummary | InputError, int]:
            try:
                return retraining.retrain(project, progress=progress, cancel=cancel)
            except InputError as exc:  # a message for the user, not a traceback
                return exc, retraining.done_count(project)

        start_with_bar(window.statusBar(), window.background, TRAIN_KEY, TRAINING, work,
                       self._trained, window.notify)

    def _trained(self, result: tuple[TrainSummary | InputError, int]) -> None:
        """Show the outcome; a training that stored no model (cancelled, or refused
        with a reason) postpones automatic retraining until N more are done, so it
        neither restarts nor repeats the same refusal on the very next Ctrl+Enter."""
        window = self.window
        summary, count = result
        if isinstance(summary, InputError):
            self._postponed_at = count
            self._show(f"Cannot train the clutter model: {summary}")
            return
        self.last_result = retraining.one_line(summary)
        self._show(self.last_result)
        action = project_menu.action(window, "train")
        if action is not None:  # hovering the menu item recalls the figures
            action.setStatusTip(f"Last training: {self.last_result}")
        if summary.cancelled:
            self._postponed_at = count
            return
        self._postponed_at = None
        self.refresh_suggestions()

    def _show(self, message: str) -> None:
        self.window.statusBar().showMessage(message, RESULT_MS)

    # -- the refresh ----------------------------------------------------------------------
    def refresh_suggestions(self) -> None:
        """Re-suggest the documents not yet done by this annotator, the open one first.

        ``run_suggest`` re-checks each document's block layer against the new model and
        rewrites only those whose clutter suggestions change; verdicts on the rest stay.
        """
        window = self.window
        if window.background.is_running(SUGGEST_KEY):
            self._refresh_pending = True  # after the running pre-annotation (_job_ended)
            return
        self._refresh_pending = False
        model = window.model
        ids = [i for i in model.all_ids() if model.status(i) != Status.DONE]
        current = window.current.id if window.current is not None else None
        if current in ids:
            ids.remove(current)
            ids.insert(0, current)
        if not ids:
            return
        from annotator.services.suggest import run_suggest

        start_with_bar(window.statusBar(), window.background, SUGGEST_KEY, REFRESHING,
                       partial(run_suggest, window.project, only=ids), self._refreshed,
                       window.notify)

    def _refreshed(self, summary: Any) -> None:
        window = self.window
        doc = window.current
        if doc is not None:
            window.changed(doc.id)
            window.labelPalette.set_entity_types(sorted(
                {s.label for s in window.current.suggestions if s.layer == "entity"}
                if window.current is not None else []))
        # redone with a parse, or clutter rewritten in place: both changed what is shown
        changed = getattr(summary, "processed", 0) + getattr(summary, "updated", 0)
        if not changed:
            return
        refreshed = f"suggestions updated on {changed} document{'s' if changed != 1 else ''}"
        bar = window.statusBar()
        if self.last_result and bar.currentMessage() == self.last_result:
            self._show(f"{self.last_result}; {refreshed}")  # keep the figures in sight
        else:
            self._show(f"Clutter model: {refreshed}")

    def _job_ended(self, key: str) -> None:
        if key == SUGGEST_KEY and self._refresh_pending:
            QTimer.singleShot(0, self.refresh_suggestions)
