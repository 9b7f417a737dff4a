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
from desktop_app.state.run_bar import SPEED_VALUES, SPEEDS, RunBarState
from desktop_app.state_binding import bind_choice, bind_number, bind_text
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
from engine.lecture.noise import NOISE_KINDS, NOISE_LIMITS

MODEL_SHORT_TITLES = {"ae": "Autoencoder", "dae": "Denoising AE", "vae": "Variational AE"}
LOSS_TITLES = {"mse": "MSE", "logloss": "log-loss"}
OPTIMIZER_TITLES = {"adam": "Adam", "sgd": "SGD"}
NOISE_TITLES = {"gaussian": "Gaussian", "salt-pepper": "salt & pepper", "mask": "mask"}
SLIDER_STEPS = 100
ARRANGEMENTS = [[["transport", "pace"], ["model", "specific"]],  # rows of groups, widest first
                [["transport"], ["pace", "specific"], ["model"]],
                [["transport"], ["pace"], ["specific"], ["model"]]]
COMPACT_ARRANGEMENTS = {1: [[["transport", "run"]]], 2: [[["transport"], ["run"]]]}  # a presented step, by rows


class ControlsBar(QToolBar):
    """Two rows: running (play, step, speed, stop) and the model's settings. The run
    row renders ``state`` (a ``RunBarState``) and writes the learner's changes to it."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None,
                 state: RunBarState | None = None) -> None:
        super().__init__("Training controls", parent)
        self.setObjectName("controlsBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.controller = controller
        self.theme = theme
        self.state = state if state is not None else RunBarState()
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
        self._report(controller.set_speed(self.state.speed))
        self._set_stop()
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
        self.play_pause_button = self._button("playPauseButton", "Play",
                                            "Train epoch after epoch until paused (Space).",
                                            self.controller.toggle_play)
        self.play_pause_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_pause_button.setFont(t.font(1.1, bold=True))
        self.play_pause_button.setMinimumWidth(int(110 * t.scale))
        self.step_epoch_button = self._button("stepEpochButton", "Step 1 epoch",
                                            "Train exactly one epoch: every image once, then one look (Right arrow).",
                                            self._step_one)
        self.run_epochs_spin = self._box(WholeNumberBox(what="The number of epochs to run", minimum=1,
                                                      maximum=MAX_EPOCHS))
        self._name(self.run_epochs_spin, "runEpochsSpin", "How many epochs the Run button trains.")
        bind_number(self.run_epochs_spin, self.state, "run_epochs")
        self.run_epochs_spin.setGroupSeparatorShown(True)
        self.run_epochs_spin.setMaximumWidth(int(90 * t.scale))
        self.run_epochs_button = self._button("runEpochsButton", "Run",
                                            "Train the number of epochs beside it, then stop.", self._run_n)
        self.reset_button = self._button("resetButton", "⟲  Reset",
                                        "Start again from fresh random weights, same settings and images (Ctrl+R).",
                                        self.controller.reset)
        self.speed_combo = QComboBox()
        self._name(self.speed_combo, "speedCombo",
                   "How many epochs a second to train while playing (fastest: as fast as the computer can).")
        for value, text in SPEEDS:
            self.speed_combo.addItem(text, value)
        bind_choice(self.speed_combo, self.state, "speed", SPEED_VALUES)
        self.state.events.speed.connect(lambda speed: self._report(self.controller.set_speed(speed)))
        self.stop_epoch_spin = self._box(WholeNumberBox(what="The epoch to stop at", maximum=MAX_EPOCHS))
        self._name(self.stop_epoch_spin, "stopEpochSpin", "Play stops by itself at this epoch (0: never).")
        self.stop_epoch_spin.setSpecialValueText("never")
        self.stop_epoch_spin.setGroupSeparatorShown(True)
        self.stop_epoch_spin.setMaximumWidth(int(90 * t.scale))
        bind_number(self.stop_epoch_spin, self.state, "stop_epoch")
        self.state.events.stop_epoch.connect(lambda _epoch: self._set_stop())
        self.stop_loss_edit = QLineEdit()
        self._name(self.stop_loss_edit, "stopLossEdit", "Play stops by itself once the loss falls below this number.")
        self.stop_loss_edit.setPlaceholderText("e.g. 0.001")
        self.stop_loss_edit.setMaximumWidth(int(80 * t.scale))
        self.stop_loss_edit.setMinimumWidth(int(64 * t.scale))
        bind_text(self.stop_loss_edit, self.state, "stop_loss")  # the box follows first, then the stop is set
        self.state.events.stop_loss.connect(lambda _text: self._set_stop())
        self._stop_loss_text = self.state.stop_loss  # the last threshold accepted, shown again after a refusal

        self._groups: dict[str, list[QWidget]] = {
            "transport": [self.play_pause_button, self.step_epoch_button, self.run_epochs_button, self.run_epochs_spin,
                          self.reset_button],
            "pace": [self._label("Speed"), self.speed_combo, self._label("Stop at epoch"), self.stop_epoch_spin,
                     self._label("or loss below"), self.stop_loss_edit],
        }

        self.epoch_label = QLabel()
        self._name(self.epoch_label, "epochLabel", "The epoch on screen: how many times every image has been seen.")
        self.epoch_label.setFont(t.font(1.7, bold=True))
        self.epoch_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.epoch_label.setMinimumWidth(int(170 * t.scale))

    def _build_settings_row(self) -> None:
        t = self.theme
        self.model_selector = QComboBox()
        self._name(self.model_selector, "modelSelector",
                   "Which network: a plain, a denoising or a variational autoencoder (starts training again).")
        for kind in MODEL_KINDS:
            self.model_selector.addItem(MODEL_SHORT_TITLES[kind], kind)
            self.model_selector.setItemData(self.model_selector.count() - 1, MODEL_TITLES[kind],
                                           Qt.ItemDataRole.ToolTipRole)
        self.model_selector.activated.connect(lambda _i: self._new_model("model", self.model_selector.currentData()))
        self.loss_selector = QComboBox()
        self._name(self.loss_selector, "lossSelector", "How a reconstruction's error is measured: squared error (MSE) "
                                                      "or cross-entropy (log-loss); applies from the next epoch.")
        for kind, title in LOSS_TITLES.items():
            self.loss_selector.addItem(title, kind)
        self.loss_selector.activated.connect(lambda _i: self._live(loss=self.loss_selector.currentData()))
        self.optimizer_selector = QComboBox()
        self._name(self.optimizer_selector, "optimizerSelector",
                   "The rule that turns gradients into weight updates: Adam or plain gradient descent (starts again).")
        for kind, title in OPTIMIZER_TITLES.items():
            self.optimizer_selector.addItem(title, kind)
        self.optimizer_selector.activated.connect(
            lambda _i: self._new_model("optimizer", self.optimizer_selector.currentData()))
        self.learning_rate_spin = self._box(NumberBox(what="The learning rate", check=check_learning_rate,
                                                    minimum=0.0, example="0.001"))
        self._name(self.learning_rate_spin, "learningRateSpin",
                   "How big a step each update takes; changes take effect at the next epoch, without a reset.")
        self.learning_rate_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.learning_rate_spin.valueChanged.connect(
            lambda v: self._live(self.learning_rate_spin, learning_rate=float(v)))
        self.seed_spin = self._box(WholeNumberBox(what="The seed"))
        self._name(self.seed_spin, "seedSpin",
                   "The random start: the same seed gives the same numbers, epoch for epoch.")
        self.seed_spin.setMaximumWidth(int(80 * t.scale))
        self.seed_spin.valueChanged.connect(lambda v: self._new_model("seed", int(v)))
        self.noise_type_combo = QComboBox()
        self._name(self.noise_type_combo, "noiseTypeCombo",
                   "How the denoiser's inputs are damaged: added Gaussian noise, pixels set to 0 or 1, or set to 0.")
        for kind in NOISE_KINDS:
            self.noise_type_combo.addItem(NOISE_TITLES[kind], kind)
        self.noise_type_combo.activated.connect(lambda _i: self._live(noise_type=self.noise_type_combo.currentData()))
        self.noise_slider = QSlider(Qt.Orientation.Horizontal)
        self._name(self.noise_slider, "noiseSlider", "How much damage: the noise's spread, or the share of pixels hit.")
        self.noise_slider.setRange(0, SLIDER_STEPS)
        self.noise_slider.setMinimumWidth(int(90 * t.scale))
        self.noise_slider.valueChanged.connect(self._noise_moved)
        self.noise_value = self._label("")
        self.noise_value.setObjectName("noiseValue")
        self.noise_value.setMinimumWidth(int(34 * t.scale))
        self.beta_spin = self._box(NumberBox(what="β", check=check_beta, minimum=0.0, example="0.05"))
        self._name(self.beta_spin, "betaSpin", "β weighs the latent (KL) loss against the reconstruction loss.")
        self.beta_spin.setSingleStep(0.05)
        self.beta_spin.valueChanged.connect(lambda v: self._live(self.beta_spin, beta=float(v)))
        self.message_label = QLabel()
        self.message_label.setObjectName("controlsMessage")
        self.message_label.setFont(t.font(bold=True))
        self.message_label.setStyleSheet(f"color: {t.error.name()};")
        self.message_label.setWordWrap(True)

        self.noise_label = self._label("Noise")
        self.beta_label = self._label("β")
        self._groups["model"] = [self._label("Model"), self.model_selector, self._label("Loss"), self.loss_selector,
                                 self._label("Optimiser"), self.optimizer_selector, self._label("Learning rate"),
                                 self.learning_rate_spin, self._label("Seed"), self.seed_spin]
        self._groups["specific"] = [self.noise_label, self.noise_type_combo, self.noise_slider, self.noise_value,
                                    self.beta_label, self.beta_spin]

    def _arrange(self) -> None:
        """Groups of controls in rows: two when the bar is wide enough, three or four when it
        is not (a projector at a presentation scale), the epoch at the end of the first row;
        a refusal gets a full-width line of its own under them, shown only while there is
        something to say."""
        self.message_label.hide()
        self.rows = WrappingRows(self._groups, ARRANGEMENTS, self.theme, first_row_end=self.epoch_label,
                                 footer=self.message_label, parent=self)
        self.addWidget(LayoutFirewall(self.rows))  # a new epoch number must not relayout the window

    def set_compact(self, compact: bool, rows: int = 1) -> None:
        """Only play, step, run, reset and the epoch while a lesson step is presented, in one
        row or (``rows`` 2, when the lesson column needs the width) two: the step has chosen
        the model, data and seed, and the room goes to its views."""
        for name, widgets in self._groups.items():
            for widget in widgets if name != "transport" else []:
                widget.setVisible(not compact)
        transport = self._groups["transport"]  # in two groups, so a narrow bar takes two rows
        self.rows.groups = {"transport": transport[:2], "run": transport[2:]} if compact else self._groups
        self.rows.arrangements = COMPACT_ARRANGEMENTS[rows] if compact else ARRANGEMENTS
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
        self.message_label.setText(f"⚠  {text}" if text else "")
        self.message_label.setVisible(bool(text))

    def set_speed(self, epochs_per_second: float | None) -> None:
        """Choose a play speed (a lesson step, the preferences): one of the speed box's
        goes through the state, which the box and the controller follow."""
        if epochs_per_second in SPEED_VALUES and epochs_per_second != self.state.speed:
            self.state.speed = epochs_per_second
        else:
            self._report(self.controller.set_speed(epochs_per_second))

    def _step_one(self) -> None:
        if not self.controller.running:
            self._report(self.controller.step(1))

    def _run_n(self) -> None:
        if not self.controller.running:
            self._report(self.controller.step(self.state.run_epochs))

    def _set_stop(self) -> None:
        """Tell the controller where Play stops, as the state says."""
        epoch = self.state.stop_epoch or None
        text = self.state.stop_loss
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
        """A refused loss threshold leaves the state and the box: the last valid one (or
        none) is shown again, and the refusal said after that."""
        self.state.stop_loss = self._stop_loss_text
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
        self.noise_value.setText(f"{level:.2f}")
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
        elif self.message_label.text():
            self.show_message("")

    # ----- mirroring the controller -----------------------------------------------------
    def mirror(self, config: TrainingConfig) -> None:
        """Show ``config`` in every control without sending anything back."""
        pairs = ((self.model_selector, config.model), (self.loss_selector, config.loss),
                 (self.optimizer_selector, config.optimizer), (self.noise_type_combo, config.noise_type))
        widgets = [w for w, _v in pairs] + [self.learning_rate_spin, self.seed_spin, self.noise_slider, self.beta_spin]
        for w in widgets:
            w.blockSignals(True)
        for combo, value in pairs:
            combo.setCurrentIndex(combo.findData(value))
        if abs(self.learning_rate_spin.value() - config.learning_rate) > 1e-12:
            self.learning_rate_spin.setValue(config.learning_rate)
        self.seed_spin.setValue(config.seed)
        self.noise_slider.setValue(round(config.noise_level / NOISE_LIMITS[config.noise_type] * SLIDER_STEPS))
        self.beta_spin.setValue(config.beta)
        for w in widgets:
            w.blockSignals(False)
        self.noise_value.setText(f"{config.noise_level:.2f}")
        denoising, variational = config.model == "dae", config.model == "vae"
        for w in (self.noise_label, self.noise_type_combo, self.noise_slider, self.noise_value):
            w.setEnabled(denoising)
        for w in (self.beta_label, self.beta_spin):
            w.setEnabled(variational)

    def _on_running(self, running: bool) -> None:
        # Qt's own play and pause icons: a "⏸" character is missing from many fonts
        self.play_pause_button.setText("Pause" if running else "Play")
        self.play_pause_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPause if running else QStyle.StandardPixmap.SP_MediaPlay))
        self.play_pause_button.setToolTip("Stop after the epoch under way (Space)." if running
                                        else "Train epoch after epoch until paused (Space).")
        self.step_epoch_button.setEnabled(not running)
        self.run_epochs_button.setEnabled(not running)
        if running:
            stop = self.state.stop_epoch
            if stop and self.controller.latest_epoch >= stop:
                self.show_message(f"Training stops at epoch {stop:,}: raise “Stop at epoch” to go further.")

    def _show_epoch(self, snapshot: EpochSnapshot) -> None:
        latest = self.controller.latest_epoch
        text = f"Epoch {snapshot.epoch:,}"
        if snapshot.epoch != latest:
            text += f" of {latest:,}"
        self.epoch_label.setText(text)
