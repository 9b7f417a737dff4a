"""The lecture network's weights by what they are, not by where torch keeps them.

A picture of the network (the diagram, the perceptron panel) needs "the encoder's W
and b", not ``state_dict()["encoder_mu.weight"]``: a torch key changes whenever a
layer is renamed, and a view reading keys would then silently draw nothing. Each of
the lecture's models says which of its layers plays which part (``named_layers``),
and a snapshot keeps them here as frozen numpy matrices. The digit models are many
layers deep; nothing draws them weight by weight, so they name no layers.

Plain numpy, no torch: a view can be fed weights written by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.core.frozen import frozen

#: The parts a lecture model may name: ``encoder`` (a VAE's mean head μ), ``decoder``,
#: and a VAE's ``log_var`` head.
PARTS = ("encoder", "decoder", "log_var")


def parameter_names(variational: bool) -> dict[str, tuple[str, str]]:
    """The lecture's name for each weight matrix and bias vector -> (part, "weight" or
    "bias"), in the order the models register their layers (torch's optimiser numbers
    them in that order): 'encoder.weight', or a VAE's 'encoder_mu.weight' and
    'encoder_log_var.weight', then 'decoder.weight'. What the backprop panel, the diagram
    and the weights table call them; a torch layer renamed leaves these names alone."""
    heads = (("encoder_mu", "encoder"), ("encoder_log_var", "log_var")) if variational else (("encoder", "encoder"),)
    return {f"{prefix}.{kind}": (part, kind) for prefix, part in (*heads, ("decoder", "decoder"))
            for kind in ("weight", "bias")}


@dataclass(frozen=True, eq=False)
class Layer:
    """One fully connected layer, out = W · in + b: ``weight`` (outputs, inputs), so row
    j holds the weights into unit j, and ``bias`` (outputs,)."""

    weight: np.ndarray
    bias: np.ndarray

    def __post_init__(self) -> None:
        if self.weight.ndim != 2 or self.bias.shape != (self.weight.shape[0],):
            raise ValueError(f"A layer needs W of shape (outputs, inputs) and b of shape (outputs,), "
                             f"not {self.weight.shape} and {self.bias.shape}.")


@dataclass(frozen=True, eq=False)
class NetworkWeights:
    """The lecture network by parts. Plain and denoising: z = σ(W_enc x + b_enc),
    y = σ(W_dec z + b_dec). VAE: μ = W_enc x + b_enc (the encoder is its mean head),
    ln σ² = W_lv x + b_lv, y = σ(W_dec z + b_dec)."""

    encoder: Layer
    decoder: Layer
    log_var: Layer | None = None

    def parameters(self) -> dict[str, np.ndarray]:
        """Each weight matrix and bias by its lecture name (``parameter_names``)."""
        return {name: getattr(getattr(self, part), kind)
                for name, (part, kind) in parameter_names(self.log_var is not None).items()}

    @classmethod
    def from_arrays(cls, layers: Mapping[str, tuple[object, object]]) -> NetworkWeights:
        """From {part: (W, b)}, frozen (an array frozen already is shared, not copied):
        e.g. a model's named layers, or a snapshot's frozen weights by key."""
        unknown = set(layers) - set(PARTS)
        if unknown or not {"encoder", "decoder"} <= set(layers):
            raise ValueError(f"A network names an encoder and a decoder (and a VAE a log_var head), "
                             f"not {', '.join(sorted(layers))}.")
        made = {part: Layer(frozen(w), frozen(b)) for part, (w, b) in layers.items()}
        return cls(**made)
