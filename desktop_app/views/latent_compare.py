"""The other model beside the main one on the latent map (``ComparePane``): the plain
autoencoder beside a VAE, or a VAE beside an autoencoder, on the same data with the
same seed, kept at the main run's epoch by its own controller (the engine trains it;
this only keeps its epoch in step), and what to say when a VAE's units collapse.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.companion_run import CompanionRun
from desktop_app.controller import TrainingController
from desktop_app.frames.live_view import SECOND_HALF, LiveView
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.views.latent_readout import ProbeReadout, error_label, hint
from desktop_app.widgets.number_box import NumberBox
from engine.core.config import LIVE_CHANGES, MAX_BETA, MODEL_TITLES, check_beta
from engine.core.snapshot import EpochSnapshot
from engine.latent import space as latent

# β of a VAE compared with a plain autoencoder run (whose own β means nothing): at β = 1
# the 2x2 VAE collapses (its summed reconstruction loss, ~0.2 nats, is less than any
# informative code costs in KL); about 0.1 keeps both units informative.
COMPARE_BETA = 0.1
COMPARE_SYNC_S = 0.2  # while the main run trains, the comparison catches up five times a second


def collapse_message(snapshot: EpochSnapshot) -> str:
    """What to say when a VAE's latent units stopped carrying information."""
    if snapshot.epoch == 0:
        return ""
    units = latent.collapsed_units(snapshot)
    if not units:
        return ""
    if len(units) == snapshot.latent_dim:
        return (f"Posterior collapse: every image is encoded as almost exactly the prior N(0, I) (KL per unit "
                f"< {latent.COLLAPSE_KL:g}), so the codes cannot tell images apart and the decoder learns the "
                f"average image. β = {snapshot.config.beta:g} outweighs the reconstruction loss here; try a "
                "smaller β.")
    names = " and ".join(f"z{k + 1}" for k in units)
    return (f"{names} carries almost no information (KL < {latent.COLLAPSE_KL:g}): its means vary far less "
            "than their spread, so the decoder cannot rely on it.")


class ComparePane(LiveView, QWidget):
    """The other model (AE beside VAE) on the same data with the same seed, kept at the
    main run's epoch by its own controller, so the engine does all the training.

    A docked view of the main run (``LiveView``): it catches up with it in the second
    half of a frame, at most every ``COMPARE_SYNC_S``; out of sight it neither trains
    nor draws, and catches up once when shown."""

    frame_half = SECOND_HALF
    max_per_second = 1 / COMPARE_SYNC_S
    wants_drawing = LiveView.in_sight_of_its_window

    def __init__(self, main: TrainingController, theme: Theme, settings: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latentComparePane")
        self.main = main
        if main.config.model == "vae":
            config = main.config.replace(model="ae")
        else:
            config = main.config.replace(model="vae", beta=COMPARE_BETA)
        self.controller = TrainingController(config, parent=self)
        self.controller.new_session(config, main.train_images)
        self.run = CompanionRun(main, self.controller, looks_back=True)
        self.title = QLabel(self)
        self.title.setFont(theme.font(1.0, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status = hint("", theme, self)
        self.canvas = LatentCanvas(self.controller, theme, self, name="latentCanvasCompare")
        self.canvas.state.update(**settings)
        self.collapse_note = error_label(theme, self)
        self.collapse_note.setVisible(False)
        self.beta = NumberBox(self, what="β")
        self.beta.setObjectName("compareBetaSpin")
        self.beta.setDecimals(3)
        self.beta.setRange(0.0, MAX_BETA)
        self.beta.setSingleStep(0.01)
        self.beta.setPrefix("β = ")
        self.beta.setToolTip("The weight of the VAE's latent loss (KL) in this comparison")
        self.beta.setValue(config.beta)
        self.beta.setMaximumWidth(int(130 * theme.scale))
        self.beta_message = error_label(theme, self)
        self.beta.refused.connect(self.beta_message.setText)
        self.readout = ProbeReadout(self.canvas, theme, self, suffix="Compare")
        self.readout.image.setMinimumSize(int(80 * theme.scale), int(80 * theme.scale))
        self.readout.setMaximumWidth(int(130 * theme.scale))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.collapse_note)
        below = QHBoxLayout()
        info = QVBoxLayout()
        info.addWidget(self.status)
        if config.model == "vae":
            info.addWidget(self.beta)
            info.addWidget(self.beta_message)
        else:  # a plain autoencoder has no β: without this, the spin box floated over the title
            self.beta.hide()
            self.beta_message.hide()
        info.addStretch(1)
        below.addLayout(info, 1)
        below.addWidget(self.readout)
        layout.addLayout(below)
        self.title.setText(f"{MODEL_TITLES[config.model]} (same data, same seed)")
        self.follow_frames(main)
        main.configChanged.connect(self._on_main_config)
        main.selectionChanged.connect(self.controller.select_image)
        self.canvas.imageClicked.connect(main.select_image)
        self.controller.runningChanged.connect(lambda running: None if running else self.sync())
        self.controller.snapshotChanged.connect(self._on_own_snapshot)
        self.beta.valueChanged.connect(self._on_beta)
        self.controller.select_image(main.selected_index)
        self.canvas.set_probe(None, image=main.selected_index)
        self.sync()

    def draw(self, _snapshot: EpochSnapshot) -> None:
        """Catch up with the main run now and then while it trains (each catch-up is a
        short run of its own and a redraw), at once when it steps or looks back."""
        self.sync()

    def sync(self, *args: object) -> None:
        """Bring the companion to the main run's epoch: train on, or look back."""
        main, mine = self.main, self.controller
        if mine.running:
            return  # called again when this run ends
        images, own = main.train_images, mine.train_images
        if images.shape != own.shape or not np.array_equal(images, own):
            mine.set_images(images)
        target = self.run.keep_up()
        if target is not None:
            self.status.setText(f"training to epoch {target:,}…")
        if not mine.running:
            self.status.setText(f"epoch {mine.snapshot.epoch:,}   loss {fmt.result(mine.snapshot.loss)}")

    def _on_own_snapshot(self, snapshot: EpochSnapshot) -> None:
        self.collapse_note.setText(collapse_message(snapshot))
        self.collapse_note.setVisible(bool(self.collapse_note.text()))

    def _on_beta(self, value: float) -> None:
        """β of the compared VAE, for this comparison only: applies from the next epoch, so
        the comparison starts again from the random start to stay fair."""
        try:
            config = self.controller.config.replace(beta=check_beta(value))
        except ValueError as exc:  # the engine's own limits and words
            self.beta.refuse(str(exc))
            return
        self.beta_message.clear()
        self.controller.new_session(config, self.main.train_images)
        self.sync()

    def _on_main_config(self, config) -> None:
        """Live settings follow the main run (a companion VAE keeps its own β)."""
        mine = self.controller.config
        keys = [k for k in LIVE_CHANGES if k != "beta" or mine.model != "vae"]
        changes = {k: getattr(config, k) for k in keys if getattr(config, k) != getattr(mine, k)}
        if changes:
            error = self.controller.change(**changes)
            if error:
                self.status.setText(error)

    def shutdown(self) -> None:
        for signal, slot in ((self.main.snapshotChanged, self.frame_arrived),
                             (self.main.configChanged, self._on_main_config),
                             (self.main.selectionChanged, self.controller.select_image)):
            signal.disconnect(slot)
        self.controller.shutdown()
