"""Where unexpected errors go: a rotating log file in the user's log folder, and one
dialog per distinct error that names that file and offers to copy the details.

A learner who started the app from a desktop icon never sees stderr, so the dialog's
"details are in the log" must point at a real file: ``log_folder()`` is Qt's
per-user application data folder (``QStandardPaths.AppLocalDataLocation``) plus
``logs``. A slot that fails on every click (or every frame) must not bury the window
in dialogs: the same error (type, message, and the line it came from) within
``REPEAT_WINDOW_S`` of its last showing is counted in the log and not shown again.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

LOG = logging.getLogger("autoencoder_lab")
LOG_NAME = "autoencoder-lab.log"
LOG_BYTES = 1_000_000  # per file; with the backups at most ~4 MB of logs
LOG_BACKUPS = 3
REPEAT_WINDOW_S = 30.0
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"


def log_folder() -> Path:
    """The user's log folder for this app (created if needed)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    if not base:  # no writable location at all: the temporary folder still works
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation)
    folder = Path(base) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def install_log_file(folder: Path | None = None) -> Path:
    """Send every log record of the app (and of the engine) to a rotating file too;
    returns its path. Installing twice adds no second handler."""
    path = (folder or log_folder()) / LOG_NAME
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


@dataclass
class _Seen:
    last: float
    repeats: int = 0


class ErrorReporter(QObject):
    """Logs every unexpected error with its traceback and shows each distinct one once.

    ``show`` (title, summary, details) puts the dialog up; tests replace it."""

    _reported = Signal(str, str)  # summary, details: from any thread to the GUI thread

    def __init__(self, log_path: Path, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._clock = clock
        self._seen: dict[tuple, _Seen] = {}
        self._lock = threading.Lock()
        self.dialogs: list[QMessageBox] = []  # kept alive while open
        self.show: Callable[[str, str], None] = self._show_dialog
        self._reported.connect(lambda summary, details: self.show(summary, details))

    # ----- hooks -----------------------------------------------------------------------
    def excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        """sys.excepthook: Qt hands every exception raised in a slot to it."""
        self.report(kind, value, tb)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        """threading.excepthook: a background thread's error is logged and shown too."""
        if args.exc_type is SystemExit:
            return
        self.report(args.exc_type, args.exc_value, args.exc_traceback)

    # ----- reporting ---------------------------------------------------------------------
    def report(self, kind: type[BaseException], value: BaseException | None, tb: TracebackType | None) -> bool:
        """Log the error; True if it is to be shown (the first of its kind for a while)."""
        details = "".join(traceback.format_exception(kind, value, tb))
        key = _signature(kind, value, tb)
        now = self._clock()
        with self._lock:
            seen = self._seen.get(key)
            fresh = seen is None or now - seen.last > REPEAT_WINDOW_S
            if fresh:
                self._seen[key] = _Seen(now)
            else:
                seen.last = now
                seen.repeats += 1
        if not fresh:
            LOG.error("The same error again (%d repeats so far, not shown again): %s: %s",
                      seen.repeats, kind.__name__, value)
            return False
        LOG.error("Unexpected error:\n%s", details)
        app = QApplication.instance()
        if app is not None and not app.closingDown():
            self._reported.emit(f"{kind.__name__}: {value}", details)
        return True

    def message(self, summary: str) -> str:
        return (f"{summary}\n\nThe app keeps running; your session is untouched. The details are in the log "
                f"file:\n{self.log_path}")

    def build_dialog(self, summary: str, details: str, parent: QWidget | None = None) -> QMessageBox:
        """The dialog: what happened, the log file's path, the traceback behind "Show
        Details…", and a button that copies the details for a bug report."""
        box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong", self.message(summary),
                          QMessageBox.StandardButton.Close, parent)
        box.setObjectName("errorDialog")
        box.setDetailedText(f"Log file: {self.log_path}\n\n{details}")
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        copy.setObjectName("copyErrorDetailsButton")
        copy.clicked.disconnect()  # copying does not close the dialog
        copy.clicked.connect(lambda: QApplication.clipboard().setText(box.detailedText()))
        return box

    def _show_dialog(self, summary: str, details: str) -> None:
        box = self.build_dialog(summary, details, QApplication.activeWindow())
        self.dialogs.append(box)
        box.finished.connect(lambda _r: self.dialogs.remove(box) if box in self.dialogs else None)
        box.open()


def _signature(kind: type[BaseException], value: BaseException | None, tb: TracebackType | None) -> tuple:
    """What makes two errors "the same": type, message and the line that raised it."""
    frames = traceback.extract_tb(tb) if tb is not None else []
    where = (frames[-1].filename, frames[-1].lineno) if frames else None
    return kind.__name__, str(value), where


def install_error_reporting(folder: Path | None = None) -> ErrorReporter:
    """Log to a file and show unexpected errors once each; returns the reporter."""
    path = install_log_file(folder)
    reporter = ErrorReporter(path, QApplication.instance())
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_hook
    LOG.info("Autoencoder Lab started; this log is %s", path)
    return reporter
