"""The chain rule for one weight of the 2x2 network, factor by factor as a learner reads
it (each factor with its symbol, meaning and value; a sum over paths as terms), and
what to say about the optimiser's step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.lecture.backprop_names import sub

if TYPE_CHECKING:  # only for the type of its argument: backprop imports this module
    from engine.lecture.backprop import Backprop

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


# ----- the chain rule for one weight ------------------------------------------------------------


def chain_factors(b: Backprop, tensor: str, index: tuple[int, ...], n: int) -> tuple[tuple[Factor, ...], str]:
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


def sgd_reading(g: float) -> str:
    if g == 0:
        return "The gradient is 0: the loss does not change with this weight here, so it stays put."
    way = "down" if g > 0 else "up"
    return f"The weight moves {way}, against its gradient, by η times the gradient's size."


def adam_reading(t: int, delta: float, plain: float) -> str:
    if t == 1:
        return ("On Adam's first step the corrected running mean is g itself and the corrected √v is |g|, so "
                "every weight moves by about η against its gradient, whatever the gradient's size; plain "
                "gradient descent would move it by η·|g|.")
    if abs(delta) > abs(plain):
        return ("Adam's step is larger than η·g: it divides the running mean of the gradients by √v, their "
                "typical recent size, so a weight with small but steady gradients still moves by up to about η.")
    return ("Adam's step is smaller than η·g: the recent gradients were larger or changed sign, so their "
            "running mean is small next to √v, their typical recent size.")
