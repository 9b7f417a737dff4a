"""The lecture's small networks, written to read like the maths.

Pixel order everywhere: top-left, top-right, bottom-left, bottom-right.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor, nn


class ModelOutput(NamedTuple):
    """What one forward pass produced. ``mu``/``log_var`` are None for a plain autoencoder."""

    reconstruction: Tensor
    z: Tensor
    mu: Tensor | None = None
    log_var: Tensor | None = None

    @property
    def code(self) -> Tensor:
        """The latent code a learner is shown: the mean for a VAE, z otherwise."""
        return self.mu if self.mu is not None else self.z


class TinyAutoencoder(nn.Module):
    """4 pixels -> 2 sigmoid latent units -> 4 sigmoid pixels (the lecture's network).

    Encoder: z = σ(W_enc x + b_enc).  Decoder: y = σ(W_dec z + b_dec).
    """

    is_variational = False

    def __init__(self, n_pixels: int = 4, latent_dim: int = 2) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = nn.Linear(n_pixels, latent_dim)
        self.decoder = nn.Linear(latent_dim, n_pixels)

    def named_layers(self) -> dict[str, nn.Linear]:
        """Which layer is which part of the lecture's picture (``engine.core.named_weights``)."""
        return {"encoder": self.encoder, "decoder": self.decoder}

    def encode(self, x: Tensor) -> Tensor:
        return torch.sigmoid(self.encoder(x))

    def decode(self, z: Tensor) -> Tensor:
        return torch.sigmoid(self.decoder(z))

    def forward(self, x: Tensor) -> ModelOutput:
        z = self.encode(x)
        return ModelOutput(self.decode(z), z)


class VariationalSampling:
    """The VAE's shared steps (the reparameterization trick and the forward pass), for
    any module with ``encode -> (μ, ln σ²)``, ``decode`` and a ``generator``."""

    def reparameterize(self, mu: Tensor, log_var: Tensor) -> Tensor:
        """z = μ + σ·ε with ε ~ N(0, I) while training, so gradients flow through μ and σ;
        z = μ when evaluating."""
        if not self.training:
            return mu
        eps = torch.randn(mu.shape, generator=self.generator, dtype=mu.dtype).to(mu.device)  # CPU generator
        return mu + torch.exp(0.5 * log_var) * eps

    def forward(self, x: Tensor) -> ModelOutput:
        mu, log_var = self.encode(x)
        z = self.reparameterize(mu, log_var)
        return ModelOutput(self.decode(z), z, mu, log_var)


class TinyVAE(VariationalSampling, nn.Module):
    """4 pixels -> (μ, ln σ²) for 2 latent units -> z = μ + σ·ε -> 4 sigmoid pixels.

    The latent units are unbounded (no sigmoid) so that the prior N(0, I) can be
    matched; Kingma & Welling (2014), "Auto-Encoding Variational Bayes".
    """

    is_variational = True

    def __init__(self, n_pixels: int = 4, latent_dim: int = 2) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder_mu = nn.Linear(n_pixels, latent_dim)
        self.encoder_log_var = nn.Linear(n_pixels, latent_dim)
        self.decoder = nn.Linear(latent_dim, n_pixels)
        # The session gives each model its own seeded generator, so two sessions
        # training side by side never share (or disturb) one random stream.
        self.generator: torch.Generator | None = None

    def named_layers(self) -> dict[str, nn.Linear]:
        """Which layer is which part of the lecture's picture: the mean head is the encoder."""
        return {"encoder": self.encoder_mu, "log_var": self.encoder_log_var, "decoder": self.decoder}

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        return self.encoder_mu(x), self.encoder_log_var(x)

    def decode(self, z: Tensor) -> Tensor:
        return torch.sigmoid(self.decoder(z))
