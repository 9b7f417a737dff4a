"""The first thing ``python -m desktop_app`` paints, while the training engine starts.

The training host imports torch (seconds on a busy machine) in its own process; the
window does not wait for it. At once the app shows this window: the main window's
title, place and size, and a status line that says what is going on. Once it has
painted, the training engine's process starts and is asked for the first session, and
the main window's modules load meanwhile. When the host has made the first session
(its first snapshot), the main window is built around it and takes this one's place.

Why after the paint: spawning the engine costs the window about 11 ms, and its
interpreter and torch import then compete with the window for the cores. With the
engine started before the window's first paint, that paint took 0.358 s against 0.277
s without an engine (median of seven launches, one other program busy on one of the two
cores); on an idle machine, 0.291 against 0.279 s.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow

from desktop_app.settings import settings
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application
from desktop_app.training_process import HostError, training_host
from engine.core.config import TrainingConfig
from engine.service.protocol import HostedSession

STARTING = "Starting the training engine…"
GEOMETRY_KEY = "window/geometry"  # the main window's (desktop_app.window_layout)
UNPAINTED_START_MS = 500  # a window that is never painted (minimised) starts the engine after this


class StartingWindow(QMainWindow):
    """The main window's frame, empty but for a status line, painted at once."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("startingWindow")
        self.setWindowTitle("Autoencoder Lab")
        note = QLabel(STARTING, self)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(note)
        self.statusBar().showMessage(STARTING)
        geometry = settings().value(GEOMETRY_KEY)
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            screen = QGuiApplication.primaryScreen().availableGeometry()
            self.resize(min(1500, screen.width()), min(950, screen.height()))
            self.move(screen.topLeft())


class _AfterFirstPaint(QObject):
    """Runs ``then()`` once, on the event loop's next turn after ``window``'s first paint
    (the paint itself is not held up), or after ``UNPAINTED_START_MS`` if no paint comes."""

    def __init__(self, window: QMainWindow, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._then = window, then
        window.installEventFilter(self)
        QTimer.singleShot(UNPAINTED_START_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            self._window.removeEventFilter(self)
            then()


def start_main_window(theme: Theme, seed: int, build: Callable[[HostedSession], None],
                      failed: Callable[[str], None], meanwhile: Callable[[], None]) -> StartingWindow:
    """Show the starting window now (in the window's theme). Once it has painted, ask
    the host for the first session (which starts its process), run ``meanwhile()`` while
    it comes, and call ``build(handle)`` with it once it is there (or ``failed(message)``)."""
    apply_to_application(theme)
    shell = StartingWindow()

    def ask_for_first_session() -> None:
        training_host().call_async(
            "create", TrainingConfig(seed=seed), None,
            on_reply=lambda made: build(HostedSession(made[0])),
            on_error=lambda error: failed(str(error) if isinstance(error, HostError) else repr(error)))
        meanwhile()

    _AfterFirstPaint(shell, ask_for_first_session)  # the shell owns it
    shell.show()
    return shell
