"""Read-only numpy copies: what snapshots and stored epochs hold, safe to hand to
another thread or process. An array that is frozen already is kept, not copied again,
so the epochs of a run share what did not change between them (the shown images, the
weights by name and by key): one copy in memory, and one on the pipe to the window
(pickle writes an object met twice in one message once)."""

from __future__ import annotations

import numpy as np


def is_frozen(array: object) -> bool:
    """A read-only array that owns its data, or reads immutable bytes (as an array that
    crossed the pipe to or from the training host does): nothing writable can change it."""
    return (isinstance(array, np.ndarray) and not array.flags.writeable
            and (array.base is None or isinstance(array.base, bytes)))


def frozen(array: object) -> np.ndarray:
    """``array`` as a read-only numpy array of its own: itself if it is one already, else
    a copy (a tensor is copied off its graph: anything with ``detach``, so this module
    needs no torch)."""
    if is_frozen(array):
        return array
    if hasattr(array, "detach"):
        array = array.detach().cpu().numpy()
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out
