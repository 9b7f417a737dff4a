"""A session's train state (weights, optimiser moments, random stream, settings,
training images) as plain numpy: what crosses from the training process to the window
and what the window keeps in its mirror (``engine.core.record``).

Duck-typed, so this module never imports torch: anything with ``detach`` and ``numpy``
is a tensor. The way back to torch is ``engine.core.train_state_torch``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.core.history import Checkpoint


def is_tensor(value: object) -> bool:
    return hasattr(value, "detach") and hasattr(value, "numpy")


def map_leaves(state: Any, leaf: Callable[[Any], Any]) -> Any:
    """``state`` with ``leaf`` applied to everything in it that is not a dict, list or
    tuple, nested to any depth (the containers rebuilt as plain dicts, lists, tuples)."""
    if isinstance(state, dict):
        return {key: map_leaves(value, leaf) for key, value in state.items()}
    if isinstance(state, list):
        return [map_leaves(value, leaf) for value in state]
    if isinstance(state, tuple):
        return tuple(map_leaves(value, leaf) for value in state)
    return leaf(state)


def to_numpy(state: Any) -> Any:
    """``state`` with every tensor in it (nested in dicts, lists, tuples) replaced by a
    numpy copy; everything else (settings, numbers, None) as it is."""
    return map_leaves(state, lambda value: np.array(value.detach().cpu().numpy(), copy=True)
                      if is_tensor(value) else value)


def portable_train_state(state: dict, params: dict[str, np.ndarray] | None = None) -> dict:
    """A checkpoint's train state for the window: numpy only, and no copy of what the
    window has anyway. A digit session's training set is the shipped digits, which
    both processes load from disk: ``None`` (what restoring reads as "keep the shipped
    digits") instead of 4,500 images per checkpoint. ``params``, the snapshot's frozen
    copy of the same weights taken at the same moment, stands in for the model's state."""
    out = {key: value for key, value in state.items() if key != "model"}
    out = to_numpy(out)
    if state["config"].is_digits:
        out["train"] = None
    same = params is not None and list(params) == list(state["model"])
    out["model"] = dict(params) if same else to_numpy(state["model"])
    return out


def portable_checkpoint(checkpoint: Checkpoint) -> Checkpoint:
    """The checkpoint with a portable train state; the snapshot object is shared."""
    snapshot = checkpoint.snapshot
    return Checkpoint(snapshot, portable_train_state(checkpoint.train_state, getattr(snapshot, "params", None)))
