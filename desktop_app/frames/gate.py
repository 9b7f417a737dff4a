"""Where training threads wait while the GUI thread draws a frame.

Python runs one thread at a time. A worker training flat out would take the
interpreter from the GUI thread every millisecond and double the time a frame takes
to draw, so while a frame is drawn every worker waits before its next mini-batch
(a 2x2 batch takes about a millisecond, a digit one a few). No Qt here: the worker
thread uses it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

FRAME_WAIT_LIMIT_S = 0.25  # a frame never holds training up for longer than this


class FrameGate:
    """Where training threads wait while the GUI thread draws a frame. One for the whole
    process, as the interpreter lock is: the workbench's run, the latent comparison's
    run and the case studies' runs all wait for any controller's frame."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()
        self._frames = 0  # frames being drawn (one controller's may draw inside another's)
        self._clock = clock
        self._closed_at = 0.0
        self._spells: deque[tuple[float, float]] = deque()  # (closed, opened) in the last seconds

    @contextmanager
    def closed(self) -> Iterator[None]:
        with self._lock:
            if self._frames == 0:
                self._closed_at = self._clock()
            self._frames += 1
            self._open.clear()
        try:
            yield
        finally:
            with self._lock:
                self._frames -= 1
                if self._frames == 0:
                    self._spells.append((self._closed_at, self._clock()))
                    self._open.set()

    def wait(self, timeout: float = FRAME_WAIT_LIMIT_S) -> None:
        self._open.wait(timeout)

    def closed_share(self, window_s: float = 1.0) -> float:
        """The share of the last ``window_s`` seconds that training spent waiting for frames."""
        now = self._clock()
        start = now - window_s
        with self._lock:
            while self._spells and self._spells[0][1] < start:
                self._spells.popleft()
            closed = sum(end - max(begin, start) for begin, end in self._spells)
        return closed / window_s


FRAME_GATE = FrameGate()
