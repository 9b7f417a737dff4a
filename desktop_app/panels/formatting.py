"""How the app writes numbers: short, with a real minus sign, never "nan" or "inf".

The one place that decides: panels, views, tooltips and labels all write numbers through
these functions. Every negative number on screen has the typographic minus "−" (U+2212),
as the slides print it; it is as wide as "+", so signed columns line up.

Formatting only: every value passed in was computed by the engine. Ordinary numbers
are written in plain decimals; very large and very small ones as m×10ⁿ (a sigmoid's
x of 1e308 used to print 309 digits). A number that is not finite is never printed as
"nan" or "inf": infinity, a true answer in a panel (the KL divergence of a bar the
other distribution lacks), is written ∞; something that is not a number is written
as a dash. Views showing training numbers never get either: the controller does not
publish them (``engine.core.divergence.snapshot_problem``).
"""

from __future__ import annotations

import math

import numpy as np

MINUS = "−"
NOT_A_NUMBER = "—"
BIG = 1e6  # from here on, m×10ⁿ: 1.5×10⁶ reads better than 1500000
BOX_BIG = 1e4  # in a pixel's or a node's small box, m×10ⁿ from here on, so it still fits
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_FROM_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def value(v: float, decimals: int = 4) -> str:
    """An input such as a pixel or a probability: up to ``decimals`` places, no trailing zeros."""
    v = float(v)
    if not math.isfinite(v):
        return _non_finite(v)
    if abs(v) >= BIG or 0 < abs(v) < 0.5 * 10.0**-decimals:
        return scientific(v, 4)
    text = f"{v:.{decimals}f}".rstrip("0").rstrip(".")
    return _minus("0" if text in ("-0", "") else text)


def result(v: float, significant: int = 4) -> str:
    """A computed term or total: ``significant`` digits (0.0046, 0.8625, 6.438, 0.01699)."""
    v = float(v)
    if not math.isfinite(v):
        return _non_finite(v)
    if v == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(v)))
    if magnitude < -5 or abs(v) >= BIG:
        return scientific(v, significant)
    decimals = max(0, significant - 1 - magnitude)
    text = f"{v:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _minus(text)


def fixed(v: float, decimals: int = 4, *, sign: bool = False, big: float = BIG) -> str:
    """Exactly ``decimals`` places (0.6000, +0.1250, −0.0037) for numbers of ordinary size,
    so values line up (the diagram's tooltips); m×10ⁿ from ``big`` on, and never "−0.0000"."""
    v = float(v)
    if not math.isfinite(v):
        return _non_finite(v)
    if abs(v) >= big:
        text = scientific(v, decimals)
        return "+" + text if sign and v > 0 else text
    if float(f"{v:.{decimals}f}") == 0:
        v = 0.0
    return _minus(f"{v:+.{decimals}f}" if sign else f"{v:.{decimals}f}")


def boxed(v: float, decimals: int = 2, *, sign: bool = False) -> str:
    """A number in a small box (a pixel, a node, a bias): as ``fixed``, with m×10ⁿ from
    10,000 on (a run that blew up), so it still fits."""
    return fixed(v, decimals, sign=sign, big=BOX_BIG)


def point(z: object, decimals: int) -> str:
    """A latent point, (0.250, −1.000): each coordinate with ``decimals`` places (the
    engine's ``COORD_DECIMALS``, to which it snaps a clicked point)."""
    return "(" + ", ".join(fixed(float(v), decimals) for v in np.ravel(np.asarray(z, dtype=np.float64))) + ")"


def scientific(v: float, significant: int = 4) -> str:
    """m×10ⁿ with ``significant`` digits in m (1.5×10³⁰⁸, 2×10⁻⁷)."""
    v = float(v)
    if not math.isfinite(v):
        return _non_finite(v)
    mantissa, exponent = f"{v:.{max(0, significant - 1)}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return _minus(mantissa) + "×10" + str(int(exponent)).translate(_SUPERSCRIPT)


def signed(v: float, significant: int = 4) -> str:
    """A number inside a sum: negatives in brackets, as one writes 0.3 + (−0.4)."""
    text = result(v, significant)
    return f"({text})" if text.startswith(MINUS) else text


def parse_shown(text: str) -> float:
    """The inverse of ``result`` for tests and scripts reading numbers off the screen."""
    text = text.strip().replace(MINUS, "-").replace("∞", "inf")
    if text == NOT_A_NUMBER:
        return math.nan
    if "×10" in text:
        mantissa, exponent = text.split("×10")
        return float(mantissa) * 10.0 ** int(exponent.translate(_FROM_SUPERSCRIPT))
    return float(text)


def _non_finite(v: float) -> str:
    if math.isnan(v):
        return NOT_A_NUMBER
    return ("" if v > 0 else MINUS) + "∞"


def _minus(text: str) -> str:
    return text.replace("-", MINUS)
