"""Checked conversions from JSON-like values, shared by every screen's state.

Each raises ``ValueError`` saying what it expected; a saved session or a lesson step
with a wrong value is refused before anything on screen changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

MAX_POINTS = 10_000  # prior samples a file may hold
MAX_DIM = 64


def checked_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"expected a finite number, found {value!r}")
    return value


def checked_whole(value: object, low: int, high: int | None) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < low \
            or (high is not None and value > high):
        raise ValueError(f"expected a whole number from {low}{'' if high is None else f' to {high}'}, found {value!r}")
    return int(value)


def checked_bool(value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"expected true or false, found {value!r}")
    return bool(value)


def checked_points(values: object) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("a list of points holds something that is not a number") from exc
    if array.ndim != 2 or array.shape[0] > MAX_POINTS or not 1 <= array.shape[1] <= MAX_DIM \
            or not np.isfinite(array).all():
        raise ValueError("a list of points has the wrong shape or a value that is not finite")
    return array


def checked_point(value: object) -> tuple[float, ...]:
    """One latent point, kept as a tuple of floats (compared by value, never by identity)."""
    return tuple(float(v) for v in checked_points([value])[0])


def one_of(allowed: tuple[str, ...], what: str):
    """A check that accepts only the words in ``allowed``."""
    def check(value: object) -> str:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r} (known: {', '.join(allowed)})")
        return value
    return check


def table_of(what: str):
    """A check that accepts a table (a mapping), kept as a plain dict."""
    def check(value: object) -> dict:
        if not isinstance(value, Mapping):
            raise ValueError(f"{what} are not a table")
        return dict(value)
    return check
