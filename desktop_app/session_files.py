"""File > Save, Save As, Open, Open recent for the whole app; the unsaved-changes
prompt; a session file dropped on the window opens it.

Opening runs the engine's loader on a worker thread with a busy dialog, and the open
session stays exactly as it was until the file has loaded and passed every check.
Saving writes through the engine (atomic: a failed save leaves the file on disk as it
was). Every failure is one sentence in a message box; nothing is half-applied.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QFileDialog, QLineEdit, QMenu, QMessageBox, QWidget

from desktop_app.app_session import AppContents, apply_contents, capture, check_contents, fingerprint
from desktop_app.background_job import BackgroundJob
from desktop_app.recent_files import RecentFilesMenu, remember
from engine.files.persistence import SUFFIX, SaveError, SessionFileError, check_save_target, load_bundle, save_bundle

FILE_FILTER = f"Autoencoder Lab sessions (*{SUFFIX});;All files (*)"
TITLE = "Autoencoder Lab"


def describe_save_error(exc: OSError, path: Path) -> str:
    """What went wrong in words a learner can act on; the file on disk is unchanged."""
    kept = " Nothing was written: the file already there is unchanged." if path.is_file() else " Nothing was written."
    if isinstance(exc, SaveError):  # the engine's own sentence (a folder, read-only, ...)
        return f"{exc}{kept}"
    if exc.errno == errno.ENOSPC:
        return f"The disk is full, so {path.name} could not be saved.{kept} Free some space and save again."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"You may not write in {path.parent} (the folder or the file is read-only).{kept} "
                "Choose another folder with Save As.")
    return f"{path.name} could not be saved: {exc.strerror or exc}.{kept}"


def describe_open_error(exc: BaseException, path: Path) -> str:
    if isinstance(exc, SessionFileError):
        return str(exc)
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return f"{path} is a folder, not a session file."
    if isinstance(exc, OSError):
        return f"{path.name} could not be read: {exc.strerror or exc}."
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return f"{path.name} is damaged or was changed by hand ({exc})."
    raise exc


class SessionFiles(QObject):
    """The window's session file: its path, whether it changed, and the File actions."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.path: Path | None = None
        self._clean = fingerprint(window)
        self.loading: BackgroundJob | None = None
        self.ask_on_close = False  # the running app asks (startup_session); scripts and tests do not
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        pass_drops_to_window(window)

    # ----- the File menu -----------------------------------------------------------------------
    def fill_menu(self, menu: QMenu) -> None:
        w = self.window
        self.actions = {
            "open": self._action(menu, "&Open session…", QKeySequence.StandardKey.Open, self.open_dialog),
        }
        self.recent_menu = RecentFilesMenu(self.open_path, menu)
        menu.addMenu(self.recent_menu)
        menu.addSeparator()
        self.actions["save"] = self._action(menu, "&Save session", QKeySequence.StandardKey.Save, self.save)
        self.actions["save_as"] = self._action(menu, "Save session &as…", QKeySequence.StandardKey.SaveAs,
                                               self.save_as)
        for key, action in self.actions.items():
            action.setObjectName(f"{key}SessionAction")
        w.addActions(list(self.actions.values()))

    def _action(self, menu: QMenu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    # ----- changes -------------------------------------------------------------------------------
    @property
    def modified(self) -> bool:
        return fingerprint(self.window) != self._clean

    def mark_clean(self) -> None:
        self._clean = fingerprint(self.window)

    def confirm_close(self) -> bool:
        """Closing the window: True if it may close (saved, discarded, or nothing to lose)."""
        return not self.ask_on_close or self.confirm_discard("closing")

    def confirm_discard(self, doing: str) -> bool:
        """Ask before unsaved work is replaced: Save, Discard or Cancel. True: go on."""
        if not self.modified:
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes",
            f"This session has changes that are not saved. Save them before {doing}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ----- saving ----------------------------------------------------------------------------------
    def save(self) -> bool:
        return self.save_to(self.path) if self.path is not None else self.save_as()

    def save_as(self) -> bool:
        start = str(self.path) if self.path is not None else f"session{SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(self.window, "Save session", start, FILE_FILTER)
        if not path:
            return False
        if not path.endswith(SUFFIX) and not Path(path).is_dir():
            path += SUFFIX
        return self.save_to(path)

    def save_to(self, path: str | os.PathLike) -> bool:
        """Write the whole app to ``path``; False (and a message) if it could not be."""
        path, problem = Path(path), None
        try:
            check_save_target(path)  # before the copy of the app is made
            contents = capture(self.window)
            save_bundle(path, contents.sessions, contents.app_state)
        except OSError as exc:
            problem = describe_save_error(exc, path)
        if problem is not None:
            QMessageBox.warning(self.window, "Could not save the session", problem)
            return False
        self.adopt_path(path)
        self.window.statusBar().showMessage(f"Saved to {path}", 8000)
        return True

    # ----- opening -------------------------------------------------------------------------------
    def open_dialog(self) -> None:
        if not self.confirm_discard("opening another session"):
            return
        path, _ = QFileDialog.getOpenFileName(self.window, "Open session", "", FILE_FILTER)
        if path:
            self.open_path(path, confirmed=True)

    def open_path(self, path: str | os.PathLike, confirmed: bool = False,
                  untitled: bool = False) -> BackgroundJob | None:
        """Load ``path`` off the GUI thread, then replace every tab; returns the job.
        ``untitled``: a restored autosave, not the learner's file (Save asks for a name)."""
        if self.loading is not None and self.loading.running:
            return None
        if not confirmed and not self.confirm_discard("opening another session"):
            return None
        path = Path(path)
        job = BackgroundJob(lambda: _live(load_bundle(path)), self.window, f"Opening {path.name}…")
        job.succeeded.connect(lambda loaded: self._install(path, loaded, untitled))
        job.failed.connect(lambda exc: self._refuse(path, describe_open_error(exc, path)))
        self.loading = job
        return job.start()

    def _install(self, path: Path, loaded: tuple, untitled: bool = False) -> None:
        sessions, app_state = loaded
        contents = AppContents(sessions, app_state)
        try:
            check_contents(self.window, contents)
        except ValueError as exc:
            self._refuse(path, f"{path.name} is damaged or was changed by hand: {exc}.")
            return
        apply_contents(self.window, contents)
        if untitled:  # unsaved work brought back: closing still asks to save it
            self.window.statusBar().showMessage("Your last session is back, as it was.", 8000)
            return
        self.adopt_path(path)
        self.window.statusBar().showMessage(f"Opened {path}", 8000)

    def _refuse(self, path: Path, message: str) -> None:
        QMessageBox.warning(self.window, "Could not open the session", f"{message}\n\nThe open session is unchanged.")

    def adopt_path(self, path: Path) -> None:
        """The window now shows ``path`` as saved: Ctrl+S writes there, it is listed as recent."""
        self.path = path
        remember(path)
        self.mark_clean()
        self.window.setWindowTitle(f"{path.name} — {TITLE}")

    # ----- dropping a file on the window -------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and _dropped_file(event) is not None:
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop:
            path = _dropped_file(event)
            if path is not None:
                event.acceptProposedAction()
                self.open_path(path)
                return True
        return False


def pass_drops_to_window(window) -> None:
    """Qt gives a drop to the innermost widget that accepts drops, not to its window:
    the plots, canvases and the nested workbench window accept them by default (and do
    nothing with files). They stop accepting, so a file dropped anywhere reaches the
    window; text fields keep accepting dropped text."""
    for widget in window.findChildren(QWidget):
        if widget.acceptDrops() and not isinstance(widget, (QLineEdit, QAbstractSpinBox)):
            widget.setAcceptDrops(False)


def _dropped_file(event) -> str | None:
    """The first local file being dragged, if any (anything else is not for us)."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    files = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
    return files[0] if files else None


def install_session_files(window, menu: QMenu) -> SessionFiles:
    """Give ``window`` whole-app session files, with their actions in ``menu``."""
    files = SessionFiles(window)
    files.fill_menu(menu)
    return files


def _live(loaded: tuple[dict, dict]) -> tuple[dict, dict]:
    """A file's session records as live sessions, which the controllers train."""
    from engine.core.session import TrainingSession

    records, app_state = loaded
    return {name: TrainingSession.from_record(record) for name, record in records.items()}, app_state
