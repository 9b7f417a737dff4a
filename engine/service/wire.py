"""How the training host and the window put messages on their pipe.

A message is pickled once and sent as frames (``send``; read with ``recv``): the pickle,
then the bytes of each large array, out of band.

- Small arrays go inside the pickle as their raw bytes, dtype, shape and writeability.
  A 2x2 model's stored epoch holds about ten tiny arrays (thirty before its optimiser's
  moments were packed into one: ``engine.core.optimizer_state``), and numpy's own
  pickling spends 3 to 5 µs on each (it builds a reconstruct call, imports ``pickle`` to
  make a ``PickleBuffer``, pickles the dtype), whatever its size: most of the ~100 µs an
  epoch cost to send, on the host's sender thread, under the interpreter lock its
  training thread needs. Here such an array costs ~1 µs.
- A large array (``OUT_OF_BAND_BYTES`` and up, contiguous) crosses as a frame of its
  own, written from its memory (pickle protocol 5's out-of-band buffers): no copy into
  the pickle, none out of it. A digit VAE's update is 14 MB, nearly all weights and the
  optimiser's moments: sending one took 30 ms of the sender's CPU time with the arrays
  inside the pickle, 2.4 ms out of band; reading it 11 and 7.6 ms.

Read back, an array has the values, dtype, shape and writeability sent. A read-only one
is backed by bytes nothing else holds (a large one, by its own frame): it stays frozen
(``engine.core.frozen.is_frozen``), and keeps nothing else of the message alive. A
writeable one is a copy the reader may change. ``ndarray`` subclasses and object arrays
keep numpy's own pickling. Torch-free: the window imports this module.
"""

from __future__ import annotations

import copyreg
import io
import pickle
from multiprocessing.connection import Connection

import numpy as np

PROTOCOL = 5  # out-of-band buffers
OUT_OF_BAND_BYTES = 64 * 1024  # a larger array crosses as its own frame
_COUNT_BYTES = 4  # the first frame starts with how many buffer frames follow it


def array(data: bytes | bytearray | memoryview, dtype: np.dtype, shape: tuple[int, ...],
          writeable: bool) -> np.ndarray:
    """An array of ``shape`` and ``dtype`` over ``data``: a copy when it is to be
    writeable or ``data`` could change, else a read-only view of the immutable bytes."""
    if writeable or not isinstance(data, bytes):
        out = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        out.flags.writeable = writeable
        return out
    return np.ndarray(shape, dtype=dtype, buffer=data)


def _reduce_array(value: np.ndarray) -> tuple:
    if value.dtype.hasobject:
        return value.__reduce_ex__(PROTOCOL)
    if value.nbytes >= OUT_OF_BAND_BYTES and value.flags.c_contiguous:
        data = pickle.PickleBuffer(value)
    else:
        data = value.tobytes()
    return array, (data, value.dtype, value.shape, value.flags.writeable)


_TABLE = copyreg.dispatch_table.copy()
_TABLE[np.ndarray] = _reduce_array


def _pickle(message: object, buffers: list[pickle.PickleBuffer] | None) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, PROTOCOL, buffer_callback=None if buffers is None else buffers.append)
    pickler.dispatch_table = _TABLE
    pickler.dump(message)
    return out.getvalue()


def dumps(message: object) -> bytes:
    """``message`` pickled whole, large arrays inside (read with ``pickle.loads``)."""
    return _pickle(message, None)


def send(conn: Connection, message: object) -> None:
    """Put ``message`` on ``conn``: pickled first (an object that cannot be pickled
    raises before anything is written), then its frames. Callers on several threads
    hold one lock around it: a message's frames must not interleave with another's."""
    buffers: list[pickle.PickleBuffer] = []
    head = _pickle(message, buffers)
    conn.send_bytes(len(buffers).to_bytes(_COUNT_BYTES, "little") + head)
    for buffer in buffers:
        conn.send_bytes(buffer.raw())


def recv(conn: Connection) -> object:
    """The next message ``send`` put on ``conn`` (EOFError or OSError when it is closed)."""
    head = conn.recv_bytes()
    count = int.from_bytes(head[:_COUNT_BYTES], "little")
    buffers = [conn.recv_bytes() for _ in range(count)]
    return pickle.loads(memoryview(head)[_COUNT_BYTES:], buffers=buffers)
