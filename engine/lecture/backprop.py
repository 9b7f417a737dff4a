"""Backpropagation worked out with real numbers: one training step of the 2x2 network,
factor by factor, the way ``engine.lecture.loss_breakdowns`` works a loss out term by term.

The training session reduces a batch exactly like this (``engine.core.losses``): each image's
reconstruction loss is summed over its four pixels, plus β·KL for a VAE, and the batch
loss is the *mean* over the images. So the batch gradient is the mean of the images'
gradients, and that is what the optimiser applies. The maths here is numpy in float64,
written out by hand (no autograd), so that the tests can hold it against torch.autograd
and finite differences, and so that the window can show every factor.

Notation (the lecture's network; pixel order top-left, top-right, bottom-left,
bottom-right; the learner counts from 1):
    plain and denoising AE:  hⱼ = Σₖ Wⱼₖ x̃ₖ + bⱼ,  zⱼ = σ(hⱼ)
    VAE:  μⱼ = Σₖ Wμⱼₖ xₖ + bμⱼ,  ln σⱼ² = Σₖ Wλⱼₖ xₖ + bλⱼ,  zⱼ = μⱼ + σⱼ εⱼ
    decoder:  sᵢ = Σⱼ Vᵢⱼ zⱼ + cᵢ,  yᵢ = σ(sᵢ)
x̃ is what the network is fed (the corrupted image for a denoiser), x the clean target.

The pieces: ``backprop_state`` (what a step reads), ``backprop_math`` (the step in
numbers, and its checks), ``backprop_factors`` (one weight's chain rule as a learner
reads it), ``backprop_names`` (the weights' names); this module puts them together.

Sources: chain rule for a two-layer network, Rumelhart, Hinton & Williams, "Learning
representations by back-propagating errors", Nature 1986; the reparameterization trick
and the Gaussian KL, Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014;
Adam, Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015 (algorithm 1,
with torch.optim.Adam's defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.core.config import TrainingConfig
from engine.lecture.backprop_factors import Factor, Term, adam_reading, chain_factors, sgd_reading
from engine.lecture.backprop_math import (
    adam_before,
    backward,
    check_finite,
    check_state,
    forward,
    optimise,
    pixel_losses,
)
from engine.lecture.backprop_names import parameter_keys, parameter_name, parse_key, sub, tensor_shapes
from engine.lecture.backprop_state import ADAM_BETAS, ADAM_EPS, AdamState, StepState

#: What the window and the tests read from here (the pieces live in the modules above).
__all__ = ["AdamState", "Backprop", "ChainRule", "Factor", "StepState", "Term", "Update", "breakdown",
           "parameter_keys", "parameter_name", "parse_key", "sub", "tensor_shapes"]


@dataclass(frozen=True)
class ChainRule:
    """∂L/∂w for one weight or bias: the factors for the chosen image, their product,
    every image's value and the batch's (their mean: the session averages the loss)."""

    key: str
    name: str
    formula: str
    factors: tuple[Factor, ...]
    value: float
    per_image: np.ndarray
    batch: float


@dataclass(frozen=True)
class Update:
    """What the optimiser does to one weight: w ← w + Δw."""

    key: str
    optimizer: str
    learning_rate: float
    gradient: float
    weight: float
    delta: float
    new_weight: float
    plain_delta: float  # −η·g, what plain gradient descent would do
    reading: str
    # Adam only: the step count after this step, m and v before and after, their
    # bias-corrected values, and the corrections 1 − β₁ᵗ, 1 − β₂ᵗ.
    step: int = 0
    m_before: float = 0.0
    v_before: float = 0.0
    m: float = 0.0
    v: float = 0.0
    m_hat: float = 0.0
    v_hat: float = 0.0
    correction1: float = 1.0
    correction2: float = 1.0
    betas: tuple[float, float] = ADAM_BETAS
    eps: float = ADAM_EPS


@dataclass(frozen=True)
class Backprop:
    """A whole step worked out. Arrays have the images along their first axis."""

    state: StepState
    inputs: np.ndarray  # x̃: what the network is fed
    targets: np.ndarray  # x: the clean images
    hidden_sums: np.ndarray | None  # h (plain and denoising AE)
    mu: np.ndarray | None  # VAE
    log_var: np.ndarray | None
    sigma: np.ndarray | None
    eps: np.ndarray | None
    latent: np.ndarray  # z
    output_sums: np.ndarray  # s
    outputs: np.ndarray  # y
    pixel_terms: np.ndarray  # each pixel's reconstruction loss
    kl_terms: np.ndarray | None  # each latent unit's KL (VAE)
    image_losses: np.ndarray  # Σ pixel terms + β Σ KL terms, per image
    loss: float  # their mean: what the session minimises
    d_outputs: np.ndarray  # ∂L/∂y per image
    sigmoid_slopes: np.ndarray  # σ'(s) = y(1 − y)
    d_output_sums: np.ndarray  # ∂L/∂s
    d_latent: np.ndarray  # ∂(reconstruction)/∂z
    latent_slopes: np.ndarray | None  # σ'(h) = z(1 − z) (AE)
    kl_d_mu: np.ndarray | None  # ∂KL/∂μ = μ
    kl_d_log_var: np.ndarray | None  # ∂KL/∂ln σ² = ½(σ² − 1)
    d_mu: np.ndarray | None  # ∂L/∂μ, both paths
    d_log_var: np.ndarray | None
    per_image_grads: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]  # the batch gradient: what the optimiser applies
    next_params: dict[str, np.ndarray]
    next_adam: AdamState | None = field(default=None)

    @property
    def config(self) -> TrainingConfig:
        return self.state.config

    @property
    def is_variational(self) -> bool:
        return self.mu is not None

    def chain_rule(self, key: str, image: int) -> ChainRule:
        """The chain rule for one weight or bias (see ``parameter_keys``) and one image."""
        tensor, index = parse_key(key, self.config.model)
        if not 0 <= image < len(self.inputs):
            raise ValueError(f"There is no image {image + 1}: the batch has {len(self.inputs)}.")
        factors, formula = chain_factors(self, tensor, index, image)
        if tensor.endswith(".bias"):
            formula = formula.replace("∂L/∂w =", "∂L/∂b =", 1)
        per_image = self.per_image_grads[tensor][(slice(None), *index)]
        return ChainRule(key, parameter_name(key, self.config.model), formula, factors,
                         float(per_image[image]), per_image.copy(), float(self.grads[tensor][index]))

    def update(self, key: str) -> Update:
        """The optimiser's step for one weight or bias, with its numbers."""
        tensor, index = parse_key(key, self.config.model)
        c = self.config
        g = float(self.grads[tensor][index])
        w = float(self.state.params[tensor][index])
        new = float(self.next_params[tensor][index])
        plain = -c.learning_rate * g
        if c.optimizer == "sgd":
            return Update(key, "sgd", c.learning_rate, g, w, new - w, new, plain, sgd_reading(g))
        before, after = adam_before(self.state, tensor), self.next_adam
        b1, b2 = after.betas
        t = after.step
        m, v = float(after.exp_avg[tensor][index]), float(after.exp_avg_sq[tensor][index])
        c1, c2 = 1 - b1**t, 1 - b2**t
        return Update(key, "adam", c.learning_rate, g, w, new - w, new, plain,
                      adam_reading(t, new - w, plain), t, float(before.exp_avg[tensor][index]),
                      float(before.exp_avg_sq[tensor][index]), m, v, m / c1, v / c2, c1, c2, after.betas, after.eps)


# ----- the step ---------------------------------------------------------------------------------


def breakdown(state: StepState) -> Backprop:
    """Work out one full-batch step; a ValueError says plainly why it cannot be shown."""
    check_state(state)
    c = state.config
    p = {k: np.asarray(v, dtype=np.float64) for k, v in state.params.items()}
    x_in = np.asarray(state.inputs, dtype=np.float64)
    x = np.asarray(state.targets, dtype=np.float64)
    with np.errstate(all="ignore"):  # overflow is caught below as a non-finite number
        parts = forward(p, x_in, state.eps, c.model == "vae")
        parts.update(pixel_losses(parts["outputs"], x, c.loss))
        parts.update(backward(p, x_in, parts, c))
        parts["image_losses"] = parts["pixel_terms"].sum(axis=1)
        if parts["kl_terms"] is not None:
            parts["image_losses"] = parts["image_losses"] + c.beta * parts["kl_terms"].sum(axis=1)
        parts["loss"] = float(parts["image_losses"].mean())
        parts["grads"] = {k: g.mean(axis=0) for k, g in parts["per_image_grads"].items()}
        parts["next_params"], parts["next_adam"] = optimise(state, p, parts["grads"])
    result = Backprop(state=state, inputs=x_in, targets=x, **parts)
    check_finite(result)
    return result


