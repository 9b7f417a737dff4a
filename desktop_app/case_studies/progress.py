"""Run controls for a case study: play/pause, one epoch, reset, and a progress bar with
the epochs of this run, the time left and a Stop that keeps what was learned.

The bar only shows; the study owns the controller (built on first use, so the
window opens fast) and answers the signals sent here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from desktop_app.theme import Theme
from desktop_app.widgets.number_box import WholeNumberBox
from desktop_app.widgets.wrapping_rows import wrap_layout
from engine.digits.study_figures import RunProgress


class RunControls(QWidget):
    """Play runs ``epochs per run`` more epochs; Stop (and Pause) finish the epoch under
    way and keep the weights, so Play continues from there."""

    playToggled = Signal()
    stepRequested = Signal()
    resetRequested = Signal()
    stopRequested = Signal()

    def __init__(self, theme: Theme, prefix: str, default_epochs: int, parent: QWidget | None = None,
                 step_key: bool = True) -> None:
        """``step_key``: the Right arrow steps one epoch (off where arrows move a probe)."""
        super().__init__(parent)
        self.theme = theme
        layout = QHBoxLayout()
        self.play_button = self._button(f"{prefix}PlayPauseButton", "Play",
                                        "Train, one epoch after another, for the number of epochs set here.")
        self.play_button.clicked.connect(self.playToggled)
        self.step_button = self._button(f"{prefix}StepEpochButton", "One epoch",
                                        "Train exactly one epoch (every training digit once), then stop.")
        self.step_button.clicked.connect(self.stepRequested)
        self.reset_button = self._button(f"{prefix}ResetButton", "Reset",
                                         "Start again from fresh random weights with the same settings.")
        self.reset_button.clicked.connect(self.resetRequested)
        self.epochs_spin = WholeNumberBox(self, what="The number of epochs")
        self.epochs_spin.setObjectName(f"{prefix}EpochsSpin")
        self.epochs_spin.setAccessibleName(f"{prefix}EpochsSpin")
        self.epochs_spin.setRange(1, 10_000)
        self.epochs_spin.valueChanged.connect(
            lambda n: self.epochs_spin.setSuffix(" epoch" if n == 1 else " epochs"))
        self.epochs_spin.setValue(default_epochs)
        self.epochs_spin.setSuffix(" epoch" if default_epochs == 1 else " epochs")
        self.epochs_spin.setToolTip("How many epochs Play trains before it stops by itself.")
        self.bar = QProgressBar(self)
        self.bar.setObjectName(f"{prefix}Progress")
        self.bar.setAccessibleName(f"{prefix}Progress")
        self.bar.setRange(0, default_epochs)
        self.bar.setValue(0)
        self.bar.setFormat("not started")
        self.bar.setMinimumWidth(int(120 * theme.scale))
        self.time_label = QLabel("", self)
        self.time_label.setObjectName(f"{prefix}TimeLeftLabel")
        self.time_label.setAccessibleName(f"{prefix}TimeLeftLabel")
        self.time_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("about 59 min 59 s left") + 8)
        self.stop_button = self._button(f"{prefix}StopButton", "Stop",
                                        "Stop after the epoch under way. The model keeps what it has learned; "
                                        "Play continues from there.")
        self.stop_button.clicked.connect(self.stopRequested)
        self.stop_button.setEnabled(False)
        self.epoch_label = QLabel("epoch 0", self)
        self.epoch_label.setObjectName(f"{prefix}EpochLabel")
        self.epoch_label.setAccessibleName(f"{prefix}EpochLabel")
        self.epoch_label.setFont(theme.font(1.1, bold=True))
        for widget in (self.play_button, self.step_button, self.reset_button, self.epochs_spin):
            layout.addWidget(widget)
        layout.addSpacing(int(12 * theme.scale))
        layout.addWidget(self.epoch_label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.time_label)
        layout.addWidget(self.stop_button)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(wrap_layout(layout, theme, self))  # the buttons over the progress on a narrow screen
        self.shortcuts = {"play": QShortcut(QKeySequence(Qt.Key.Key_Space), self,
                                            context=Qt.ShortcutContext.WindowShortcut)}
        self.shortcuts["play"].activated.connect(self.playToggled)
        self.shortcuts["play"].setWhatsThis("Play or pause training")  # listed by the shortcut overlay (F1)
        self.play_button.setToolTip(self.play_button.toolTip() + " (Space)")
        if step_key:
            self.shortcuts["step"] = QShortcut(QKeySequence(Qt.Key.Key_Right), self,
                                               context=Qt.ShortcutContext.WindowShortcut)
            self.shortcuts["step"].activated.connect(self._step_key)
            self.shortcuts["step"].setWhatsThis("Train one epoch")
            self.step_button.setToolTip(self.step_button.toolTip() + " (Right arrow)")

    def _step_key(self) -> None:
        if self.step_button.isEnabled():
            self.stepRequested.emit()

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    @property
    def epochs_per_run(self) -> int:
        return self.epochs_spin.value()

    def show_progress(self, progress: RunProgress, running: bool) -> None:
        """Mirror the engine's account of the run: epochs done of the run, time left."""
        self.epoch_label.setText(f"epoch {progress.epoch}")
        self.play_button.setText("Pause" if running else "Play")
        self.stop_button.setEnabled(running)
        self.step_button.setEnabled(not running)
        self.reset_button.setEnabled(not running)
        self._set_bar(max(1, progress.run_length), progress.done, progress.bar_text)
        self.time_label.setText(progress.time_text(running))

    def _set_bar(self, maximum: int, value: int, text: str) -> None:
        """Without a paint here and now: QProgressBar.setValue repaints at once when its
        text changes, and that repaint painted every change pending in the window (the
        page, the digit table) in the middle of an epoch's drawing: 3 to 11 ms of CPU. With
        updates off, the bar is drawn with the rest, when the frame paints."""
        self.bar.setUpdatesEnabled(False)
        self.bar.setRange(0, maximum)
        self.bar.setValue(value)
        self.bar.setFormat(text)
        self.bar.setUpdatesEnabled(True)  # asks for an ordinary (posted) update
