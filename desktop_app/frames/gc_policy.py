"""When Python's garbage collector may scan the window's objects.

A full collection walks every object and holds the interpreter lock, and it found
nothing to collect: with torch, Qt and the window loaded it took about 170 ms, and
30 to 45 ms once stored epochs piled up during training (measured with
``gc.callbacks`` while the VAE trained flat out). Either lands in the middle of a
frame. Objects that have survived so far are frozen out of those scans
(``gc.freeze`` is constant-time; frozen objects are never scanned again, and what
dies young is still collected): once at start-up, and every few seconds while
training draws frames. No Qt here.
"""

from __future__ import annotations

import gc

FREEZE_SURVIVORS_S = 5.0  # while training, objects that lived this long leave the garbage collector's scans


def freeze_startup_objects() -> None:
    """Keep full collections short: torch, Qt and the window leave a million long-lived
    objects behind, and scanning them froze the window for ~170 ms once every few
    thousand epochs."""
    gc.freeze()


class SurvivorFreezer:
    """Freezes what survived, at most once every ``FREEZE_SURVIVORS_S`` (read at each
    frame, so a test can shorten it)."""

    def __init__(self) -> None:
        self._frozen_at = 0.0

    def after_frame(self, frame_at: float) -> None:
        """Called after each frame drawn while training, with the frame's start time."""
        if frame_at - self._frozen_at >= FREEZE_SURVIVORS_S:
            self._frozen_at = frame_at
            gc.freeze()
