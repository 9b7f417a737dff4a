"""Training settings and held-out scoring for the digit models.

Digit models train like every other model: a ``TrainingSession`` running the
project's one epoch loop (``engine.core.epoch.train_epoch``), whether in the app, on
the command line or in the quality benchmark; ``case_study_config`` is the settings
all three start from. This module adds what only digits need: the recommended
settings, and the figures on the 500 held-out digits.

Held-out figures use the definitions of the issue: ``loss`` per held-out image is the
training loss (reconstruction summed over pixels, plus β·KL for a VAE) evaluated with
the network in evaluation mode, where a VAE decodes z = μ (its mean code, no sampling);
``psnr`` is the mean over held-out images of the PSNR of output against clean, for
inputs corrupted once with a fixed seed (``HELD_OUT_NOISE_SEED``).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from engine.core.training_step import output_loss
from engine.digits.denoising_quality import PCADenoiser, psnr
from engine.digits.settings import RECOMMENDED, RECOMMENDED_LATENT_DIM, case_study_config, recommended_settings
from engine.lecture.corruption import corrupt

#: Seed of the noise on the held-out inputs: every run is scored on the same inputs.
HELD_OUT_NOISE_SEED = 2024
__all__ = ["HELD_OUT_NOISE_SEED", "RECOMMENDED", "RECOMMENDED_LATENT_DIM", "case_study_config", "corrupt_held_out",
           "evaluate", "held_out_report", "pca_psnr", "recommended_settings"]


def _as_tensor(images: np.ndarray | torch.Tensor) -> torch.Tensor:
    if isinstance(images, torch.Tensor):
        return images.float()
    return torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))


def _loss_parts(model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor, loss: str,
                beta: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    out = model(inputs)
    return (*output_loss(out, targets, loss, beta), out.reconstruction)


def corrupt_held_out(images: np.ndarray | torch.Tensor, noise_kind: str, noise_level: float,
                     seed: int = HELD_OUT_NOISE_SEED) -> torch.Tensor:
    """The held-out inputs for a denoiser: corrupted once, with a fixed seed."""
    return corrupt(_as_tensor(images), noise_kind, noise_level, torch.Generator().manual_seed(seed))


@torch.no_grad()
def evaluate(
    model: nn.Module,
    clean_images: np.ndarray | torch.Tensor,
    *,
    loss: str,
    beta: float = 1.0,
    noisy_inputs: np.ndarray | torch.Tensor | None = None,
    batch_size: int = 1000,
) -> dict[str, object]:
    """Held-out figures, with the model in evaluation mode (a VAE decodes z = μ).

    The network is fed ``noisy_inputs`` when given (a denoiser), else the clean images;
    its outputs are always compared with the clean images. Returns ``loss``,
    ``reconstruction`` and ``kl`` (means per image, as in training), ``psnr`` (mean dB
    of output against clean), and, with noisy inputs, ``input_psnr`` (the corrupted
    inputs against clean) and the ``outputs`` (numpy, N x 784). The model's training
    mode is restored afterwards.
    """
    clean = _as_tensor(clean_images)
    inputs = clean if noisy_inputs is None else _as_tensor(noisy_inputs)
    if inputs.shape != clean.shape:
        raise ValueError(f"noisy inputs {tuple(inputs.shape)} and clean images "
                         f"{tuple(clean.shape)} differ in shape")
    was_training = model.training
    model.eval()
    try:
        sums, outputs = np.zeros(3), []
        for start in range(0, clean.shape[0], batch_size):
            x, x_in = clean[start : start + batch_size], inputs[start : start + batch_size]
            total, recon, kl, y = _loss_parts(model, x_in, x, loss, beta)
            sums += np.array([total.item(), recon.item(), kl.item()]) * x.shape[0]
            outputs.append(y)
    finally:
        model.train(was_training)
    n = max(clean.shape[0], 1)
    out = torch.cat(outputs).numpy() if outputs else np.zeros((0, clean.shape[1]), np.float32)
    report: dict[str, object] = {
        "loss": float(sums[0] / n), "reconstruction": float(sums[1] / n), "kl": float(sums[2] / n),
        "psnr": float(np.mean(psnr(clean.numpy(), out))),
        "outputs": out,
    }
    if noisy_inputs is not None:
        report["input_psnr"] = float(np.mean(psnr(clean.numpy(), inputs.numpy())))
    return report


def pca_psnr(train_images: np.ndarray, clean: np.ndarray, noisy: np.ndarray, k: int) -> float:
    """Mean held-out PSNR of the linear method: projection onto k principal components."""
    denoised = PCADenoiser.fit(np.asarray(train_images), k).denoise(np.asarray(noisy))
    return float(np.mean(psnr(np.asarray(clean), denoised)))


def held_out_report(session) -> dict[str, float]:
    """The final figures of ``python -m engine train --dataset mnist``: ``test_loss``,
    and for the denoiser ``test_psnr`` and ``pca_psnr`` (k = its bottleneck), all on
    the 500 held-out digits."""
    from engine.digits.data import load_digits, split_digits

    config = session.config
    train, test = split_digits(load_digits())
    noisy = None
    if config.model == "dae":
        noisy = corrupt_held_out(test.images, config.noise_type, config.noise_level)
    figures = evaluate(session.model, test.images, loss=config.loss, beta=config.beta,
                       noisy_inputs=noisy)
    report = {"test_loss": round(figures["loss"], 4)}
    if noisy is not None:
        report["test_psnr"] = round(figures["psnr"], 3)
        report["pca_psnr"] = round(
            pca_psnr(train.images, test.images, noisy.numpy(), session.model.latent_dim), 3
        )
    return report
