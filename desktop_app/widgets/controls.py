"""The control bar: what to train (model, loss, optimiser, settings) and how (play, step, speed).

Every control sends its change to the controller and shows the controller's message
next to the controls when the change is refused. The controls mirror the session's
settings with their signals blocked, so mirroring never sends a change back.
Changes that need a new model (model kind, optimiser, seed) ask first when epochs
would be lost; the question is ``confirm_discard``, which tests may replace.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QStyle,
    QToolBar,
    QWidget,
)

from desktop_app.controller import TrainingController
from desktop_app.frames.layout_firewall import LayoutFirewall
from desktop_app.theme import Theme
from desktop_app.widgets.confirm import Confirm, dialog_confirm, discard_question
from desktop_app.widgets.number_box import NumberBox, WholeNumberBox
from desktop_app.widgets.wrapping_rows import WrappingRows
from engine.core.config import (
    MAX_EPOCHS,
    MODEL_KINDS,
    MODEL_TITLES,
    TrainingConfig,
    check_beta,
    check_learning_rate,
)
from engine.core.snapshot import EpochSnapshot
from engine.core.typed_numbers import parse_number
from engine.lecture.corruption import NOISE_KINDS, NOISE_LIMITS

MODEL_SHORT_TITLES = {"ae": "Autoencoder", "dae": "Denoising AE", "vae": "Variational AE"}
LOSS_TITLES = {"mse": "MSE", "logloss": "log-loss"}
OPTIMIZER_TITLES = {"adam": "Adam", "sgd": "SGD"}
NOISE_TITLES = {"gaussian": "Gaussian", "salt-pepper": "salt & pepper", "mask": "mask"}
SPEEDS: tuple[tuple[float | None, str], ...] = (
    (1.0, "1 epoch/s"), (3.0, "3 epochs/s"), (10.0, "10 epochs/s"), (30.0, "30 epochs/s"),
    (100.0, "100 epochs/s"), (300.0, "300 epochs/s"), (1000.0, "1,000 epochs/s"), (None, "fastest"),
)
DEFAULT_SPEED = 30.0  # the first run of a newcomer: about ten seconds to watch the diagonals being learned
SLIDER_STEPS = 100
ARRANGEMENTS = [[["transport", "pace"], ["model", "specific"]],  # rows of groups, widest first
                [["transport"], ["pace", "specific"], ["model"]],
                [["transport"], ["pace"], ["specific"], ["model"]]]


class ControlsBar(QToolBar):
    """Two rows: running (play, step, speed, stop) and the model's settings."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__("Training controls", parent)
        self.setObjectName("controlsBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.controller = controller
        self.theme = theme
        self.confirm_discard: Confirm = dialog_confirm(self)
        self.setFont(theme.font())
        self._build_run_row()
        self._build_settings_row()
        self._arrange()
        self._build_shortcuts()

        controller.runningChanged.connect(self._on_running)
        controller.configChanged.connect(self.mirror)
        controller.sessionReplaced.connect(lambda _s: self.mirror(controller.config))
        controller.snapshotChanged.connect(self._show_epoch)
        controller.sessionReplaced.connect(lambda _s: self.show_message(""))
        self.set_speed(DEFAULT_SPEED)
        self.mirror(controller.config)
        self._show_epoch(controller.snapshot)
        self._on_running(controller.running)

    # ----- building ---------------------------------------------------------------------
    def _button(self, name: str, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text)
        self._name(button, name, tip)
        button.clicked.connect(slot)
        return button

    def _name(self, widget: QWidget, name: str, tip: str) -> None:
        widget.setObjectName(name)
        widget.setAccessibleName(name)
        widget.setToolTip(tip)
        widget.setFont(self.theme.font())

    def _box(self, box: NumberBox | WholeNumberBox) -> NumberBox | WholeNumberBox:
        """A typed number refused by the box itself is said on the controls' message line."""
        box.refused.connect(lambda message: self.show_message(message) if message else None)
        return box

    def _label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setFont(self.theme.font())
        return label

    def _build_run_row(self) -> None:
        t = self.theme
        self.playPauseButton = self._button("playPauseButton", "Play",
                                            "Train epoch after epoch until paused (Space).",
                                            self.controller.toggle_play)
        self.playPauseButton.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.playPauseButton.setFont(t.font(1.1, bold=True))
        self.playPauseButton.setMinimumWidth(int(110 * t.scale))
        self.stepEpochButton = self._button("stepEpochButton", "Step 1 epoch",
                                            "Train exactly one epoch: every image once, then one look (Right arrow).",
                                            self._step_one)
        self.runEpochsSpin = self._box(WholeNumberBox(what="The number of epochs to run", minimum=1,
                                                      maximum=MAX_EPOCHS))
        self._name(self.runEpochsSpin, "runEpochsSpin", "How many epochs the Run button trains.")
        self.runEpochsSpin.setValue(100)
        self.runEpochsSpin.setGroupSeparatorShown(True)
        self.runEpochsSpin.setMaximumWidth(int(90 * t.scale))
        self.runEpochsButton = self._button("runEpochsButton", "Run",
                                            "Train the number of epochs beside it, then stop.", self._run_n)
        self.resetButton = self._button("resetButton", "⟲  Reset",
                                        "Start again from fresh random weights, same settings and images (Ctrl+R).",
                                        self.controller.reset)
        self.speedCombo = QComboBox()
        self._name(self.speedCombo, "speedCombo",
                   "How many epochs a second to train while playing (fastest: as fast as the computer can).")
        for value, text in SPEEDS:
            self.speedCombo.addItem(text, value)
        self.speedCombo.currentIndexChanged.connect(lambda i: self.set_speed(self.speedCombo.itemData(i)))
        self.stopEpochSpin = self._box(WholeNumberBox(what="The epoch to stop at", maximum=MAX_EPOCHS))
        self._name(self.stopEpochSpin, "stopEpochSpin", "Play stops by itself at this epoch (0: never).")
        self.stopEpochSpin.setSpecialValueText("never")
        self.stopEpochSpin.setGroupSeparatorShown(True)
        self.stopEpochSpin.setMaximumWidth(int(90 * t.scale))
        self.stopEpochSpin.valueChanged.connect(self._set_stop)
        self.stopLossEdit = QLineEdit()
        self._name(self.stopLossEdit, "stopLossEdit", "Play stops by itself once the loss falls below this number.")
        self.stopLossEdit.setPlaceholderText("e.g. 0.001")
        self.stopLossEdit.setMaximumWidth(int(80 * t.scale))
        self.stopLossEdit.setMinimumWidth(int(64 * t.scale))
        self.stopLossEdit.editingFinished.connect(self._set_stop)
        self._stop_loss_text = ""  # the last threshold accepted, shown again after a refusal

        self._groups: dict[str, list[QWidget]] = {
            "transport": [self.playPauseButton, self.stepEpochButton, self.runEpochsButton, self.runEpochsSpin,
                          self.resetButton],
            "pace": [self._label("Speed"), self.speedCombo, self._label("Stop at epoch"), self.stopEpochSpin,
                     self._label("or loss below"), self.stopLossEdit],
        }

        self.epochLabel = QLabel()
        self._name(self.epochLabel, "epochLabel", "The epoch on screen: how many times every image has been seen.")
        self.epochLabel.setFont(t.font(1.7, bold=True))
        self.epochLabel.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.epochLabel.setMinimumWidth(int(170 * t.scale))

    def _build_settings_row(self) -> None:
        t = self.theme
        self.modelSelector = QComboBox()
        self._name(self.modelSelector, "modelSelector",
                   "Which network: a plain, a denoising or a variational autoencoder (starts training again).")
        for kind in MODEL_KINDS:
            self.modelSelector.addItem(MODEL_SHORT_TITLES[kind], kind)
            self.modelSelector.setItemData(self.modelSelector.count() - 1, MODEL_TITLES[kind],
                                           Qt.ItemDataRole.ToolTipRole)
        self.modelSelector.activated.connect(lambda _i: self._new_model("model", self.modelSelector.currentData()))
        self.lossSelector = QComboBox()
        self._name(self.lossSelector, "lossSelector", "How a reconstruction's error is measured: squared error (MSE) "
                                                      "or cross-entropy (log-loss); applies from the next epoch.")
        for kind, title in LOSS_TITLES.items():
            self.lossSelector.addItem(title, kind)
        self.lossSelector.activated.connect(lambda _i: self._live(loss=self.lossSelector.currentData()))
        self.optimizerSelector = QComboBox()
        self._name(self.optimizerSelector, "optimizerSelector",
                   "The rule that turns gradients into weight updates: Adam or plain gradient descent (starts again).")
        for kind, title in OPTIMIZER_TITLES.items():
            self.optimizerSelector.addItem(title, kind)
        self.optimizerSelector.activated.connect(
            lambda _i: self._new_model("optimizer", self.optimizerSelector.currentData()))
        self.learningRateSpin = self._box(NumberBox(what="The learning rate", check=check_learning_rate,
                                                    minimum=0.0, example="0.001"))
        self._name(self.learningRateSpin, "learningRateSpin",
                   "How big a step each update takes; changes take effect at the next epoch, without a reset.")
        self.learningRateSpin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.learningRateSpin.valueChanged.connect(lambda v: self._live(self.learningRateSpin, learning_rate=float(v)))
        self.seedSpin = self._box(WholeNumberBox(what="The seed"))
        self._name(self.seedSpin, "seedSpin",
                   "The random start: the same seed gives the same numbers, epoch for epoch.")
        self.seedSpin.setMaximumWidth(int(80 * t.scale))
        self.seedSpin.valueChanged.connect(lambda v: self._new_model("seed", int(v)))
        self.noiseTypeCombo = QComboBox()
        self._name(self.noiseTypeCombo, "noiseTypeCombo",
                   "How the denoiser's inputs are damaged: added Gaussian noise, pixels set to 0 or 1, or set to 0.")
        for kind in NOISE_KINDS:
            self.noiseTypeCombo.addItem(NOISE_TITLES[kind], kind)
        self.noiseTypeCombo.activated.connect(lambda _i: self._live(noise_type=self.noiseTypeCombo.currentData()))
        self.noiseSlider = QSlider(Qt.Orientation.Horizontal)
        self._name(self.noiseSlider, "noiseSlider", "How much damage: the noise's spread, or the share of pixels hit.")
        self.noiseSlider.setRange(0, SLIDER_STEPS)
        self.noiseSlider.setMinimumWidth(int(90 * t.scale))
        self.noiseSlider.valueChanged.connect(self._noise_moved)
        self.noiseValue = self._label("")
        self.noiseValue.setObjectName("noiseValue")
        self.noiseValue.setMinimumWidth(int(34 * t.scale))
        self.betaSpin = self._box(NumberBox(what="β", check=check_beta, minimum=0.0, example="0.05"))
        self._name(self.betaSpin, "betaSpin", "β weighs the latent (KL) loss against the reconstruction loss.")
        self.betaSpin.setSingleStep(0.05)
        self.betaSpin.valueChanged.connect(lambda v: self._live(self.betaSpin, beta=float(v)))
        self.messageLabel = QLabel()
        self.messageLabel.setObjectName("controlsMessage")
        self.messageLabel.setFont(t.font(bold=True))
        self.messageLabel.setStyleSheet(f"color: {t.error.name()};")
        self.messageLabel.setWordWrap(True)

        self.noiseLabel = self._label("Noise")
        self.betaLabel = self._label("β")
        self._groups["model"] = [self._label("Model"), self.modelSelector, self._label("Loss"), self.lossSelector,
                                 self._label("Optimiser"), self.optimizerSelector, self._label("Learning rate"),
                                 self.learningRateSpin, self._label("Seed"), self.seedSpin]
        self._groups["specific"] = [self.noiseLabel, self.noiseTypeCombo, self.noiseSlider, self.noiseValue,
                                    self.betaLabel, self.betaSpin]

    def _arrange(self) -> None:
        """Groups of controls in rows: two when the bar is wide enough, three or four when it
        is not (a projector at a presentation scale), the epoch at the end of the first row;
        a refusal gets a full-width line of its own under them, shown only while there is
        something to say."""
        self.messageLabel.hide()
        self.rows = WrappingRows(self._groups, ARRANGEMENTS, self.theme, first_row_end=self.epochLabel,
                                 footer=self.messageLabel, parent=self)
        self.addWidget(LayoutFirewall(self.rows))  # a new epoch number must not relayout the window

    def set_compact(self, compact: bool) -> None:
        """Only the first row (play, step, run, reset and the epoch) while a lesson step is
        presented: the step has chosen the model, data and seed, and the room goes to its views."""
        for name, widgets in self._groups.items():
            for widget in widgets if name != "transport" else []:
                widget.setVisible(not compact)
        self.rows.arrangements = [[["transport"]]] if compact else ARRANGEMENTS
        self.rows.arrange(self.rows.choice(self.rows.width()), force=True)

    def _build_shortcuts(self) -> None:
        """Space, Right arrow and Ctrl+R, active while the workbench is on screen."""
        self.shortcuts: dict[str, QShortcut] = {}
        for name, key, slot, what in (
                ("play", Qt.Key.Key_Space, self.controller.toggle_play, "Play or pause training"),
                ("step", Qt.Key.Key_Right, self._step_one, "Train one epoch"),
                ("reset", QKeySequence("Ctrl+R"), self.controller.reset, "Reset to fresh random weights")):
            shortcut = QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.setWhatsThis(what)  # the shortcut overlay (F1) lists it by this
            shortcut.activated.connect(slot)
            self.shortcuts[name] = shortcut

    # ----- user actions -----------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """A refused change, said next to the controls (empty clears it)."""
        self.messageLabel.setText(f"⚠  {text}" if text else "")
        self.messageLabel.setVisible(bool(text))

    def set_speed(self, epochs_per_second: float | None) -> None:
        """Choose a play speed (the combo calls this; so can a lesson step)."""
        index = next((i for i, (value, _t) in enumerate(SPEEDS) if value == epochs_per_second), None)
        if index is not None and index != self.speedCombo.currentIndex():
            self.speedCombo.blockSignals(True)
            self.speedCombo.setCurrentIndex(index)
            self.speedCombo.blockSignals(False)
        self._report(self.controller.set_speed(epochs_per_second))

    def _step_one(self) -> None:
        if not self.controller.running:
            self._report(self.controller.step(1))

    def _run_n(self) -> None:
        if not self.controller.running:
            self._report(self.controller.step(int(self.runEpochsSpin.value())))

    def _set_stop(self) -> None:
        epoch = int(self.stopEpochSpin.value()) or None
        text = self.stopLossEdit.text().strip()
        loss = None
        if text:
            try:
                loss = parse_number(text, "a loss")
            except ValueError as exc:
                self._refuse_stop_loss(str(exc))
                return
        error = self.controller.set_stop_at(epoch, loss)
        if error and text:
            self._refuse_stop_loss(error)
            return
        self._stop_loss_text = text
        self._report(error)

    def _refuse_stop_loss(self, message: str) -> None:
        """A refused loss threshold leaves the box: the last valid one (or none) is shown again."""
        self.stopLossEdit.setText(self._stop_loss_text)
        self.show_message(message)

    def _live(self, box: NumberBox | None = None, **change: object) -> None:
        """A setting that changes without losing training (learning rate, loss, noise, β);
        a refused typed value is taken back out of its box."""
        error = self.controller.change(**change)
        if error and box is not None:
            box.refuse(error)
        self._report(error)

    def _noise_moved(self, position: int) -> None:
        kind = self.controller.config.noise_type
        level = round(position / SLIDER_STEPS * NOISE_LIMITS[kind], 4)
        self.noiseValue.setText(f"{level:.2f}")
        self._live(noise_level=level)

    def _new_model(self, setting: str, value: object) -> None:
        """A setting that needs new weights: ask first if epochs would be lost."""
        config = self.controller.config
        if getattr(config, setting) == value:
            return
        try:
            new_config = config.replace(**{setting: value})
        except ValueError as exc:
            self.show_message(str(exc))
            self.mirror(config)
            return
        if setting == "model":
            change = f"Switching to a {MODEL_TITLES[str(value)].lower()}"
        else:
            change = {"optimizer": "Changing the optimiser", "seed": "Changing the seed"}[setting]
        question = discard_question(self.controller, change)
        if question is not None and not self.confirm_discard(question):
            self.mirror(config)
            return
        images = None if config.is_digits else self.controller.train_images
        self.controller.new_session(new_config, images)
        self.show_message("")

    def _report(self, error: str | None) -> None:
        if error:
            self.show_message(error)
        elif self.messageLabel.text():
            self.show_message("")

    # ----- mirroring the controller -----------------------------------------------------
    def mirror(self, config: TrainingConfig) -> None:
        """Show ``config`` in every control without sending anything back."""
        pairs = ((self.modelSelector, config.model), (self.lossSelector, config.loss),
                 (self.optimizerSelector, config.optimizer), (self.noiseTypeCombo, config.noise_type))
        widgets = [w for w, _v in pairs] + [self.learningRateSpin, self.seedSpin, self.noiseSlider, self.betaSpin]
        for w in widgets:
            w.blockSignals(True)
        for combo, value in pairs:
            combo.setCurrentIndex(combo.findData(value))
        if abs(self.learningRateSpin.value() - config.learning_rate) > 1e-12:
            self.learningRateSpin.setValue(config.learning_rate)
        self.seedSpin.setValue(config.seed)
        self.noiseSlider.setValue(round(config.noise_level / NOISE_LIMITS[config.noise_type] * SLIDER_STEPS))
        self.betaSpin.setValue(config.beta)
        for w in widgets:
            w.blockSignals(False)
        self.noiseValue.setText(f"{config.noise_level:.2f}")
        denoising, variational = config.model == "dae", config.model == "vae"
        for w in (self.noiseLabel, self.noiseTypeCombo, self.noiseSlider, self.noiseValue):
            w.setEnabled(denoising)
        for w in (self.betaLabel, self.betaSpin):
            w.setEnabled(variational)

    def _on_running(self, running: bool) -> None:
        # Qt's own play and pause icons: a "⏸" character is missing from many fonts
        self.playPauseButton.setText("Pause" if running else "Play")
        self.playPauseButton.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPause if running else QStyle.StandardPixmap.SP_MediaPlay))
        self.playPauseButton.setToolTip("Stop after the epoch under way (Space)." if running
                                        else "Train epoch after epoch until paused (Space).")
        self.stepEpochButton.setEnabled(not running)
        self.runEpochsButton.setEnabled(not running)
        if running:
            stop = self.stopEpochSpin.value()
            if stop and self.controller.latest_epoch >= stop:
                self.show_message(f"Training stops at epoch {stop:,}: raise “Stop at epoch” to go further.")

    def _show_epoch(self, snapshot: EpochSnapshot) -> None:
        latest = self.controller.latest_epoch
        text = f"Epoch {snapshot.epoch:,}"
        if snapshot.epoch != latest:
            text += f" of {latest:,}"
        self.epochLabel.setText(text)
