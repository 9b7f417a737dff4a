"""The torch side of ``engine.core.train_state``: a numpy train state (from the
window's mirror or a file) back into tensors, for the training process."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.core.optimizer_state import OptimizerState
from engine.core.train_state import map_leaves


def to_torch(state: Any) -> Any:
    """``state`` with every numpy array in it (nested in dicts, lists, tuples) replaced
    by a tensor that owns a copy (a mirror's arrays may be read-only), and a packed
    optimiser state by its state dict of such tensors; everything else as it is."""
    return map_leaves(state, _leaf_to_torch)


def _leaf_to_torch(value: Any) -> Any:
    if isinstance(value, (np.ndarray, np.generic)):
        return torch.from_numpy(np.array(value, copy=True))
    if isinstance(value, OptimizerState):
        return to_torch(value.state_dict())
    return value
