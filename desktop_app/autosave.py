"""Nothing is lost: the whole app is kept in the user's data folder every minute while
something changed, and on close; the next start offers to bring it back.

The copy of the app is taken on the GUI thread (frozen sessions, plain JSON: a few
milliseconds) and written on a worker thread, so a minute's autosave never stalls
the window, even mid-training. The engine writes atomically (a temporary file, then a
rename), so a crash or a kill during the write leaves the previous autosave whole.
``autosave/enabled`` in the settings (default on) turns all of it off.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileInfo, QObject, QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.app_session import capture, fingerprint
from desktop_app.background_job import BackgroundJob
from desktop_app.settings import identify_application, read_bool, settings
from engine.files.persistence import SUFFIX, save_bundle

log = logging.getLogger(__name__)
ENABLED_KEY = "autosave/enabled"
INTERVAL_S = 60.0
FILE_NAME = f"autosave{SUFFIX}"


def autosave_enabled() -> bool:
    return read_bool(settings(), ENABLED_KEY, True)


def autosave_path() -> Path:
    """``autosave.aelab`` in Qt's per-user data folder (e.g. ~/.local/share/Autoencoder Lab)."""
    identify_application()
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / FILE_NAME


class Autosaver(QObject):
    """Writes ``autosave_path()`` every ``interval_s`` while the app changed, and on close."""

    def __init__(self, window, interval_s: float = INTERVAL_S) -> None:
        super().__init__(window)
        self.window = window
        self.path = autosave_path()
        self._written = fingerprint(window)  # what a fresh start shows needs no autosave
        self._job: BackgroundJob | None = None
        self._warned = False
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, round(interval_s * 1000)))
        self.timer.timeout.connect(self.save_in_background)
        self.timer.start()

    def mark_written(self) -> None:
        """The screen now equals the autosave (just restored from it)."""
        self._written = fingerprint(self.window)

    def save_in_background(self) -> BackgroundJob | None:
        """Copy the app now and write it on a worker thread (skipped when nothing changed
        or the previous write is still going)."""
        if not autosave_enabled() or (self._job is not None and self._job.running):
            return None
        now = fingerprint(self.window)
        if now == self._written:
            return None
        contents = capture(self.window)
        job = BackgroundJob(lambda: save_bundle(self.path, contents.sessions, contents.app_state), self)
        job.succeeded.connect(lambda _path: self._wrote(now))
        job.failed.connect(self._failed)
        self._job = job
        return job.start()

    def save_now(self) -> bool:
        """On close: finish a write under way, then write what changed since (blocking)."""
        if self._job is not None:
            self._job.wait()
        if not autosave_enabled():
            return False
        now = fingerprint(self.window)
        if now == self._written:
            return False
        contents = capture(self.window)
        self.window.statusBar().showMessage("Keeping your work for next time…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # trained digit models take a moment
        try:
            save_bundle(self.path, contents.sessions, contents.app_state)
        except Exception as exc:  # noqa: BLE001 (a failed autosave must never keep the window from closing)
            self._failed(exc)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._wrote(now)
        return True

    def _wrote(self, now) -> None:
        self._written = now

    def _failed(self, exc: BaseException) -> None:
        """Said once in the status bar and logged; the previous autosave is untouched."""
        log.warning("Autosave to %s failed: %s", self.path, exc)
        if not self._warned:
            self._warned = True
            self.window.statusBar().showMessage(f"Autosave failed ({exc}); your last autosave is kept.", 15000)


def install_autosave(window, interval_s: float = INTERVAL_S) -> Autosaver:
    window.autosaver = Autosaver(window, interval_s)
    return window.autosaver


def offer_restore(window) -> BackgroundJob | None:
    """At start: if an autosave exists, ask whether to bring it back (a dialog)."""
    path = autosave_path()
    if not autosave_enabled() or not path.is_file():
        return None
    when = QFileInfo(str(path)).lastModified().toString("dddd d MMMM, HH:mm")
    box = QMessageBox(QMessageBox.Icon.Question, "Restore your last session?",
                      f"Autoencoder Lab kept your work from {when}: every tab, its models and where "
                      "you were. Restore it?", parent=window)
    box.setObjectName("restoreAutosaveDialog")
    box.setInformativeText(f"It is kept in {path}. Starting fresh keeps it until the app next saves one.")
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Start fresh", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    job = window.session_files.open_path(path, confirmed=True, untitled=True)
    autosaver = getattr(window, "autosaver", None)
    if job is not None and autosaver is not None:
        job.succeeded.connect(lambda _loaded: autosaver.mark_written())
    return job

