"""When Python's garbage collector may scan the training host's objects.

A full collection walks every tracked object while holding the interpreter lock. In the
host that is torch with its optimiser machinery (about a million objects once
``warm_up`` is done) plus every stored epoch's train state: measured in a loop like
the host's (a 2x2 model training flat out, updates published every 16 ms), one full
collection every ~2,000 epochs took 320 to 460 ms, and the training thread and the
window's updates stood still for all of it. Nearly all of those objects live as long
as the host or their session, so they are frozen out of the scans (``gc.freeze``:
constant time; what dies young is still collected, and refcounting still frees a
closed session's objects): once torch is loaded, then every few seconds while a
session trains. The window does the same with its own objects
(``desktop_app.frames.gc_policy``).
"""

from __future__ import annotations

import gc
import time

FREEZE_SURVIVORS_S = 5.0  # while training, objects that lived this long leave the collector's scans


class SurvivorFreezer:
    """Freezes what survived so far, at most once every ``FREEZE_SURVIVORS_S``."""

    def __init__(self, every_s: float = FREEZE_SURVIVORS_S) -> None:
        self.every_s = every_s
        self._frozen_at = -float("inf")

    def freeze_now(self) -> None:
        gc.freeze()
        self._frozen_at = time.monotonic()

    def while_training(self) -> None:
        """Called by the sender after it published epochs: freeze if it is time."""
        if time.monotonic() - self._frozen_at >= self.every_s:
            self.freeze_now()
