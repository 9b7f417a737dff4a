"""A session's train state (weights, optimiser moments, random stream, settings,
training images) as plain numpy: how a session stores each epoch (``portable_train_state``),
so what crosses from the training process to the window, what the window keeps in its
mirror (``engine.core.record``) and what a file holds are that same form.

Duck-typed, so this module never imports torch: anything with ``detach`` and ``numpy``
is a tensor. The way back to torch is ``engine.core.train_state_torch``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_PLAIN = frozenset({int, float, bool, str, type(None), np.ndarray})  # never a tensor, holds none


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
    numpy copy; everything else (settings, numbers, None, numpy arrays) as it is."""
    return map_leaves(state, lambda value: value.numpy(force=True).copy() if is_tensor(value) else value)


def portable_train_state(state: dict) -> dict:
    """A checkpoint's train state as a session stores it: numpy only, and no copy of
    what every process has anyway. A digit session's training set is the shipped digits,
    which every process loads from disk: ``None`` (what restoring reads as "keep the
    shipped digits") instead of 4,500 images per checkpoint. What holds no tensor is
    kept as it is (the snapshot's own weights dict, shared with it), not rebuilt."""
    if state["config"].is_digits:
        state = {**state, "train": None}
    return {key: to_numpy(value) if holds_tensor(value) else value for key, value in state.items()}


def holds_tensor(value: object) -> bool:
    """Whether ``value`` is a tensor or holds one (in dicts, lists, tuples)."""
    if type(value) in _PLAIN:
        return False
    if isinstance(value, dict):
        return any(holds_tensor(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds_tensor(item) for item in value)
    return is_tensor(value)
