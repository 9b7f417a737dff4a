"""The denoiser's kinds of noise and their limits: plain Python, no torch, so the
settings' checks (``engine.core.config``) and the window's controls can name them.
The corruption itself (torch, for training) is ``engine.lecture.corruption``."""

from __future__ import annotations

NOISE_KINDS = ("gaussian", "salt-pepper", "mask")
NOISE_LIMITS = {"gaussian": 1.0, "salt-pepper": 1.0, "mask": 1.0}


def check_noise(kind: str, level: float) -> None:
    if kind not in NOISE_KINDS:
        raise ValueError(f"Unknown noise type {kind!r}: choose one of {', '.join(NOISE_KINDS)}.")
    limit = NOISE_LIMITS[kind]
    if not (isinstance(level, (int, float)) and 0.0 <= level <= limit):
        what = "standard deviation" if kind == "gaussian" else "fraction of pixels"
        raise ValueError(f"The noise {what} must be a number from 0 to {limit:g}, not {level}.")
