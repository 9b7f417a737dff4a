"""The training host lives as long as the app's window: closing it ends the host."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from desktop_app.training_process.client import TrainingHost

SHUTDOWN_S = 1.0  # a closed window leaves no host running longer than this


class _EndsHostOnClose(QObject):
    def __init__(self, window: QWidget, host: TrainingHost) -> None:
        super().__init__(window)
        self._window, self._host = window, host
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self._after_close)  # the window may refuse to close (unsaved work)
        return False

    def _after_close(self) -> None:
        if not self._window.isVisible():
            self._host.shutdown(timeout=SHUTDOWN_S)


def end_host_with(window: QWidget, host: TrainingHost) -> None:
    """When ``window`` closes (and stays closed), end ``host`` within a second."""
    _EndsHostOnClose(window, host)
