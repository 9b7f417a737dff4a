"""A hosted session's training thread: pace, pause, abort, and how a run ended.

What the window's training worker thread used to do, now inside the training host:
one thread per run; ``pause`` finishes the epoch under way, ``abort`` abandons it;
a paced run keeps its beat (``next_beat``). The runner does not send anything itself:
after each epoch it calls ``on_epoch`` (the host marks the session as changed and its
sender publishes at most ~30 times a second); when the run ends it calls
``on_end(outcome)`` on the training thread, which publishes the last epochs and then
the outcome, in that order.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from engine.core.session import TrainingDiverged, TrainingInterrupted, TrainingSession
from engine.core.snapshot import EpochSnapshot
from engine.service.protocol import RunRequest  # noqa: F401 (defined with the messages: the window builds it)


def next_beat(previous: float, now: float, epochs_per_second: float) -> float:
    """When the next epoch may start: one beat after the previous one, so a paced run
    keeps its pace however long an epoch takes; a run that fell behind is not made to
    catch up with a burst (at most half a beat is carried over)."""
    beat = 1.0 / epochs_per_second
    return max(previous + beat, now - 0.5 * beat)


@dataclass(frozen=True)
class Ended:
    """How a run ended: ``kind`` "finished", "paused", "diverged" or "error"."""

    run: int
    kind: str
    message: str = ""
    error: BaseException | None = None
    details: str = ""


class Runner:
    """Runs one session's epochs on a thread of its own, one run at a time."""

    def __init__(self, session: TrainingSession, on_epoch: Callable[[], None],
                 on_end: Callable[[Ended], None]) -> None:
        self.session = session
        self._on_epoch = on_epoch
        self._on_end = on_end
        self._thread: threading.Thread | None = None
        self._epoch_times: deque[float] = deque(maxlen=50)
        self._pace: float | None = None
        self._pause_requested = False
        self._next_epoch_at = 0.0
        self._active = False
        self.run_number = 0

    @property
    def running(self) -> bool:
        """From ``start`` until ``mark_idle``: the end of a run is idle once its last
        epochs and edits are published, just before its outcome is sent (the window may
        start the next run the moment it hears the outcome)."""
        return self._active

    @property
    def thread_alive(self) -> bool:
        """The run's thread is still there (an abort ends it within its timeout)."""
        return self._thread is not None and self._thread.is_alive()

    def mark_idle(self) -> None:
        self._active = False

    def start(self, request: RunRequest, before_run: Callable[[], None] = lambda: None,
              gate: threading.Event | None = None) -> int:
        """Start a run; returns its number (outcomes name it). Refuses a second run. With
        a ``gate`` the run's thread waits for it before its first epoch (the host opens it
        once the window has the run's number, so no outcome can overtake it)."""
        if self.running:
            raise ValueError("Training is already running.")
        self._pause_requested = False
        self._pace = request.epochs_per_second
        self._epoch_times.clear()
        epochs = self.session.run(request.epochs, until_epoch=request.until_epoch, loss_below=request.loss_below)
        self.run_number += 1
        self._active = True
        self._thread = threading.Thread(target=self._run, args=(self.run_number, epochs, before_run, gate),
                                        name="training", daemon=True)
        self._thread.start()
        return self.run_number

    def set_pace(self, epochs_per_second: float | None) -> None:
        self._pace = epochs_per_second

    def pause(self) -> None:
        self._pause_requested = True
        self.session.request_stop()

    def abort(self, timeout: float = 1.0) -> bool:
        """Stop now, abandoning the epoch under way; True if the thread ended in time."""
        self._pause_requested = True
        self.session.abort()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    @property
    def epochs_per_second(self) -> float:
        times = list(self._epoch_times)
        if len(times) < 2 or times[-1] == times[0]:
            return 0.0
        return (len(times) - 1) / (times[-1] - times[0])

    def _run(self, run: int, epochs: Iterator[EpochSnapshot], before_run: Callable[[], None],
             gate: threading.Event | None) -> None:
        ended = Ended(run, "finished")
        if gate is not None:
            gate.wait()
        try:
            before_run()
            self._next_epoch_at = time.perf_counter()
            for _snapshot in epochs:
                self._epoch_times.append(time.perf_counter())
                self._on_epoch()
                self._wait_for_pace()
        except TrainingDiverged as exc:
            ended = Ended(run, "diverged", str(exc), exc)
        except TrainingInterrupted as exc:
            ended = Ended(run, "paused", str(exc))
        except Exception as exc:  # reported to the window, which shows a dialog
            ended = Ended(run, "error", f"{type(exc).__name__}: {exc}", exc, traceback.format_exc())
        if ended.kind == "finished" and self._pause_requested:
            ended = Ended(run, "paused")
        try:
            self._on_end(ended)
        finally:
            self._active = False

    def _wait_for_pace(self) -> None:
        pace = self._pace
        now = time.perf_counter()
        if not pace:
            self._next_epoch_at = now
            return
        self._next_epoch_at = next_beat(self._next_epoch_at, now, pace)
        while not self._pause_requested and time.perf_counter() < self._next_epoch_at:
            time.sleep(min(0.02, max(0.0, self._next_epoch_at - time.perf_counter())))
