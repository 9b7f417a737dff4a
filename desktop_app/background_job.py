"""Slow file work (opening a long session, writing an autosave) off the GUI thread.

The work is a plain function of plain inputs (the engine's loaders and writers touch
no widget), run on a Python thread; a timer on the GUI thread collects its result
and hands it back through a signal, so views are only ever changed on the GUI thread.
If the work takes longer than a moment, a busy dialog says what is going on and
offers Cancel: the result is then dropped and nothing on screen changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

POLL_MS = 20
BUSY_AFTER_MS = 300  # quicker work shows no dialog at all


class BackgroundJob(QObject):
    succeeded = Signal(object)  # the function's result
    failed = Signal(object)  # the exception it raised

    def __init__(self, work: Callable[[], Any], parent: QWidget | None = None, busy_text: str | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._result: tuple[bool, Any] | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, name="file-work", daemon=True)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._collect)
        self._busy: QProgressDialog | None = None
        self._busy_text = busy_text
        self._parent_widget = parent

    def start(self) -> BackgroundJob:
        self._thread.start()
        self._poll.start()
        if self._busy_text:
            QTimer.singleShot(BUSY_AFTER_MS, self._show_busy)
        return self

    @property
    def running(self) -> bool:
        return self._result is None and not self._cancelled

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work is done and its signal sent (closing, scripts, tests)."""
        self._thread.join(timeout)
        self._collect()
        return not self._thread.is_alive()

    def cancel(self) -> None:
        """Drop the result when it comes; nothing on screen changes."""
        self._cancelled = True
        self._finish()

    def _run(self) -> None:
        try:
            self._result = (True, self._work())
        except BaseException as exc:  # noqa: BLE001 (handed to the GUI thread, which decides)
            self._result = (False, exc)

    def _collect(self) -> None:
        if self._result is None or self._cancelled or not self._poll.isActive():
            return
        self._finish()
        ok, value = self._result
        (self.succeeded if ok else self.failed).emit(value)

    def _finish(self) -> None:
        self._poll.stop()
        if self._busy is not None:
            self._busy.canceled.disconnect(self.cancel)
            self._busy.reset()
            self._busy.deleteLater()
            self._busy = None

    def _show_busy(self) -> None:
        if not self._poll.isActive():
            return
        busy = QProgressDialog(self._busy_text, "Cancel", 0, 0, self._parent_widget)
        busy.setObjectName("busyDialog")
        busy.setWindowTitle("Autoencoder Lab")
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setMinimumDuration(0)
        busy.setMinimumWidth(busy.fontMetrics().horizontalAdvance(self._busy_text) + 120)  # the text, not elided
        busy.canceled.connect(self.cancel)
        busy.show()
        self._busy = busy
