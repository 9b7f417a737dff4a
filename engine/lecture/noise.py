"""The denoiser's kinds of noise and their limits: plain Python, no torch, so the
settings' checks (``engine.core.config``) and the window's controls can name them.
The corruption itself (torch, for training) is ``engine.lecture.corruption``."""

from __future__ import annotations

import numpy as np

NOISE_KINDS = ("gaussian", "salt-pepper", "mask")
NOISE_LIMITS = {"gaussian": 1.0, "salt-pepper": 1.0, "mask": 1.0}


def check_noise(kind: str, level: float) -> None:
    if kind not in NOISE_KINDS:
        raise ValueError(f"Unknown noise type {kind!r}: choose one of {', '.join(NOISE_KINDS)}.")
    limit = NOISE_LIMITS[kind]
    if not (isinstance(level, (int, float)) and 0.0 <= level <= limit):
        what = "standard deviation" if kind == "gaussian" else "fraction of pixels"
        raise ValueError(f"The noise {what} must be a number from 0 to {limit:g}, not {level}.")


def corrupt_for_display(images: np.ndarray, kind: str, level: float, seed: int) -> np.ndarray:
    """The noisy inputs a denoiser's views show (float32 in [0, 1]), drawn from a fixed
    numpy stream so they stay put from epoch to epoch and come out the same wherever a
    snapshot is made (the training process, or a file opened in the window). Training
    draws its own noise per batch with torch (``engine.lecture.corruption``); same kinds,
    same meaning: gaussian adds N(0, level²), salt-pepper sets a ``level`` fraction of
    pixels to 0 or 1, mask sets a ``level`` fraction to 0."""
    check_noise(kind, level)
    x = np.asarray(images, dtype=np.float32)
    if level == 0:
        return x.copy()
    rng = np.random.default_rng(seed)
    if kind == "gaussian":
        return np.clip(x + rng.standard_normal(x.shape, dtype=np.float32) * np.float32(level), 0.0, 1.0)
    hit = rng.random(x.shape) < level
    if kind == "mask":
        return np.where(hit, np.float32(0), x)
    salt = (rng.random(x.shape) < 0.5).astype(np.float32)
    return np.where(hit, salt, x)
