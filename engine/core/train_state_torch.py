"""The torch side of ``engine.core.train_state``: a numpy train state (from the
window's mirror or a file) back into tensors, for the training process."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch


def to_torch(state: Any) -> Any:
    """``state`` with every numpy array in it (nested in dicts, lists, tuples) replaced
    by a tensor that owns a copy (a mirror's arrays may be read-only); tensors and
    everything else as they are."""
    if isinstance(state, (np.ndarray, np.generic)):
        return torch.from_numpy(np.array(state, copy=True))
    if isinstance(state, dict):
        return {key: to_torch(value) for key, value in state.items()}
    if isinstance(state, list):
        return [to_torch(value) for value in state]
    if isinstance(state, tuple):
        return tuple(to_torch(value) for value in state)
    return state
