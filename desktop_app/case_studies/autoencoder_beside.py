"""Case study 2's plain autoencoder beside the VAE: switched on and off, trained on the
same digits with the same seed and latent size, kept at the VAE's epoch
(``CompanionRun``), shown on its own map, in the loss plot and in the headline.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from desktop_app.case_studies.curves import CurvePlot
from desktop_app.case_studies.map_pane import MapPane
from desktop_app.case_studies.study_inputs import quietly
from desktop_app.companion_run import CompanionRun
from desktop_app.controller import TrainingController
from desktop_app.theme import Theme
from engine.core.config import TrainingConfig
from engine.core.record import SessionRecord
from engine.core.snapshot import EpochSnapshot
from engine.digits.settings import case_study_config
from engine.digits.study_figures import HeldOutLoss, held_out_loss


def autoencoder_config(vae: TrainingConfig) -> TrainingConfig:
    """The plain autoencoder beside the VAE: same digits, latent size and seed."""
    return case_study_config("ae").replace(latent_dim=vae.latent_dim, seed=vae.seed)


class AutoencoderBeside:
    """Mixin for ``GenerationStudy``: the plain autoencoder, while it is switched on."""

    _ae_run: CompanionRun | None = None  # the plain autoencoder, kept at the VAE's epoch
    _retired: TrainingController | None = None  # switched off; its map follows it until the next is shown
    ae_loss: HeldOutLoss | None = None
    # from the study this is mixed into
    controller: TrainingController
    started: bool
    run_target: int | None
    theme: Theme
    vae_pane: MapPane
    ae_pane: MapPane
    ae_decoded_holder: QWidget
    loss_plot: CurvePlot
    compare_check: QCheckBox
    _body: QHBoxLayout
    show_headline: Callable[[EpochSnapshot], None]
    _render_curves: Callable[[], None]
    draw_now: Callable[[], None]
    wants_drawing: Callable[[], bool]
    mark_stale: Callable[[], None]

    def companion_runs(self) -> list[CompanionRun]:
        return [self._ae_run] if self._ae_run is not None else []

    @property
    def autoencoder(self) -> TrainingController | None:
        """The plain autoencoder's controller while it is shown beside the VAE."""
        return None if self._ae_run is None else self._ae_run.companion

    def set_compare(self, on: bool, session: SessionRecord | None = None) -> None:
        """Show (and train) the plain autoencoder beside the VAE, caught up to its epoch;
        ``session``: the one opened from a file, instead of a new one."""
        quietly(self.compare_check, self.compare_check.setChecked, on)
        if on and self.autoencoder is None:
            self._ae_run = CompanionRun(self.controller, TrainingController(
                autoencoder_config(self.controller.config), parent=self, session=session))
            self.autoencoder.snapshotChanged.connect(self.show_autoencoder)
            self.autoencoder.runningChanged.connect(lambda running: None if running else self.keep_autoencoder_up())
            self.ae_pane.follow(self.autoencoder)  # lets go of the one switched off before
            if self._retired is not None:
                self._retired.deleteLater()
                self._retired = None
            vae_map = self.vae_pane.canvas.state
            self.ae_pane.canvas.state.update(overlay_on=vae_map.overlay_on, grid_size=vae_map.grid_size)
            self.loss_plot.add_curve("ae", "plain autoencoder", self.theme.muted, dashed=True)
            self.show_autoencoder(self.autoencoder.snapshot)
            self.keep_autoencoder_up(catch_up=True)
        elif not on and self.autoencoder is not None:
            controller, self._ae_run = self.autoencoder, None
            controller.shutdown()
            controller.snapshotChanged.disconnect(self.show_autoencoder)
            self._retired = controller  # its map still follows it until the next one is shown
            self.ae_loss = None
            self.loss_plot.remove_curve("ae")
            if self.started:
                self.draw_now()
        self.ae_pane.setVisible(on)
        self.ae_decoded_holder.setVisible(on)
        self._body.setStretch(0, 3 if on else 1)  # two maps need the room; one map is about square
        self._body.setStretch(1, 2 if on else 1)

    def keep_autoencoder_up(self, catch_up: bool = False) -> None:
        """Train the autoencoder up to the VAE's epoch (or the run's target while it runs);
        after Stop only when it was just switched on (``catch_up``)."""
        if self._ae_run is None or (self.run_target is None and not catch_up):
            return
        target = self._ae_run.keep_up(self.run_target)
        if target is not None:
            self.ae_pane.status.setText(f"training to epoch {target}…")

    def show_autoencoder(self, snapshot: EpochSnapshot) -> None:
        """Its loss curve, its map's status line and the headline (later, if the page is hidden)."""
        self.ae_loss = held_out_loss(snapshot)
        if not self.wants_drawing():  # drawn when the page shows again
            self.mark_stale()
            return
        self._render_curves()  # its curve beside the VAE's (when the loss tab is in sight)
        self.ae_pane.status.setText(f"epoch {snapshot.epoch} · the same held-out digits")
        if self.started:
            self.show_headline(self.controller.snapshot)
