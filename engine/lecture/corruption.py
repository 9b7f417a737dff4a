"""Corruption for denoising: the network sees a damaged image, the target stays clean."""

from __future__ import annotations

import torch
from torch import Tensor

from engine.lecture.noise import NOISE_KINDS, NOISE_LIMITS, check_noise

__all__ = ["NOISE_KINDS", "NOISE_LIMITS", "check_noise", "corrupt"]


def corrupt(x: Tensor, kind: str, level: float, generator: torch.Generator | None) -> Tensor:
    """A corrupted copy of ``x`` (values in [0, 1]); ``x`` itself is never changed.

    gaussian: add N(0, level²) noise. salt-pepper: a ``level`` fraction of pixels set
    to 0 or 1 at random. mask: a ``level`` fraction of pixels set to 0.
    """
    check_noise(kind, level)
    if level == 0:
        return x.clone()
    if kind == "gaussian":
        noise = torch.randn(x.shape, generator=generator, dtype=x.dtype) * level
        return (x + noise).clamp(0.0, 1.0)
    hit = torch.rand(x.shape, generator=generator) < level
    if kind == "mask":
        return torch.where(hit, torch.zeros_like(x), x)
    salt = torch.rand(x.shape, generator=generator) < 0.5
    return torch.where(hit, salt.to(x.dtype), x)
