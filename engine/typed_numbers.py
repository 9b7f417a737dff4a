"""Numbers a learner types into a panel, checked with messages that say what to type.

Pixel values and probabilities both live in [0, 1]; a distribution the learner has
dragged out of shape is rescaled to add up to 1 only when asked (``normalise``), so
the learner sees why it is needed.
"""

from __future__ import annotations

import math

import numpy as np


def parse_unit_interval(text: str, what: str = "A pixel value") -> float:
    """The number in ``text`` if it lies in [0, 1]; otherwise a ValueError to show.

    A comma is accepted as the decimal mark ("0,35"), as many keyboards type it.
    """
    cleaned = text.strip().replace(",", ".").replace("−", "-")
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
    """Any finite real number typed by the learner (e.g. a point on the sigmoid's axis)."""
    cleaned = text.strip().replace(",", ".").replace("−", "-")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{text.strip()}” is not a number: type {what} as a number, such as −1.5.") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} must be an ordinary number, not “{text.strip()}”.")
    return value


def normalise(values: object, name: str = "p") -> np.ndarray:
    """Rescale non-negative weights to add up to 1, keeping their proportions."""
    array = np.asarray(values, dtype=np.float64)
    if array.size == 0 or not np.isfinite(array).all() or (array < 0).any():
        raise ValueError(f"{name} must be non-negative numbers to be normalised.")
    total = float(array.sum())
    if total == 0:
        raise ValueError(f"Every bar of {name} is 0: give at least one bar some height before normalising.")
    return array / total
