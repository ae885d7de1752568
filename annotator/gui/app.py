"""Starting the application: QApplication, the project, who is annotating, the window.

Start-up stays fast (the document list shows in well under a second on a large
project): nothing heavy is imported before the window shows, and pre-annotation with
spaCy starts a few seconds later, in the background.

One running instance per user and data folder: a second launch (a double-clicked
project file, the menu entry) hands its project to the running instance over a local
socket and exits, so the project opens in a window of the instance already running
instead of a second process holding the same files.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QFileOpenEvent, QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from annotator import paths
from annotator.core.errors import InputError
from annotator.gui import theme
from annotator.services.demo import seed_demo
from annotator.services.project import open_project

SUGGEST_DELAY_MS = 3000
HANDOVER_TIMEOUT_MS = 1000


def server_name() -> str:
    """One name per user and data folder: two users, or a test run with its own
    ``ANNOTATOR_HOME``, never hand projects to each other's instance."""
    key = f"{getpass.getuser()}|{paths.home()}"
    return "annotator-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def project_key(project_arg: str | None) -> str:
    """What identifies a project file across processes: its absolute path."""
    target = project_arg or str(paths.default_project())
    return str(Path(target).expanduser().resolve())


def hand_over(project_arg: str | None, name: str | None = None) -> bool:
    """Ask a running instance to open ``project_arg`` (None: its default project).

    True when an instance took it; False when none runs (or it did not answer in time),
    and this process should open the window itself.
    """
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(HANDOVER_TIMEOUT_MS):
        return False
    message = json.dumps({"open": project_key(project_arg)}).encode() + b"\n"
    socket.write(QByteArray(message))
    if not socket.waitForBytesWritten(HANDOVER_TIMEOUT_MS):
        return False
    answered = socket.waitForReadyRead(HANDOVER_TIMEOUT_MS)
    reply = bytes(socket.readAll().data()).strip() if answered else b""
    socket.disconnectFromServer()
    return reply == b"ok"


class InstanceServer(QObject):
    """Listens for later launches; emits ``openRequested(project)`` for each."""

    openRequested = Signal(str)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening; a socket file left by a crashed instance is removed first
        (``hand_over`` has already found nobody answering on it)."""
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        try:
            target = json.loads(line)["open"]
        except (ValueError, KeyError, TypeError):
            socket.write(QByteArray(b"refused\n"))
            return
        socket.write(QByteArray(b"ok\n"))
        socket.flush()
        self.openRequested.emit(str(target))


def open_handed_over(key: str) -> QWidget | None:
    """Show the project a later launch handed over, in the place of the active window's
    (as Project → Open does), and bring the window to the front."""
    from annotator.gui import project_menu

    windows = project_menu.open_windows()  # the first one and those opened since
    if not windows:
        return None
    active = QApplication.activeWindow()
    window = active if active in windows else windows[-1]
    shown = project_menu.switch_project(window, Path(key)) or window
    if shown.isMinimized():
        shown.showNormal()
    shown.raise_()
    shown.activateWindow()
    return shown


class FileOpenFilter(QObject):
    """macOS hands a double-clicked project to the running application as a FileOpen
    event, not as an argument; it opens like a second launch's project."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if isinstance(event, QFileOpenEvent) and event.file():
            open_handed_over(project_key(event.file()))
            return True
        return super().eventFilter(watched, event)


def application_icon() -> QIcon:
    icon = QIcon()
    folder = paths.resources_dir() / "icons"
    for png in sorted(folder.glob("annotator-*.png")):
        icon.addFile(str(png))
    return icon


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("annotator")
    app.setOrganizationName("annotator")
    app.setApplicationDisplayName("annotator")
    app.setDesktopFileName("annotator")  # Wayland and docks match the desktop entry by it
    app.setWindowIcon(application_icon())
    theme.follow_color_scheme(app)
    return app


def _screenshot_and_quit(window: QWidget, path: str) -> None:
    """``ANNOTATOR_SCREENSHOT=FILE``: save the window as PNG once shown, then quit; how a
    built bundle is checked on a machine with no display (QT_QPA_PLATFORM=offscreen)."""
    QApplication.processEvents()
    ok = window.grab().save(path)
    if not ok:
        print(f"annotator: error: {path}: cannot write the screenshot", file=sys.stderr)
    window.close()
    QApplication.exit(0 if ok else 1)


def run_app(project_arg: str | None = None) -> int:
    app = make_application()
    screenshot = os.environ.get("ANNOTATOR_SCREENSHOT")
    local = project_arg is None or "://" not in project_arg  # a server URL opens here
    if not screenshot and local and hand_over(project_arg):
        return 0
    server = InstanceServer()
    if not screenshot:  # a check run never takes over the user's running instance
        server.listen()  # not listening only costs the hand-over; the window still opens
    try:
        project = open_project(project_arg or paths.default_project())
    except InputError as exc:
        QMessageBox.critical(None, "annotator", str(exc))
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    if project_arg is None:
        seed_demo(project)
    from annotator.gui.dialogs import AnnotatorNameDialog, system_user
    from annotator.gui.main_window import create_window

    name = project.get_setting("annotator")
    if not name and screenshot:
        name = system_user()
    elif not name:  # first start on this project: ask once, the system user proposed
        dialog = AnnotatorNameDialog(system_user())
        name = dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else system_user()
    try:
        window = create_window(project, name)
    except InputError as exc:  # e.g. a label schema whose keys clash
        QMessageBox.critical(None, "annotator", str(exc))
        print(f"annotator: error: {exc}", file=sys.stderr)
        project.close()
        return 2
    from annotator.gui import project_menu

    project_menu.adopt(window)  # where a later launch's project is handed over
    server.openRequested.connect(open_handed_over)
    file_open = FileOpenFilter(app)
    app.installEventFilter(file_open)
    window.show()
    if screenshot:
        QTimer.singleShot(0, lambda: _screenshot_and_quit(window, screenshot))
    else:
        QTimer.singleShot(SUGGEST_DELAY_MS, window.start_suggestions)
    code = app.exec()
    server.close()
    project.close()
    return code
