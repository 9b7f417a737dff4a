"""One controller's frames: when the next one is due, and what waits for its second half.

The controller polls every ``HALF_FRAME_MS``. On a tick where views are waiting for
the second half, it draws them (``draw_second_half``) and nothing else; otherwise, if a
frame is due (``frame_due``), it publishes the newest snapshot, the first half. Every
drawing happens inside ``drawing()``: the paint happens here and now rather than on a
later turn of the event loop. Training runs in the training host
(another process), so nothing here waits for it and it never waits for a frame.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QEvent

FRAME_INTERVAL_S = 0.033  # at most ~30 frames a second
HALF_FRAME_MS = 16  # the poll timer: a frame's first half, then its second
HALF_FRAME_BUDGET_S = 0.01  # past this, further second-half views wait for the next tick


def paint_now() -> None:
    """Draw what the views just changed, here and now rather than on a later turn of the
    event loop: queued updates first (pyqtgraph's scenes post theirs), then the paint."""
    QCoreApplication.sendPostedEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.UpdateRequest)


class FrameScheduler:
    """The second half's queue (one request per view, the newest wins) and the pace of
    first halves. ``clock`` is replaceable so a test can play a second of frames."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._later: dict[int, tuple[Callable[[], None], float]] = {}  # by view: (draw, at most every s)
        self._drawn_at: dict[int, float] = {}  # by view: when it last drew
        self.frame_at = 0.0  # when the last first half was drawn

    def draw_later(self, view: object, draw: Callable[[], None], every_s: float, running: bool) -> None:
        """While ``running``: draw ``view`` in a second half, at most once every ``every_s``
        seconds, replacing its older request. Otherwise at once."""
        if running:
            self._later[id(view)] = (draw, every_s)
        else:
            self._later.pop(id(view), None)
            self._drawn_at[id(view)] = self._clock()
            draw()

    @contextmanager
    def drawing(self) -> Iterator[None]:
        """Change views and paint them here and now."""
        yield
        paint_now()

    def frame_due(self) -> bool:
        """About 30 frames a second."""
        return self._clock() - self.frame_at >= FRAME_INTERVAL_S - HALF_FRAME_MS / 2000

    def begin_frame(self) -> float:
        """A first half starts now; returns its time."""
        self.frame_at = self._clock()
        return self.frame_at

    def draw_second_half(self, everything: bool = False, at_once: bool = False) -> bool:
        """Draw the views waiting for it, one at a time, painting each: those due, or with
        ``everything`` all of them (a run's last epoch: each view's last request is drawn,
        however recently it drew). Once HALF_FRAME_BUDGET_S is spent the rest wait for the
        next tick, unless ``at_once`` (a script waiting for the end: whatever it costs).
        True if any was waiting to be drawn now."""
        now = self._clock()
        due = [key for key, (_draw, every_s) in self._later.items()
               if everything or now - self._drawn_at.get(key, -math.inf) >= every_s]
        for key in due:
            if not at_once and self._clock() - now > HALF_FRAME_BUDGET_S:
                break
            draw, _every_s = self._later.pop(key)
            self._drawn_at[key] = now
            with self.drawing():
                draw()
        return bool(due)

    @property
    def waiting(self) -> bool:
        """Some view still waits for a second half (due now or later)."""
        return bool(self._later)

    def clear(self) -> None:
        """Forget every waiting request (the run was stopped for good)."""
        self._later.clear()
