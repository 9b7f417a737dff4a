"""Each network's layout (``engine.core.numpy_net``) from its settings alone, without
torch: what a file opened in the window (which never imports torch) decodes with, and
the shapes its weights must have.

The networks themselves are ``engine.lecture.models`` and ``engine.digits.models``; the
training process exports the layout of a live model (``engine.core.net_layout``), and a
test proves the two agree for every kind, so this description cannot drift from the
models.
"""

from __future__ import annotations

from functools import lru_cache

from engine.core.config import TrainingConfig
from engine.core.numpy_net import Layout

LECTURE_PIXELS = 4
DIGIT_PIXELS = 28 * 28
DIGIT_HIDDEN = (512, 256)  # engine.digits.models.DigitVAE / DigitAutoencoder
DENOISER_CHANNELS = (8, 16, 32)  # engine.digits.models.DigitDenoiser
BATCH_NORM_EPS = 1e-5  # torch's default


def layout_for(config: TrainingConfig) -> Layout:
    return _layout(config.model, config.is_digits, config.latent_dim)


@lru_cache(maxsize=32)
def _layout(model: str, digits: bool, latent: int) -> Layout:
    if not digits:
        decoder = (("linear", "decoder", latent, LECTURE_PIXELS), ("sigmoid",))
        if model == "vae":
            return (("encoder", ()), ("mu", (("linear", "encoder_mu", LECTURE_PIXELS, latent),)),
                    ("log_var", (("linear", "encoder_log_var", LECTURE_PIXELS, latent),)), ("decoder", decoder))
        return (("encoder", (("linear", "encoder", LECTURE_PIXELS, latent), ("sigmoid",))), ("decoder", decoder))
    if model == "dae":
        return _denoiser(latent)
    decoder = (*_mlp("decoder", (latent, *reversed(DIGIT_HIDDEN), DIGIT_PIXELS)), ("sigmoid",))
    if model == "vae":
        width = DIGIT_HIDDEN[-1]
        return (("encoder", (*_mlp("encoder.0", (DIGIT_PIXELS, *DIGIT_HIDDEN)), ("relu",))),
                ("mu", (("linear", "encoder_mu", width, latent),)),
                ("log_var", (("linear", "encoder_log_var", width, latent),)), ("decoder", decoder))
    return (("encoder", _mlp("encoder", (DIGIT_PIXELS, *DIGIT_HIDDEN, latent))), ("decoder", decoder))


def _mlp(prefix: str, sizes: tuple[int, ...]) -> tuple[tuple, ...]:
    """Linear layers with ReLU between (an ``nn.Sequential`` numbered as torch numbers it)."""
    ops: list[tuple] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        ops.append(("linear", f"{prefix}.{2 * i}", n_in, n_out))
        if i < len(sizes) - 2:
            ops.append(("relu",))
    return tuple(ops)


def _denoiser(latent: int) -> Layout:
    c0, c1, c2 = DENOISER_CHANNELS
    encoder = (
        ("unflatten", (1, 28, 28)),
        ("conv2d", "encoder.1", 1, c0, 3, 1, 1), ("batch_norm", "encoder.2", c0, BATCH_NORM_EPS), ("silu",),
        ("conv2d", "encoder.4", c0, c1, 3, 2, 1), ("batch_norm", "encoder.5", c1, BATCH_NORM_EPS), ("silu",),
        ("conv2d", "encoder.7", c1, c2, 3, 2, 1), ("batch_norm", "encoder.8", c2, BATCH_NORM_EPS), ("silu",),
        ("flatten",), ("linear", "encoder.11", c2 * 7 * 7, latent),
    )
    decoder = (
        ("linear", "decoder.0", latent, c2 * 7 * 7), ("unflatten", (c2, 7, 7)),
        ("batch_norm", "decoder.2", c2, BATCH_NORM_EPS), ("silu",),
        ("conv_transpose2d", "decoder.4", c2, c1, 4, 2, 1), ("batch_norm", "decoder.5", c1, BATCH_NORM_EPS),
        ("silu",),
        ("conv_transpose2d", "decoder.7", c1, 1, 4, 2, 1), ("flatten",), ("sigmoid",),
    )
    return (("encoder", encoder), ("decoder", decoder))


def state_shapes(layout: Layout) -> tuple[dict[str, tuple[tuple[int, ...], str]], list[tuple[int, ...]]]:
    """The network's state (weights and batch-norm statistics) by name as (shape, dtype
    string), in ``state_dict`` order, and its trained parameters' shapes in the
    optimiser's order: what a file's arrays must match."""
    state: dict[str, tuple[tuple[int, ...], str]] = {}
    trained: list[tuple[int, ...]] = []
    for _part, ops in layout:
        for op in ops:
            for name, shape, dtype, is_parameter in _op_state(op):
                state[f"{op[1]}.{name}"] = (shape, dtype)
                if is_parameter:
                    trained.append(shape)
    return state, trained


def _op_state(op: tuple) -> list[tuple[str, tuple[int, ...], str, bool]]:
    kind = op[0]
    if kind == "linear":
        n_in, n_out = op[2], op[3]
        return [("weight", (n_out, n_in), "<f4", True), ("bias", (n_out,), "<f4", True)]
    if kind == "conv2d":
        c_in, c_out, k = op[2], op[3], op[4]
        return [("weight", (c_out, c_in, k, k), "<f4", True), ("bias", (c_out,), "<f4", True)]
    if kind == "conv_transpose2d":
        c_in, c_out, k = op[2], op[3], op[4]
        return [("weight", (c_in, c_out, k, k), "<f4", True), ("bias", (c_out,), "<f4", True)]
    if kind == "batch_norm":
        c = (op[2],)
        return [("weight", c, "<f4", True), ("bias", c, "<f4", True), ("running_mean", c, "<f4", False),
                ("running_var", c, "<f4", False), ("num_batches_tracked", (), "<i8", False)]
    return []
