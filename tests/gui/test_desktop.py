"""What a desktop application is expected to do: remember its window, follow the light
or dark palette, and take the project of a second launch into the running instance."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDockWidget

from annotator import paths
from annotator.gui import app as app_mod
from annotator.gui import create_window, project_menu, theme
from annotator.gui.main_window import MainWindow
from annotator.services.importing import import_paths
from annotator.store import open_project


def _article(tmp_path: Path, name: str, title: str) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text(f"{title}\n\nThe minister said the talks would continue on Monday.")
    return path


def test_geometry_and_dock_layout_come_back_on_the_next_run(qtbot, project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_paths(project, [_article(tmp_path, "a", "Talks resume")])
    first = create_window(project, "ana")
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 700)  # within the offscreen screen, which restoreGeometry respects
    docks = first.findChildren(QDockWidget)
    assert docks, "the side panels are dock widgets"
    hidden = docks[-1]
    hidden.hide()
    qtbot.wait(20)
    chosen = first.size()
    assert chosen != QSize(1440, 900) and chosen.width() < 800
    first.close()

    second = create_window(project, "ana")
    qtbot.addWidget(second)
    second.show()
    assert second.size() == chosen
    again = second.findChild(QDockWidget, hidden.objectName())
    assert again is not None and not again.isVisible()
    assert all(d.isVisible() for d in second.findChildren(QDockWidget) if d is not again)
    assert (paths.config_dir() / "window.ini").is_file()


def test_entity_colours_stay_readable_on_light_and_dark_pages(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    try:
        for pal in (app.style().standardPalette(), theme.dark_palette()):
            app.setPalette(pal)
            page = pal.color(QPalette.ColorRole.Base)
            for label in [*theme.ENTITY_COLORS, "SOMETHING_NEW"]:
                colour = theme.entity_color(label)
                assert theme.contrast(colour, page) >= theme.MIN_CONTRAST, (label, page.name())
    finally:
        app.setPalette(before)
    assert theme.is_dark(theme.dark_palette())
    assert not theme.is_dark(app.style().standardPalette())


def test_window_renders_with_a_dark_palette(qtbot, project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_paths(project, [_article(tmp_path, "a", "Talks resume")])
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    app.setPalette(theme.dark_palette())
    try:
        window = create_window(project, "ana")
        qtbot.addWidget(window)
        window.show()
        image = window.grab().toImage()
        # The page behind the article is the dark base colour, the title is light text.
        centre = image.pixelColor(window.articleView.mapTo(window, QPoint(5, 5)))
        assert centre.lightness() < 100
        assert window.docTitle.palette().color(window.docTitle.foregroundRole()).lightness() > 150
        assert theme.muted_text().lightness() > theme.palette().color(
            QPalette.ColorRole.Base).lightness()
    finally:
        app.setPalette(before)


def test_a_second_launch_hands_its_project_to_the_running_instance(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first_path, second_path = tmp_path / "first.annotator", tmp_path / "second.annotator"
    for path, title in ((first_path, "First project article"),
                        (second_path, "Second project article")):
        proj = open_project(path)
        import_paths(proj, [_article(tmp_path, path.stem, title)])
        proj.close()
    window = create_window(open_project(first_path), "ana")
    qtbot.addWidget(window)
    project_menu.adopt(window)  # as run_app does with the first window
    window.show()
    server = app_mod.InstanceServer()
    assert server.listen()
    server.openRequested.connect(app_mod.open_handed_over)
    try:
        # Real second processes, as a double-click on the file would start them. (The
        # client side cannot run on a thread of this process: its blocking waits keep
        # the GIL the server's slots need.)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

        def launch() -> None:
            proc = subprocess.Popen([sys.executable, "-m", "annotator", "--project",
                                     str(second_path)], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            qtbot.waitUntil(lambda: proc.poll() is not None, timeout=60_000)
            assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""

        def live_windows() -> list[MainWindow]:
            return [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, MainWindow) and w.isVisible()]

        launch()
        qtbot.waitUntil(lambda: [w.project.path.resolve() for w in live_windows()]
                        == [second_path.resolve()], timeout=10_000)
        (live,) = live_windows()
        qtbot.addWidget(live)
        assert live.current is not None and "Second project article" in live.current.text

        # Handing over the project already shown keeps that window.
        launch()
        qtbot.wait(200)
        assert live_windows() == [live]
    finally:
        server.close()
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                w.close()


def test_a_window_opened_from_the_project_menu_receives_handed_over_projects(
        qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths_ = [tmp_path / f"{name}.annotator" for name in ("first", "second", "third")]
    for path in paths_:
        proj = open_project(path)
        import_paths(proj, [_article(tmp_path, path.stem, f"The {path.stem} project article")])
        proj.close()
    first = create_window(open_project(paths_[0]), "ana")
    qtbot.addWidget(first)
    project_menu.adopt(first)  # as run_app does
    first.show()
    try:
        switched = project_menu.switch_project(first, paths_[1])  # Project → Open…
        assert switched is not None and switched is not first
        qtbot.addWidget(switched)
        assert project_menu.open_windows() == [switched]

        # The menu's window is the one a later launch hands its project to: the same
        # project keeps it, another one replaces it, and no second window appears.
        assert app_mod.open_handed_over(app_mod.project_key(str(paths_[1]))) is switched
        third = app_mod.open_handed_over(app_mod.project_key(str(paths_[2])))
        assert third is not None and third is not switched
        qtbot.addWidget(third)
        assert project_menu.open_windows() == [third]
        assert third.project.path == paths_[2].resolve()
        assert third.current is not None and "The third project article" in third.current.text
    finally:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                w.close()


def test_no_running_instance_means_no_hand_over(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert app_mod.hand_over(str(tmp_path / "x.annotator"), "annotator-test-nobody") is False


def test_new_default_projects_use_the_annotator_extension(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path))
    assert paths.default_project() == tmp_path / "default.annotator"
    legacy = tmp_path / "default.annotator.sqlite"
    open_project(legacy).close()
    assert paths.default_project() == legacy  # an earlier release's default keeps opening
    open_project(tmp_path / "default.annotator").close()
    assert paths.default_project() == tmp_path / "default.annotator"


def test_a_file_open_event_opens_that_project(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What macOS sends when a project is double-clicked while the application runs."""
    from PySide6.QtGui import QFileOpenEvent

    first_path, second_path = tmp_path / "one.annotator", tmp_path / "two.annotator"
    open_project(second_path).close()
    window = create_window(open_project(first_path), "ana")
    qtbot.addWidget(window)
    project_menu.adopt(window)  # as run_app does
    window.show()
    app = QApplication.instance()
    assert app is not None
    opener = app_mod.FileOpenFilter(app)
    app.installEventFilter(opener)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(second_path)))
        live = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()]
        assert [w.project.path.resolve() for w in live] == [second_path.resolve()]
        qtbot.addWidget(live[0])
    finally:
        app.removeEventFilter(opener)
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                w.close()
