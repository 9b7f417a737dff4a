"""Runs a training session on a background thread; the GUI polls for results.

No Qt object is touched here: the worker only calls the engine and leaves its newest
snapshot in a mailbox that the controller empties at most ~30 times a second.

While the controller draws a frame the worker waits before its next mini-batch
(``frame``; why: ``desktop_app.frames.gate``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

from desktop_app.frames.gate import FRAME_GATE
from engine.core.runtime import use_threads_for
from engine.core.session import TrainingDiverged, TrainingInterrupted, TrainingSession
from engine.core.snapshot import EpochSnapshot


def next_beat(previous: float, now: float, epochs_per_second: float) -> float:
    """When the next epoch may start: one beat after the previous one, so a paced run
    keeps its pace however long an epoch takes; a run that fell behind is not made to
    catch up with a burst (at most half a beat is carried over)."""
    beat = 1.0 / epochs_per_second
    return max(previous + beat, now - 0.5 * beat)


@dataclass(frozen=True)
class RunRequest:
    """How long to run: a number of epochs, up to an epoch, below a loss, or until paused."""

    epochs: int | None = None
    until_epoch: int | None = None
    loss_below: float | None = None
    epochs_per_second: float | None = None  # None: as fast as possible


@dataclass(frozen=True)
class RunOutcome:
    kind: str  # "finished", "paused", "diverged", "error"
    message: str = ""
    error: BaseException | None = None


class TrainingWorker:
    """One background thread per run; ``pause`` finishes the epoch under way."""

    def __init__(self, session: TrainingSession) -> None:
        self.session = session
        session.before_batch = FRAME_GATE.wait  # a digit epoch is hundreds of batches
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._latest: EpochSnapshot | None = None
        self._outcome: RunOutcome | None = None
        self._epoch_times: deque[float] = deque(maxlen=50)
        self._pace: float | None = None
        self._pause_requested = False
        self._next_epoch_at = 0.0

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, request: RunRequest) -> None:
        if self.is_running:
            raise RuntimeError("Training is already running.")
        self._outcome = None
        self._pause_requested = False
        self._pace = request.epochs_per_second
        self._epoch_times.clear()
        epochs = self.session.run(request.epochs, until_epoch=request.until_epoch, loss_below=request.loss_below)
        self._thread = threading.Thread(target=self._run, args=(epochs,), name="training", daemon=True)
        self._thread.start()

    def set_pace(self, epochs_per_second: float | None) -> None:
        self._pace = epochs_per_second

    def pause(self) -> None:
        self._pause_requested = True
        self.session.request_stop()

    def abort(self, timeout: float = 1.0) -> bool:
        """Stop now (window closing); True if the thread ended within ``timeout``."""
        self._pause_requested = True
        self.session.abort()
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.is_running

    @staticmethod
    def frame() -> AbstractContextManager[None]:
        """The GUI draws a frame: every worker waits before its next mini-batch until it is done."""
        return FRAME_GATE.closed()

    def take_latest(self) -> EpochSnapshot | None:
        """The newest snapshot since the last call, or None."""
        with self._lock:
            latest, self._latest = self._latest, None
        return latest

    def take_outcome(self) -> RunOutcome | None:
        if self.is_running:
            return None
        with self._lock:
            outcome, self._outcome = self._outcome, None
        return outcome

    @property
    def epochs_per_second(self) -> float:
        times = list(self._epoch_times)
        if len(times) < 2 or times[-1] == times[0]:
            return 0.0
        return (len(times) - 1) / (times[-1] - times[0])

    def _run(self, epochs: Iterator[EpochSnapshot]) -> None:
        use_threads_for(self.session.config, headless=False)  # leave a core for the window
        outcome = RunOutcome("finished")
        try:
            self._next_epoch_at = time.perf_counter()
            for snapshot in epochs:
                self._publish(snapshot)
                self._wait_for_pace()
        except TrainingDiverged as exc:
            outcome = RunOutcome("diverged", str(exc), exc)
        except TrainingInterrupted as exc:
            outcome = RunOutcome("paused", str(exc))
        except Exception as exc:  # reported to the GUI, which shows a dialog
            outcome = RunOutcome("error", f"{type(exc).__name__}: {exc}", exc)
        if outcome.kind == "finished" and self._pause_requested:
            outcome = RunOutcome("paused")
        with self._lock:
            self._outcome = outcome

    def _publish(self, snapshot: EpochSnapshot) -> None:
        self._epoch_times.append(time.perf_counter())
        with self._lock:
            self._latest = snapshot

    def _wait_for_pace(self) -> None:
        pace = self._pace
        now = time.perf_counter()
        if not pace:
            self._next_epoch_at = now
            return
        self._next_epoch_at = next_beat(self._next_epoch_at, now, pace)
        while not self._pause_requested and time.perf_counter() < self._next_epoch_at:
            time.sleep(min(0.02, max(0.0, self._next_epoch_at - time.perf_counter())))
