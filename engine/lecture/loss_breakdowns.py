"""The lecture's losses worked out for the teaching panels: every pixel's (or bar's)
share of a loss, and a sentence whenever the maths needed help (a clamp, the
0 · ln 0 = 0 convention, an infinite divergence). Plain numpy, checking its input
like a patient tutor; the losses training minimises are in ``engine.core.losses``.

Sources: the lecture (shared/lecture/LECTURE.md, sections 4 and 7) sums over pixels and
uses the natural log; the closed-form Gaussian KL is ``engine.core.kl``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from engine.core.kl import gaussian_kl_terms

#: Outputs of exactly 0 or 1 are moved this far inside (0, 1) before taking a log.
CLAMP = 1e-7
#: How far a distribution's sum may stray from 1 (rounding in typed probabilities).
SUM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class LossBreakdown:
    """A loss split into its parts: what the teaching panels draw, term by term."""

    terms: np.ndarray  # each element's contribution, same shape as the input, float64
    total: float  # the sum of the terms
    notes: tuple[str, ...]  # plain sentences for the learner; empty when all went plainly
    formula: str  # short, human-readable, unicode


def mse(x: object, y: object) -> LossBreakdown:
    """Squared error summed over pixels: MSE(x, y) = Σᵢ (xᵢ − yᵢ)².

    The lecture sums rather than averages (LECTURE.md §4), so the slide figures
    0.0046 and 0.8625 come out as printed. x is the original, y the reconstruction.
    """
    x, y = _pixel_pair(x, y)
    terms = (x - y) ** 2
    return _breakdown(terms, [], "Σᵢ (xᵢ − yᵢ)²")


def log_loss(x: object, y: object) -> LossBreakdown:
    """Binary cross-entropy summed over pixels, natural log (LECTURE.md §4):
    LL(x, y) = Σᵢ −xᵢ ln yᵢ − (1 − xᵢ) ln(1 − yᵢ).

    x is the target, y the output. A part weighted by 0 counts as 0 (0 · ln 0 = 0), so
    an output of exactly 0 or 1 that matches its target adds nothing. Where such an
    output misses its target, ln 0 = −∞ would make the loss infinite; that output is
    clamped to [1e-7, 1 − 1e-7], as torch does in spirit (it caps ln at −100), and a
    note names the pixel.
    """
    x, y = _pixel_pair(x, y)
    at_zero = (y == 0) & (x > 0)  # −x ln 0 would be +∞
    at_one = (y == 1) & (x < 1)  # −(1 − x) ln(1 − 1) would be +∞
    y = np.where(at_zero, CLAMP, np.where(at_one, 1 - CLAMP, y))
    terms = 0.0 - (_xlogy(x, y) + _xlogy(1 - x, 1 - y))  # 0.0 - : no "-0." on screen
    notes = _notes(
        _pixels,
        (at_zero, "An output of exactly 0 (at {where}) would need ln 0, which is −∞, "
                  "and make the loss infinite; such outputs are counted as 0.0000001 (1e-7) instead."),
        (at_one, "An output of exactly 1 (at {where}) would need ln(1 − 1) = ln 0, which "
                 "is −∞, and make the loss infinite; such outputs are counted as 0.9999999 "
                 "(1 − 1e-7) instead."),
    )
    return _breakdown(terms, notes, "Σᵢ −xᵢ ln yᵢ − (1 − xᵢ) ln(1 − yᵢ)")


def kl_divergence(p: object, q: object) -> LossBreakdown:
    """Kullback–Leibler divergence, natural log (LECTURE.md §7): KL(p, q) = Σᵢ pᵢ ln(pᵢ / qᵢ).

    By the usual convention 0 · ln 0 = 0 (Cover & Thomas, Elements of Information
    Theory, 2nd ed., §2.3), so a bar p never visits adds nothing. A bar p visits but q
    rules out (qᵢ = 0) makes the divergence +∞: q cannot explain what p says happens.
    """
    p, q = _distribution("p", p), _distribution("q", q)
    if p.shape != q.shape:
        raise ValueError(
            f"p and q must have the same number of bars: p has {p.size}, q has {q.size}."
        )
    unused = p == 0
    impossible = (p > 0) & (q == 0)
    safe_q = np.where(unused | impossible, 1.0, q)
    terms = np.where(impossible, np.inf, _xlogy(p, p) - _xlogy(p, safe_q))
    notes = _notes(
        _bars,
        (unused, "p gives {where} no chance (p = 0); 0 · ln 0 counts as 0, "
                 "so it adds nothing to the divergence."),
        (impossible, "q gives {where} no chance at all, but p says it happens: "
                     "the divergence is infinite."),
    )
    return _breakdown(terms, notes, "Σᵢ pᵢ ln(pᵢ / qᵢ)")


def gaussian_kl(mu: object, log_var: object) -> LossBreakdown:
    """KL divergence of N(μ, σ²) from N(0, 1), one term per latent unit:
    ½(μ² + σ² − 1 − ln σ²) with σ² = exp(log_var) (``engine.core.kl``), with the
    panel's checks and a note when σ² is too large to hold."""
    mu = _numbers("mu", mu, "unit")
    log_var = _numbers("log_var", log_var, "unit")
    _same_shape("mu", mu, "log_var", log_var)
    with np.errstate(over="ignore"):  # an overflowing σ² is reported below, as ∞
        terms = gaussian_kl_terms(mu, log_var)
    notes = _notes(
        partial(_pixels, word="unit"),
        (~np.isfinite(terms), "log_var is so large at {where} that "
                              "σ² = exp(log_var) is too big for the computer to hold: the divergence is infinite."),
    )
    return _breakdown(terms, notes, "Σⱼ ½(μⱼ² + σⱼ² − 1 − ln σⱼ²)")


def _breakdown(terms: np.ndarray, notes: Sequence[str], formula: str) -> LossBreakdown:
    terms = np.asarray(terms, dtype=np.float64)
    terms.flags.writeable = False  # the breakdown is frozen, its array too
    return LossBreakdown(terms, float(terms.sum()), tuple(notes), formula)


def _notes(places: Callable[[np.ndarray], str], *cases: tuple[np.ndarray, str]) -> list[str]:
    """One sentence for each case whose mask holds somewhere, its ``{where}`` naming
    those places (``places`` names them as the learner counts: pixels, units, bars)."""
    return [sentence.format(where=places(mask)) for mask, sentence in cases if mask.any()]


def _xlogy(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a · ln b, with 0 · ln b = 0 even when b is 0."""
    zero = a == 0
    return np.where(zero, 0.0, a * np.log(np.where(zero, 1.0, b)))


# --- input checks: each failure says which argument and what is wrong ------------------


def _numbers(name: str, value: object, word: str = "pixel") -> np.ndarray:
    """value as a non-empty float64 array of finite numbers."""
    try:
        array = np.asarray(value)
    except ValueError:  # ragged nested lists
        raise ValueError(f"{name} must be a grid of numbers with rows of equal length.") from None
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold numbers only, got {value!r}.")
    if array.size == 0:
        raise ValueError(f"{name} is empty: it needs at least one value.")
    array = array.astype(np.float64)
    bad = ~np.isfinite(array)
    if bad.any():
        where, found = _first(bad, word), array[bad][0]
        raise ValueError(f"{name} must hold finite numbers, but {where} is {found}.")
    return array


def _same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape: "
            f"{name_a} has shape {a.shape}, {name_b} has shape {b.shape}."
        )


def _unit_interval(name: str, value: object) -> np.ndarray:
    array = _numbers(name, value)
    outside = (array < 0) | (array > 1)
    if outside.any():
        raise ValueError(
            f"{name} must hold values between 0 and 1, but {_first(outside)} "
            f"is {array[outside][0]:g}."
        )
    return array


def _pixel_pair(x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    x, y = _unit_interval("x", x), _unit_interval("y", y)
    _same_shape("x", x, "y", y)
    return x, y


def _distribution(name: str, value: object) -> np.ndarray:
    array = _numbers(name, value, "bar")
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be a single list of probabilities, one per bar, "
            f"but it has shape {array.shape}."
        )
    negative = array < 0
    if negative.any():
        raise ValueError(
            f"{name} must not have negative values, but {_first(negative, 'bar')} "
            f"is {array[negative][0]:g}."
        )
    total = float(array.sum())
    if abs(total - 1) > SUM_TOLERANCE:
        raise ValueError(
            f"{name} must be a probability distribution: its values add up to {total:.6g}, not 1."
        )
    return array


# --- naming positions the way a learner counts (from 1) ---------------------------------


def _pixels(mask: np.ndarray, word: str = "pixel", limit: int = 5) -> str:
    """'row 1, column 2', 'pixel 3', or 'row 1, column 2 and row 2, column 1'."""
    places = [_place(index, mask.ndim, word) for index in np.argwhere(mask)]
    return _listing(places, limit)


def _first(mask: np.ndarray, word: str = "pixel") -> str:
    """Where the first True of mask is, for an error message about one bad value."""
    return _place(np.argwhere(mask)[0], mask.ndim, word)


def _place(index: np.ndarray, ndim: int, word: str) -> str:
    if ndim == 0:
        return f"the only {word}"
    if ndim == 1:
        return f"{word} {index[0] + 1}"
    if ndim == 2:
        return f"row {index[0] + 1}, column {index[1] + 1}"
    return f"{word} ({', '.join(str(i + 1) for i in index)})"


def _bars(mask: np.ndarray) -> str:
    numbers = [str(i + 1) for i in np.flatnonzero(mask)]
    return ("bar " if len(numbers) == 1 else "bars ") + _listing(numbers)


def _listing(items: list[str], limit: int = 5) -> str:
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    sep = "; " if any("," in item for item in items) else ", "
    return f"{sep.join(items[:-1])} and {items[-1]}"
