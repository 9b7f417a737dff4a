"""How the panels write numbers: short, with a real minus sign, never in e-notation.

Formatting only: every value passed in was computed by the engine.
"""

from __future__ import annotations

import math

MINUS = "−"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def value(v: float, decimals: int = 4) -> str:
    """An input such as a pixel or a probability: up to ``decimals`` places, no trailing zeros."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return ("" if v > 0 else MINUS) + "∞"
    text = f"{v:.{decimals}f}".rstrip("0").rstrip(".")
    return _minus("0" if text in ("-0", "") else text)


def result(v: float, significant: int = 4) -> str:
    """A computed term or total: ``significant`` digits (0.0046, 0.8625, 6.438, 0.01699)."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return ("" if v > 0 else MINUS) + "∞"
    if v == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(v)))
    if magnitude < -5:
        mantissa = v / 10.0**magnitude
        return _minus(f"{mantissa:.{significant - 1}f}".rstrip("0").rstrip(".")) + "×10" + str(
            magnitude).translate(_SUPERSCRIPT)
    decimals = max(0, significant - 1 - magnitude)
    text = f"{v:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _minus(text)


def signed(v: float, significant: int = 4) -> str:
    """A number inside a sum: negatives in brackets, as one writes 0.3 + (−0.4)."""
    text = result(v, significant)
    return f"({text})" if text.startswith(MINUS) else text


def parse_shown(text: str) -> float:
    """The inverse of ``result`` for tests and scripts reading numbers off the screen."""
    text = text.strip().replace(MINUS, "-").replace("∞", "inf")
    if "×10" in text:
        mantissa, exponent = text.split("×10")
        return float(mantissa) * 10.0 ** int(exponent.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
    return float(text)


def _minus(text: str) -> str:
    return text.replace("-", MINUS)
