"""The 2x2 network's weights and biases by the names the backprop panel, the diagram and
the weights table use ('decoder.weight[1,0]', 0-based), and how a learner reads them
('weight z₁ → y₂'). The names are the lecture's (``engine.core.named_weights``), not
whatever torch calls the layers.
"""

from __future__ import annotations

import re

import numpy as np

from engine.core.named_weights import parameter_names

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_KEY = re.compile(r"^(?P<tensor>[a-z_]+\.(?:weight|bias))\[(?P<index>\d+(?:,\d+)?)\]$")


def sub(n: int) -> str:
    """A learner's 1-based index as a subscript: sub(0) == '₁'."""
    return str(n + 1).translate(_SUB)


# ----- naming the weights -----------------------------------------------------------------


def tensor_shapes(model: str) -> dict[str, tuple[int, ...]]:
    """The 2x2 network's tensors by their lecture names (``named_weights.parameter_names``),
    in the order the model registers them (the order torch's optimiser numbers them in)."""
    shapes = {("encoder", "weight"): (2, 4), ("encoder", "bias"): (2,), ("log_var", "weight"): (2, 4),
              ("log_var", "bias"): (2,), ("decoder", "weight"): (4, 2), ("decoder", "bias"): (4,)}
    return {name: shapes[role] for name, role in parameter_names(model == "vae").items()}


def parameter_keys(model: str) -> list[str]:
    """Every weight and bias as a key such as 'decoder.weight[1,0]' (0-based indices)."""
    keys = []
    for tensor, shape in tensor_shapes(model).items():
        keys += [f"{tensor}[{','.join(str(i) for i in index)}]" for index in np.ndindex(shape)]
    return keys


def parse_key(key: str, model: str) -> tuple[str, tuple[int, ...]]:
    """'decoder.weight[1,0]' -> ('decoder.weight', (1, 0)), or a learner-readable ValueError."""
    match = _KEY.match(key.replace(" ", ""))
    shapes = tensor_shapes(model)
    if match is None or match["tensor"] not in shapes:
        raise ValueError(f"This network has no weight or bias called {key!r}.")
    index = tuple(int(i) for i in match["index"].split(","))
    shape = shapes[match["tensor"]]
    if len(index) != len(shape) or any(not 0 <= i < n for i, n in zip(index, shape, strict=True)):
        raise ValueError(f"This network has no weight or bias called {key!r}.")
    return match["tensor"], index


def parameter_name(key: str, model: str) -> str:
    """How a learner reads a key: 'weight z₁ → y₂', 'bias of y₂', 'weight x₃ → ln σ₁²'."""
    tensor, index = parse_key(key, model)
    unit = {"encoder.weight": "z", "encoder.bias": "z", "encoder_mu.weight": "μ", "encoder_mu.bias": "μ",
            "encoder_log_var.weight": "ln σ²", "encoder_log_var.bias": "ln σ²",
            "decoder.weight": "y", "decoder.bias": "y"}[tensor]
    target = f"ln σ{sub(index[0])}²" if unit == "ln σ²" else f"{unit}{sub(index[0])}"
    if tensor.endswith(".bias"):
        return f"bias of {target}"
    source = f"z{sub(index[1])}" if tensor == "decoder.weight" else f"x{sub(index[1])}"
    return f"weight {source} → {target}"
