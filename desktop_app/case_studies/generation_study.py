"""Case study 2: a VAE trained live on handwritten digits becomes a map you click to
generate new ones; a plain autoencoder trained on the same digits can stand beside it.

The map, the decoded image, the manifold grid and the interpolation strip are the
latent-space views (``desktop_app.views``); every figure comes from the engine. Each
model's map is a ``MapPane`` (``map_pane``); the plain autoencoder's life beside the VAE
is ``AutoencoderBeside`` (``autoencoder_beside``). This module lays the page out and
holds the VAE's settings, samples and drawing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.case_studies.autoencoder_beside import AutoencoderBeside, autoencoder_config
from desktop_app.case_studies.curves import CurvePlot
from desktop_app.case_studies.digit_grid import DigitMosaic
from desktop_app.case_studies.live_study import LiveStudy
from desktop_app.case_studies.map_pane import MapPane
from desktop_app.case_studies.study_inputs import ConfigMirror, bind_generation
from desktop_app.case_studies.study_state import apply_generation_state, generation_state
from desktop_app.controller import TrainingController
from desktop_app.frames.live_view import out_of_sight
from desktop_app.state.studies import MAX_LATENT, GenerationInputs
from desktop_app.theme import Theme
from desktop_app.views.interpolation_strip import InterpolationPanel
from desktop_app.widgets.number_box import NumberBox, WholeNumberBox
from engine.core.config import MAX_BETA, TrainingConfig
from engine.core.record import SessionRecord
from engine.core.snapshot import EpochSnapshot
from engine.digits.data import N_PIXELS, SHIPPED_COUNT
from engine.digits.settings import case_study_config
from engine.digits.study_figures import HeldOutLoss, held_out_loss, prior_digits

DEFAULT_CONFIG = case_study_config("vae")
SAMPLE_COLUMNS = 8
SAMPLE_COUNT = 40


class GenerationStudy(AutoencoderBeside, ConfigMirror, LiveStudy):
    """Latent size, β, the map, the manifold grid, interpolation, prior samples, AE beside."""

    def __init__(self, theme: Theme, parent: QWidget | None = None, config: TrainingConfig | None = None) -> None:
        # no Right-arrow stepping here: the arrow keys nudge the probe on the map
        super().__init__(theme, "generation", default_epochs=30, parent=parent, step_key=False)
        self.setObjectName("generationStudy")
        self.setAccessibleName("generationStudy")
        self._config = config or DEFAULT_CONFIG
        self.sample_seed = 0
        self.samples_z: np.ndarray | None = None
        self.vae_loss: HeldOutLoss | None = None
        self._curves_stale = False  # the loss curves skipped an epoch while out of sight
        self._build()
        self.inputs = GenerationInputs(latent_dim=self._config.latent_dim, beta=self._config.beta,
                                       epochs=self.run_controls.epochs_spin.value())
        bind_generation(self)

    # ----- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        t = self.theme
        outer = self.page
        self.add_page_head("Case study 2 · A VAE that generates digits: click anywhere on its map to draw a new one",
                           self._settings_row(), headline_size=1.2)
        self.headline.setText(f"Loading {SHIPPED_COUNT:,} handwritten digits…")

        body = QHBoxLayout()
        maps = QVBoxLayout()
        panes = QHBoxLayout()
        self.vae_pane = MapPane(t, "Variational autoencoder", "", self)
        self.ae_pane = MapPane(t, "Plain autoencoder (same digits, same seed)", "AE", self)
        self.ae_pane.hide()
        panes.addWidget(self.vae_pane, 1)
        panes.addWidget(self.ae_pane, 1)
        maps.addLayout(panes, 1)
        hint = QLabel("Click or drag on the map to decode that point; click a dot to decode a held-out digit's "
                      "code; arrow keys nudge. Wheel zooms, Shift-drag pans.", self)
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {t.muted.name()}")
        maps.addWidget(hint)
        body.addLayout(maps, 1)

        side = QVBoxLayout()
        decoded_row = QHBoxLayout()
        for pane, name in ((self.vae_pane, "VAE"), (self.ae_pane, "AE")):
            column = QVBoxLayout()
            caption = QLabel(f"{name} generates", self)
            caption.setFont(t.font(1.0, bold=True))
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(caption)
            column.addWidget(pane.decoded, 1)
            column.addWidget(pane.coords)
            holder = QWidget(self)
            holder.setLayout(column)
            decoded_row.addWidget(holder, 1)
            if pane is self.ae_pane:
                self.ae_decoded_holder = holder
                holder.hide()
        side.addLayout(decoded_row, 4)
        side.addWidget(self._extras(), 5)
        body.addLayout(side, 1)
        self._body = body
        outer.addLayout(body, 1)

    def _extras(self) -> QTabWidget:
        """Samples from the prior, the walk between two points and the loss curves share one
        tabbed area beside the map: stacked under it they pushed the page past a projector's
        height at 150 % and 200 %, and the page grew a scroll bar."""
        t = self.theme
        self.extras = QTabWidget(self)
        self.extras.setObjectName("generationExtras")
        self.extras.addTab(self._samples_box(), "New digits from N(0, I)")
        self.path_panel = InterpolationPanel(self.vae_pane.canvas, t, self)
        self.extras.addTab(self.path_panel, "Walk (interpolation)")
        self.loss_plot = CurvePlot(t, "Training loss per digit", "loss", self)
        self.loss_plot.setObjectName("lossPlotGeneration")
        self.loss_plot.add_curve("loss", "VAE total", t.curve_colour("loss"))
        self.loss_plot.add_curve("reconstruction", "VAE reconstruction", t.curve_reconstruction)
        self.loss_plot.add_curve("kl", "VAE KL", t.curve_kl)
        self.loss_plot.setMinimumHeight(int(110 * t.scale))
        self.loss_plot.shown.connect(self._curves_shown)
        self.loss_plot.legend.setColumnCount(2)
        self.loss_plot.legend.setOffset((-10, -30))  # above the small KL curve, below the others
        self.extras.addTab(self.loss_plot, "Loss")
        return self.extras

    def _settings_row(self) -> QHBoxLayout:
        c = self._config
        row = QHBoxLayout()
        row.addWidget(QLabel("Latent size:"))
        self.latent_spin = WholeNumberBox(self, what="The latent size")
        self.latent_spin.setObjectName("generationLatentSpin")
        self.latent_spin.setAccessibleName("generationLatentSpin")
        self.latent_spin.setRange(1, MAX_LATENT)
        self.latent_spin.setValue(c.latent_dim)
        self.latent_spin.setKeyboardTracking(False)
        self.latent_spin.setToolTip("How many numbers code each digit. With 2 the codes are a map you can click; "
                                    "with more, digits are sharper but there is no map to show.")
        row.addWidget(self.latent_spin)
        row.addSpacing(int(12 * self.theme.scale))
        row.addWidget(QLabel("β:"))
        self.beta_spin = NumberBox(self, what="β")
        self.beta_spin.setObjectName("generationBetaSpin")
        self.beta_spin.setAccessibleName("generationBetaSpin")
        self.beta_spin.setRange(0.0, MAX_BETA)
        self.beta_spin.setDecimals(2)
        self.beta_spin.setSingleStep(0.25)
        self.beta_spin.setValue(c.beta)
        self.beta_spin.setKeyboardTracking(False)
        self.beta_spin.setToolTip("Weight of the latent loss (KL). Larger β packs the codes closer to N(0, I): "
                                  "fewer holes, blurrier digits. Takes effect from the next epoch.")
        row.addWidget(self.beta_spin)
        row.addSpacing(int(12 * self.theme.scale))
        self.manifold_check = QCheckBox("Manifold grid", self)
        self.manifold_check.setObjectName("generationManifoldCheck")
        self.manifold_check.setToolTip("Cover the map with the digits decoded on a grid of points: the classic picture "
                                       "of what each region of the latent space holds.")
        row.addWidget(self.manifold_check)
        self.grid_spin = WholeNumberBox(self, what="The grid size")
        self.grid_spin.setObjectName("generationGridSize")
        self.grid_spin.setRange(2, 40)
        self.grid_spin.setPrefix("n = ")
        self.grid_spin.setToolTip("How many decoded digits across and down the grid.")
        row.addWidget(self.grid_spin)
        for spin in (self.latent_spin, self.beta_spin, self.grid_spin):  # a typed refusal, said under the controls
            spin.refused.connect(lambda message: self.show_error(message or None))
        self.dots_check = QCheckBox("Digits as dots", self)
        self.dots_check.setObjectName("generationDotsCheck")
        self.dots_check.setToolTip("Show each held-out digit as a dot at its code; switch off to see the manifold "
                                   "grid alone.")
        row.addWidget(self.dots_check)
        self.spreads_check = QCheckBox("Spreads (1σ)", self)
        self.spreads_check.setObjectName("generationSpreadsCheck")
        self.spreads_check.setToolTip("Draw each held-out digit's spread: the VAE codes a digit as a small cloud, "
                                      "not a point.")
        row.addWidget(self.spreads_check)
        row.addSpacing(int(12 * self.theme.scale))
        self.compare_check = QCheckBox("Plain autoencoder beside it", self)
        self.compare_check.setObjectName("generationCompareCheck")
        self.compare_check.setAccessibleName("generationCompareCheck")
        self.compare_check.setToolTip("Train a plain autoencoder on the same digits (same seed, same latent size) "
                                      "and show its map beside the VAE's: see where it decodes to nonsense.")
        self.compare_check.toggled.connect(self.set_compare)
        row.addWidget(self.compare_check)
        reset_view = QPushButton("Reset view", self)
        reset_view.setObjectName("generationResetViewButton")
        reset_view.setToolTip("Undo zoom and pan on the maps.")
        reset_view.clicked.connect(self._reset_views)
        row.addWidget(reset_view)
        row.addStretch(1)
        return row

    def _samples_box(self) -> QWidget:
        """Its tab names it; a group box's title would only take a line of height."""
        box = QWidget(self)
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.sample_button = QPushButton(f"Sample {SAMPLE_COUNT} new digits", box)
        self.sample_button.setObjectName("generationSampleButton")
        self.sample_button.setAccessibleName("generationSampleButton")
        self.sample_button.setToolTip("Draw points from N(0, I) and decode them: digits nobody wrote. They are "
                                      "re-decoded as training goes on, so you see them improve.")
        self.sample_button.clicked.connect(self.sample)
        row.addWidget(self.sample_button)
        self.samples_on_map = QCheckBox("mark them on the map", box)
        self.samples_on_map.setObjectName("generationSamplesOnMapCheck")
        self.samples_on_map.setToolTip("Draw each sample's point as a × on the VAE's map: they land where the "
                                       "digits are, because the VAE pulled its codes toward N(0, I).")
        row.addWidget(self.samples_on_map)
        row.addStretch(1)
        layout.addLayout(row)
        self.mosaic = DigitMosaic(self.theme, SAMPLE_COLUMNS, box)
        self.mosaic.setObjectName("generationSamples")
        self.mosaic.setAccessibleName("generationSamples")
        layout.addWidget(self.mosaic, 1)
        return box

    # ----- the models -----------------------------------------------------------------------------
    def on_started(self, controller: TrainingController) -> None:
        self.vae_pane.follow(controller)
        self.mirror_config_of(controller)
        controller.sessionReplaced.connect(lambda _session: self.vae_pane.probe_origin())
        controller.snapshotChanged.connect(lambda _snapshot: self.keep_autoencoder_up())  # even while the tab is hidden

    # ----- user actions -------------------------------------------------------------------------------
    def set_beta(self, beta: float) -> None:
        """A new β, from the next epoch on; a refused one is taken back out of the box."""
        if not self.started:
            self._config = self._config.replace(beta=float(beta))
        else:
            error = self.controller.change(beta=float(beta))
            self.show_error(error)
            if error:
                self.beta_spin.refuse(error)
                return
        self.inputs.beta = float(beta)

    def set_latent_size(self, n: int, confirm: bool = False) -> None:
        """A new latent size is a new network (the AE beside follows): training starts again."""
        config = self.new_latent_config(n, self.latent_spin, confirm,
                                        f"A latent space of {n} dimensions needs new networks", "Start new networks?")
        if config is None:
            return
        self._config = config
        self.samples_z = None
        if self.started:
            self.stop()
            self.controller.new_session(self._config)
            if self.autoencoder is not None:
                self.autoencoder.new_session(autoencoder_config(self._config))
                self.ae_pane.probe_origin()
        self.inputs.latent_dim = int(n)  # the spin box follows

    def sample(self) -> None:
        """Draw a fresh set of points from the prior and decode them."""
        snapshot = self.controller.snapshot
        self.sample_seed += 1
        self.samples_z, images = prior_digits(snapshot, SAMPLE_COUNT, self.sample_seed)
        self.mosaic.set_images(images, SAMPLE_COLUMNS)
        self.mark_samples()

    def mark_samples(self) -> None:
        show = self.inputs.samples_on_map and self.samples_z is not None and self.samples_z.shape[1] == 2
        self.vae_pane.canvas.state.samples = self.samples_z if show else None

    def set_dots_visible(self, on: bool) -> None:
        for pane in (self.vae_pane, self.ae_pane):
            pane.canvas.codes_item.setVisible(on)
            pane.canvas.selected_item.setVisible(on)
            if pane.canvas.legend is not None:
                pane.canvas.legend.setVisible(on)

    def configure_maps(self, **settings: object) -> None:
        for pane in (self.vae_pane, self.ae_pane):
            pane.canvas.state.update(**settings)

    def _reset_views(self) -> None:
        for pane in (self.vae_pane, self.ae_pane):
            pane.canvas.reset_view()

    # ----- rendering --------------------------------------------------------------------------------
    def draw(self, snapshot: EpochSnapshot) -> None:
        self.vae_loss = held_out_loss(snapshot)
        two_d = snapshot.latent_dim == 2
        for widget in (self.manifold_check, self.grid_spin, self.spreads_check, self.path_panel):
            widget.setEnabled(two_d)
        self.vae_pane.status.setText(f"epoch {snapshot.epoch} · {len(snapshot.images)} held-out digits, "
                                     "coloured by what they are")
        if self.samples_z is not None and self.samples_z.shape[1] == snapshot.latent_dim:
            self.mosaic.set_images(snapshot.decode(self.samples_z), SAMPLE_COLUMNS)
        elif self.samples_z is None:
            self.mosaic.set_images(np.zeros((0, N_PIXELS), np.float32))
        self.controller.draw_later(self.loss_plot, self._render_curves)  # in the frame's second half
        if self.autoencoder is not None:
            self.show_autoencoder(self.autoencoder.snapshot)
        self.show_headline(snapshot)

    def _render_curves(self) -> None:
        """The VAE's loss curves (and the plain autoencoder's): only while their tab is in
        sight (5 ms of an epoch's drawing otherwise spent on a hidden plot); they catch up
        when it is shown (``CurvePlot.shown``)."""
        if out_of_sight(self.loss_plot):
            self._curves_stale = True
            return
        self._curves_stale = False
        history = self.controller.loss_history
        with self.loss_plot.changes():
            for key in ("loss", "reconstruction", "kl"):
                self.loss_plot.set_curve(key, history.epochs, history.column(key))
            if self.autoencoder is not None and "ae" in self.loss_plot.curves:
                history = self.autoencoder.loss_history
                self.loss_plot.set_curve("ae", history.epochs, history.column("loss"))

    def _curves_shown(self) -> None:
        if self._curves_stale and self.started:
            self._render_curves()

    def show_headline(self, snapshot: EpochSnapshot) -> None:
        t, v = self.theme, self.vae_loss
        text = (f"Epoch {snapshot.epoch} · held-out loss per digit: <b>VAE {v.total:.1f}</b> = "
                f"<span style='color:{t.curve_reconstruction.name()}'>reconstruction {v.reconstruction:.1f}</span>"
                f" + β·<span style='color:{t.curve_kl.name()}'>KL {v.kl:.2f}</span> (β = {v.beta:g})")
        if self.ae_loss is not None and self.autoencoder is not None:
            text += (f" · plain autoencoder {self.ae_loss.total:.1f} (reconstruction only, "
                     f"epoch {self.autoencoder.snapshot.epoch})")
        self.headline.setText(text)

    # ----- saving and restoring (desktop_app.case_studies.study_state) ------------------------------
    def screen_state(self) -> dict:
        """What the learner set up here, as plain JSON (the models are saved by the engine)."""
        return generation_state(self)

    def apply_screen_state(self, state: dict, session: SessionRecord | None,
                           autoencoder: SessionRecord | None = None) -> None:
        """Show ``session`` (and the plain ``autoencoder`` beside it) set up as ``state`` says."""
        apply_generation_state(self, state, session, autoencoder)
