"""Asking before a change throws training away.

Widgets hold the question as a replaceable callable (``confirm_discard``), so a test
or a scripted lesson can answer it without a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.controller import TrainingController

Confirm = Callable[[str], bool]


def dialog_confirm(parent: QWidget) -> Confirm:
    """A Yes/No question box over ``parent``; Yes keeps going."""

    def ask(question: str) -> bool:
        answer = QMessageBox.question(parent, "Discard training?", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    return ask


def discard_question(controller: TrainingController, change: str) -> str | None:
    """The question to ask before ``change`` restarts training, or None when nothing is lost."""
    epochs = controller.latest_epoch
    if epochs == 0:
        return None
    noun = "epoch" if epochs == 1 else "epochs"
    return f"{change} starts training again from random weights: the {epochs:,} {noun} trained so far are lost. " \
           "Go ahead?"
