"""The sigmoid and the perceptron step, worked out for the teaching panels.

The lecture builds its network from the perceptron: a weighted sum of the inputs
plus a bias, passed through the sigmoid σ(s) = 1 / (1 + e^(−s)), which maps every
real number into (0, 1) (LECTURE.md §3). The panels show each product, the sum and
σ of it, so this module returns them all rather than only the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.core.named_weights import NetworkWeights

ACTIVATIONS = ("sigmoid", "linear")


def sigmoid(s: object) -> np.ndarray:
    """σ(s) = 1 / (1 + e^(−s)), elementwise, without overflow for large |s|.

    For s < 0 it is computed as e^s / (1 + e^s), so e^(−s) is never formed where it
    would overflow; both forms are the same function.
    """
    s = _finite("x", s)
    out = np.empty_like(s)
    positive = s >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-s[positive]))
    e = np.exp(s[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def sigmoid_table(xs: Sequence[float]) -> tuple[tuple[float, float], ...]:
    """Rows (x, σ(x)) for the lecture's table, computed rather than copied."""
    values = sigmoid(np.asarray(xs, dtype=np.float64))
    return tuple((float(x), float(v)) for x, v in zip(xs, values, strict=True))


@dataclass(frozen=True)
class PerceptronStep:
    """One unit's forward pass, every intermediate number kept for display."""

    inputs: np.ndarray  # x, what the unit receives
    weights: np.ndarray  # w, one per input
    bias: float  # b
    products: np.ndarray  # wᵢ · xᵢ
    weighted_sum: float  # s = Σᵢ wᵢ xᵢ + b
    activation: str  # "sigmoid" or "linear"
    output: float  # σ(s), or s itself for a linear unit


def perceptron_step(weights: object, bias: float, inputs: object, activation: str = "sigmoid") -> PerceptronStep:
    """s = Σᵢ wᵢ xᵢ + b, then σ(s) (or s unchanged for a linear unit)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"Unknown activation {activation!r}: choose one of {', '.join(ACTIVATIONS)}.")
    w = _finite("weights", weights).ravel()
    x = _finite("inputs", inputs).ravel()
    if w.shape != x.shape:
        raise ValueError(f"A unit with {w.size} weights needs {w.size} inputs, not {x.size}.")
    b = float(_finite("bias", bias))
    products = w * x
    total = float(products.sum() + b)
    output = float(sigmoid(total)) if activation == "sigmoid" else total
    for array in (w, x, products):
        array.flags.writeable = False
    return PerceptronStep(x, w, b, products, total, activation, output)


@dataclass(frozen=True)
class LatentUnit:
    """Which named layer (``engine.core.named_weights``) feeds a latent unit, and its activation."""

    layer: str  # "encoder" (a VAE's mean head) or "log_var"
    activation: str
    label: str  # what the unit's output is called on screen


def latent_units(model_kind: str) -> tuple[LatentUnit, ...]:
    """The encoder rows a panel can work through for this kind of model.

    The autoencoder and the denoiser squash their latent units with σ (models.py,
    TinyAutoencoder). The VAE's encoder outputs μ and ln σ² with no σ at all, so that
    μ can take any real value and match N(0, 1) (models.py, TinyVAE).
    """
    if model_kind in ("ae", "dae"):
        return (LatentUnit("encoder", "sigmoid", "z"),)
    if model_kind == "vae":
        return (LatentUnit("encoder", "linear", "μ"), LatentUnit("log_var", "linear", "ln σ²"))
    raise ValueError(f"Unknown model {model_kind!r}.")


def latent_unit_step(weights: NetworkWeights, unit: LatentUnit, index: int, inputs: object) -> PerceptronStep:
    """The perceptron step of latent unit ``index`` (from 0) for one input image."""
    layer = getattr(weights, unit.layer)
    if layer is None:
        raise ValueError(f"This network has no {unit.label} units.")
    rows = np.asarray(layer.weight)
    if not 0 <= index < rows.shape[0]:
        raise ValueError(f"The model has {rows.shape[0]} latent units; there is no unit {index + 1}.")
    return perceptron_step(rows[index], float(np.asarray(layer.bias)[index]), inputs, unit.activation)


def _finite(name: str, value: object) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {value!r}.") from None
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite numbers, got {value!r}.")
    return np.array(array, copy=True)
