"""Which network a config asks for."""

from __future__ import annotations

from torch import nn

from engine.core.config import TrainingConfig
from engine.lecture.models import TinyAutoencoder, TinyVAE


def make_model(config: TrainingConfig) -> nn.Module:
    if config.is_digits:
        from engine.digits.models import make_digit_model

        return make_digit_model(config.model, config.latent_dim)
    if config.model == "vae":
        return TinyVAE()
    return TinyAutoencoder()  # the denoiser is the same network, fed corrupted inputs
