"""The loss of one mini-batch, as training computes it.

One function for the training loop (``engine.core.epoch``) and for the divergence
check (``engine.core.divergence``), so the check asks exactly what the next step
would do; ``output_loss`` is also how held-out digits are scored
(``engine.digits.training.evaluate``), so held-out and training figures mean the same.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from engine.core import losses
from engine.core.config import TrainingConfig
from engine.lecture.corruption import corrupt
from engine.lecture.models import ModelOutput


def batch_loss(
    model: nn.Module, x: Tensor, config: TrainingConfig, generator: torch.Generator | None
) -> tuple[Tensor, Tensor, Tensor]:
    """(total, reconstruction, kl) for clean images ``x``: a denoiser is fed a corrupted
    copy drawn from ``generator``; a VAE samples its latent point from its own generator."""
    inputs = corrupt(x, config.noise_type, config.noise_level, generator) if config.model == "dae" else x
    return output_loss(model(inputs), x, config.loss, config.beta)


def output_loss(out: ModelOutput, targets: Tensor, loss: str, beta: float) -> tuple[Tensor, Tensor, Tensor]:
    """(total, reconstruction, kl) of a model's output against ``targets``: a VAE's
    total adds β·KL, any other model's is its reconstruction loss (KL 0)."""
    if out.mu is not None:
        return losses.vae_loss(out.reconstruction, targets, out.mu, out.log_var, loss, beta)
    recon = losses.reconstruction_loss(out.reconstruction, targets, loss)
    return recon, recon, torch.zeros(())
