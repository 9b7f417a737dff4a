"""Epoch snapshots: frozen numpy copies of everything a view may show.

Views and panels only ever read snapshots, never a model a worker is training; a
snapshot decodes a clicked latent point with its own frozen copy of the weights, in
numpy (``engine.core.numpy_net``): the window never imports torch (issue 15).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from engine.core.config import TrainingConfig, World
from engine.core.named_weights import NetworkWeights
from engine.core.net_layouts import layout_for
from engine.core.numpy_net import Layout, NumpyNet


@dataclass(frozen=True, eq=False)
class EpochSnapshot:
    """The state of a run after ``epoch`` epochs (epoch 0 = the random start).

    ``images`` are the images shown (the training set for 2x2 models, the held-out
    digits for MNIST), ``inputs`` what the network is fed for them (corrupted for a
    denoiser), ``codes`` their latent codes (the means for a VAE). ``weights`` names the
    lecture network's matrices for views that draw them (None for the deep digit
    models); ``params`` is the model's own state and ``layout`` the network it fills
    (``engine.core.numpy_net``; None: the one the config names), what decodes with.
    """

    epoch: int
    config: TrainingConfig
    loss: float
    reconstruction_loss: float
    kl: float
    params: dict[str, np.ndarray]
    images: np.ndarray
    inputs: np.ndarray
    codes: np.ndarray
    reconstructions: np.ndarray
    image_losses: np.ndarray  # per image, summed over pixels
    weights: NetworkWeights | None = None
    log_vars: np.ndarray | None = None
    samples: np.ndarray | None = None
    labels: np.ndarray | None = None
    layout: Layout | None = None

    @property
    def world(self) -> World:
        """The lecture's 2x2 images or the digits: what a view may show of this run."""
        return self.config.world

    @property
    def latent_dim(self) -> int:
        """Coordinates of a latent point (2: a plane a view can draw)."""
        return self.config.latent_dim

    @property
    def is_variational(self) -> bool:
        return self.log_vars is not None

    @property
    def spreads(self) -> np.ndarray | None:
        """σ per image and latent unit, for a VAE."""
        return None if self.log_vars is None else np.exp(0.5 * self.log_vars)

    @property
    def net(self) -> NumpyNet:
        """This epoch's network in numpy, over the snapshot's own frozen weights: made
        when first asked for and kept beside the snapshot, not in it, so pickling a
        snapshot (every stored epoch crosses from the training process) stays pickle's
        own C code, with no Python hook to leave the network out."""
        net = _NETS.get(self)
        if net is None:
            layout = self.layout if self.layout is not None else layout_for(self.config)
            net = _NETS[self] = NumpyNet(self.params, layout)
        return net

    def decode(self, z: np.ndarray | list | tuple) -> np.ndarray:
        """Decode latent points (shape (latent,) or (N, latent)) with this epoch's weights."""
        z_arr = np.asarray(z, dtype=np.float32)
        single = z_arr.ndim == 1
        z_arr = np.atleast_2d(z_arr)
        if z_arr.ndim != 2 or z_arr.shape[1] != self.latent_dim:
            raise ValueError(f"A latent point here has {self.latent_dim} coordinates.")
        out = self.net.decode(z_arr)
        return out[0] if single else out

    def encode(self, images: np.ndarray) -> np.ndarray:
        """Latent codes (means for a VAE) of images, with this epoch's weights."""
        return self.net.encode(np.atleast_2d(np.asarray(images, dtype=np.float32)))[0]

    def reconstruct(self, images: np.ndarray) -> np.ndarray:
        """The network's output for images (a denoiser's: the cleaned images), with this
        epoch's weights; a VAE decodes its means, so the answer holds still."""
        return self.net.forward(np.atleast_2d(np.asarray(images, dtype=np.float32)))[0]


#: Each snapshot's network, for as long as the snapshot lives.
_NETS: weakref.WeakKeyDictionary[EpochSnapshot, NumpyNet] = weakref.WeakKeyDictionary()


def network_weights(model: object) -> NetworkWeights | None:
    """The weights of the layers a lecture model names (``named_layers``), frozen; None
    for a model that names none (the digit models, many layers deep)."""
    named = getattr(model, "named_layers", None)
    if named is None:
        return None
    return NetworkWeights.from_arrays({part: (layer.weight, layer.bias)
                                       for part, layer in named().items()})
