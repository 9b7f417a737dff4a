"""The data behind a view, as tables for CSV files, read from the engine's own objects.

A CSV must hold what the engine computed, not what a widget happens to draw: the loss
history comes from the session's ``LossHistory``, latent codes from the snapshot, the
decoded grid from ``engine.latent.space.decode_grid``, PSNRs from ``engine.digits.denoising_quality.psnr``.
No Qt here, so the tables can be checked without a window.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from desktop_app.export.files import atomic_file
from engine.core.history import LossHistory
from engine.core.snapshot import EpochSnapshot
from engine.digits.denoising_quality import psnr
from engine.latent.space import Box, decode_grid


@dataclass(frozen=True)
class Table:
    """A header and rows of numbers (or names); written with full float precision."""

    header: tuple[str, ...]
    rows: list[list[object]]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)  # floats as repr: they read back to the same value
        return out.getvalue()

    def write(self, path: str) -> None:
        """Write atomically: a failed write leaves any earlier file untouched."""
        with atomic_file(path) as temporary, open(temporary, "w", encoding="utf-8", newline="") as f:
            f.write(self.to_csv())


def _numbers(array: np.ndarray) -> list[list[float]]:
    return np.asarray(array, dtype=np.float64).tolist()


def _names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i + 1}" for i in range(count)]


def loss_history_table(history: LossHistory) -> Table:
    """One row per trained epoch: the mean training loss and its two parts."""
    rows = history.as_array()
    return Table(("epoch", "total", "reconstruction", "kl"),
                 [[int(e), *values] for e, values in zip(history.epochs, _numbers(rows), strict=True)])


def latent_codes_table(snapshot: EpochSnapshot) -> Table:
    """Each shown image's latent code (a VAE's mean, with its spread σ), at the snapshot's epoch.

    For the 2x2 models the shown images are the training images (their pixels included);
    for the digits they are the held-out digits (their labels included)."""
    k = snapshot.latent_dim
    header = ["epoch", "image"]
    digits = snapshot.labels is not None
    if digits:
        header.append("label")
    else:
        header += _names("x", snapshot.images.shape[1])
    header += _names("z", k)
    if snapshot.is_variational:
        header += _names("sigma", k)
    rows = []
    spreads = snapshot.spreads
    for i, code in enumerate(_numbers(snapshot.codes)):
        row: list[object] = [snapshot.epoch, i + 1]
        row += [int(snapshot.labels[i])] if digits else _numbers(snapshot.images[i : i + 1])[0]
        row += code
        if spreads is not None:
            row += _numbers(spreads[i : i + 1])[0]
        rows.append(row)
    return Table(tuple(header), rows)


def decoded_grid_table(snapshot: EpochSnapshot, box: Box, n: int) -> Table:
    """The n x n grid of latent points over ``box`` (top row first) and what each decodes to."""
    points, images = decode_grid(snapshot, box, n)
    header = ("z1", "z2", *_names("p", images.shape[1]))
    return Table(header, [[*z, *pixels] for z, pixels in zip(_numbers(points), _numbers(images), strict=True)])


def decoded_point_table(z: np.ndarray, values: np.ndarray) -> Table:
    """One decoded latent point: its coordinates and its pixels."""
    z_list = np.atleast_1d(np.asarray(z, dtype=np.float64)).tolist()
    header = (*_names("z", len(z_list)), *_names("p", len(values)))
    return Table(header, [[*z_list, *np.asarray(values, dtype=np.float64).tolist()]])


def weights_table(snapshot: EpochSnapshot) -> Table:
    """Every weight and bias of the network, one number a row, by the lecture's names
    for them (a renamed torch layer changes nothing here); a digit model names no layers,
    so its tensors go by the model's own keys."""
    rows: list[list[object]] = []
    tensors = snapshot.params if snapshot.weights is None else snapshot.weights.parameters()
    for name, array in tensors.items():
        values = np.asarray(array, dtype=np.float64)
        matrix = values.reshape(values.shape[0], -1) if values.ndim > 1 else values.reshape(-1, 1)
        for r, row in enumerate(matrix.tolist()):
            for c, value in enumerate(row):
                rows.append([name, r + 1, c + 1 if values.ndim > 1 else "", value])
    return Table(("parameter", "row", "column", "value"), rows)


def images_table(snapshot: EpochSnapshot) -> Table:
    """The shown (training) images, pixel by pixel."""
    pixels = snapshot.images.shape[1]
    return Table(("image", *_names("x", pixels)),
                 [[i + 1, *row] for i, row in enumerate(_numbers(snapshot.images))])


def reconstructions_table(snapshot: EpochSnapshot) -> Table:
    """Each image, what the network was fed, what it rebuilt, and that image's loss."""
    pixels = snapshot.images.shape[1]
    header = ("epoch", "image", *_names("x", pixels), *_names("input", pixels), *_names("y", pixels), "loss")
    rows = []
    for i in range(len(snapshot.images)):
        rows.append([snapshot.epoch, i + 1, *_numbers(snapshot.images[i : i + 1])[0],
                     *_numbers(snapshot.inputs[i : i + 1])[0], *_numbers(snapshot.reconstructions[i : i + 1])[0],
                     float(snapshot.image_losses[i])])
    return Table(header, rows)


def held_out_psnr_table(snapshot: EpochSnapshot, pca_denoised: np.ndarray | None) -> Table:
    """PSNR (dB) against the clean digit for every held-out digit: the noisy input, the
    network's output and, once fitted, the PCA projection of the same noisy input."""
    clean = snapshot.images
    noisy = psnr(clean, snapshot.inputs)
    network = psnr(clean, snapshot.reconstructions)
    pca = psnr(clean, pca_denoised) if pca_denoised is not None else None
    rows = []
    for i in range(len(clean)):
        row: list[object] = [snapshot.epoch, i + 1, int(snapshot.labels[i]) if snapshot.labels is not None else "",
                             float(noisy[i]), float(network[i])]
        row.append(float(pca[i]) if pca is not None else "")
        rows.append(row)
    return Table(("epoch", "digit", "label", "noisy_input_db", "autoencoder_db", "pca_db"), rows)


def curves_table(curves: dict[str, tuple[Sequence[float], Sequence[float]]]) -> Table:
    """Curves over epochs (x, y per curve) joined on the epoch; a blank where one has no point."""
    epochs = sorted({float(x) for xs, _ in curves.values() for x in xs})
    columns = []
    for xs, ys in curves.values():
        lookup = {float(x): float(y) for x, y in zip(xs, ys, strict=True)}
        columns.append([lookup.get(e, "") for e in epochs])
    rows = [[int(e) if e.is_integer() else e, *(col[i] for col in columns)] for i, e in enumerate(epochs)]
    return Table(("epoch", *curves), rows)
