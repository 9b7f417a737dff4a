"""How the training host pickles what it sends: numpy arrays as their bytes.

A 2x2 model's stored epoch holds about thirty tiny arrays, and numpy's own pickling
spends 3 to 5 µs on each (it builds a reconstruct call, imports ``pickle`` to make a
``PickleBuffer``, pickles the dtype), whatever its size: most of the ~100 µs an epoch
cost to send, on the host's sender thread, under the interpreter lock its training
thread needs. Here an array is its raw bytes, its dtype (pickled once per message), its
shape and whether it is writeable: ~1 µs. ``ndarray`` subclasses and object arrays keep
numpy's own pickling.

The window reads the bytes with ``multiprocessing``'s ordinary ``recv`` (plain
``pickle.loads``); ``array`` is the one function it calls back, and it returns what was
sent: the same values, dtype, shape and writeability, an array owning its own data
(``engine.core.frozen.is_frozen`` holds for a frozen one). Torch-free: the window
imports this module to unpickle.
"""

from __future__ import annotations

import copyreg
import io
import pickle

import numpy as np

PROTOCOL = pickle.HIGHEST_PROTOCOL


def array(data: bytes, dtype: np.dtype, shape: tuple[int, ...], writeable: bool) -> np.ndarray:
    """An array of ``shape`` and ``dtype`` holding a copy of ``data``."""
    out = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
    out.flags.writeable = writeable
    return out


def _reduce_array(value: np.ndarray) -> tuple:
    if value.dtype.hasobject:
        return value.__reduce_ex__(PROTOCOL)
    return array, (value.tobytes(), value.dtype, value.shape, value.flags.writeable)


_TABLE = copyreg.dispatch_table.copy()
_TABLE[np.ndarray] = _reduce_array


def dumps(message: object) -> bytes:
    """``message`` pickled for the pipe (``Connection.send_bytes``; read with ``recv``)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, PROTOCOL)
    pickler.dispatch_table = _TABLE
    pickler.dump(message)
    return buffer.getvalue()
