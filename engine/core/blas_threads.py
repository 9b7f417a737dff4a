"""numpy's BLAS on one thread while a snapshot's numbers are computed.

Two reasons, both measured on the 2-core machine this app is developed on:

- Speed. numpy's OpenBLAS starts a thread per core for a large product, but in this
  app the cores are taken (torch's training threads, the window's GUI thread): its
  threads wait for each other. The digit VAE's first layer on the 500 shown digits
  ((500, 784) @ (784, 512)) took 61 ms of wall time and 33 ms of CPU time on two
  threads while another process trained, 13 ms and 7 ms on one. A digit VAE epoch's
  snapshot took ~87 ms of CPU time (all threads) and ~130 ms of wall time on the busy
  machine, ~23 ms and ~47 ms on one thread.
- The same bits everywhere. OpenBLAS splits a product differently for another thread
  count, and the sums then differ in their last bits; on one thread the training
  process and a window opening a file compute the very same numbers whatever their
  own thread settings.

The limit holds only inside ``one_blas_thread`` and is undone on leaving it. OpenBLAS
keeps one thread count for the whole process, so threads that compute snapshots at
the same moment take turns (a lock): none of them can undo the limit under another.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

_lock = threading.RLock()
_controller: ThreadpoolController | None = None


@contextmanager
def one_blas_thread(needed: bool = True) -> Iterator[None]:
    """numpy's BLAS libraries limited to one thread inside, as they were after.

    ``needed`` False: nothing is done, for products far below the size at which BLAS
    starts threads at all (the 2x2 networks'), where setting and undoing the limit
    (~30 µs) would cost about a per cent of an epoch."""
    if not needed:
        yield
        return
    with _lock, _blas().limit(limits=1, user_api="blas"):
        yield


def _blas() -> ThreadpoolController:
    """The process's BLAS libraries, found once (a scan of the loaded libraries, ~15 ms)."""
    global _controller
    if _controller is None:
        _controller = ThreadpoolController().select(user_api="blas")
    return _controller
