"""Load what torch's first optimiser imports (torch._dynamo and friends: seconds on a busy
machine) on a thread of its own as soon as the host starts, while the window builds, so
the first Play does not wait for it."""

from __future__ import annotations

import threading
from collections.abc import Callable

_DONE = threading.Event()


def start(then: Callable[[], None] = lambda: None) -> None:
    """Load it on a thread; ``then`` runs on that thread once it is loaded."""
    threading.Thread(target=_load, args=(then,), name="warm-up", daemon=True).start()


def wait(timeout: float) -> bool:
    """True once the warm-up is over (it may have been over long ago)."""
    return _DONE.wait(timeout)


def _load(then: Callable[[], None]) -> None:
    try:
        import torch

        torch.optim.Adam([torch.zeros(1, requires_grad=True)])
        then()
    finally:
        _DONE.set()
