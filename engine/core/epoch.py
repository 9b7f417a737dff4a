"""One epoch of training: the loop every run in the project goes through.

The session (so the app's workers and ``python -m engine train``), the headless speed
benchmark and the digit quality benchmark all train with ``train_epoch``; only what
they do between epochs differs. One loop means the figures the benchmarks and the
README report are those of the loop a learner runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

from engine.core.config import TrainingConfig
from engine.core.training_step import batch_loss


@dataclass(frozen=True)
class EpochLosses:
    """An epoch's mean losses per image over the ``images`` it trained on.

    ``images`` is the whole set unless ``stop`` ended the epoch early. A loss that
    stopped being finite ends the epoch before its update: ``finite`` is then False and
    ``loss``, ``reconstruction`` and ``kl`` are the figures of the batch that blew up.
    """

    loss: float
    reconstruction: float
    kl: float
    images: int

    @property
    def finite(self) -> bool:
        return bool(np.isfinite([self.loss, self.reconstruction, self.kl]).all())

    @property
    def parts(self) -> tuple[float, float, float]:
        return self.loss, self.reconstruction, self.kl


def train_epoch(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    images: Tensor,
    config: TrainingConfig,
    generator: torch.Generator,
    *,
    before_batch: Callable[[], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> EpochLosses:
    """One pass over ``images`` (N, pixels) with the loss ``config`` describes.

    The order is shuffled with ``generator`` when it takes more than one batch (one
    batch: the images as they are, so a 2x2 run draws no order at all). A denoiser's
    inputs are corrupted afresh from ``generator`` each batch, its targets stay clean.
    ``before_batch`` is called before every batch (the app waits there while a frame
    is drawn); ``stop`` is asked before every batch but the first, so every epoch
    makes progress, and True ends the epoch there.
    """
    n = images.shape[0]
    if n == 0:
        raise ValueError("There are no images to train on.")
    size = config.batch_size
    model.train()
    order = torch.randperm(n, generator=generator).to(images.device) if size < n else None
    sums, seen = [0.0, 0.0, 0.0], 0
    for start in range(0, n, size):
        if before_batch is not None:
            before_batch()
        if seen and stop is not None and stop():
            break
        x = images[start : start + size] if order is None else images[order[start : start + size]]
        # Gradients cleared before the forward pass, as pytorch/examples does: the same
        # update, and the memory they held is reused by this batch's activations
        # (measured ~1.5% of a digit VAE batch faster than clearing them after it).
        optimizer.zero_grad(set_to_none=True)
        total, recon, kl = batch_loss(model, x, config, generator)
        figures = (total.item(), recon.item(), kl.item())
        if not math.isfinite(figures[0]):
            return EpochLosses(*figures, seen)
        total.backward()
        optimizer.step()
        count = x.shape[0]
        sums = [running + figure * count for running, figure in zip(sums, figures, strict=True)]
        seen += count
    loss, recon_mean, kl_mean = (running / seen for running in sums)
    return EpochLosses(loss, recon_mean, kl_mean, seen)
