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

Sources: chain rule for a two-layer network, Rumelhart, Hinton & Williams, "Learning
representations by back-propagating errors", Nature 1986; the reparameterization trick
and the Gaussian KL, Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014;
Adam, Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015 (algorithm 1,
with torch.optim.Adam's defaults).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields

import numpy as np

from engine.core.config import TrainingConfig
from engine.core.kl import gaussian_kl_terms

#: torch's binary cross-entropy caps ln at −100 so that an output of exactly 0 or 1
#: costs 100, not ∞; its gradient divides by max(y(1 − y), 1e-12).
LOG_FLOOR = -100.0
BCE_GRAD_EPS = 1e-12
#: torch.optim.Adam's defaults (Kingma & Ba 2015 recommend the same).
ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
#: The largest number the session's float32 tensors hold.
FLOAT32_MAX = float(np.finfo(np.float32).max)

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_KEY = re.compile(r"^(?P<tensor>[a-z_]+\.(?:weight|bias))\[(?P<index>\d+(?:,\d+)?)\]$")


def sub(n: int) -> str:
    """A learner's 1-based index as a subscript: sub(0) == '₁'."""
    return str(n + 1).translate(_SUB)


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


# ----- the numbers a learner reads --------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    """One factor of a chain rule; ``terms`` when it is itself a sum of products
    (∂L/∂zⱼ sums over the four outputs)."""

    symbol: str
    meaning: str
    value: float
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Term:
    """A product of factors, one path of a sum; ``value`` is the product."""

    label: str
    factors: tuple[Factor, ...]
    value: float


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
        factors, formula = _factors(self, tensor, index, image)
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
            return Update(key, "sgd", c.learning_rate, g, w, new - w, new, plain, _sgd_reading(g))
        before, after = _adam_before(self.state, tensor), self.next_adam
        b1, b2 = after.betas
        t = after.step
        m, v = float(after.exp_avg[tensor][index]), float(after.exp_avg_sq[tensor][index])
        c1, c2 = 1 - b1**t, 1 - b2**t
        return Update(key, "adam", c.learning_rate, g, w, new - w, new, plain,
                      _adam_reading(t, new - w, plain), t, float(before.exp_avg[tensor][index]),
                      float(before.exp_avg_sq[tensor][index]), m, v, m / c1, v / c2, c1, c2, after.betas, after.eps)


# ----- naming the weights -----------------------------------------------------------------


def tensor_shapes(model: str) -> dict[str, tuple[int, ...]]:
    """The 2x2 network's tensors, in the order the model registers them (the order
    torch's optimiser numbers them in)."""
    encoder = {"encoder_mu.weight": (2, 4), "encoder_mu.bias": (2,),
               "encoder_log_var.weight": (2, 4), "encoder_log_var.bias": (2,)} if model == "vae" \
        else {"encoder.weight": (2, 4), "encoder.bias": (2,)}
    return {**encoder, "decoder.weight": (4, 2), "decoder.bias": (4,)}


def parameter_keys(model: str) -> list[str]:
    """Every weight and bias as a key such as 'decoder.weight[1,0]' (0-based indices)."""
    keys = []
    for tensor, shape in tensor_shapes(model).items():
        keys += [f"{tensor}[{','.join(str(i) for i in index)}]" for index in np.ndindex(shape)]
    return keys


def parse_key(key: str, model: str) -> tuple[str, tuple[int, ...]]:
    """'decoder.weight[1,0]' -> ('decoder.weight', (1, 0)), or a learner-readable ValueError."""
    match = _KEY.match(key.replace(" ", ""))
    shapes = tensor_shapes(model)
    if match is None or match["tensor"] not in shapes:
        raise ValueError(f"This network has no weight or bias called {key!r}.")
    index = tuple(int(i) for i in match["index"].split(","))
    shape = shapes[match["tensor"]]
    if len(index) != len(shape) or any(not 0 <= i < n for i, n in zip(index, shape, strict=True)):
        raise ValueError(f"This network has no weight or bias called {key!r}.")
    return match["tensor"], index


def parameter_name(key: str, model: str) -> str:
    """How a learner reads a key: 'weight z₁ → y₂', 'bias of y₂', 'weight x₃ → ln σ₁²'."""
    tensor, index = parse_key(key, model)
    unit = {"encoder.weight": "z", "encoder.bias": "z", "encoder_mu.weight": "μ", "encoder_mu.bias": "μ",
            "encoder_log_var.weight": "ln σ²", "encoder_log_var.bias": "ln σ²",
            "decoder.weight": "y", "decoder.bias": "y"}[tensor]
    target = f"ln σ{sub(index[0])}²" if unit == "ln σ²" else f"{unit}{sub(index[0])}"
    if tensor.endswith(".bias"):
        return f"bias of {target}"
    source = f"z{sub(index[1])}" if tensor == "decoder.weight" else f"x{sub(index[1])}"
    return f"weight {source} → {target}"


# ----- the step ---------------------------------------------------------------------------------


def breakdown(state: StepState) -> Backprop:
    """Work out one full-batch step; a ValueError says plainly why it cannot be shown."""
    _check(state)
    c = state.config
    p = {k: np.asarray(v, dtype=np.float64) for k, v in state.params.items()}
    x_in = np.asarray(state.inputs, dtype=np.float64)
    x = np.asarray(state.targets, dtype=np.float64)
    with np.errstate(all="ignore"):  # overflow is caught below as a non-finite number
        parts = _forward(p, x_in, state.eps, c.model == "vae")
        parts.update(_loss(parts["outputs"], x, c.loss))
        parts.update(_backward(p, x_in, parts, c))
        parts["image_losses"] = parts["pixel_terms"].sum(axis=1)
        if parts["kl_terms"] is not None:
            parts["image_losses"] = parts["image_losses"] + c.beta * parts["kl_terms"].sum(axis=1)
        parts["loss"] = float(parts["image_losses"].mean())
        parts["grads"] = {k: g.mean(axis=0) for k, g in parts["per_image_grads"].items()}
        parts["next_params"], parts["next_adam"] = _optimise(state, p, parts["grads"])
    result = Backprop(state=state, inputs=x_in, targets=x, **parts)
    _check_finite(result)
    return result


def _forward(p: dict[str, np.ndarray], x_in: np.ndarray, eps: np.ndarray | None, variational: bool) -> dict:
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


def _loss(y: np.ndarray, x: np.ndarray, kind: str) -> dict:
    """Each pixel's loss and ∂(loss)/∂y, exactly as torch's mse_loss and binary_cross_entropy."""
    if kind == "mse":
        return {"pixel_terms": (y - x) ** 2, "d_outputs": 2 * (y - x)}
    log_y = np.maximum(np.log(y), LOG_FLOOR)
    log_1my = np.maximum(np.log1p(-y), LOG_FLOOR)
    terms = -(x * log_y + (1 - x) * log_1my)
    return {"pixel_terms": terms, "d_outputs": (y - x) / np.maximum(y * (1 - y), BCE_GRAD_EPS)}


def _backward(p: dict[str, np.ndarray], x_in: np.ndarray, f: dict, c: TrainingConfig) -> dict:
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


def _optimise(state: StepState, p: dict[str, np.ndarray],
              grads: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], AdamState | None]:
    """The optimiser's update: SGD w − η·g; Adam as torch.optim.Adam computes it."""
    lr = state.config.learning_rate
    if state.config.optimizer == "sgd":
        return {k: p[k] - lr * grads[k] for k in p}, None
    before = _adam_before(state, None)
    (b1, b2), t = before.betas, before.step + 1
    m = {k: b1 * np.asarray(before.exp_avg[k], np.float64) + (1 - b1) * grads[k] for k in p}
    v = {k: b2 * np.asarray(before.exp_avg_sq[k], np.float64) + (1 - b2) * grads[k] ** 2 for k in p}
    c1, c2 = 1 - b1**t, 1 - b2**t
    new = {k: p[k] - lr * (m[k] / c1) / (np.sqrt(v[k] / c2) + before.eps) for k in p}
    return new, AdamState(t, m, v, before.betas, before.eps)


def _adam_before(state: StepState, _tensor: str | None) -> AdamState:
    """Adam's memory before the step; a fresh Adam starts at step 0 with m = v = 0."""
    if state.adam is not None:
        return state.adam
    zeros = {k: np.zeros(np.shape(v)) for k, v in state.params.items()}
    return AdamState(0, zeros, dict(zeros))


# ----- the chain rule for one weight ------------------------------------------------------------


def _factors(b: Backprop, tensor: str, index: tuple[int, ...], n: int) -> tuple[tuple[Factor, ...], str]:
    if tensor.startswith("decoder"):
        i = index[0]
        last = _latent_factor(b, index[1], n) if tensor.endswith("weight") else _one()
        factors = (_d_output(b, i, n), _slope(b, i, n), last)
        tail = f"z{sub(index[1])}" if tensor.endswith("weight") else "1"
        return factors, f"∂L/∂w = ∂L/∂y{sub(i)} · σ′(s{sub(i)}) · {tail}"
    j = index[0]
    if tensor.endswith("weight"):
        source = _input_factor(b, index[1], n)
        tail = source.symbol
    else:
        source, tail = _one(), "1"
    if tensor == "encoder.weight" or tensor == "encoder.bias":
        slope = Factor(f"σ′(h{sub(j)})", f"slope of latent unit {j + 1}'s sigmoid: z{sub(j)}(1 − z{sub(j)})",
                       float(b.latent_slopes[n, j]))
        return ((_d_latent(b, j, n), slope, source),
                f"∂L/∂w = (Σᵢ ∂L/∂yᵢ · σ′(sᵢ) · Vᵢ{sub(j)}) · σ′(h{sub(j)}) · {tail}")
    if tensor.startswith("encoder_mu"):
        return (_d_mu(b, j, n), source), f"∂L/∂w = ∂L/∂μ{sub(j)} · {tail}"
    return (_d_log_var(b, j, n), source), f"∂L/∂w = ∂L/∂ln σ{sub(j)}² · {tail}"


def _one() -> Factor:
    return Factor("1", "a bias is a weight on an input that is always 1", 1.0)


def _d_output(b: Backprop, i: int, n: int) -> Factor:
    if b.config.loss == "mse":
        meaning = f"how the loss changes with output y{sub(i)}: 2(y{sub(i)} − x{sub(i)})"
    else:
        meaning = (f"how the loss changes with output y{sub(i)}: "
                   f"(y{sub(i)} − x{sub(i)}) / (y{sub(i)}(1 − y{sub(i)}))")
    return Factor(f"∂L/∂y{sub(i)}", meaning, float(b.d_outputs[n, i]))


def _slope(b: Backprop, i: int, n: int) -> Factor:
    return Factor(f"σ′(s{sub(i)})", f"slope of output {i + 1}'s sigmoid: y{sub(i)}(1 − y{sub(i)})",
                  float(b.sigmoid_slopes[n, i]))


def _latent_factor(b: Backprop, j: int, n: int) -> Factor:
    meaning = (f"the sampled code z{sub(j)} = μ{sub(j)} + σ{sub(j)}·ε{sub(j)}" if b.is_variational
               else f"latent unit {j + 1}'s value, what the weight multiplies")
    return Factor(f"z{sub(j)}", meaning, float(b.latent[n, j]))


def _input_factor(b: Backprop, k: int, n: int) -> Factor:
    if b.config.model == "dae":
        return Factor(f"x̃{sub(k)}", f"the noisy input pixel {k + 1} the network was fed", float(b.inputs[n, k]))
    return Factor(f"x{sub(k)}", f"input pixel {k + 1}, what the weight multiplies", float(b.inputs[n, k]))


def _d_latent(b: Backprop, j: int, n: int) -> Factor:
    """∂(reconstruction)/∂zⱼ: the sum over the four outputs that zⱼ feeds."""
    v = b.state.params["decoder.weight"]
    terms = tuple(
        Term(f"through y{sub(i)}", (_d_output(b, i, n), _slope(b, i, n),
                                    Factor(f"V{sub(i)}{sub(j)}", f"the weight z{sub(j)} → y{sub(i)}",
                                           float(v[i, j]))),
             float(b.d_output_sums[n, i] * v[i, j]))
        for i in range(4))
    symbol = f"∂R/∂z{sub(j)}" if b.is_variational else f"∂L/∂z{sub(j)}"
    what = "the reconstruction loss" if b.is_variational else "the loss"
    return Factor(symbol, f"how {what} changes with z{sub(j)}: a sum over the four outputs it feeds",
                  float(b.d_latent[n, j]), terms)


def _d_mu(b: Backprop, j: int, n: int) -> Factor:
    beta = Factor("β", "the weight of the KL term", b.config.beta)
    terms = (
        Term("through the sample z", (_d_latent(b, j, n), Factor(f"∂z{sub(j)}/∂μ{sub(j)}", "z = μ + σ·ε", 1.0)),
             float(b.d_latent[n, j])),
        Term("through the KL term", (beta, Factor(f"∂KL/∂μ{sub(j)}", f"μ{sub(j)}", float(b.kl_d_mu[n, j]))),
             float(b.config.beta * b.kl_d_mu[n, j])),
    )
    return Factor(f"∂L/∂μ{sub(j)}", f"how the loss changes with the mean μ{sub(j)}", float(b.d_mu[n, j]), terms)


def _d_log_var(b: Backprop, j: int, n: int) -> Factor:
    beta = Factor("β", "the weight of the KL term", b.config.beta)
    dz_dlv = 0.5 * float(b.sigma[n, j] * b.eps[n, j])
    terms = (
        Term("through the sample z", (_d_latent(b, j, n), Factor(
            f"∂z{sub(j)}/∂ln σ{sub(j)}²", f"½·σ{sub(j)}·ε{sub(j)}, with the ε{sub(j)} drawn this step", dz_dlv)),
             float(b.d_latent[n, j] * dz_dlv)),
        Term("through the KL term", (beta, Factor(f"∂KL/∂ln σ{sub(j)}²", f"½(σ{sub(j)}² − 1)",
                                                  float(b.kl_d_log_var[n, j]))),
             float(b.config.beta * b.kl_d_log_var[n, j])),
    )
    return Factor(f"∂L/∂ln σ{sub(j)}²", f"how the loss changes with the log-variance ln σ{sub(j)}²",
                  float(b.d_log_var[n, j]), terms)


# ----- readings and checks ----------------------------------------------------------------------


def _sgd_reading(g: float) -> str:
    if g == 0:
        return "The gradient is 0: the loss does not change with this weight here, so it stays put."
    way = "down" if g > 0 else "up"
    return f"The weight moves {way}, against its gradient, by η times the gradient's size."


def _adam_reading(t: int, delta: float, plain: float) -> str:
    if t == 1:
        return ("On Adam's first step the corrected running mean is g itself and the corrected √v is |g|, so "
                "every weight moves by about η against its gradient, whatever the gradient's size; plain "
                "gradient descent would move it by η·|g|.")
    if abs(delta) > abs(plain):
        return ("Adam's step is larger than η·g: it divides the running mean of the gradients by √v, their "
                "typical recent size, so a weight with small but steady gradients still moves by up to about η.")
    return ("Adam's step is smaller than η·g: the recent gradients were larger or changed sign, so their "
            "running mean is small next to √v, their typical recent size.")


def _check(state: StepState) -> None:
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


def _check_finite(b: Backprop) -> None:
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
        after = _forward(b.next_params, b.inputs, b.state.eps, b.state.config.model == "vae")
    if not all(_fits(a, FLOAT32_MAX) for a in after.values() if isinstance(a, np.ndarray)):
        raise ValueError("This step's new weights make a number of the network infinite (a VAE's σ "
                         "beyond its 32-bit numbers): training diverges here. Lower the learning rate.")


def _fits(values: np.ndarray, limit: float) -> bool:
    return bool(np.all(np.abs(values) <= limit))  # False for NaN too


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-v))
