"""An optimiser's saved state as a stored epoch keeps it: one flat array of numbers and
the layout that says which slot of which parameter each stretch of it is.

torch's ``state_dict`` of Adam on the lecture's 2x2 network is five dicts, a list and
twelve tiny tensors (a step, two moments per parameter). A session stores one every
epoch, and every stored epoch crosses the pipe to the window: pickling those objects
was 14 of the 34 µs a 2x2 autoencoder's epoch took to pickle (25 of 72 for the VAE's
eighteen), on the training host's sender thread, under the interpreter lock the
training thread needs. ``OptimizerState`` is two objects: its
``values`` (one read-only float array) and its ``layout``, which stays the same from
epoch to epoch and is shared by the epochs that have it, so pickle writes it once a
message.

It reads like the state dict it packs (``state["state"]``, ``state["param_groups"]``:
numpy views of the numbers, fresh group dicts), so a file writer, a test or the way
back to torch (``engine.core.train_state_torch.to_torch``) need not know the
difference. Torch-free: the window keeps these in its mirror.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.core.train_state import holds_tensor, is_tensor, to_numpy


@dataclass(frozen=True)
class StateLayout:
    """Which numbers are which: ``slots`` as (parameter index, slot name, shape), in the
    order their numbers follow one another, their dtype, and the parameter groups
    (learning rate, betas, ...) as the state dict has them. Compared by value."""

    slots: tuple[tuple[Any, str, tuple[int, ...]], ...]
    dtype: str
    param_groups: list[dict]

    def groups(self) -> list[dict]:
        """The parameter groups as a state dict holds them (new dicts and lists)."""
        return [{key: list(value) if isinstance(value, list) else value for key, value in group.items()}
                for group in self.param_groups]


@dataclass(frozen=True, eq=False)
class OptimizerState:
    """An optimiser's ``state_dict`` as one array of numbers and a shared layout."""

    layout: StateLayout
    values: np.ndarray

    def __getitem__(self, key: str) -> Any:
        if key == "state":
            return self.slots()
        if key == "param_groups":
            return self.layout.groups()
        raise KeyError(key)

    def slots(self) -> dict:
        """{parameter index: {slot name: array}}: read-only views of ``values``."""
        out: dict = {}
        start = 0
        for pid, name, shape in self.layout.slots:
            size = int(np.prod(shape, dtype=np.int64))
            out.setdefault(pid, {})[name] = self.values[start:start + size].reshape(shape)
            start += size
        return out

    def state_dict(self) -> dict:
        """The state dict it packs, in numpy."""
        return {"state": self.slots(), "param_groups": self.layout.groups()}


def portable_optimizer_state(state_dict: dict | None, like: Any = None) -> OptimizerState | dict | None:
    """An optimiser's ``state_dict`` (tensors or numpy) as a session stores it: packed
    when every slot is an array of one dtype, else as a plain numpy dict. ``like`` is
    the previous epoch's: its layout is shared when it is the same."""
    if state_dict is None or isinstance(state_dict, OptimizerState):
        return state_dict
    slots = [(pid, name, _as_numpy(value))
             for pid, named in state_dict["state"].items() for name, value in named.items()]
    dtypes = {array.dtype for _, _, array in slots if array is not None}
    if any(array is None for _, _, array in slots) or len(dtypes) > 1:
        return to_numpy(state_dict)
    dtype = dtypes.pop() if dtypes else np.dtype(np.float32)
    shapes = tuple((pid, name, array.shape) for pid, name, array in slots)
    groups = state_dict["param_groups"]  # new dicts from ``state_dict``, settings in them
    if isinstance(like, OptimizerState) and _same_layout(like.layout, shapes, dtype.str, groups):
        layout = like.layout
    else:
        layout = StateLayout(shapes, dtype.str, to_numpy(groups) if holds_tensor(groups) else groups)
    values = np.concatenate([array.ravel() for _, _, array in slots]) if slots else np.zeros(0, dtype)
    values.flags.writeable = False  # a new array of its own: frozen
    return OptimizerState(layout, values)


def _same_layout(layout: StateLayout, shapes: tuple, dtype: str, groups: list[dict]) -> bool:
    if layout.slots != shapes or layout.dtype != dtype:
        return False
    try:
        return layout.param_groups == groups  # in C, value by value
    except (RuntimeError, TypeError, ValueError):  # a setting that is an array of many numbers
        return False


def _as_numpy(value: Any) -> np.ndarray | None:
    if is_tensor(value):
        return value.numpy(force=True)  # a view: the packing copies
    return value if isinstance(value, np.ndarray) else None
