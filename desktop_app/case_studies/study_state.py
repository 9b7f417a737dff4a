"""The case studies' screen state as plain data, and back.

Each study's models travel in the session file as engine sessions (the denoiser; the
VAE and, when shown, the plain autoencoder beside it); this module holds what the
learner arranged around them: settings of a study not started yet, run length, the
drawn digit, which held-out digits are shown, the PSNR trace, prior samples, the
probes and the walk on the maps, the layers switched on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from desktop_app.state.checks import checked_number, checked_points, checked_whole
from desktop_app.view_state import (
    Json,
    apply_canvas_state,
    apply_widgets_state,
    canvas_state,
    check_canvas_state,
    check_widgets_state,
    widgets_state,
)
from engine.core.session import TrainingSession
from engine.lecture.corruption import NOISE_KINDS

PIXELS = 784


DENOISING_SETTINGS = ("noise_type", "noise_level", "latent_dim")
GENERATION_SETTINGS = ("latent_dim", "beta")


def _settings_config(study, state: Mapping[str, Any], names: tuple[str, ...]):
    """The settings of a study not started yet, checked by the engine's own config."""
    settings = state.get("settings", {})
    if not isinstance(settings, Mapping):
        raise ValueError("a case study's settings are not a table")
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


def denoising_state(study) -> Json:
    config = study.controller.config if study.started else study._config
    return {
        "settings": {"noise_type": config.noise_type, "noise_level": config.noise_level,
                     "latent_dim": config.latent_dim},
        "controls": widgets_state(_denoising_controls(study)),
        "offset": study._offset,
        "drawing": [float(v) for v in study.pad.pixels] if study.pad.pixels.any() else None,
        "psnr_trace": [[int(e), _finite_or_none(v)] for e, v in sorted(study._psnr_trace.items())],
    }


def check_denoising_state(study, state: object) -> None:
    if not isinstance(state, Mapping):
        raise ValueError("the denoising study's settings are not a table")
    _settings_config(study, state, DENOISING_SETTINGS)
    check_widgets_state(_denoising_controls(study), state.get("controls", {}))
    checked_whole(state.get("offset", 0), 0, None)
    drawing = state.get("drawing")
    if drawing is not None:
        try:
            pixels = np.asarray(drawing, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError("the drawn digit holds something that is not a number") from exc
        if pixels.shape != (PIXELS,) or not np.isfinite(pixels).all() or pixels.min() < 0 or pixels.max() > 1:
            raise ValueError("the drawn digit is not 784 pixels between 0 and 1")
    for pair in state.get("psnr_trace", []):
        checked_whole(pair[0], 0, None)
        if pair[1] is not None:
            checked_number(pair[1])


def apply_denoising_state(study, state: Mapping[str, Any], session: TrainingSession | None) -> None:
    config = session.config if session is not None else _settings_config(study, state, DENOISING_SETTINGS)
    study._config = config
    _mirror(study.noise_type, NOISE_KINDS.index(config.noise_type))
    _mirror(study.noise_slider, round(config.noise_level * study.noise_slider.maximum()))  # SLIDER_STEPS
    _mirror(study.bottleneck, config.latent_dim)
    study.noise_label.setText(_noise_text(config.noise_type, config.noise_level))
    drawing = state.get("drawing")
    study.pad.blockSignals(True)  # drawn once, with the rest, below
    study.pad.set_pixels(np.zeros(PIXELS, np.float32) if drawing is None else np.asarray(drawing, np.float32))
    study.pad.blockSignals(False)
    study._offset = state.get("offset", 0)
    if session is not None:
        study.start(session)
    elif study.started:
        study.controller.new_session(config)
    apply_widgets_state(_denoising_controls(study), state.get("controls", {}))
    if study.started:
        study._psnr_trace.clear()
        study._psnr_trace.update({int(e): (math.inf if v is None else float(v))
                                  for e, v in state.get("psnr_trace", [])})
        study._on_snapshot(study.controller.snapshot)  # drawn now if shown, else when its tab is


def _noise_text(kind: str, level: float) -> str:
    from desktop_app.case_studies.denoising_study import noise_text

    return noise_text(kind, level)


def _finite_or_none(value: float) -> float | None:
    """JSON has no infinity: a perfect copy's PSNR (∞) is kept as null."""
    return float(value) if math.isfinite(value) else None


# ----- case study 2: generation --------------------------------------------------------------
def _generation_controls(study) -> dict:
    return {"epochs": study.run_controls.epochs_spin, "manifold": study.manifold_check,
            "grid_size": study.grid_spin, "dots": study.dots_check, "spreads": study.spreads_check,
            "samples_on_map": study.samples_on_map, "path_kind": study.path_panel.kind,
            "path_steps": study.path_panel.steps}


def generation_state(study) -> Json:
    config = study.controller.config if study.started else study._config
    return {
        "settings": {"latent_dim": config.latent_dim, "beta": config.beta},
        "controls": widgets_state(_generation_controls(study)),
        "compare": study.autoencoder is not None,
        "sample_seed": study.sample_seed,
        "samples": None if study.samples_z is None else np.asarray(study.samples_z, float).tolist(),
        "vae_map": canvas_state(study.vae_pane.canvas),
        "ae_map": canvas_state(study.ae_pane.canvas) if study.autoencoder is not None else None,
    }


def check_generation_state(study, state: object) -> None:
    if not isinstance(state, Mapping):
        raise ValueError("the generation study's settings are not a table")
    config = _settings_config(study, state, GENERATION_SETTINGS)
    if config.latent_dim > 16:
        raise ValueError("the generation study's latent size is larger than 16")
    check_widgets_state(_generation_controls(study), state.get("controls", {}))
    if not isinstance(state.get("compare", False), bool):
        raise ValueError("the generation study's comparison switch is not true or false")
    checked_whole(state.get("sample_seed", 0), 0, None)
    if state.get("samples") is not None:
        checked_points(state["samples"])
    for key in ("vae_map", "ae_map"):
        if state.get(key) is not None:
            check_canvas_state(state[key])


def apply_generation_state(study, state: Mapping[str, Any], session: TrainingSession | None,
                           autoencoder: TrainingSession | None) -> None:
    config = session.config if session is not None else _settings_config(study, state, GENERATION_SETTINGS)
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
    apply_widgets_state(_generation_controls(study), state.get("controls", {}))
    study.sample_seed = state.get("sample_seed", 0)
    samples = state.get("samples")
    study.samples_z = None if samples is None else checked_points(samples)
    if not study.started:
        return
    if state.get("compare", False):
        study.set_compare(True, autoencoder)
    study._on_snapshot(study.controller.snapshot)
    study._mark_samples()
    apply_canvas_state(study.vae_pane.canvas, state.get("vae_map") or {})
    if study.autoencoder is not None and state.get("ae_map"):
        apply_canvas_state(study.ae_pane.canvas, state["ae_map"])
