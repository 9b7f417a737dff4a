"""The Gaussian KL divergence, written once for everything that needs it.

KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − ln σ²) per latent unit, with σ² = exp(ln σ²):
Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014, appendix B (written
there as the negative, −½(1 + ln σ² − μ² − σ²)). The encoder outputs ln σ² rather than
σ² so that any real number is a valid spread.

The VAE's training loss (torch, with gradients), the KL panel's breakdown, the latent
tools, the backpropagation walk-through and the case study's figures all call this one
function, so they cannot disagree. No torch import: numpy arrays and torch tensors
both work, and a tensor keeps its autograd graph.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

Array = TypeVar("Array")


def gaussian_kl_terms(mu: Array, log_var: Array) -> Array:
    """½(μ² + σ² − 1 − ln σ²) for each element: one term per latent unit (and image).

    σ² − 1 is computed as expm1(ln σ²), which stays accurate when σ² is near 1 (a
    unit close to the prior, where the divergence is tiny).
    """
    sigma2_minus_1 = np.expm1(log_var) if isinstance(log_var, (np.ndarray, np.generic, float)) else log_var.expm1()
    return 0.5 * (mu**2 + sigma2_minus_1 - log_var)
