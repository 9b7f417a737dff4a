"""What a snapshot shows of an epoch (codes, reconstructions, each image's loss, a
VAE's spreads and sampled points), computed in numpy from the epoch's weights.

One function for both places that make snapshots: the training session (after each
epoch) and a file opened in the window (which never imports torch). Both therefore
show the very same numbers for the same weights, to the last bit.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from engine.core.blas_threads import one_blas_thread
from engine.core.config import TrainingConfig
from engine.core.frozen import frozen
from engine.core.kl import gaussian_kl_terms
from engine.core.named_weights import NetworkWeights
from engine.core.numpy_net import Layout, NumpyNet
from engine.core.snapshot import EpochSnapshot
from engine.lecture.noise import corrupt_for_display

BCE_LOG_FLOOR = -100.0  # torch's binary_cross_entropy clamps its logs here


def display_inputs(images: np.ndarray, config: TrainingConfig) -> np.ndarray:
    """What the network is shown for ``images``: a denoiser sees them corrupted (a fixed
    noise seed, so they stay put), every other model sees them as they are."""
    if config.model != "dae":
        return images
    return corrupt_for_display(images, config.noise_type, config.noise_level, config.seed + 1)


def per_image_loss(y: np.ndarray, x: np.ndarray, kind: str) -> np.ndarray:
    """Each image's reconstruction loss summed over its pixels, as ``engine.core.losses``
    defines it (squared error, or binary cross-entropy with torch's log floor of −100)."""
    if kind == "mse":
        per_pixel = np.square(y - x)
    else:
        with np.errstate(divide="ignore"):
            log_y = np.maximum(np.log(y), np.float32(BCE_LOG_FLOOR))
            log_not_y = np.maximum(np.log1p(-y), np.float32(BCE_LOG_FLOOR))
        per_pixel = -(x * log_y + (1 - x) * log_not_y)
    return per_pixel.reshape(len(per_pixel), -1).sum(axis=1)


def samples_for(mu: np.ndarray, log_var: np.ndarray, seed: int, epoch: int) -> np.ndarray:
    """One point z = μ + σ·ε per shown image, ε from a stream fixed by the seed and
    the epoch, so every view of this epoch shows the same draw."""
    eps = np.random.default_rng(seed * 1_000_003 + epoch).standard_normal(mu.shape, dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        return mu + np.exp(np.float32(0.5) * log_var) * eps


def lecture_weights(params: Mapping[str, np.ndarray], layout: Layout) -> NetworkWeights | None:
    """The lecture network's named matrices (``NetworkWeights``) read off a layout:
    the one linear layer of the encoder (a VAE's mean head), of the log-variance head
    and of the decoder. None for a network deeper than that (the digit models)."""
    parts = dict(layout)
    linear = {part: [op[1] for op in ops if op[0] == "linear"] for part, ops in parts.items()}
    encoder = linear.get("mu") if "mu" in parts else linear.get("encoder")
    if encoder is None or len(encoder) != 1 or len(linear["decoder"]) != 1 or len(parts["decoder"]) != 2:
        return None
    keys = {"encoder": encoder[0], "decoder": linear["decoder"][0]}
    if "log_var" in parts:
        keys["log_var"] = linear["log_var"][0]
    return NetworkWeights.from_arrays({part: (params[f"{key}.weight"], params[f"{key}.bias"])
                                       for part, key in keys.items()})


def make_snapshot(
    epoch: int, config: TrainingConfig, losses: tuple[float, float, float], params: Mapping[str, np.ndarray],
    layout: Layout, images: np.ndarray, *, inputs: np.ndarray | None = None, labels: np.ndarray | None = None,
    initial: bool = False, weights: NetworkWeights | None = None,
) -> EpochSnapshot:
    """The snapshot of ``epoch``: the network (``params`` in ``layout``) run on the shown
    ``images`` (fed as ``inputs``: ``display_inputs`` unless given, e.g. kept from the
    last epoch). Epoch 0 (``initial``) has no training loss yet: it shows the untrained
    model's. ``weights``: the named matrices if the caller has them (a live model's
    ``named_layers``), else read off the layout for a lecture network."""
    params = {key: frozen(value) for key, value in params.items()}
    images = frozen(np.asarray(images, dtype=np.float32))
    inputs = frozen(display_inputs(images, config) if inputs is None else inputs)
    with one_blas_thread(needed=config.is_digits):  # faster on busy cores, the same bits in every process
        reconstructions, codes, log_vars = NumpyNet(params, layout).forward(inputs)
    image_losses = per_image_loss(reconstructions, images, config.loss)
    loss, recon, kl = losses
    if initial:
        recon = float(image_losses.mean())
        with np.errstate(over="ignore", invalid="ignore"):  # a crafted file's huge ln σ²: refused later
            kl = float(gaussian_kl_terms(codes, log_vars).sum(axis=1).mean()) if log_vars is not None else 0.0
        loss = recon + config.beta * kl
    return EpochSnapshot(
        epoch=epoch, config=config, loss=float(loss), reconstruction_loss=float(recon), kl=float(kl),
        params=params, weights=weights if weights is not None or config.is_digits else lecture_weights(params, layout),
        images=images, inputs=inputs, codes=frozen(codes), reconstructions=frozen(reconstructions),
        log_vars=None if log_vars is None else frozen(log_vars),
        samples=None if log_vars is None else frozen(samples_for(codes, log_vars, config.seed, epoch)),
        labels=None if labels is None else frozen(labels), image_losses=frozen(image_losses), layout=layout,
    )
