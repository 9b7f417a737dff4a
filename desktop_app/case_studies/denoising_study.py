"""Case study 1: a deeper denoising autoencoder cleans noisy handwritten digits, live,
side by side with the linear method the lecture contrasts (PCA projection).

Every figure comes from the engine (``engine.digits.study_figures``) for the snapshot
on screen; this module lays the page out, holds the settings (noise, bottleneck) and
decides when to draw. How the figures read (dB, the table, the headline) is
``denoising_display``; the draw pad and its results are ``DrawnDigitBox``.
"""

from __future__ import annotations

from concurrent.futures import Future

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desktop_app.case_studies.curves import CurvePlot
from desktop_app.case_studies.denoising_display import NOISE_NAMES, headline, loss_titles, noise_text, show_held_out
from desktop_app.case_studies.digit_grid import DigitTable
from desktop_app.case_studies.drawing_turns import draw_in_turns
from desktop_app.case_studies.drawn_digit_box import DrawnDigitBox
from desktop_app.case_studies.live_study import LiveStudy
from desktop_app.case_studies.study_inputs import ConfigMirror, bind_denoising
from desktop_app.case_studies.study_state import apply_denoising_state, denoising_state
from desktop_app.controller import TrainingController
from desktop_app.state.studies import DenoisingInputs
from desktop_app.theme import Theme
from desktop_app.widgets.number_box import WholeNumberBox
from engine.core.config import TrainingConfig
from engine.core.record import SessionRecord
from engine.core.snapshot import EpochSnapshot
from engine.digits.data import HELD_OUT_COUNT, SHIPPED_COUNT
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

DEFAULT_CONFIG = case_study_config("dae")
SLIDER_STEPS = 100  # the noise slider moves in hundredths


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
        self._preparing: Future | None = None  # PCA's fit and scores under way in the background
        self._pca_timer = QTimer(self)  # polls them
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
        self.add_page_head("Case study 1 · Denoising handwritten digits: noisy digit in, clean digit out",
                           self._settings_row(), headline_size=1.25)
        self.headline.setText(f"Loading {SHIPPED_COUNT:,} handwritten digits…")

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
        self.psnr_plot = CurvePlot(t, ("Held-out PSNR (higher is cleaner)", "Held-out PSNR"), "dB", right,
                                   value_room="00.0",  # PSNRs of digits stay under 100 dB
                                   legend_below=True)  # inside, a short plot's legend covered the curve
        self.psnr_plot.setObjectName("denoisingPsnrPlot")
        # named as the table's columns and the headline name them: short, so the legend takes one row
        self.psnr_plot.add_curve("network", "autoencoder", t.curve_reconstruction, symbol=True)
        self.psnr_plot.add_level("pca", "PCA", t.curve_kl)
        self.psnr_plot.add_level("input", "noisy input", t.muted)
        self.loss_plot = CurvePlot(t, loss_titles(self._config.loss), "loss", right, legend=False)
        self.loss_plot.setObjectName("lossPlotDenoising")
        self.loss_plot.add_curve("loss", "training loss", t.curve_colour("loss"))
        right_layout.addWidget(self.psnr_plot, 3)
        right_layout.addWidget(self.loss_plot, 2)
        self.draw_box = DrawnDigitBox(t, self)
        box = self.draw_box  # its parts, as the study's inputs, saved state and scripts reach them
        self.pad, self.frame_check, self.drawn_table = box.pad, box.frame_check, box.table
        self.pad.drawingChanged.connect(lambda _pixels: self.render_drawing())
        # The plots first: the draw box takes a share only down to its smallest pad (and never
        # more than its natural height), so on a short page (1280x720 at 100 %) both plots keep
        # room for the values on their axes.
        right_layout.addWidget(self.draw_box, 2)
        columns.addWidget(right, 1)
        outer.addLayout(columns, 1)
        for plot in (self.psnr_plot, self.loss_plot):  # set aside by a presented lesson step, or shown again
            plot.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched in (self.psnr_plot, self.loss_plot) and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._let_box_stand()
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._let_box_stand()  # the plots may have been set aside (or back) while the page was hidden: no event then
        super().showEvent(event)

    def _let_box_stand(self) -> None:
        """The draw box may stand upright while the plots above it are set aside."""
        self.draw_box.let_stand(self.psnr_plot.isHidden() and self.loss_plot.isHidden())

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
        self.bottleneck.refused.connect(lambda message: self.show_error(message or None))
        row.addStretch(1)
        return row

    # ----- the model ---------------------------------------------------------------------------
    def on_started(self, controller: TrainingController) -> None:
        controller.sessionReplaced.connect(lambda _session: self._psnr_trace.clear())
        self.mirror_config_of(controller)

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
        self.show_error(self.controller.change(noise_type=kind, noise_level=level))

    def set_bottleneck(self, k: int, confirm: bool = False) -> None:
        """A new bottleneck is a new network (and a new k for PCA): training starts again."""
        self._apply_noise()  # a noise still waiting for the slider to rest is the new network's too
        config = self.new_latent_config(k, self.bottleneck, confirm, f"A bottleneck of {k} units is a new network",
                                        "Start a new network?")
        if config is None:
            return
        self._config = config
        if self.started:
            self.controller.new_session(self._config)
        self.inputs.latent_dim = int(k)  # the spin box follows

    def show_other_digits(self) -> None:
        self._offset += 1
        if self.started:
            self.draw_now()

    # ----- rendering ------------------------------------------------------------------------------
    def _pca(self, snapshot: EpochSnapshot):
        """PCA for this snapshot's bottleneck, or None (and a poll) while it is fitted.
        Fitted in the background together with its scores of these held-out inputs, so
        the first epoch drawn with PCA finds them ready (``PCABank.prepare``)."""
        pca = self.pca.ready(snapshot.latent_dim)
        if pca is None:
            self._preparing = self.pca.prepare(snapshot.latent_dim, snapshot.images, snapshot.inputs)
            self._pca_timer.start()
        return pca

    def _pca_maybe_ready(self) -> None:
        if self._preparing is None or self._preparing.done():
            self._preparing = None
            self._pca_timer.stop()
            if not self.controller.running:  # a running study re-renders within the epoch
                self.draw_now(self.controller.snapshot)

    def draw(self, snapshot: EpochSnapshot) -> None:
        figures = denoising_figures(snapshot, self._pca(snapshot), shown_rows(snapshot.labels, self._offset))
        self.figures = figures
        self.headline.setText(headline(figures, snapshot, self.theme))
        # the table, the curves and your drawing in the frame's second half, each in a half
        # of its own (the table's 40 digits and each plot's moving axes are slow to draw):
        # no long pause at each epoch (drawn with the figures, the table made the first
        # half 20 ms of work, about a second on a machine as busy as the benchmark's)
        draw_in_turns(self.controller, self, [
            (self.table, lambda: show_held_out(self.table, self.figures)),
            (self.psnr_plot, lambda: self._render_psnr(self.figures, self.controller.snapshot)),
            (self.loss_plot, self._render_loss_curve),
            (self.drawn_table, self.render_drawing)])

    def _render_loss_curve(self) -> None:
        history = self.controller.loss_history
        self.loss_plot.set_curve("loss", history.epochs, history.column("loss"))

    def _render_psnr(self, f: DenoisingFigures, snapshot: EpochSnapshot) -> None:
        for epoch in [e for e in self._psnr_trace if e > snapshot.epoch]:  # went back in time
            del self._psnr_trace[epoch]
        self._psnr_trace[snapshot.epoch] = f.mean_all[1]
        epochs = np.array(sorted(self._psnr_trace))
        with self.psnr_plot.changes():
            self.psnr_plot.set_curve("network", epochs,
                                     np.array([self._psnr_trace[e] for e in epochs], dtype=float))
            self.psnr_plot.set_level("input", f.mean_all[0])
            self.psnr_plot.set_level("pca", f.mean_all[2])

    def render_drawing(self) -> None:
        if not self.started:
            return
        drawn = self.pad.pixels
        if drawn.max() == 0:
            self.draw_box.show_figures(None)
            return
        snapshot = self.controller.snapshot
        self.drawn_figures = drawn_digit_figures(snapshot, self._pca(snapshot), drawn,
                                                 frame=self.frame_check.isChecked())
        self.draw_box.show_figures(self.drawn_figures)

    # ----- saving and restoring (desktop_app.case_studies.study_state) ------------------------------
    def screen_state(self) -> dict:
        """What the learner set up here, as plain JSON (the model is saved by the engine)."""
        return denoising_state(self)

    def apply_screen_state(self, state: dict, session: SessionRecord | None) -> None:
        """Show ``session`` (None: a fresh network) set up as ``state`` says."""
        apply_denoising_state(self, state, session)
