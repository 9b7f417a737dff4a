"""Trained sessions for the lesson's steps, made ahead so entering a step never waits.

A step that shows a model trained to epoch N needs a fresh session with its seed
trained N epochs: a second or more on a busy laptop, and a digit model would take
minutes (those are shipped pre-trained, ``engine.digits.pretrained``). While the learner reads
the first steps, a background thread makes every such session once; entering a step
then takes its session and rewinds it to epoch N (``TrainingSession.go_to_epoch``,
which restores weights, optimiser, random generator and data exactly), so the numbers
are the same on every visit, however far the learner trained it the last time. A
session whose checkpoint at N is gone or was changed (thinned on a long run, a pixel
edited at epoch N) is made afresh.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from desktop_app.state.screen import CASE_STUDY_MODELS, ScreenState
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.core.snapshot import EpochSnapshot
from engine.digits.pretrained import load_pretrained, pretrained_path

log = logging.getLogger(__name__)
Key = tuple


def workbench_config(state: ScreenState) -> TrainingConfig:
    return TrainingConfig(model=state.model, dataset=state.dataset, loss=state.loss, seed=state.seed)


def session_key(state: ScreenState) -> Key:
    if state.tab == "workbench":
        return ("workbench", workbench_config(state), state.epoch)
    return (state.tab, state.epoch)


def make_session(state: ScreenState, stop: threading.Event | None = None) -> TrainingSession:
    """The step's session made here and now: trained (2x2) or loaded (digits). With
    ``stop`` set, training ends early (the caller then throws the session away)."""
    if state.tab != "workbench":
        return load_pretrained(pretrained_path(CASE_STUDY_MODELS[state.tab]))
    session = TrainingSession(workbench_config(state))
    if state.epoch:
        for _snapshot in session.run(epochs=state.epoch):
            if stop is not None and stop.is_set():
                break
    return session


class StepSessions:
    """One trained session per (config, epoch), made once and rewound on each visit."""

    def __init__(self, make: Callable[..., TrainingSession] = make_session) -> None:
        self._make = make
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._made: dict[Key, tuple[TrainingSession, EpochSnapshot]] = {}
        self._pending: dict[Key, threading.Event] = {}
        self._thread: threading.Thread | None = None
        self.made_count = 0  # sessions made so far (for tests: a second visit makes none)

    def session_for(self, state: ScreenState) -> TrainingSession:
        """The step's session at its epoch. Call only when no worker trains a session
        handed out before (the controller has been shut down)."""
        key = session_key(state)
        self._wait_if_being_made(key)
        with self._lock:
            entry = self._made.get(key)
        if entry is not None:
            session, snapshot = entry
            if self._still_at(session, snapshot):
                session.go_to_epoch(snapshot.epoch)
                return session
        return self._make_and_keep(key, state)

    def prepare(self, states: Iterable[ScreenState]) -> None:
        """Make the sessions of ``states`` on a background thread, in this order."""
        wanted = [s for s in states if s.epoch > 0]
        with self._lock:
            if all(session_key(s) in self._made for s in wanted):
                return
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._prepare_all, args=(wanted,), name="lesson-sessions",
                                        daemon=True)
        self._thread.start()

    def shutdown(self, timeout: float = 1.0) -> None:
        """Stop making sessions ahead (the window closes)."""
        self._stopping.set()
        self.wait(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """For tests and the benchmark: wait until the background thread is done."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    # ----- internals --------------------------------------------------------------------------
    @staticmethod
    def _still_at(session: TrainingSession, snapshot: EpochSnapshot) -> bool:
        try:
            return not session.has_pending_changes and session.snapshot_at(snapshot.epoch) is snapshot
        except ValueError:
            return False

    def _wait_if_being_made(self, key: Key) -> None:
        with self._lock:
            event = self._pending.get(key)
        if event is not None:
            event.wait()

    def _make_and_keep(self, key: Key, state: ScreenState, ahead: bool = False) -> TrainingSession:
        """Make the session, telling the other thread it is under way (so it waits)."""
        with self._lock:
            event = self._pending[key] = threading.Event()
        try:
            session = self._make(state, self._stopping if ahead else None)
            if ahead and self._stopping.is_set():
                return session  # cut short: not kept
            with self._lock:
                self._made[key] = (session, session.latest)
                self.made_count += 1
            return session
        finally:
            with self._lock:
                del self._pending[key]
            event.set()

    def _prepare_all(self, states: list[ScreenState]) -> None:
        for state in states:
            if self._stopping.is_set():
                return
            key = session_key(state)
            with self._lock:
                if key in self._made or key in self._pending:
                    continue
            try:
                self._make_and_keep(key, state, ahead=True)
            except Exception:  # a missing pre-trained file: the step says so when entered
                log.exception("Could not prepare a lesson step's session")
