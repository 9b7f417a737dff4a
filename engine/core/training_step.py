"""The loss of one mini-batch, as training computes it.

One function for the session's training step and for the divergence check
(``engine.core.divergence``), so the check asks exactly what the next step would do.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from engine.core import losses
from engine.core.config import TrainingConfig
from engine.lecture.corruption import corrupt


def batch_loss(
    model: nn.Module, x: Tensor, config: TrainingConfig, generator: torch.Generator | None
) -> tuple[Tensor, Tensor, Tensor]:
    """(total, reconstruction, kl) for clean images ``x``: a denoiser is fed a corrupted
    copy drawn from ``generator``; a VAE samples its latent point from its own generator."""
    inputs = corrupt(x, config.noise_type, config.noise_level, generator) if config.model == "dae" else x
    out = model(inputs)
    if out.mu is not None:
        return losses.vae_loss(out.reconstruction, x, out.mu, out.log_var, config.loss, config.beta)
    recon = losses.reconstruction_loss(out.reconstruction, x, config.loss)
    return recon, recon, torch.zeros(())
