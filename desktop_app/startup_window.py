"""The first thing ``python -m desktop_app`` paints, while the training engine starts.

The training host imports torch (seconds on a busy machine) in its own process; the
window does not wait for it. At once the app shows this window: the main window's
title, place and size, and a status line that says what is going on. When the host
has made the first session (its first snapshot), the main window is built around it
and takes this one's place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, Qt
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


def start_main_window(theme: Theme, seed: int, build: Callable[[HostedSession], None],
                      failed: Callable[[str], None]) -> StartingWindow:
    """Show the starting window now (in the window's theme); ask the host for the first
    session and call ``build(handle)`` with it once it is there (or ``failed(message)``)."""
    apply_to_application(theme)
    shell = StartingWindow()
    shell.show()
    training_host().call_async(
        "create", TrainingConfig(seed=seed), None,
        on_reply=lambda made: build(HostedSession(made[0])),
        on_error=lambda error: failed(str(error) if isinstance(error, HostError) else repr(error)))
    return shell
