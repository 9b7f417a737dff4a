"""The losses training minimises, on batches of torch tensors: torch's own losses, so
that gradients are right. The worked breakdowns the teaching panels draw are in
``engine.lecture.loss_breakdowns``.

The lecture (shared/lecture/LECTURE.md, sections 4 and 7) sums over pixels and uses the
natural log; the closed-form Gaussian KL is ``engine.core.kl``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from engine.core.kl import gaussian_kl_terms

RECONSTRUCTION_KINDS = ("mse", "logloss")


def reconstruction_loss(y: torch.Tensor, x: torch.Tensor, kind: str) -> torch.Tensor:
    """Reconstruction loss per image: summed over pixels (as the lecture does), then
    averaged over the batch, so the number does not depend on the batch size.

    y is the output in [0, 1], x the clean target; dimension 0 is the batch.
    """
    return per_image_reconstruction(y, x, kind).mean()


def per_image_reconstruction(y: torch.Tensor, x: torch.Tensor, kind: str) -> torch.Tensor:
    """Each image's reconstruction loss, summed over its pixels (shape: the batch)."""
    if y.shape != x.shape:
        raise ValueError(
            f"The output and the target must have the same shape: "
            f"{tuple(y.shape)} vs {tuple(x.shape)}."
        )
    if kind == "mse":
        per_pixel = F.mse_loss(y, x, reduction="none")
    elif kind == "logloss":
        per_pixel = F.binary_cross_entropy(y, x, reduction="none")
    else:
        choices = ", ".join(repr(k) for k in RECONSTRUCTION_KINDS)
        raise ValueError(f"Unknown reconstruction loss {kind!r}: choose one of {choices}.")
    return per_pixel.reshape(per_pixel.shape[0], -1).sum(dim=1)


def latent_kl(mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """KL divergence of the encoder's N(μ, σ²) from N(0, I), summed over latent units,
    averaged over the batch."""
    return _sum_per_item_mean(gaussian_kl_terms(mu, log_var))


def vae_loss(
    y: torch.Tensor,
    x: torch.Tensor,
    mu: torch.Tensor,
    log_var: torch.Tensor,
    kind: str,
    beta: float,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(total, reconstruction, kl) with total = reconstruction + β · kl.

    β = 1 is the VAE of Kingma & Welling (2014); other β weigh how hard the latent
    distributions are pulled toward N(0, 1) (Higgins et al., β-VAE, ICLR 2017).
    """
    reconstruction = reconstruction_loss(y, x, kind)
    kl = latent_kl(mu, log_var)
    return reconstruction + beta * kl, reconstruction, kl


def _sum_per_item_mean(values: torch.Tensor) -> torch.Tensor:
    """Sum over every dimension but the first (the batch), then average over the batch."""
    return values.reshape(values.shape[0], -1).sum(dim=1).mean()
