"""The VAE's latent loss, one latent unit at a time, with the curves the panel draws.

Each latent unit of the VAE encodes an image as N(μ, σ²); the latent loss pulls it
toward N(0, 1) with KL = ½(μ² + σ² − 1 − ln σ²) (Kingma & Welling, "Auto-Encoding
Variational Bayes", ICLR 2014, appendix B; computed by ``engine.lecture.loss_breakdowns.gaussian_kl``).
This module adds what a learner needs to follow that sum: σ² and σ from the encoder's
ln σ², and the two bell curves to draw against each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.lecture.loss_breakdowns import LossBreakdown, gaussian_kl


def normal_pdf(x: object, mu: float = 0.0, sigma: float = 1.0) -> np.ndarray:
    """Density of N(μ, σ²) at x: e^(−(x − μ)² / 2σ²) / (σ √(2π))."""
    if not (math.isfinite(mu) and math.isfinite(sigma) and sigma > 0):
        raise ValueError(f"A normal curve needs a finite mean and a positive spread, not μ={mu}, σ={sigma}.")
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


@dataclass(frozen=True)
class LatentKL:
    """The latent loss of one image, with every part of every unit's term."""

    mu: np.ndarray  # μⱼ
    log_var: np.ndarray  # ln σⱼ², what the encoder outputs
    variance: np.ndarray  # σⱼ² = exp(ln σⱼ²)
    sigma: np.ndarray  # σⱼ
    breakdown: LossBreakdown  # ½(μⱼ² + σⱼ² − 1 − ln σⱼ²) per unit, and their sum


def latent_kl_parts(mu: object, log_var: object) -> LatentKL:
    """Split one image's latent loss into its per-unit parts (inputs checked by gaussian_kl)."""
    breakdown = gaussian_kl(mu, log_var)
    mu_arr = np.asarray(mu, dtype=np.float64).ravel()
    log_var_arr = np.asarray(log_var, dtype=np.float64).ravel()
    with np.errstate(over="ignore"):
        variance = np.exp(log_var_arr)
        sigma = np.exp(0.5 * log_var_arr)
    return LatentKL(mu_arr, log_var_arr, variance, sigma, breakdown)


def curve_range(mu: np.ndarray, sigma: np.ndarray, width: float = 4.0, limit: float = 50.0) -> tuple[float, float]:
    """An x range that shows N(0, 1) and every N(μⱼ, σⱼ²) to ``width`` spreads out
    (never wider than ±``limit``, so one runaway unit cannot flatten the picture)."""
    finite = np.isfinite(mu) & np.isfinite(sigma)
    low = min([-width] + list(mu[finite] - width * sigma[finite]))
    high = max([width] + list(mu[finite] + width * sigma[finite]))
    return float(max(low, -limit)), float(min(high, limit))


def bell_curve(mu: float, sigma: float, low: float, high: float, points: int = 241) -> tuple[np.ndarray, np.ndarray]:
    """(x, density) of N(μ, σ²) over [low, high], sampled densely around μ as well, so
    that a narrow peak is drawn at its true height."""
    xs = np.linspace(low, high, points)
    if math.isfinite(mu) and math.isfinite(sigma) and sigma > 0:
        near = np.linspace(mu - 5 * sigma, mu + 5 * sigma, points)
        xs = np.unique(np.concatenate([xs, near[(near >= low) & (near <= high)]]))
    return xs, normal_pdf(xs, mu, sigma)
