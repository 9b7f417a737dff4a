"""The lecture's 2x2-pixel images.

Pixel order: top-left, top-right, bottom-left, bottom-right. A diagonal image is
(a, b, b, a): four numbers of data, two numbers of information, which is why a
2-unit bottleneck can compress it without loss (lecture, part 2).
"""

from __future__ import annotations

import numpy as np

PIXEL_NAMES = ("top-left", "top-right", "bottom-left", "bottom-right")
SLIDE_EXAMPLE = np.array([0.6, 0.4, 0.4, 0.6], dtype=np.float32)
PRESETS = ("diagonals", "random")
DEFAULT_SIZE = 24
# Mid-grey values like the slides' 0.6/0.4 and [0.8, 0.65]. Pure 0 and 1 would ask a
# sigmoid output for ±∞ before it can be exact, which hides the lesson (that 2 numbers
# are enough) behind a long slow tail of training.
DIAGONAL_RANGE = (0.1, 0.9)


def diagonal_dataset(n: int = DEFAULT_SIZE, seed: int = 0) -> np.ndarray:
    """``n`` images (a, b, b, a); the first is the slides' [[0.6, 0.4], [0.4, 0.6]]."""
    _check_count(n)
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(*DIAGONAL_RANGE, size=(2, n - 1))
    rest = np.stack([a, b, b, a], axis=1)
    return np.vstack([SLIDE_EXAMPLE, rest]).astype(np.float32)


def random_dataset(n: int = DEFAULT_SIZE, seed: int = 0) -> np.ndarray:
    """``n`` images with four independent pixels: 4-D information, no 2-number summary."""
    _check_count(n)
    rng = np.random.default_rng(seed)
    return rng.uniform(0.0, 1.0, size=(n, 4)).astype(np.float32)


def preset_dataset(name: str, n: int = DEFAULT_SIZE, seed: int = 0) -> np.ndarray:
    if name == "diagonals":
        return diagonal_dataset(n, seed)
    if name == "random":
        return random_dataset(n, seed)
    raise ValueError(f"Unknown dataset {name!r}: choose one of {', '.join(PRESETS)}.")


def validate_images(images: object) -> np.ndarray:
    """A user-made set as a float32 (N, 4) array, or a ValueError a learner understands."""
    try:
        arr = np.asarray(images, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("Every pixel must be a number between 0 and 1.") from exc
    if arr.ndim == 1 and arr.size == 4:
        arr = arr.reshape(1, 4)
    if arr.ndim != 2 or arr.shape[1] != 4:
        raise ValueError("Each image needs exactly four pixel values (a 2x2 image).")
    if arr.shape[0] == 0:
        raise ValueError("The dataset needs at least one image.")
    if not np.all(np.isfinite(arr)):
        raise ValueError("A pixel value is not a number (NaN or infinity); use 0 to 1.")
    if arr.min() < 0.0 or arr.max() > 1.0:
        bad = arr[(arr < 0) | (arr > 1)][0]
        raise ValueError(f"Pixel values must lie between 0 and 1; {bad:g} does not.")
    return arr.astype(np.float32)


def _check_count(n: int) -> None:
    if int(n) != n or n < 1:
        raise ValueError("A dataset needs a whole number of images, at least one.")
