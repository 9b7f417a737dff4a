"""Case study 1's figures as the screen says them: PSNRs in dB, the noise in words, the
held-out digits' table and the headline (``DenoisingStudy`` computes nothing here: the
figures come from ``engine.digits.study_figures``).
"""

from __future__ import annotations

import numpy as np

from desktop_app.case_studies.digit_grid import DigitTable
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from engine.core.snapshot import EpochSnapshot
from engine.digits.data import N_PIXELS
from engine.digits.study_figures import DenoisingFigures

NOISE_NAMES = {"gaussian": "Gaussian", "salt-pepper": "salt and pepper", "mask": "masking"}


def loss_name(kind: str) -> str:
    return f"{'log-loss' if kind == 'logloss' else 'squared error'} summed over {N_PIXELS} pixels"


def loss_titles(kind: str) -> tuple[str, ...]:
    """The loss plot's title, longest first: the plot shows the longest that fits."""
    short = "log-loss" if kind == "logloss" else "squared error"
    return (f"Training loss per digit ({loss_name(kind)})", f"Training loss per digit ({short})",
            "Training loss per digit", "Training loss")


def db(value: float | None) -> str:
    """A PSNR for the screen: two decimals, ∞ for a perfect copy, … while not computed."""
    if value is None:
        return "…"
    return fmt.fixed(value, 2)


def noise_text(kind: str, level: float) -> str:
    if kind == "gaussian":
        return f"σ = {level:.2f}"
    return f"{level:.0%} of pixels"


def better_column(network: float, pca: float | None) -> int | None:
    """The table column (2 autoencoder, 3 PCA) whose score is set in bold."""
    if pca is None:
        return None
    return 2 if network >= pca else 3


def show_held_out(table: DigitTable, f: DenoisingFigures) -> None:
    """The shown held-out digits clean, noisy and cleaned by both methods, with their PSNRs
    and the means (PCA's column waits while PCA is fitted)."""
    waiting = f.projected is None
    projected = np.zeros_like(f.clean) if waiting else f.projected
    pca_psnr = [None] * len(f.rows) if waiting else list(f.pca_psnr)
    images = np.stack([f.clean, f.corrupted, f.denoised, projected], axis=1)
    captions = [["", f"{db(a)} dB", f"{db(b)} dB", f"{db(c)} dB"]
                for a, b, c in zip(f.input_psnr, f.network_psnr, pca_psnr, strict=True)]
    table.set_table(
        images,
        ["clean", "noisy input", "autoencoder", f"PCA, k = {f.k}"],
        [f"digit {label}" for label in f.labels],
        captions,
        # "of all 500" (held-out, as the headline says): short, so the table fits beside
        # the lesson path on a 1280-px projector at 150 %
        footer=[(f"mean of these {len(f.rows)}", ["", *(f"{db(v)} dB" for v in f.mean_rows)]),
                (f"mean of all {f.count}", ["", *(f"{db(v)} dB" for v in f.mean_all)])],
        emphasis=[better_column(b, c) for b, c in zip(f.network_psnr, pca_psnr, strict=True)],
        waiting_columns={3: "fitting PCA…"} if waiting else None,
        caption_room="00.00 dB",  # PSNRs of digits in [0, 1] stay under 100 dB (∞ is narrower)
    )


def headline(f: DenoisingFigures, snapshot: EpochSnapshot, theme: Theme) -> str:
    """The epoch, the noise and the mean PSNRs, the autoencoder's against PCA's (rich text)."""
    noisy, network, pca = f.mean_all
    c = snapshot.config
    if pca is None:
        verdict = "PCA is being fitted"
    else:
        verdict = ("better than" if network > pca else "not yet better than")
        verdict += f" <b style='color:{theme.curve_kl.name()}'>PCA {db(pca)} dB</b>"
    return (f"Epoch {snapshot.epoch} · {NOISE_NAMES[c.noise_type]} noise, {noise_text(c.noise_type, c.noise_level)}"
            f" · mean PSNR over {f.count} held-out digits: "
            f"<b style='color:{theme.curve_reconstruction.name()}'>autoencoder {db(network)} dB</b> "
            f"({verdict}; the noisy input is {db(noisy)} dB)")
