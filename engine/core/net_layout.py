"""The layout (``engine.core.numpy_net``) of a live torch model, read off its modules:
what the training process attaches to every snapshot, so the window decodes with a
description of the very network that trained.

A lecture model names its layers (``named_layers``), and those define its maths
(``engine.core.named_weights.NetworkWeights``): z = σ(W_enc x + b_enc) for a plain or
denoising one, μ and ln σ² as linear heads for a VAE, y = σ(W_dec z + b_dec). A digit
model is a trunk ``encoder`` (a plain autoencoder's code), a VAE's heads
``encoder_mu`` and ``encoder_log_var``, and a ``decoder`` whose output goes through
a sigmoid (``engine.digits.models``); its modules are read in order. A module this
does not know raises: a new kind of layer needs its numpy op first.
"""

from __future__ import annotations

from torch import nn

from engine.core.numpy_net import Layout

PARTS = (("encoder", "encoder"), ("encoder_mu", "mu"), ("encoder_log_var", "log_var"), ("decoder", "decoder"))


def export_layout(model: nn.Module) -> Layout:
    """The model's layout: for each part it has, its leaf modules as ops, in order."""
    if hasattr(model, "named_layers"):
        return _lecture_layout(model)
    layout = []
    for attribute, part in PARTS:
        module = getattr(model, attribute, None)
        ops = [] if module is None else _ops(module, attribute)
        if part == "decoder":
            ops.append(("sigmoid",))
        if module is not None or part == "encoder":
            layout.append((part, tuple(ops)))
    return tuple(layout)


def _lecture_layout(model: nn.Module) -> Layout:
    keys = {id(module): name for name, module in model.named_modules()}
    named = {part: _op(layer, keys[id(layer)]) for part, layer in model.named_layers().items()}
    decoder = ("decoder", (named["decoder"], ("sigmoid",)))
    if model.is_variational:
        return (("encoder", ()), ("mu", (named["encoder"],)), ("log_var", (named["log_var"],)), decoder)
    return (("encoder", (named["encoder"], ("sigmoid",))), decoder)


def _ops(module: nn.Module, prefix: str) -> list[tuple]:
    leaves = [(name, m) for name, m in module.named_modules() if not list(m.children())]
    return [_op(m, f"{prefix}.{name}" if name else prefix) for name, m in leaves]


def _op(m: nn.Module, key: str) -> tuple:
    if isinstance(m, nn.Linear):
        return ("linear", key, m.in_features, m.out_features)
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        return _conv(m, key)
    if isinstance(m, nn.BatchNorm2d):
        if not m.track_running_stats or not m.affine:
            raise ValueError(f"{key}: only batch norm with running statistics and a scale has a numpy op.")
        return ("batch_norm", key, m.num_features, float(m.eps))
    if isinstance(m, nn.Flatten) and (m.start_dim, m.end_dim) == (1, -1):
        return ("flatten",)
    if isinstance(m, nn.Unflatten) and m.dim == 1:
        return ("unflatten", tuple(int(s) for s in m.unflattened_size))
    for kind, name in ((nn.ReLU, "relu"), (nn.SiLU, "silu"), (nn.Sigmoid, "sigmoid")):
        if isinstance(m, kind):
            return (name,)
    raise ValueError(f"{key}: a {type(m).__name__} has no numpy op (engine.core.numpy_net).")


def _conv(m: nn.Conv2d | nn.ConvTranspose2d, key: str) -> tuple:
    square = len(set(m.kernel_size)) == len(set(m.stride)) == len(set(m.padding)) == 1
    plain = m.groups == 1 and set(m.dilation) == {1} and m.bias is not None and m.padding_mode == "zeros"
    if isinstance(m, nn.ConvTranspose2d):
        plain = plain and set(m.output_padding) == {0}
    if not square or not plain:
        raise ValueError(f"{key}: only square, ungrouped, biased convolutions have a numpy op.")
    kind = "conv_transpose2d" if isinstance(m, nn.ConvTranspose2d) else "conv2d"
    return (kind, key, m.in_channels, m.out_channels, m.kernel_size[0], m.stride[0], m.padding[0])
