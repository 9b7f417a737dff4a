"""Independent computations the digit case-study tests check the engine and the screen
against (no tests here): plain numpy, none of the engine's code."""

from __future__ import annotations

import numpy as np


def independent_psnr(clean: np.ndarray, output: np.ndarray) -> np.ndarray:
    mse = np.mean((np.asarray(clean, np.float64) - np.asarray(output, np.float64)) ** 2, axis=-1)
    return 10 * np.log10(1.0 / mse)


def independent_pca(train: np.ndarray, k: int, images: np.ndarray) -> np.ndarray:
    """Projection onto the first k principal components of the training digits (the top
    right singular vectors of the centred data), back in pixel space, clipped to [0, 1]."""
    x = np.asarray(train, np.float64)
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    basis = vt[:k]
    return np.clip((np.asarray(images, np.float64) - mean) @ basis.T @ basis + mean, 0.0, 1.0)
