"""One full-batch step of the 2x2 network in float64 numpy, written out by hand (no
autograd): the forward pass, each pixel's loss as torch computes it, the gradients by
the chain rule, the optimiser's update, and the checks that say plainly when a step
cannot be shown (digits, mini-batches, a diverged or diverging step).
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np

from engine.core.config import TrainingConfig
from engine.core.kl import gaussian_kl_terms
from engine.lecture.backprop_names import tensor_shapes
from engine.lecture.backprop_state import AdamState, StepState

if TYPE_CHECKING:  # only for the type of its argument: backprop imports this module
    from engine.lecture.backprop import Backprop

#: torch's binary cross-entropy caps ln at −100 so that an output of exactly 0 or 1
#: costs 100, not ∞; its gradient divides by max(y(1 − y), 1e-12).
LOG_FLOOR = -100.0
BCE_GRAD_EPS = 1e-12


#: The largest number the session's float32 tensors hold.
FLOAT32_MAX = float(np.finfo(np.float32).max)


def forward(p: dict[str, np.ndarray], x_in: np.ndarray, eps: np.ndarray | None, variational: bool) -> dict:
    out: dict = {"hidden_sums": None, "mu": None, "log_var": None, "sigma": None, "eps": None,
                 "latent_slopes": None}
    if variational:
        mu = x_in @ p["encoder_mu.weight"].T + p["encoder_mu.bias"]
        log_var = x_in @ p["encoder_log_var.weight"].T + p["encoder_log_var.bias"]
        sigma = np.exp(0.5 * log_var)
        eps = np.asarray(eps, dtype=np.float64)
        z = mu + sigma * eps
        out.update(mu=mu, log_var=log_var, sigma=sigma, eps=eps)
    else:
        h = x_in @ p["encoder.weight"].T + p["encoder.bias"]
        z = _sigmoid(h)
        out.update(hidden_sums=h, latent_slopes=z * (1 - z))
    s = z @ p["decoder.weight"].T + p["decoder.bias"]
    y = _sigmoid(s)
    out.update(latent=z, output_sums=s, outputs=y, sigmoid_slopes=y * (1 - y))
    return out


def pixel_losses(y: np.ndarray, x: np.ndarray, kind: str) -> dict:
    """Each pixel's loss and ∂(loss)/∂y, exactly as torch's mse_loss and binary_cross_entropy."""
    if kind == "mse":
        return {"pixel_terms": (y - x) ** 2, "d_outputs": 2 * (y - x)}
    log_y = np.maximum(np.log(y), LOG_FLOOR)
    log_1my = np.maximum(np.log1p(-y), LOG_FLOOR)
    terms = -(x * log_y + (1 - x) * log_1my)
    return {"pixel_terms": terms, "d_outputs": (y - x) / np.maximum(y * (1 - y), BCE_GRAD_EPS)}


def backward(p: dict[str, np.ndarray], x_in: np.ndarray, f: dict, c: TrainingConfig) -> dict:
    d_s = f["d_outputs"] * f["sigmoid_slopes"]
    d_z = d_s @ p["decoder.weight"]
    grads = {"decoder.weight": d_s[:, :, None] * f["latent"][:, None, :], "decoder.bias": d_s}
    out: dict = {"d_output_sums": d_s, "d_latent": d_z, "kl_terms": None, "kl_d_mu": None,
                 "kl_d_log_var": None, "d_mu": None, "d_log_var": None}
    if f["mu"] is not None:
        mu, log_var = f["mu"], f["log_var"]
        kl_d_mu, kl_d_log_var = mu, 0.5 * np.expm1(log_var)
        d_mu = d_z + c.beta * kl_d_mu
        d_log_var = d_z * 0.5 * f["sigma"] * f["eps"] + c.beta * kl_d_log_var
        grads["encoder_mu.weight"] = d_mu[:, :, None] * x_in[:, None, :]
        grads["encoder_mu.bias"] = d_mu
        grads["encoder_log_var.weight"] = d_log_var[:, :, None] * x_in[:, None, :]
        grads["encoder_log_var.bias"] = d_log_var
        out.update(kl_terms=gaussian_kl_terms(mu, log_var), kl_d_mu=kl_d_mu,
                   kl_d_log_var=kl_d_log_var, d_mu=d_mu, d_log_var=d_log_var)
    else:
        d_h = d_z * f["latent_slopes"]
        grads["encoder.weight"] = d_h[:, :, None] * x_in[:, None, :]
        grads["encoder.bias"] = d_h
    out["per_image_grads"] = {k: grads[k] for k in tensor_shapes(c.model)}
    return out


def optimise(state: StepState, p: dict[str, np.ndarray],
              grads: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], AdamState | None]:
    """The optimiser's update: SGD w − η·g; Adam as torch.optim.Adam computes it."""
    lr = state.config.learning_rate
    if state.config.optimizer == "sgd":
        return {k: p[k] - lr * grads[k] for k in p}, None
    before = adam_before(state, None)
    (b1, b2), t = before.betas, before.step + 1
    m = {k: b1 * np.asarray(before.exp_avg[k], np.float64) + (1 - b1) * grads[k] for k in p}
    v = {k: b2 * np.asarray(before.exp_avg_sq[k], np.float64) + (1 - b2) * grads[k] ** 2 for k in p}
    c1, c2 = 1 - b1**t, 1 - b2**t
    new = {k: p[k] - lr * (m[k] / c1) / (np.sqrt(v[k] / c2) + before.eps) for k in p}
    return new, AdamState(t, m, v, before.betas, before.eps)


def adam_before(state: StepState, _tensor: str | None) -> AdamState:
    """Adam's memory before the step; a fresh Adam starts at step 0 with m = v = 0."""
    if state.adam is not None:
        return state.adam
    zeros = {k: np.zeros(np.shape(v)) for k, v in state.params.items()}
    return AdamState(0, zeros, dict(zeros))


def check_state(state: StepState) -> None:
    c = state.config
    if c.is_digits:
        raise ValueError("The step is worked out for the lecture's 2x2 network, not the digit models.")
    for name, values in state.params.items():
        if not np.isfinite(values).all():
            raise ValueError(f"The weights are not numbers any more ({name} is infinite or NaN): training "
                             "diverged. Go back to an earlier epoch or lower the learning rate.")
    if len(state.targets) > c.batch_size:
        raise ValueError(f"The step is worked out for full-batch training; this session trains in batches "
                         f"of {c.batch_size} out of {len(state.targets)} images.")
    if c.model == "vae" and (state.eps is None or np.shape(state.eps) != (len(state.targets), 2)):
        raise ValueError("The VAE's step needs the ε it draws for each image and latent unit.")


def check_finite(b: Backprop) -> None:
    """The session computes in float32: a number beyond float32's range (about 3.4×10³⁸) is
    infinite there even when float64 still holds it, and so is a sum over the batch's
    pixels of numbers a hundredth that size; such a step diverges."""
    limit = FLOAT32_MAX / (4 * len(b.inputs))
    arrays = [getattr(b, f.name) for f in fields(b) if isinstance(getattr(b, f.name), np.ndarray)]
    if not (math.isfinite(b.loss) and abs(b.loss) <= limit) or not all(_fits(a, limit) for a in arrays):
        raise ValueError("The loss of this step is infinite or not a number (too large for the network's "
                         "32-bit numbers): training diverges here. Lower the learning rate or go back to an "
                         "earlier epoch.")
    if not all(_fits(g, limit) for g in b.grads.values()):
        raise ValueError("A gradient of this step is infinite or not a number: training diverges here. "
                         "Lower the learning rate or go back to an earlier epoch.")
    if not all(_fits(w, limit) for w in b.next_params.values()):
        raise ValueError("This step would make a weight infinite: training diverges here. "
                         "Lower the learning rate.")
    with np.errstate(all="ignore"):  # the weights it makes, run once more as the session will
        after = forward(b.next_params, b.inputs, b.state.eps, b.state.config.model == "vae")
    if not all(_fits(a, FLOAT32_MAX) for a in after.values() if isinstance(a, np.ndarray)):
        raise ValueError("This step's new weights make a number of the network infinite (a VAE's σ "
                         "beyond its 32-bit numbers): training diverges here. Lower the learning rate.")


def _fits(values: np.ndarray, limit: float) -> bool:
    return bool(np.all(np.abs(values) <= limit))  # False for NaN too


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-v))
