"""Retraining the clutter model from the window, driven as an annotator and a lead would.

The window trains in a child process (``train_blocks_in_child``), mixing in the ~45,000
shipped base rows, so a training takes several seconds: long enough to click Cancel
while it runs. What is asserted is what the project holds afterwards (read through the
services, as a restart would) and what the status bar said.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QSpinBox, QToolButton

from annotator.gui.retraining import SUGGEST_KEY, TRAIN_KEY
from annotator.gui.task_bar import TaskBar
from annotator.services import retraining
from annotator.services.annotation import AnnotationService
from annotator.services.block_models import project_block_model
from tests.gui.conftest import put_cursor

CTRL = Qt.KeyboardModifier.ControlModifier
TRAINING_MS = 60_000  # generous: a loaded CI machine, a cold import of the trainer
SUGGEST_MS = 180_000  # the refresh starts a spaCy process


def article(i: int) -> str:
    """An article with content paragraphs and two blocks of site furniture."""
    return (f"Council approves budget number {i} after long debate\n\n"
            f"The city council approved budget {i} on Tuesday after a debate that ran "
            "late into the night, officials said.\n\n"
            "Share this article\n\n"
            "Follow us on social media\n\n"
            f"The mayor said plan {i} would fund new schools and repair roads next year.")


def _messages(window) -> list[str]:  # type: ignore[no-untyped-def]
    """Every status-bar message from now on (one may replace another quickly)."""
    seen: list[str] = []
    window.statusBar().messageChanged.connect(lambda m: seen.append(m) if m else None)
    return seen


def _label_furniture_and_finish(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Mark the two furniture blocks navigation (N), then Ctrl+Enter: done, next."""
    view = window.articleView
    text = window.current.text
    put_cursor(view, text, text.index("Share this"))
    qtbot.keyClick(view, Qt.Key.Key_N)
    put_cursor(view, text, text.index("Follow us"))
    qtbot.keyClick(view, Qt.Key.Key_N)
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)


def _settle(qtbot, window, timeout: int = SUGGEST_MS) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.background.busy, timeout=timeout)


def _set_retrain_every_in_settings(qtbot, window, every: int) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+, then the spin box and Enter, as a lead would."""
    qtbot.keyClick(window.articleView, Qt.Key.Key_Comma, CTRL)
    dialog = window.findChild(QDialog, "settingsDialog")
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    box = dialog.findChild(QSpinBox, "retrainEvery")
    assert box.value() == retraining.DEFAULT_RETRAIN_EVERY
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, str(every))
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.activateWindow()
    window.articleView.setFocus()
    qtbot.waitUntil(window.articleView.hasFocus)


def _action(window, name: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.projectMenu.actions() if a.objectName() == f"action:{name}")


def test_two_done_documents_retrain_in_the_background_then_refresh_suggestions(
    qtbot, project, add_docs, open_window,  # type: ignore[no-untyped-def]
) -> None:
    add_docs(*[article(i) for i in range(4)])
    window = open_window()
    seen = _messages(window)
    _set_retrain_every_in_settings(qtbot, window, 2)
    assert retraining.retrain_every(project) == 2
    first = window.current.id
    _label_furniture_and_finish(qtbot, window)
    qtbot.wait(300)  # one done document is not enough
    assert not window.retrainer.training
    assert project_block_model(project) is None
    _label_furniture_and_finish(qtbot, window)
    # The second Ctrl+Enter starts a training; the window stays usable meanwhile.
    qtbot.waitUntil(lambda: project_block_model(project) is not None, timeout=TRAINING_MS)
    qtbot.waitUntil(lambda: any(m.startswith("Clutter model retrained on 2 done documents")
                                for m in seen), timeout=TRAINING_MS)
    assert project.get_setting(retraining.DONE_COUNT) == 2
    assert AnnotationService(project, "alice").statuses()[first] == "done"
    # Then the documents still to do are re-suggested, the open one first, and the view
    # shows its fresh suggestions without being reopened.
    current = window.current.id
    assert window.current.suggestions == []
    _settle(qtbot, window)
    assert window.current.id == current
    assert window.current.suggestions, f"suggestions not reloaded; status bar said {seen}"
    assert window.current.suggestions == AnnotationService(project, "alice").suggestions(current)
    done = {i for i, s in AnnotationService(project, "alice").statuses().items() if s == "done"}
    assert all(not AnnotationService(project, "alice").suggestions(i) for i in done)
    # The menu item recalls the figures when hovered.
    assert _action(window, "train").statusTip().startswith("Last training: Clutter model")
    window.grab().save("/tmp/retrain.png")


def test_retrain_every_zero_never_trains(qtbot, project, add_docs, open_window) -> None:  # type: ignore[no-untyped-def]
    add_docs(*[article(i) for i in range(3)])
    window = open_window()
    _set_retrain_every_in_settings(qtbot, window, 0)
    assert retraining.retrain_every(project) == 0
    started: list[str] = []
    window.background.busyChanged.connect(lambda what: started.append(what))
    for _ in range(3):
        _label_furniture_and_finish(qtbot, window)
    _settle(qtbot, window, 10_000)
    qtbot.wait(500)
    assert not any("Training" in what for what in started)
    assert project_block_model(project) is None
    assert project.get_setting(retraining.DONE_COUNT) is None
    assert window.findChild(TaskBar, f"taskBar:{TRAIN_KEY}") is None


def test_menu_action_trains_now_and_explains_when_it_cannot(
    qtbot, project, add_docs, open_window,  # type: ignore[no-untyped-def]
) -> None:
    add_docs(*[article(i) for i in range(3)])
    window = open_window()
    seen = _messages(window)
    # Nothing is done yet: one clear sentence, no traceback, nothing stored.
    _action(window, "train").trigger()
    qtbot.waitUntil(lambda: not window.retrainer.training, timeout=TRAINING_MS)
    assert window.statusBar().currentMessage() == (
        "Cannot train the clutter model: no document is marked done yet: "
        "label and finish some first")
    assert project_block_model(project) is None
    # The default N (20) is far away, so only the menu trains.
    _label_furniture_and_finish(qtbot, window)
    _settle(qtbot, window, 10_000)
    assert project_block_model(project) is None
    _action(window, "train").trigger()
    qtbot.waitUntil(lambda: project_block_model(project) is not None, timeout=TRAINING_MS)
    qtbot.waitUntil(lambda: any(m.startswith("Clutter model retrained on 1 done document ")
                                for m in seen), timeout=TRAINING_MS)
    assert project.get_setting(retraining.DONE_COUNT) == 1
    _settle(qtbot, window)
    assert window.current.suggestions, f"suggestions not reloaded; status bar said {seen}"


def test_cancel_leaves_no_model_and_a_second_training_never_starts(
    qtbot, project, add_docs, open_window,  # type: ignore[no-untyped-def]
) -> None:
    add_docs(*[article(i) for i in range(5)])
    retraining.set_retrain_every(project, 3)
    window = open_window()
    for _ in range(3):  # N = 3: the third Ctrl+Enter starts a training
        _label_furniture_and_finish(qtbot, window)

    def training_bar() -> TaskBar | None:
        bar = window.findChild(TaskBar, f"taskBar:{TRAIN_KEY}")
        return bar if bar is not None and bar.isVisible() else None

    qtbot.waitUntil(lambda: training_bar() is not None, timeout=TRAINING_MS)
    assert window.retrainer.training
    bar = training_bar()
    assert bar is not None
    # Asking again, by menu or by finishing another document, starts nothing new.
    _action(window, "train").trigger()
    assert window.statusBar().currentMessage().startswith("Training is already running")
    _label_furniture_and_finish(qtbot, window)
    qtbot.wait(300)
    assert len([b for b in window.findChildren(TaskBar, f"taskBar:{TRAIN_KEY}")
                if b.isVisible()]) == 1
    cancel = bar.findChild(QToolButton, "cancelButton")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert "stopping" in bar.label.text()
    qtbot.waitUntil(lambda: not window.retrainer.training, timeout=TRAINING_MS)
    assert window.statusBar().currentMessage() == (
        "Training cancelled; the model in use is unchanged")
    assert project_block_model(project) is None
    assert project.get_setting(retraining.DONE_COUNT) is None
    assert not window.background.is_running(SUGGEST_KEY)  # nothing to refresh
    # Cancel means "not now": retraining waits for N more documents than the cancelled
    # one learnt from (3), not for the next Ctrl+Enter (5 done, 0 at the last training).
    _label_furniture_and_finish(qtbot, window)
    _settle(qtbot, window, 10_000)
    qtbot.wait(300)
    assert retraining.done_count(project) == 5
    assert not window.retrainer.training and project_block_model(project) is None
