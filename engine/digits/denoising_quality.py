"""How well a digit was cleaned: PSNR, and the linear rival (projection onto principal
components) that the lecture contrasts with a denoising autoencoder."""

from __future__ import annotations

import numpy as np

DATA_RANGE = 1.0


ROWS_PER_BLOCK = 32  # images scored at a time: float64 temporaries of ~200 KB, not megabytes


def psnr(clean: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Peak signal-to-noise ratio of each image in dB: 10·log10(R² / MSE), R = 1.

    The first axis counts the images and MSE is the mean over all the other axes, so
    (N, 784) and (N, 28, 28) both give N values; a 1-D array is one image (a 0-d
    result). A perfect copy (MSE = 0) scores +inf. Higher is better; a tenfold smaller
    error adds 10 dB. Gonzalez & Woods, Digital Image Processing, 4th ed., eq. 5-104
    (there with R = the largest pixel value).
    """
    return psnr_against(clean, output)[0]


def psnr_against(clean: np.ndarray, *outputs: np.ndarray) -> tuple[np.ndarray, ...]:
    """``psnr(clean, output)`` for each output, computed together and the same to the last
    bit: each block of clean images is converted to float64 once for all the outputs.

    Why blocks: converting 500 digits to float64 at once made several 3 MB temporaries,
    and fresh memory of that size is mapped page by page on first touch: about 10 ms of
    a case study's epoch for what is 1 ms of arithmetic (measured).
    """
    clean = np.asarray(clean)
    outputs = tuple(np.asarray(output) for output in outputs)
    for output in outputs:
        if clean.shape != output.shape:
            raise ValueError(f"clean and output differ in shape: {clean.shape} vs {output.shape}")
    if clean.ndim == 0 or np.prod(clean.shape[1:] if clean.ndim > 1 else clean.shape) == 0:
        raise ValueError(f"psnr needs images with pixels, got shape {clean.shape}")
    one_image = clean.ndim == 1
    rows = 1 if one_image else clean.shape[0]
    flat_clean = clean.reshape(rows, -1)
    flat_outputs = [output.reshape(rows, -1) for output in outputs]
    mse = [np.empty(rows, dtype=np.float64) for _ in outputs]
    for start in range(0, rows, ROWS_PER_BLOCK):
        block = slice(start, start + ROWS_PER_BLOCK)
        reference = flat_clean[block].astype(np.float64)
        for flat, error in zip(flat_outputs, mse, strict=True):
            error[block] = ((reference - flat[block].astype(np.float64)) ** 2).mean(axis=1)
    with np.errstate(divide="ignore"):
        scores = tuple(10.0 * np.log10(DATA_RANGE**2 / error) for error in mse)
    return tuple(score[0] for score in scores) if one_image else scores


class PCADenoiser:
    """Projection onto the top-k principal components of the training digits.

    x̂ = m + V_kᵀ V_k (x − m), with m the mean training digit and the rows of V_k the
    first k eigenvectors of the scatter matrix of the centred training digits (the
    directions of largest variance; Bishop, Pattern Recognition and Machine Learning,
    §12.1). It is the best linear k-dimensional code for squared error, the linear counterpart of an
    autoencoder with a k-unit bottleneck. Outputs are clipped to the pixel range [0, 1].
    """

    def __init__(self, mean: np.ndarray, components: np.ndarray) -> None:
        self.mean = np.asarray(mean, dtype=np.float32)
        self.components = np.asarray(components, dtype=np.float32)  # (k, n_pixels)
        self.mean.flags.writeable = False
        self.components.flags.writeable = False

    @property
    def k(self) -> int:
        return int(self.components.shape[0])

    @classmethod
    def fit(cls, train_images: np.ndarray, k: int) -> PCADenoiser:
        """Fit on training images (N, n_pixels); k from 0 to min(N, n_pixels)."""
        x = np.asarray(train_images, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] == 0:
            raise ValueError(f"train_images must be (N, n_pixels) with N >= 1, got {x.shape}")
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise ValueError(f"k must be a whole number, not {k!r}")
        if not 0 <= k <= min(x.shape):
            raise ValueError(f"k must be from 0 to {min(x.shape)}, not {k}")
        mean = x.mean(axis=0)
        centred = x - mean
        # The right singular vectors of the centred data are the eigenvectors of its
        # scatter matrix XᵀX (784 x 784): one small symmetric eigenproblem in float64,
        # several times faster than an SVD of the 4,500 x 784 matrix itself.
        _, vectors = np.linalg.eigh(centred.T @ centred)  # ascending eigenvalues
        top = vectors[:, ::-1][:, :k].T
        return cls(mean, top)

    def encode(self, images: np.ndarray) -> np.ndarray:
        """The k principal-component coordinates of each image."""
        x = np.asarray(images, dtype=np.float32)
        return (x - self.mean) @ self.components.T

    def decode(self, codes: np.ndarray) -> np.ndarray:
        return np.asarray(codes, dtype=np.float32) @ self.components + self.mean

    def denoise(self, images: np.ndarray) -> np.ndarray:
        """Each image projected onto the k components, clipped to [0, 1] (float32)."""
        x = np.asarray(images, dtype=np.float32)
        if x.shape[-1] != self.mean.shape[0]:
            raise ValueError(f"images have {x.shape[-1]} pixels, the fit had {self.mean.shape[0]}")
        return np.clip(self.decode(self.encode(x)), 0.0, 1.0)
