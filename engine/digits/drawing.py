"""A learner's own digit: pen strokes on a 28x28 grid, then framed the way MNIST is.

MNIST digits were size-normalised to fit a 20x20 box (keeping their aspect ratio,
anti-aliased) and then centred in the 28x28 image by their centre of mass (LeCun,
Cortes & Burges, "THE MNIST DATABASE of handwritten digits"). A digit drawn by hand
anywhere on the pad is framed the same way before the network sees it, so it looks
like what the network was trained on.
"""

from __future__ import annotations

import numpy as np

SIDE = 28
BOX = 20
PEN_RADIUS = 1.0  # pixels of full ink around the stroke's centre line
PEN_SOFTNESS = 1.0  # pixels over which the ink fades to nothing (anti-aliasing)


def blank() -> np.ndarray:
    """An empty pad: 784 zeros (black, as in MNIST)."""
    return np.zeros(SIDE * SIDE, dtype=np.float32)


def stroke(
    image: np.ndarray,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    erase: bool = False,
    radius: float = PEN_RADIUS,
    softness: float = PEN_SOFTNESS,
) -> np.ndarray:
    """A copy of ``image`` with a pen stroke from ``start`` to ``end`` ((x, y) in pixels,
    0..28, pixel centres at +0.5). Ink only ever adds (a pixel keeps its darkest
    value), so going over a line again does not make blotches. ``erase`` wipes out
    whatever the same pen would have inked, soft edge included.
    """
    grid = np.asarray(image, dtype=np.float32).reshape(SIDE, SIDE)
    a, b = np.asarray(start, dtype=np.float64), np.asarray(end, dtype=np.float64)
    if erase:
        out = np.minimum(grid, 1.0 - _ink(a, b, radius + softness, softness))
    else:
        out = np.maximum(grid, _ink(a, b, radius, softness))
    return out.astype(np.float32).reshape(-1)


def _ink(a: np.ndarray, b: np.ndarray, radius: float, softness: float) -> np.ndarray:
    """How much ink each pixel gets: 1 within ``radius`` of segment ab, fading linearly
    to 0 over ``softness`` further pixels."""
    ys, xs = np.mgrid[0:SIDE, 0:SIDE] + 0.5
    points = np.stack([xs, ys], axis=-1)
    ab = b - a
    length2 = float(ab @ ab)
    t = np.zeros((SIDE, SIDE)) if length2 == 0 else np.clip(((points - a) @ ab) / length2, 0.0, 1.0)
    nearest = a + t[..., None] * ab
    distance = np.linalg.norm(points - nearest, axis=-1)
    return np.clip(1.0 - (distance - radius) / softness, 0.0, 1.0)


def frame_like_mnist(image: np.ndarray) -> np.ndarray:
    """Scale the drawn strokes to fit a 20x20 box and centre them by their centre of
    mass in 28x28, as MNIST's digits were. An empty pad stays empty."""
    grid = np.asarray(image, dtype=np.float32).reshape(SIDE, SIDE)
    rows = np.flatnonzero(grid.max(axis=1) > 0)
    cols = np.flatnonzero(grid.max(axis=0) > 0)
    if rows.size == 0:
        return blank()
    crop = grid[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    resized = np.clip(resize_antialiased(crop, new_h, new_w), 0.0, 1.0)
    out = np.zeros((SIDE, SIDE), dtype=np.float32)
    top, left = (SIDE - new_h) // 2, (SIDE - new_w) // 2
    out[top : top + new_h, left : left + new_w] = resized
    return _centre_by_mass(out).reshape(-1)


def resize_antialiased(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """``image`` resized to height x width (float32) by separable triangle filters
    whose width follows the scale: bilinear interpolation when enlarging, an averaging
    over every source pixel an output pixel covers when shrinking (no aliasing), pixel
    centres aligned as in ``torch.nn.functional.interpolate(mode="bilinear",
    align_corners=False, antialias=True)``, which it equals to 1e-6 (a test checks)."""
    grid = np.asarray(image, dtype=np.float64)
    rows, cols = _triangle_weights(grid.shape[0], height), _triangle_weights(grid.shape[1], width)
    return (rows @ grid @ cols.T).astype(np.float32)


def _triangle_weights(size: int, new_size: int) -> np.ndarray:
    """(new_size, size): output pixel i's weights over the input pixels, summing to 1."""
    scale = size / new_size
    support = max(scale, 1.0)  # the filter's half-width in input pixels
    weights = np.zeros((new_size, size))
    for i in range(new_size):
        centre = scale * (i + 0.5)
        low, high = max(int(centre - support + 0.5), 0), min(int(centre + support + 0.5), size)
        taps = np.clip(1.0 - np.abs((np.arange(low, high) - centre + 0.5) / support), 0.0, None)
        weights[i, low:high] = taps / taps.sum()
    return weights


def _centre_by_mass(grid: np.ndarray) -> np.ndarray:
    """Shift (whole pixels, nothing pushed off the edge) so the centre of mass sits at
    the image centre."""
    total = grid.sum()
    ys, xs = np.mgrid[0:SIDE, 0:SIDE] + 0.5
    cy, cx = (grid * ys).sum() / total, (grid * xs).sum() / total
    rows = np.flatnonzero(grid.max(axis=1) > 0)
    cols = np.flatnonzero(grid.max(axis=0) > 0)
    dy = int(np.clip(round(SIDE / 2 - cy), -rows[0], SIDE - 1 - rows[-1]))
    dx = int(np.clip(round(SIDE / 2 - cx), -cols[0], SIDE - 1 - cols[-1]))
    return np.roll(grid, (dy, dx), axis=(0, 1))
