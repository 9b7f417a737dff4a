"""Case study 1: a deeper denoising autoencoder cleans noisy handwritten digits, live,
side by side with the linear method the lecture contrasts (PCA projection).

Every figure comes from the engine (``engine.digits.study_figures``) for the snapshot
on screen; this module only arranges and paints them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desktop_app.case_studies.curves import CurvePlot
from desktop_app.case_studies.digit_grid import DigitTable
from desktop_app.case_studies.draw_pad import DrawPad
from desktop_app.case_studies.live_study import LiveStudy
from desktop_app.case_studies.study_inputs import ConfigMirror, bind_denoising, quietly
from desktop_app.case_studies.study_state import apply_denoising_state, denoising_state
from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.state.studies import DenoisingInputs
from desktop_app.theme import Theme
from desktop_app.widgets.number_box import WholeNumberBox
from desktop_app.widgets.wrapping_rows import wrap_layout
from engine.core.config import TrainingConfig
from engine.core.record import SessionRecord
from engine.core.snapshot import EpochSnapshot
from engine.digits.data import HELD_OUT_COUNT, N_PIXELS, SHIPPED_COUNT
from engine.digits.settings import case_study_config
from engine.digits.study_figures import (
    DenoisingFigures,
    DrawnDigitFigures,
    PCABank,
    denoising_figures,
    drawn_digit_figures,
    shown_rows,
)
from engine.lecture.noise import NOISE_KINDS

NOISE_NAMES = {"gaussian": "Gaussian", "salt-pepper": "salt and pepper", "mask": "masking"}
DEFAULT_CONFIG = case_study_config("dae")
SLIDER_STEPS = 100  # the noise slider moves in hundredths


def _loss_name(kind: str) -> str:
    return f"{'log-loss' if kind == 'logloss' else 'squared error'} summed over {N_PIXELS} pixels"


def db(value: float | None) -> str:
    """A PSNR for the screen: two decimals, ∞ for a perfect copy, … while not computed."""
    if value is None:
        return "…"
    return fmt.fixed(value, 2)


def noise_text(kind: str, level: float) -> str:
    if kind == "gaussian":
        return f"σ = {level:.2f}"
    return f"{level:.0%} of pixels"


def _better(network: float, pca: float | None) -> int | None:
    """The table column (2 autoencoder, 3 PCA) whose score is set in bold."""
    if pca is None:
        return None
    return 2 if network >= pca else 3


class DenoisingStudy(ConfigMirror, LiveStudy):
    """Noise type and level, the bottleneck k, rows of held-out digits, a draw pad."""

    def __init__(self, theme: Theme, parent: QWidget | None = None, config: TrainingConfig | None = None) -> None:
        super().__init__(theme, "denoising", default_epochs=20, parent=parent)
        self.setObjectName("denoisingStudy")
        self.setAccessibleName("denoisingStudy")
        self._config = config or DEFAULT_CONFIG
        self.pca = PCABank()
        self.figures: DenoisingFigures | None = None
        self.drawn_figures: DrawnDigitFigures | None = None
        self._offset = 0
        self._psnr_trace: dict[int, float] = {}
        self._pending_noise: tuple[str, float] | None = None
        self._noise_timer = QTimer(self)
        self._noise_timer.setSingleShot(True)
        self._noise_timer.setInterval(30)  # a dragged slider re-corrupts at most ~30 times a second
        self._noise_timer.timeout.connect(self._apply_noise)
        self._pca_timer = QTimer(self)  # polls a PCA fit running in the background
        self._pca_timer.setInterval(100)
        self._pca_timer.timeout.connect(self._pca_maybe_ready)
        self._build()
        c = self._config
        self.inputs = DenoisingInputs(noise_type=c.noise_type, noise_level=c.noise_level, latent_dim=c.latent_dim,
                                      epochs=self.run_controls.epochs_spin.value(), frame=self.frame_check.isChecked())
        bind_denoising(self)

    # ----- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        t = self.theme
        outer = self.page
        title = QLabel("Case study 1 · Denoising handwritten digits: noisy digit in, clean digit out")
        title.setFont(t.font(1.35, bold=True))
        title.setWordWrap(True)
        title.setObjectName("caseStudyTitle")  # a presented lesson step says it in its own title
        outer.addWidget(title)
        outer.addWidget(self.run_controls)
        outer.addWidget(wrap_layout(self._settings_row(), t, self))  # wraps on a narrow screen
        self.error_label = QLabel("", self)
        self.error_label.setObjectName("denoisingErrorLabel")
        self.error_label.setAccessibleName("denoisingErrorLabel")
        self.error_label.setStyleSheet(f"color: {t.error.name()}")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)

        self.headline = QLabel(f"Loading {SHIPPED_COUNT:,} handwritten digits…", self)
        self.headline.setObjectName("denoisingHeadline")
        self.headline.setAccessibleName("denoisingHeadline")
        self.headline.setFont(t.font(1.25))
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        outer.addWidget(self.headline)

        columns = QHBoxLayout()
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.table = DigitTable(t, parent=left)
        self.table.setObjectName("denoisingRows")
        self.table.setAccessibleName("denoisingRows")
        left_layout.addWidget(self.table, 1)
        more = QPushButton("Show other held-out digits", left)
        more.setObjectName("denoisingOtherDigitsButton")
        more.setToolTip(f"Show the next held-out example of each digit "
                        f"(the means over all {HELD_OUT_COUNT} stay the same).")
        more.clicked.connect(self.show_other_digits)
        left_layout.addWidget(more, 0, Qt.AlignmentFlag.AlignLeft)
        columns.addWidget(left, 1)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.psnr_plot = CurvePlot(t, "Held-out PSNR (higher is cleaner)", "dB", right)
        self.psnr_plot.setObjectName("denoisingPsnrPlot")
        self.psnr_plot.add_curve("network", "denoising autoencoder", t.curve_reconstruction, symbol=True)
        self.psnr_plot.add_level("pca", "PCA projection", t.curve_kl)
        self.psnr_plot.add_level("input", "noisy input", t.muted)
        self.psnr_plot.legend.setOffset((-10, -10))  # bottom right: the curve rises away from it
        self.loss_plot = CurvePlot(t, f"Training loss per digit ({_loss_name(self._config.loss)})",
                                   "loss", right, legend=False)
        self.loss_plot.setObjectName("lossPlotDenoising")
        self.loss_plot.add_curve("loss", "training loss", t.curve_colour("loss"))
        right_layout.addWidget(self.psnr_plot, 3)
        right_layout.addWidget(self.loss_plot, 2)
        right_layout.addWidget(self._draw_box(), 4)
        columns.addWidget(right, 1)
        outer.addLayout(columns, 1)

    def _settings_row(self) -> QHBoxLayout:
        c = self._config
        row = QHBoxLayout()
        row.addWidget(QLabel("Noise:"))
        self.noise_type = QComboBox(self)
        self.noise_type.setObjectName("noiseTypeCombo")
        self.noise_type.setAccessibleName("noiseTypeCombo")
        for kind in NOISE_KINDS:
            self.noise_type.addItem(NOISE_NAMES[kind], kind)
        self.noise_type.setCurrentIndex(NOISE_KINDS.index(c.noise_type))
        self.noise_type.setToolTip("Gaussian: add random noise to every pixel. Salt and pepper: set some pixels "
                                   "to black or white. Masking: blank out some pixels.")
        row.addWidget(self.noise_type)
        self.noise_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.noise_slider.setObjectName("denoisingNoiseSlider")
        self.noise_slider.setAccessibleName("denoisingNoiseSlider")
        self.noise_slider.setRange(0, SLIDER_STEPS)
        self.noise_slider.setValue(round(c.noise_level * SLIDER_STEPS))
        self.noise_slider.setMinimumWidth(int(180 * self.theme.scale))
        self.noise_slider.setToolTip("How strong the noise is. The shown digits are corrupted again at once; "
                                     "the network trains on the new noise from the next epoch.")
        row.addWidget(self.noise_slider)
        self.noise_label = QLabel(noise_text(c.noise_type, c.noise_level), self)
        self.noise_label.setObjectName("denoisingNoiseLabel")
        self.noise_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("100% of pixels") + 12)
        row.addWidget(self.noise_label)
        row.addSpacing(int(16 * self.theme.scale))
        row.addWidget(QLabel("Bottleneck k:"))
        self.bottleneck = WholeNumberBox(self, what="The bottleneck")
        self.bottleneck.setObjectName("denoisingBottleneckSpin")
        self.bottleneck.setAccessibleName("denoisingBottleneckSpin")
        self.bottleneck.setRange(1, 64)
        self.bottleneck.setValue(c.latent_dim)
        self.bottleneck.setKeyboardTracking(False)
        self.bottleneck.setToolTip("Latent units in the network's bottleneck; PCA keeps the same number k of "
                                   "principal components, so both squeeze each digit into k numbers.")
        row.addWidget(self.bottleneck)
        self.bottleneck.refused.connect(lambda message: self._show_error(message or None))
        row.addStretch(1)
        return row

    def _draw_box(self) -> QGroupBox:
        t = self.theme
        box = QGroupBox("Draw your own digit", self)
        box.setObjectName("denoisingDrawBox")  # a presented lesson step that does not name the pad sets it aside
        layout = QHBoxLayout(box)
        pad_column = QVBoxLayout()
        self.pad = DrawPad(t, box)
        self.pad.drawingChanged.connect(lambda _pixels: self.render_drawing())
        pad_column.addWidget(self.pad, 1)
        buttons = QHBoxLayout()
        clear = QPushButton("Clear", box)
        clear.setObjectName("drawPadClearButton")
        clear.setAccessibleName("drawPadClearButton")
        clear.setToolTip("Wipe the pad.")
        clear.clicked.connect(self.pad.clear)
        buttons.addWidget(clear)
        buttons.addSpacing(0)  # a group of its own: the two stack when the pad's column is narrow
        self.frame_check = QCheckBox("Frame like MNIST", box)
        self.frame_check.setObjectName("drawPadFrameCheck")
        self.frame_check.setChecked(True)
        self.frame_check.setToolTip("Scale the drawing to a 20x20 box and centre it by its centre of mass, "
                                    "as the MNIST digits were prepared.")
        buttons.addWidget(self.frame_check)
        pad_column.addWidget(wrap_layout(buttons, t, box))
        layout.addLayout(pad_column, 2)
        self.drawn_table = DigitTable(t, captions_below=True, parent=box)
        self.drawn_table.setObjectName("drawnDigitRow")
        self.drawn_table.setAccessibleName("drawnDigitRow")
        self.drawn_hint = QLabel("Draw a digit on the pad (left button draws, right button erases): it is "
                                 "corrupted with the noise above and cleaned by both methods.", box)
        self.drawn_hint.setWordWrap(True)
        self.drawn_hint.setStyleSheet(f"color: {t.muted.name()}")
        right = QVBoxLayout()
        right.addWidget(self.drawn_table, 1)
        right.addWidget(self.drawn_hint)
        layout.addLayout(right, 3)
        return box

    # ----- the model ---------------------------------------------------------------------------
    def initial_config(self) -> TrainingConfig:
        return self._config

    def on_started(self, controller: TrainingController) -> None:
        controller.sessionReplaced.connect(lambda _session: self._psnr_trace.clear())
        controller.configChanged.connect(self.show_config)
        controller.sessionReplaced.connect(lambda _session: self.show_config(controller.config))

    # ----- user actions -------------------------------------------------------------------------
    def set_noise(self, kind: str, level: float) -> None:
        """What the noise controls do, at once; also for scripts and lessons."""
        self.inputs.update(noise_type=kind, noise_level=level)
        self._apply_noise()

    def noise_edited(self) -> None:
        """The state's noise changed: said at once, given to the model when the slider
        rests (unless the model has it already, or it is only being mirrored)."""
        kind, level = self.inputs.noise_type, self.inputs.noise_level
        self.noise_label.setText(noise_text(kind, level))
        config = self.current_config()
        if self.mirroring or (kind, level) == (config.noise_type, config.noise_level):
            self._pending_noise = None
            self._noise_timer.stop()
            return
        self._pending_noise = (kind, level)
        self._noise_timer.start()

    def _apply_noise(self) -> None:
        self._noise_timer.stop()
        if self._pending_noise is None:
            return
        kind, level = self._pending_noise
        self._pending_noise = None
        self.noise_label.setText(noise_text(kind, level))
        if not self.started:
            self._config = self._config.replace(noise_type=kind, noise_level=level)
            return
        self._show_error(self.controller.change(noise_type=kind, noise_level=level))

    def set_bottleneck(self, k: int, confirm: bool = False) -> None:
        """A new bottleneck is a new network (and a new k for PCA): training starts again."""
        self._apply_noise()  # a noise still waiting for the slider to rest is the new network's too
        if self.started and self.controller.snapshot.epoch > 0 and confirm:
            answer = QMessageBox.question(
                self, "Start a new network?",
                f"A bottleneck of {k} units is a new network: the {self.controller.snapshot.epoch} epochs "
                "trained so far are discarded. Continue?")
            if answer != QMessageBox.StandardButton.Yes:
                quietly(self.bottleneck, self.bottleneck.setValue, self.controller.config.latent_dim)
                return
        try:
            base = self.controller.config if self.started else self._config
            self._config = base.replace(latent_dim=int(k))
        except ValueError as exc:
            self._show_error(str(exc))
            return
        self._show_error(None)
        if self.started:
            self.controller.new_session(self._config)
        self.inputs.latent_dim = int(k)  # the spin box follows

    def show_other_digits(self) -> None:
        self._offset += 1
        if self.started:
            self.draw_now()

    def _show_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    # ----- rendering ------------------------------------------------------------------------------
    def _pca(self, snapshot: EpochSnapshot):
        """PCA for this snapshot's bottleneck, or None (and a poll) while it is fitted."""
        pca = self.pca.ready(snapshot.latent_dim)
        if pca is None:
            self._pca_timer.start()
        return pca

    def _pca_maybe_ready(self) -> None:
        snapshot = self.controller.snapshot
        if self.pca.ready(snapshot.latent_dim) is not None:
            self._pca_timer.stop()
            if not self.controller.running:  # a running study re-renders within the epoch
                self.draw_now(snapshot)

    def draw(self, snapshot: EpochSnapshot) -> None:
        figures = denoising_figures(snapshot, self._pca(snapshot), shown_rows(snapshot.labels, self._offset))
        self.figures = figures
        self._render_headline(figures, snapshot)
        # the table, the curves and your drawing in the frame's second half, one at a time
        # (the table's 40 digits and each plot's moving axes are slow to draw): no long
        # pause at each epoch (drawn with the figures, the table made the first half 20 ms
        # of work, about a second on a machine as busy as the benchmark's)
        self.controller.draw_later(self.table, lambda: self._render_table(self.figures))
        self.controller.draw_later(self.psnr_plot, lambda: self._render_psnr(self.figures, self.controller.snapshot))
        self.controller.draw_later(self.loss_plot, self._render_loss_curve)
        self.controller.draw_later(self.drawn_table, self.render_drawing)

    def _render_table(self, f: DenoisingFigures) -> None:
        waiting = f.projected is None
        projected = np.zeros_like(f.clean) if waiting else f.projected
        pca_psnr = [None] * len(f.rows) if waiting else list(f.pca_psnr)
        images = np.stack([f.clean, f.corrupted, f.denoised, projected], axis=1)
        captions = [["", f"{db(a)} dB", f"{db(b)} dB", f"{db(c)} dB"]
                    for a, b, c in zip(f.input_psnr, f.network_psnr, pca_psnr, strict=True)]
        self.table.set_table(
            images,
            ["clean", "noisy input", "autoencoder", f"PCA, k = {f.k}"],
            [f"digit {label}" for label in f.labels],
            captions,
            # "of all 500" (held-out, as the headline says): short, so the table fits beside
            # the lesson path on a 1280-px projector at 150 %
            footer=[(f"mean of these {len(f.rows)}", ["", *(f"{db(v)} dB" for v in f.mean_rows)]),
                    (f"mean of all {f.count}", ["", *(f"{db(v)} dB" for v in f.mean_all)])],
            emphasis=[_better(b, c) for b, c in zip(f.network_psnr, pca_psnr, strict=True)],
            waiting_columns={3: "fitting PCA…"} if waiting else None,
        )

    def _render_headline(self, f: DenoisingFigures, snapshot: EpochSnapshot) -> None:
        t = self.theme
        noisy, network, pca = f.mean_all
        c = snapshot.config
        if pca is None:
            verdict = "PCA is being fitted"
        else:
            verdict = ("better than" if network > pca else "not yet better than")
            verdict += f" <b style='color:{t.curve_kl.name()}'>PCA {db(pca)} dB</b>"
        self.headline.setText(
            f"Epoch {snapshot.epoch} · {NOISE_NAMES[c.noise_type]} noise, {noise_text(c.noise_type, c.noise_level)}"
            f" · mean PSNR over {f.count} held-out digits: "
            f"<b style='color:{t.curve_reconstruction.name()}'>autoencoder {db(network)} dB</b> "
            f"({verdict}; the noisy input is {db(noisy)} dB)")

    def _render_loss_curve(self) -> None:
        history = self.controller.loss_history
        self.loss_plot.set_curve("loss", history.epochs, history.column("loss"))

    def _render_psnr(self, f: DenoisingFigures, snapshot: EpochSnapshot) -> None:
        for epoch in [e for e in self._psnr_trace if e > snapshot.epoch]:  # went back in time
            del self._psnr_trace[epoch]
        self._psnr_trace[snapshot.epoch] = f.mean_all[1]
        epochs = np.array(sorted(self._psnr_trace))
        self.psnr_plot.set_curve("network", epochs, np.array([self._psnr_trace[e] for e in epochs], dtype=float))
        self.psnr_plot.set_level("input", f.mean_all[0])
        self.psnr_plot.set_level("pca", f.mean_all[2])

    def render_drawing(self) -> None:
        if not self.started:
            return
        drawn = self.pad.pixels
        if drawn.max() == 0:
            self.drawn_table.set_table(np.zeros((0, 4, N_PIXELS), np.float32), [])
            self.drawn_hint.show()
            return
        self.drawn_hint.hide()
        snapshot = self.controller.snapshot
        d = drawn_digit_figures(snapshot, self._pca(snapshot), drawn, frame=self.frame_check.isChecked())
        self.drawn_figures = d
        waiting = d.projected is None
        self.drawn_table.set_table(
            np.stack([d.framed, d.corrupted, d.denoised, np.zeros_like(d.framed) if waiting else d.projected])[None],
            ["yours", "noisy", "autoencoder", "PCA"],
            captions=[["", f"{db(d.input_psnr)} dB", f"{db(d.network_psnr)} dB", f"{db(d.pca_psnr)} dB"]],
            emphasis=[_better(d.network_psnr, d.pca_psnr)],
            waiting_columns={3: "fitting…"} if waiting else None,
        )

    # ----- saving and restoring (desktop_app.case_studies.study_state) ------------------------------
    def screen_state(self) -> dict:
        """What the learner set up here, as plain JSON (the model is saved by the engine)."""
        return denoising_state(self)

    def apply_screen_state(self, state: dict, session: SessionRecord | None) -> None:
        """Show ``session`` (None: a fresh network) set up as ``state`` says."""
        apply_denoising_state(self, state, session)
