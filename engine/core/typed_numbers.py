"""Numbers a learner types into a panel, checked with messages that say what to type.

Pixel values and probabilities both live in [0, 1]; a distribution the learner has
dragged out of shape is rescaled to add up to 1 only when asked (``normalise``), so
the learner sees why it is needed.
"""

from __future__ import annotations

import math
import re

import numpy as np

_SUPERSCRIPT_DIGITS = str.maketrans("⁻⁺⁰¹²³⁴⁵⁶⁷⁸⁹", "-+0123456789")
_TIMES_TEN = re.compile(r"^(?P<m>[^×*]+)[×*]10(?:\^|\*\*)?(?P<e>[-+]?\d+)$")


def written_as_float(text: str) -> str:
    """What the app itself writes (1.5×10³⁰⁸, −0.25) and what a learner may type
    (1.5*10^308, 1.5e308), in the spelling ``float`` reads."""
    cleaned = text.strip().replace("−", "-").translate(_SUPERSCRIPT_DIGITS).replace(" ", "")
    match = _TIMES_TEN.match(cleaned)
    return f"{match['m']}e{match['e']}" if match else cleaned


def parse_unit_interval(text: str, what: str = "A pixel value") -> float:
    """The number in ``text`` if it lies in [0, 1]; otherwise a ValueError to show.

    A comma is accepted as the decimal mark ("0,35"), as many keyboards type it.
    """
    cleaned = written_as_float(text).replace(",", ".")
    if not cleaned:
        raise ValueError(f"{what} is needed here: type a number between 0 and 1, such as 0.35.")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a number: type a number between 0 and 1, such as 0.35.") from None
    return check_unit_interval(value, what)


def check_unit_interval(value: float, what: str = "A pixel value") -> float:
    """``value`` itself if it is a finite number in [0, 1]; otherwise a ValueError to show."""
    if not math.isfinite(value):
        raise ValueError(f"{what} must be an ordinary number between 0 and 1, not {value}.")
    if not 0 <= value <= 1:
        raise ValueError(f"{what} must be between 0 and 1, not {value:g}.")
    return float(value)


def parse_number(text: str, what: str = "x") -> float:
    """Any finite real number typed by the learner (e.g. a point on the sigmoid's axis):
    ``parse_typed_number`` with no limits."""
    return float(parse_typed_number(text, what, example="−1.5"))


def normalise(values: object, name: str = "p") -> np.ndarray:
    """Rescale non-negative weights to add up to 1, keeping their proportions."""
    array = np.asarray(values, dtype=np.float64)
    if array.size == 0 or not np.isfinite(array).all() or (array < 0).any():
        raise ValueError(f"{name} must be non-negative numbers to be normalised.")
    total = float(array.sum())
    if total == 0:
        raise ValueError(f"Every bar of {name} is 0: give at least one bar some height before normalising.")
    return array / total


def parse_typed_number(
    text: str, what: str, low: float | None = None, high: float | None = None, *, whole: bool = False,
    example: str | None = None,
) -> float | int:
    """A number typed into a box, read as the learner meant it or refused with a sentence.

    Scientific notation counts ("1e-3" is 0.001, "1e9" a billion), so does a comma as the
    decimal mark ("0,5") and, for whole numbers, thousands separators ("1,000"). NaN,
    infinity, fractions where a whole number is needed and anything outside
    [``low``, ``high``] (when given) are refused: the ValueError's text is what the
    learner reads."""
    shown = text.strip()
    span = f" from {_plain(low)} to {_plain(high)}" if low is not None and high is not None else ""
    example = example or _example(low, high, whole)
    kind = "a whole number" if whole else "a number"
    if not shown:
        raise ValueError(f"{what} is needed here: type {kind}{span}, such as {example}.")
    cleaned = written_as_float(shown).replace("_", "").replace("\u202f", "")
    if whole:
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{_clip(shown)}” is not a number: type {kind}{span}, such as {example}.") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be an ordinary number{span}, not “{_clip(shown)}”.")
    if whole and not value.is_integer():
        raise ValueError(f"{what} must be a whole number{span}, not {_clip(shown)}.")
    if (low is not None and value < low) or (high is not None and value > high):
        size = "too large" if high is not None and value > high else "too small"
        raise ValueError(f"{what} must be{span}: {_clip(shown)} is {size}.")
    return int(value) if whole else value


def _example(low: float | None, high: float | None, whole: bool) -> str:
    if low is not None and low > 0:
        return _plain(low)
    if whole:
        return "1" if high is None or high >= 1 else _plain(high)
    return "0.5" if high is None or high >= 0.5 else _plain(high)


def _plain(value: float) -> str:
    """A limit as a learner reads it: 10,000,000 rather than 1e+07, 0.0001 rather than 1e-04."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.6g}" if 1e-4 <= abs(value) < 1e15 else f"{value:.3g}"


def _clip(text: str, limit: int = 24) -> str:
    """Pasted garbage is quoted, not pasted back whole into the message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
