"""Lesson steps' sessions, made in the training host ahead of the learner.

A step that shows a model trained to epoch N needs a fresh session with its seed
trained N epochs (a second or more on a busy laptop) or a shipped pre-trained digit
model. While the learner reads the first steps, a background thread here makes each
such session once (``prepare``); entering a step (``session_for``) takes its session
and rewinds it to epoch N (``TrainingSession.go_to_epoch``, which restores weights,
optimiser, random generator and data exactly), so the numbers are the same on every
visit, however far the learner trained it the last time. A session whose checkpoint
at N is gone or was changed (thinned on a long run, a pixel edited at epoch N) is
made afresh.

A learner who jumps straight to a late step must not wait for the background to get
there: a step asked for is made at once, first, and the background waits between two
of its epochs until that is done (on a 2-core machine two sessions trained side by
side each take twice as long; the learner waits only for theirs).

The sessions live in the host's table (``table.add``) and are adopted by a controller
as handles, never copied. A session the learner changed and that is made afresh stays
in the table (a controller may still show it); the handful a lesson makes are small.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Protocol

from engine.core.device import resolve_device
from engine.core.session import TrainingSession
from engine.core.session_recipe import SessionRecipe
from engine.core.snapshot import EpochSnapshot
from engine.digits.pretrained import load_pretrained, pretrained_path

log = logging.getLogger(__name__)


class Table(Protocol):
    """What the maker needs of the host's session table."""

    def add(self, session: TrainingSession) -> int: ...

    def session(self, sid: int) -> TrainingSession: ...


def make_session(recipe: SessionRecipe, go_on: Callable[[], bool] | None = None) -> TrainingSession | None:
    """The recipe's session made here and now: trained (2x2) or loaded (digits).
    ``go_on`` is asked between epochs; False ends the training early and gives None."""
    if recipe.pretrained is not None:
        return load_pretrained(pretrained_path(recipe.pretrained), recipe.device)
    session = TrainingSession(recipe.config, device=resolve_device(recipe.device, recipe.config))
    if recipe.epochs:
        for _snapshot in session.run(epochs=recipe.epochs):
            if go_on is not None and not go_on():
                return None
    return session


class StepMaker:
    """One kept session per recipe, made once (ahead or on demand) and rewound on each visit."""

    def __init__(self, table: Table, make: Callable[..., TrainingSession | None] = make_session,
                 before_make: Callable[[SessionRecipe], None] | None = None) -> None:
        """``before_make(recipe)``: called before each session is made (the host sets
        torch's thread count for it)."""
        self._table = table
        self._make = make
        self._before_make = before_make
        self._lock = threading.Condition()
        self._made: dict[SessionRecipe, tuple[int, EpochSnapshot]] = {}
        self._pending: dict[SessionRecipe, threading.Event] = {}
        self._queue: list[SessionRecipe] = []
        self._urgent = 0  # sessions being made for a learner who waits: the background pauses
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.made_count = 0  # sessions made so far (for tests: a second visit makes none)

    # ----- what the window asks ---------------------------------------------------------------
    def session_for(self, recipe: SessionRecipe) -> int:
        """The id of the recipe's session, at its epoch: kept and rewound, or made now (first)."""
        if not recipe.kept:
            if self._before_make is not None:
                self._before_make(recipe)
            return self._table.add(self._make(recipe))
        while True:
            with self._lock:
                event = self._pending.get(recipe)
                if event is None:
                    kept = self._usable(self._made.get(recipe))
                    if kept is None:
                        event = self._claim(recipe, urgent=True)
                        break
            if event is not None:
                event.wait()  # the background is making it: it is nearer done than a new one
                continue
            sid, session, epoch = kept
            session.go_to_epoch(epoch)
            publish = getattr(self._table, "publish", None)  # a window that mirrors it follows
            if publish is not None:
                publish(sid)
            return sid
        return self._build(recipe, event, urgent=True)

    def prepare(self, recipes: Iterable[SessionRecipe]) -> None:
        """Make the kept sessions of ``recipes`` on a background thread, in this order
        (a new call replaces the order of the sessions not made yet)."""
        with self._lock:
            self._queue = [r for r in dict.fromkeys(recipes) if r.kept and r not in self._made]
            if self._thread is None and self._queue and not self._stopping.is_set():
                self._thread = threading.Thread(target=self._prepare_all, name="lesson-sessions", daemon=True)
                self._thread.start()

    @property
    def busy(self) -> bool:
        """The background thread is still making sessions."""
        with self._lock:
            return self._thread is not None

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop making sessions ahead (the session under way is cut short and not kept)."""
        self._stopping.set()
        with self._lock:
            thread = self._thread
            self._lock.notify_all()
        if thread is not None:
            thread.join(timeout)
        return not self.busy

    # ----- internals ------------------------------------------------------------------------------
    def _live(self, sid: int) -> TrainingSession | None:
        try:
            return self._table.session(sid)
        except (KeyError, LookupError, ValueError):  # closed since
            return None

    def _usable(self, entry: tuple[int, EpochSnapshot] | None) -> tuple[int, TrainingSession, int] | None:
        """(id, session, epoch) of a kept session still as it was made, or None."""
        if entry is None:
            return None
        sid, snapshot = entry
        session = self._live(sid)
        return (sid, session, snapshot.epoch) if session is not None and _still_at(session, snapshot) else None

    def _claim(self, recipe: SessionRecipe, urgent: bool) -> threading.Event:
        """(Under the lock.) The recipe is being made: others wait for this event."""
        event = self._pending[recipe] = threading.Event()
        self._urgent += urgent
        return event

    def _build(self, recipe: SessionRecipe, event: threading.Event, urgent: bool) -> int | None:
        """Make the claimed session and keep it; None if the background was stopped."""
        try:
            if self._before_make is not None:
                self._before_make(recipe)
            session = self._make(recipe, None if urgent else self._may_go_on)
            if session is None:
                return None  # cut short: not kept
            sid = self._table.add(session)
            mark_seen = getattr(self._table, "mark_seen", None)  # the window asks for it whole (``record``):
            if mark_seen is not None:  # a rewind before that must not send it all as an update
                mark_seen(sid)
            with self._lock:
                self._made[recipe] = (sid, session.latest)
                self.made_count += 1
            return sid
        finally:
            with self._lock:
                del self._pending[recipe]
                self._urgent -= urgent
                self._lock.notify_all()
            event.set()

    def _may_go_on(self) -> bool:
        """Between two epochs of the background: wait while a learner waits for a step."""
        with self._lock:
            while self._urgent and not self._stopping.is_set():
                self._lock.wait(0.5)
        return not self._stopping.is_set()

    def _next_in_queue(self) -> tuple[SessionRecipe, threading.Event] | None:
        """The next recipe to make ahead, claimed; None (and the thread is done) when none."""
        with self._lock:
            while self._queue and not self._stopping.is_set():
                recipe = self._queue.pop(0)
                if recipe not in self._made and recipe not in self._pending:
                    return recipe, self._claim(recipe, urgent=False)
            self._thread = None  # under the lock: a later prepare starts a new thread
            return None

    def _prepare_all(self) -> None:
        while (claimed := self._next_in_queue()) is not None:
            try:
                self._build(*claimed, urgent=False)
            except Exception:  # a missing pre-trained file: the step says so when entered
                log.exception("Could not prepare a lesson step's session")


def _still_at(session: TrainingSession, snapshot: EpochSnapshot) -> bool:
    try:
        return not session.has_pending_changes and session.snapshot_at(snapshot.epoch) is snapshot
    except ValueError:
        return False
