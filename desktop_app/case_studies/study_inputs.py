"""The case studies' inputs bound to their states (``desktop_app.state.studies``).

Each input writes the learner's change to its study's state, and each field's signal
moves its input and makes the study act (a new noise, a new network, a redrawn digit),
so a lesson step or a saved session that sets the state sees the study follow. A new
bottleneck or latent size asks first when epochs would be lost: that question belongs
to the learner's own edit, so those inputs ask before they write; a value set on the
state from outside is applied without asking. ``show_config`` mirrors a model's
settings into the state without acting on them (the model already has them).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QSpinBox, QWidget

from desktop_app.controller import TrainingController
from desktop_app.state.evented import Evented
from desktop_app.state_binding import bind_check, bind_number
from engine.core.config import TrainingConfig
from engine.lecture.noise import NOISE_KINDS


def quietly(widget: QWidget, setter: Callable[[object], None], value: object) -> None:
    """Show ``value`` without the widget's own signals (the state already holds it)."""
    widget.blockSignals(True)
    setter(value)
    widget.blockSignals(False)


class ConfigMirror:
    """Mixin for a study: ``inputs`` follow its model's settings; ``mirroring`` is True
    while they are shown without being acted on. ``_config`` holds the settings while no
    model is built: the first model is built with them."""

    inputs: Evented
    mirroring = False
    _config: TrainingConfig
    # from the study (``LiveStudy``) this is mixed into
    controller: TrainingController
    started: bool
    show_error: Callable[[str | None], None]

    def initial_config(self) -> TrainingConfig:
        return self._config

    def mirror_config_of(self, controller) -> None:
        """Show ``controller``'s settings whenever they change or its session is replaced."""
        controller.configChanged.connect(self.show_config)
        controller.sessionReplaced.connect(lambda _session: self.show_config(controller.config))

    def current_config(self) -> TrainingConfig:
        return self.controller.config if self.started else self._config

    def show_config(self, config: TrainingConfig) -> None:
        self.mirroring = True
        try:
            self.inputs.update(**{name: getattr(config, name) for name in self.inputs.settings()})
        finally:
            self.mirroring = False

    def new_latent_config(self, latent_dim: int, box: QSpinBox, confirm: bool, change: str,
                          title: str) -> TrainingConfig | None:
        """The settings of a new network with ``latent_dim`` latent units, or None: when the
        learner, asked (``confirm``) because trained epochs would be lost, keeps the trained
        one (``box`` shows its size again), or when the engine refuses the size (said under
        the settings). ``change`` says what the new size is, as the question's first words."""
        trained = self.controller.snapshot.epoch if self.started else 0
        if trained > 0 and confirm:
            question = f"{change}: the {trained} epochs trained so far are discarded. Continue?"
            answer = QMessageBox.question(self, title, question)  # type: ignore[arg-type]  (a QWidget study)
            if answer != QMessageBox.StandardButton.Yes:
                quietly(box, box.setValue, self.controller.config.latent_dim)
                return None
        try:
            config = self.current_config().replace(latent_dim=int(latent_dim))
        except ValueError as exc:
            self.show_error(str(exc))
            return None
        self.show_error(None)
        return config

    def act(self, name: str, value: object, action: Callable[[object], None]) -> None:
        """Run ``action`` for a setting the state changed, unless it is being mirrored or
        the model has it already."""
        if not self.mirroring and getattr(self.current_config(), name) != value:
            action(value)


def bind_denoising(study) -> None:
    """Case study 1: noise kind and level, bottleneck, run length, framing of a drawing."""
    inputs, steps = study.inputs, study.noise_slider.maximum()
    study.noise_type.currentIndexChanged.connect(lambda i: setattr(inputs, "noise_type", NOISE_KINDS[i]))
    study.noise_slider.valueChanged.connect(lambda v: setattr(inputs, "noise_level", v / steps))
    inputs.events.noise_type.connect(lambda kind: (
        quietly(study.noise_type, study.noise_type.setCurrentIndex, NOISE_KINDS.index(kind)), study.noise_edited()))
    inputs.events.noise_level.connect(lambda level: (
        quietly(study.noise_slider, study.noise_slider.setValue, round(level * steps)), study.noise_edited()))
    study.bottleneck.valueChanged.connect(lambda k: study.set_bottleneck(k, confirm=True))
    inputs.events.latent_dim.connect(lambda k: (
        quietly(study.bottleneck, study.bottleneck.setValue, k), study.act("latent_dim", k, study.set_bottleneck)))
    bind_number(study.run_controls.epochs_spin, inputs, "epochs")
    bind_check(study.frame_check, inputs, "frame")
    inputs.events.frame.connect(lambda _on: study.render_drawing())


def bind_generation(study) -> None:
    """Case study 2: latent size, β, run length, dots, samples on the map; the manifold
    grid, its size and the spreads are the VAE map's layers (the plain autoencoder's map,
    when shown, takes the grid too)."""
    inputs, layers = study.inputs, study.vae_pane.canvas.state
    study.latent_spin.valueChanged.connect(lambda n: study.set_latent_size(n, confirm=True))
    inputs.events.latent_dim.connect(lambda n: (
        quietly(study.latent_spin, study.latent_spin.setValue, n), study.act("latent_dim", n, study.set_latent_size)))
    study.beta_spin.valueChanged.connect(study.set_beta)
    inputs.events.beta.connect(lambda beta: (
        quietly(study.beta_spin, study.beta_spin.setValue, beta), study.act("beta", beta, study.set_beta)))
    bind_number(study.run_controls.epochs_spin, inputs, "epochs")
    bind_check(study.dots_check, inputs, "dots")
    inputs.events.dots.connect(study.set_dots_visible)
    bind_check(study.samples_on_map, inputs, "samples_on_map")
    inputs.events.samples_on_map.connect(lambda _on: study.mark_samples())
    bind_check(study.manifold_check, layers, "overlay_on", lambda on: study.configure_maps(overlay_on=bool(on)))
    bind_number(study.grid_spin, layers, "grid_size", lambda n: study.configure_maps(grid_size=int(n)))
    bind_check(study.spreads_check, layers, "spreads_on")
