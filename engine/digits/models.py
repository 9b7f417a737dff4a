"""The case studies' networks for 28x28 digits, written to read like the maths.

They follow the protocol of the small models in ``engine.lecture.models``: ``is_variational``,
``latent_dim``, ``encode``, ``decode`` (flat (N, 784) pixels in (0, 1)), a VAE's
``reparameterize`` drawing from ``self.generator``, and ``forward`` returning a
``ModelOutput``. Inputs are flat (N, 784) float32 in [0, 1].
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from engine.lecture.models import ModelOutput, VariationalSampling

SIDE = 28
N_PIXELS = SIDE * SIDE
DIGIT_MODEL_KINDS = ("ae", "dae", "vae")
#: Mean pixel of MNIST digits (about 0.13). Output biases start at its logit, so an
#: untrained network already draws the average grey instead of a flat 0.5: training
#: skips the first epoch's plateau of learning "digits are mostly black".
MEAN_PIXEL = 0.13


def _mlp(sizes: tuple[int, ...]) -> nn.Sequential:
    """Linear layers of the given sizes with ReLU between them (none after the last)."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def _start_at_mean_pixel(layer: nn.Linear | nn.Conv2d | nn.ConvTranspose2d) -> None:
    nn.init.constant_(layer.bias, math.log(MEAN_PIXEL / (1 - MEAN_PIXEL)))


class DigitVAE(VariationalSampling, nn.Module):
    """784 -> 512 -> 256 -> (μ, ln σ²) -> z = μ + σ·ε -> 256 -> 512 -> 784 sigmoid pixels.

    A multilayer version of ``TinyVAE`` (Kingma & Welling 2014, "Auto-Encoding
    Variational Bayes", appendix C: MLP encoder and Bernoulli decoder). With a 2-D
    latent space the codes of all digits can be drawn as a map.
    """

    is_variational = True

    def __init__(self, latent_dim: int = 2, hidden: tuple[int, ...] = (512, 256)) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.hidden = tuple(hidden)
        self.encoder = nn.Sequential(_mlp((N_PIXELS, *self.hidden)), nn.ReLU())
        self.encoder_mu = nn.Linear(self.hidden[-1], latent_dim)
        self.encoder_log_var = nn.Linear(self.hidden[-1], latent_dim)
        self.decoder = _mlp((latent_dim, *reversed(self.hidden), N_PIXELS))
        _start_at_mean_pixel(self.decoder[-1])
        # The session gives each model its own seeded generator (see TinyVAE).
        self.generator: torch.Generator | None = None

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        h = self.encoder(x)
        return self.encoder_mu(h), self.encoder_log_var(h)

    def decode(self, z: Tensor) -> Tensor:
        return torch.sigmoid(self.decoder(z))


class _PlainDigitCoder(nn.Module):
    """The deterministic digit networks' shared steps: z = encoder(x) unbounded, y =
    σ(decoder(z)); subclasses build ``encoder`` and ``decoder``."""

    is_variational = False

    def encode(self, x: Tensor) -> Tensor:
        return self.encoder(x)

    def decode(self, z: Tensor) -> Tensor:
        return torch.sigmoid(self.decoder(z))

    def forward(self, x: Tensor) -> ModelOutput:
        z = self.encode(x)
        return ModelOutput(self.decode(z), z)


class DigitAutoencoder(_PlainDigitCoder):
    """784 -> 512 -> 256 -> z -> 256 -> 512 -> 784 sigmoid pixels, deterministic.

    The same shape as ``DigitVAE`` so the two can be compared side by side. The code z
    is left unbounded (no sigmoid, unlike the 2x2 lecture network) so that its map is
    not squeezed into a square.
    """

    def __init__(self, latent_dim: int = 2, hidden: tuple[int, ...] = (512, 256)) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.hidden = tuple(hidden)
        self.encoder = _mlp((N_PIXELS, *self.hidden, latent_dim))
        self.decoder = _mlp((latent_dim, *reversed(self.hidden), N_PIXELS))
        _start_at_mean_pixel(self.decoder[-1])


def _conv(n_in: int, n_out: int, stride: int) -> list[nn.Module]:
    return [nn.Conv2d(n_in, n_out, 3, stride, 1), nn.BatchNorm2d(n_out), nn.SiLU()]


def _up(n_in: int, n_out: int) -> list[nn.Module]:
    """Double the height and width (a 4x4 transposed convolution, stride 2)."""
    return [nn.ConvTranspose2d(n_in, n_out, 4, 2, 1), nn.BatchNorm2d(n_out), nn.SiLU()]


class DigitDenoiser(_PlainDigitCoder):
    """A convolutional denoising autoencoder with a ``latent_dim`` bottleneck.

    Encoder: 28x28x1 -> 28x28x8 -> 14x14x16 -> 7x7x32 (3x3 convolutions, stride 2 to
    halve) -> linear -> z. Decoder: z -> linear -> 7x7x32 -> 14x14x16 -> 28x28x1
    (transposed convolutions to double) -> sigmoid. Every hidden layer has batch
    normalisation (over each channel's whole map, so a single image trains too) and
    the SiLU activation. Convolutions share their weights across the image, so a few
    thousand digits suffice to learn strokes anywhere. The bottleneck z is a plain
    vector, so the linear method with k = ``latent_dim`` components is a fair rival.
    """

    def __init__(self, latent_dim: int = 64, channels: tuple[int, int, int] = (8, 16, 32)) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        c0, c1, c2 = channels
        self.encoder = nn.Sequential(
            nn.Unflatten(1, (1, SIDE, SIDE)),
            *_conv(1, c0, 1),
            *_conv(c0, c1, 2),
            *_conv(c1, c2, 2),
            nn.Flatten(),
            nn.Linear(c2 * 7 * 7, latent_dim),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, c2 * 7 * 7),
            nn.Unflatten(1, (c2, 7, 7)),
            nn.BatchNorm2d(c2),
            nn.SiLU(),
            *_up(c2, c1),
            nn.ConvTranspose2d(c1, 1, 4, 2, 1),
            nn.Flatten(),
        )
        _start_at_mean_pixel(self.decoder[-2])


def make_digit_model(kind: str, latent_dim: int) -> nn.Module:
    """The network for a case study: "ae", "dae" (the denoiser) or "vae"."""
    if kind == "vae":
        return DigitVAE(latent_dim)
    if kind == "ae":
        return DigitAutoencoder(latent_dim)
    if kind == "dae":
        return DigitDenoiser(latent_dim)
    raise ValueError(f"Unknown digit model {kind!r}: choose one of {', '.join(DIGIT_MODEL_KINDS)}.")
