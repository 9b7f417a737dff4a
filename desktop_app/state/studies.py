"""The case studies' states: what the learner arranged around each study's models.

The models are engine sessions saved as such (the denoiser; the VAE and, when shown,
the plain autoencoder beside it). ``settings`` are those of a study not started yet
(checked against the engine's config when set on the study); ``controls`` are the
inputs saved by name as their widgets hold them. ``from_json``/``to_json`` are the
session file's form, unchanged, so old files open as they did. Qt-free.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop_app.state.checks import checked_bool, checked_number, checked_points, checked_whole, one_of, table_of
from desktop_app.state.evented import Evented, checked_field
from desktop_app.state.latent_map import LatentMapState, checked_map
from engine.core.config import MAX_BETA
from engine.digits.data import N_PIXELS
from engine.latent.space import INTERPOLATIONS
from engine.lecture.noise import NOISE_KINDS

PIXELS = N_PIXELS  # a drawn digit
MAX_RUN = 10_000  # epochs one press of a study's Play trains at most
MAX_BOTTLENECK = 64  # the denoiser's latent units
MAX_LATENT = 16  # the generation study's latent size (2 is the map one can click)
#: The generation study's maps start without spreads and with a 15 x 15 manifold grid.
GENERATION_MAP = {"spreads_on": False, "grid_size": 15}


def generation_maps(controls: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The VAE's and the autoencoder's map layers that the study's saved controls stand
    for: the manifold switch and grid size cover both maps; spreads and the walk's form
    belong to the VAE's map."""
    both = {**GENERATION_MAP, **{field: controls[key] for key, field in (("manifold", "overlay_on"),
                                                                         ("grid_size", "grid_size"))
                                 if key in controls}}
    vae = dict(both)
    if "spreads" in controls:
        vae["spreads_on"] = controls["spreads"]
    if "path_kind" in controls:
        vae["path_kind"] = INTERPOLATIONS[checked_whole(controls["path_kind"], 0, len(INTERPOLATIONS) - 1)]
    if "path_steps" in controls:
        vae["path_steps"] = controls["path_steps"]
    return vae, both



def _drawing(value: object) -> tuple[float, ...] | None:
    if value is None:
        return None
    try:
        pixels = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("the drawn digit holds something that is not a number") from exc
    if pixels.shape != (PIXELS,) or not np.isfinite(pixels).all() or pixels.min() < 0 or pixels.max() > 1:
        raise ValueError(f"the drawn digit is not {PIXELS} pixels between 0 and 1")
    return tuple(float(v) for v in pixels.astype(np.float32))  # what the pad holds


def _trace(value: object) -> tuple[tuple[int, float], ...]:
    """Epoch -> PSNR pairs; a perfect copy's PSNR is infinite (null in JSON)."""
    if not isinstance(value, (list, tuple)):
        raise ValueError("the PSNR trace is not a list")
    pairs = []
    for pair in value:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError("a PSNR trace entry is not an epoch and a value")
        psnr = math.inf if pair[1] is None or pair[1] == math.inf else float(checked_number(pair[1]))
        pairs.append((checked_whole(pair[0], 0, None), psnr))
    return tuple(pairs)


def _samples(value: object) -> np.ndarray | None:
    return None if value is None else checked_points(value)


def _fraction(value: object) -> float:
    number = float(checked_number(value))
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"expected a number from 0 to 1, found {value!r}")
    return number


def _beta(value: object) -> float:
    number = float(checked_number(value))
    if not 0.0 <= number <= MAX_BETA:
        raise ValueError(f"β must be from 0 to {MAX_BETA}, found {value!r}")
    return number


def _whole(low: int, high: int):
    return lambda value: checked_whole(value, low, high)


@dataclass(eq=False)
class DenoisingInputs(Evented):
    """What case study 1's inputs show and the learner sets through them: the model's
    noise and bottleneck, Play's run length, and whether a drawing is framed like MNIST."""

    noise_type: str = checked_field("gaussian", check=one_of(NOISE_KINDS, "noise"))
    noise_level: float = checked_field(0.5, check=_fraction)
    latent_dim: int = checked_field(32, check=_whole(1, MAX_BOTTLENECK))
    epochs: int = checked_field(20, check=_whole(1, MAX_RUN))
    frame: bool = checked_field(True, check=checked_bool)

    def settings(self) -> dict[str, Any]:
        return {"noise_type": self.noise_type, "noise_level": self.noise_level, "latent_dim": self.latent_dim}

    def controls(self) -> dict[str, Any]:
        return {"epochs": self.epochs, "frame": self.frame}


@dataclass(eq=False)
class GenerationInputs(Evented):
    """What case study 2's own inputs show and the learner sets through them: latent size
    and β, Play's run length, the held-out digits as dots, the samples marked on the map
    (the maps' layers are the VAE map's ``LatentMapState``)."""

    latent_dim: int = checked_field(2, check=_whole(1, MAX_LATENT))
    beta: float = checked_field(1.0, check=_beta)
    epochs: int = checked_field(30, check=_whole(1, MAX_RUN))
    dots: bool = checked_field(True, check=checked_bool)
    samples_on_map: bool = checked_field(False, check=checked_bool)

    def settings(self) -> dict[str, Any]:
        return {"latent_dim": self.latent_dim, "beta": self.beta}



@dataclass(eq=False)
class DenoisingState(Evented):
    """Case study 1: the settings, run length and frame switch, which held-out digits are
    shown (``offset``), the drawn digit and the PSNR trace."""

    settings: dict = checked_field(factory=dict, check=table_of("a case study's settings"))
    controls: dict = checked_field(factory=dict, check=table_of("the controls' settings"))
    offset: int = checked_field(0, check=lambda v: checked_whole(v, 0, None))
    drawing: tuple | None = checked_field(None, check=_drawing)
    psnr_trace: tuple = checked_field((), check=_trace)

    def to_json(self) -> dict[str, Any]:
        return {"settings": dict(self.settings), "controls": dict(self.controls), "offset": self.offset,
                "drawing": None if self.drawing is None else list(self.drawing),
                "psnr_trace": [[e, v if math.isfinite(v) else None] for e, v in self.psnr_trace]}

    @classmethod
    def from_json(cls, state: object) -> DenoisingState:
        if not isinstance(state, Mapping):
            raise ValueError("the denoising study's settings are not a table")
        return cls(settings=state.get("settings", {}), controls=state.get("controls", {}),
                   offset=state.get("offset", 0), drawing=state.get("drawing"),
                   psnr_trace=state.get("psnr_trace", []))


@dataclass(eq=False)
class GenerationState(Evented):
    """Case study 2: the settings and controls, the comparison switch, the prior samples
    (and their seed), and the VAE's and the autoencoder's maps."""

    settings: dict = checked_field(factory=dict, check=table_of("a case study's settings"))
    controls: dict = checked_field(factory=dict, check=table_of("the controls' settings"))
    compare: bool = checked_field(False, check=checked_bool)
    sample_seed: int = checked_field(0, check=lambda v: checked_whole(v, 0, None))
    samples: np.ndarray | None = checked_field(None, check=_samples)
    vae_map: LatentMapState = checked_field(factory=LatentMapState, check=checked_map)
    ae_map: LatentMapState | None = checked_field(None, check=checked_map)

    def to_json(self) -> dict[str, Any]:
        return {"settings": dict(self.settings), "controls": dict(self.controls), "compare": self.compare,
                "sample_seed": self.sample_seed,
                "samples": None if self.samples is None else np.asarray(self.samples, float).tolist(),
                "vae_map": self.vae_map.to_json(), "ae_map": None if self.ae_map is None else self.ae_map.to_json()}

    @classmethod
    def from_json(cls, state: object) -> GenerationState:
        if not isinstance(state, Mapping):
            raise ValueError("the generation study's settings are not a table")
        if not isinstance(state.get("compare", False), bool):
            raise ValueError("the generation study's comparison switch is not true or false")
        ae_map = state.get("ae_map")
        controls = table_of("the controls' settings")(state.get("controls", {}))
        vae_layers, ae_layers = generation_maps(controls)
        return cls(settings=state.get("settings", {}), controls=controls,
                   compare=state.get("compare", False), sample_seed=state.get("sample_seed", 0),
                   samples=state.get("samples"),
                   vae_map=LatentMapState(**vae_layers, **LatentMapState.places_from_json(state.get("vae_map") or {})),
                   ae_map=None if ae_map is None else LatentMapState(
                       **ae_layers, **LatentMapState.places_from_json(ae_map)))
