"""The case studies read into their states (``desktop_app.state.studies``) and set from
them; the session file's form is the states' ``to_json``/``from_json``.

Each study's models travel in the session file as engine sessions (the denoiser; the
VAE and, when shown, the plain autoencoder beside it); the state holds what the learner
arranged around them: settings of a study not started yet, run length, the drawn
digit, which held-out digits are shown, the PSNR trace, prior samples, the probes and
the walk on the maps, the layers switched on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from desktop_app.state.studies import PIXELS, DenoisingState, GenerationState
from desktop_app.view_state import (
    Json,
    apply_widgets_state,
    check_widgets_state,
    set_places,
    widgets_state,
)
from engine.core.session import TrainingSession
from engine.lecture.noise import NOISE_KINDS

DENOISING_SETTINGS = ("noise_type", "noise_level", "latent_dim")
GENERATION_SETTINGS = ("latent_dim", "beta")


def _settings_config(study, settings: Mapping[str, Any], names: tuple[str, ...]):
    """The settings of a study not started yet, checked by the engine's own config."""
    try:
        return study._config.replace(**{k: settings[k] for k in names if k in settings})
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a case study's settings are refused ({exc})") from exc


def _mirror(widget, value) -> None:
    """Show a setting without sending it back (the session already has it)."""
    widget.blockSignals(True)
    widget.setValue(value) if hasattr(widget, "setValue") else widget.setCurrentIndex(value)
    widget.blockSignals(False)


# ----- case study 1: denoising ---------------------------------------------------------------
def _denoising_controls(study) -> dict:
    return {"epochs": study.run_controls.epochs_spin, "frame": study.frame_check}


def read_denoising(study) -> DenoisingState:
    config = study.controller.config if study.started else study._config
    return DenoisingState(
        settings={"noise_type": config.noise_type, "noise_level": config.noise_level, "latent_dim": config.latent_dim},
        controls=widgets_state(_denoising_controls(study)), offset=study._offset,
        drawing=tuple(float(v) for v in study.pad.pixels) if study.pad.pixels.any() else None,
        psnr_trace=tuple((int(e), float(v)) for e, v in sorted(study._psnr_trace.items())))


def check_denoising(study, state: DenoisingState) -> None:
    _settings_config(study, state.settings, DENOISING_SETTINGS)
    check_widgets_state(_denoising_controls(study), state.controls)


def apply_denoising(study, state: DenoisingState, session: TrainingSession | None) -> None:
    config = session.config if session is not None else _settings_config(study, state.settings, DENOISING_SETTINGS)
    study._config = config
    _mirror(study.noise_type, NOISE_KINDS.index(config.noise_type))
    _mirror(study.noise_slider, round(config.noise_level * study.noise_slider.maximum()))  # SLIDER_STEPS
    _mirror(study.bottleneck, config.latent_dim)
    study.noise_label.setText(_noise_text(config.noise_type, config.noise_level))
    study.pad.blockSignals(True)  # drawn once, with the rest, below
    study.pad.set_pixels(np.zeros(PIXELS, np.float32) if state.drawing is None
                         else np.asarray(state.drawing, np.float32))
    study.pad.blockSignals(False)
    study._offset = state.offset
    if session is not None:
        study.start(session)
    elif study.started:
        study.controller.new_session(config)
    apply_widgets_state(_denoising_controls(study), state.controls)
    if study.started:
        study._psnr_trace.clear()
        study._psnr_trace.update(dict(state.psnr_trace))
        study.render(study.controller.snapshot)  # drawn now if shown, else when its tab is


def denoising_state(study) -> Json:
    return read_denoising(study).to_json()


def check_denoising_state(study, state: object) -> None:
    check_denoising(study, DenoisingState.from_json(state))


def apply_denoising_state(study, state: Mapping[str, Any], session: TrainingSession | None) -> None:
    apply_denoising(study, DenoisingState.from_json(state), session)


def _noise_text(kind: str, level: float) -> str:
    from desktop_app.case_studies.denoising_study import noise_text

    return noise_text(kind, level)


# ----- case study 2: generation --------------------------------------------------------------
def _generation_controls(study) -> dict:
    return {"epochs": study.run_controls.epochs_spin, "manifold": study.manifold_check,
            "grid_size": study.grid_spin, "dots": study.dots_check, "spreads": study.spreads_check,
            "samples_on_map": study.samples_on_map, "path_kind": study.path_panel.kind,
            "path_steps": study.path_panel.steps}


def read_generation(study) -> GenerationState:
    config = study.controller.config if study.started else study._config
    compare = study.autoencoder is not None
    return GenerationState(
        settings={"latent_dim": config.latent_dim, "beta": config.beta},
        controls=widgets_state(_generation_controls(study)), compare=compare, sample_seed=study.sample_seed,
        samples=study.samples_z, vae_map=study.vae_pane.canvas.state.copy(),
        ae_map=study.ae_pane.canvas.state.copy() if compare else None)


def check_generation(study, state: GenerationState) -> None:
    config = _settings_config(study, state.settings, GENERATION_SETTINGS)
    if config.latent_dim > 16:
        raise ValueError("the generation study's latent size is larger than 16")
    check_widgets_state(_generation_controls(study), state.controls)


def apply_generation(study, state: GenerationState, session: TrainingSession | None,
                     autoencoder: TrainingSession | None) -> None:
    config = session.config if session is not None else _settings_config(study, state.settings, GENERATION_SETTINGS)
    if study.started:
        study.stop()
        study.set_compare(False)
    study._config = config
    _mirror(study.latent_spin, config.latent_dim)
    _mirror(study.beta_spin, config.beta)
    if session is not None:
        study.start(session)
    elif study.started:
        study.controller.new_session(config)
    apply_widgets_state(_generation_controls(study), state.controls)
    study.sample_seed = state.sample_seed
    study.samples_z = None if state.samples is None else np.array(state.samples)
    if not study.started:
        return
    if state.compare:
        study.set_compare(True, autoencoder)
    study.render(study.controller.snapshot)  # drawn now if shown, else when its tab is
    study._mark_samples()
    set_places(study.vae_pane.canvas, state.vae_map)
    if study.autoencoder is not None and state.ae_map is not None:
        set_places(study.ae_pane.canvas, state.ae_map)


def generation_state(study) -> Json:
    return read_generation(study).to_json()


def check_generation_state(study, state: object) -> None:
    check_generation(study, GenerationState.from_json(state))


def apply_generation_state(study, state: Mapping[str, Any], session: TrainingSession | None,
                           autoencoder: TrainingSession | None) -> None:
    apply_generation(study, GenerationState.from_json(state), session, autoencoder)
