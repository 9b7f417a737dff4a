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

from desktop_app.state.file_form import FileForm
from desktop_app.state.studies import PIXELS, DenoisingState, GenerationState
from desktop_app.view_state import (
    apply_widgets_state,
    check_widgets_state,
    set_places,
    widgets_state,
)
from engine.core.record import SessionRecord

DENOISING_SETTINGS = ("noise_type", "noise_level", "latent_dim")
GENERATION_SETTINGS = ("latent_dim", "beta")


def _settings_config(study, settings: Mapping[str, Any], names: tuple[str, ...]):
    """The settings of a study not started yet, checked by the engine's own config."""
    try:
        return study._config.replace(**{k: settings[k] for k in names if k in settings})
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a case study's settings are refused ({exc})") from exc


# ----- case study 1: denoising ---------------------------------------------------------------
def _denoising_controls(study) -> dict:
    return {"epochs": study.run_controls.epochs_spin, "frame": study.frame_check}


def read_denoising(study) -> DenoisingState:
    return DenoisingState(
        settings=study.inputs.settings(), controls=study.inputs.controls(), offset=study._offset,
        drawing=tuple(float(v) for v in study.pad.pixels) if study.pad.pixels.any() else None,
        psnr_trace=tuple((int(e), float(v)) for e, v in sorted(study._psnr_trace.items())))


def check_denoising(study, state: DenoisingState) -> None:
    _settings_config(study, state.settings, DENOISING_SETTINGS)
    check_widgets_state(_denoising_controls(study), state.controls)


def apply_denoising(study, state: DenoisingState, session: SessionRecord | None) -> None:
    config = session.config if session is not None else _settings_config(study, state.settings, DENOISING_SETTINGS)
    study._config = config
    study.show_config(config)  # the inputs show it; the session (or the one made below) has it
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


DENOISING_FORM = FileForm(DenoisingState, read_denoising, check_denoising, apply_denoising)
denoising_state, check_denoising_state = DENOISING_FORM.read, DENOISING_FORM.check
apply_denoising_state = DENOISING_FORM.apply  # (study, form, session or None)


# ----- case study 2: generation --------------------------------------------------------------
def _generation_controls(study) -> dict:
    return {"epochs": study.run_controls.epochs_spin, "manifold": study.manifold_check,
            "grid_size": study.grid_spin, "dots": study.dots_check, "spreads": study.spreads_check,
            "samples_on_map": study.samples_on_map, "path_kind": study.path_panel.kind,
            "path_steps": study.path_panel.steps}


def read_generation(study) -> GenerationState:
    compare = study.autoencoder is not None
    return GenerationState(
        settings=study.inputs.settings(),
        controls=widgets_state(_generation_controls(study)), compare=compare, sample_seed=study.sample_seed,
        samples=study.samples_z, vae_map=study.vae_pane.canvas.state.copy(),
        ae_map=study.ae_pane.canvas.state.copy() if compare else None)


def check_generation(study, state: GenerationState) -> None:
    config = _settings_config(study, state.settings, GENERATION_SETTINGS)
    if config.latent_dim > 16:
        raise ValueError("the generation study's latent size is larger than 16")
    check_widgets_state(_generation_controls(study), state.controls)


def apply_generation(study, state: GenerationState, session: SessionRecord | None,
                     autoencoder: SessionRecord | None) -> None:
    config = session.config if session is not None else _settings_config(study, state.settings, GENERATION_SETTINGS)
    if study.started:
        study.stop()
        study.set_compare(False)
    study._config = config
    study.show_config(config)
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
    study.mark_samples()
    set_places(study.vae_pane.canvas, state.vae_map)
    if study.autoencoder is not None and state.ae_map is not None:
        set_places(study.ae_pane.canvas, state.ae_map)


GENERATION_FORM = FileForm(GenerationState, read_generation, check_generation, apply_generation)
generation_state, check_generation_state = GENERATION_FORM.read, GENERATION_FORM.check
apply_generation_state = GENERATION_FORM.apply  # (study, form, session or None, autoencoder or None)
