"""What one training step of the 2x2 network reads, as plain numpy (no model, no torch):
the weights, the images, the step's random draws and Adam's memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.core.config import TrainingConfig

#: torch.optim.Adam's defaults (Kingma & Ba 2015 recommend the same).
ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8


# ----- what the next step reads -------------------------------------------------------------


@dataclass(frozen=True)
class AdamState:
    """Adam's memory before the step: its step count and running averages per tensor."""

    step: int
    exp_avg: dict[str, np.ndarray]  # m, the running mean of gradients
    exp_avg_sq: dict[str, np.ndarray]  # v, the running mean of squared gradients
    betas: tuple[float, float] = ADAM_BETAS
    eps: float = ADAM_EPS


@dataclass(frozen=True)
class StepState:
    """Everything one training step reads, as plain numpy (no model, no torch).

    ``inputs`` is what the network is fed (corrupted for a denoiser, with the noise the
    step will draw), ``targets`` the clean images, ``eps`` the VAE's draws ε for this
    step; ``adam`` is None for SGD or for an Adam that has not stepped yet.
    """

    epoch: int
    config: TrainingConfig
    params: dict[str, np.ndarray]
    targets: np.ndarray
    inputs: np.ndarray
    eps: np.ndarray | None = None
    adam: AdamState | None = None
