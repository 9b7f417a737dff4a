"""What the running app does about sessions at start: open the one named on the command
line (``--open SESSION``) or offer to restore the autosave, keep an autosave from now
on, and ask about unsaved work when the window closes.

Kept out of ``MainWindow`` itself so a window built by a script or a test never asks
questions or writes to the user's data folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from desktop_app.app_session import AppContents, apply_contents, check_contents
from desktop_app.autosave import INTERVAL_S, install_autosave, offer_restore
from desktop_app.session_files import describe_open_error
from engine.core.session import TrainingSession
from engine.files.persistence import load_bundle


def open_at_start(window, path: str) -> str | None:
    """Load ``path`` into ``window`` before it is shown; the error in words, or None."""
    path = Path(path)
    try:
        records, app_state = load_bundle(path)
        contents = AppContents({name: TrainingSession.from_record(r) for name, r in records.items()}, app_state)
        check_contents(window, contents)
    except (OSError, ValueError) as exc:
        return describe_open_error(exc, path)
    apply_contents(window, contents)
    window.session_files.adopt_path(path)
    return None


def start_session(window, open_path: str | None = None, autosave_interval_s: float = INTERVAL_S,
                  offer_autosave: bool = True) -> str | None:
    """Set the app's window up for a learner; returns an error message if ``open_path``
    could not be opened (the caller exits with code 2). ``offer_autosave`` False: no
    question at start (the first-paint benchmark must not wait for an answer)."""
    if open_path is not None:
        error = open_at_start(window, open_path)
        if error is not None:
            return error
    window.session_files.ask_on_close = True
    autosaver = install_autosave(window, autosave_interval_s)
    if open_path is None and offer_autosave:
        QTimer.singleShot(0, lambda: offer_restore(window))
    else:
        autosaver.mark_written()
    return None
