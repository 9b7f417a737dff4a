"""The host's sessions, and what the window has seen of each.

Every hosted session has a ``Mirrored`` entry: its runner and a ``MirrorSync`` that
remembers which loss rows and checkpoints the window's mirror already holds, so an
update sends only the difference (new rows, new or replaced checkpoints, thinned
ones). An update is computed and sent under the entry's lock, so a session's updates
leave in the order they were computed, whoever computes them (the sender thread, an
op, the end of a run).
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.core.session import TrainingSession
from engine.service.protocol import SessionUpdate
from engine.service.runner import Ended, Runner
from engine.service.shown_once import HeldBack

Send = Callable[[object], None]


class MirrorSync:
    """What the window's mirror of one session holds: how many loss rows, and (through
    the session's store, which notes its own changes: ``CheckpointStore.follow_changes``)
    which checkpoints changed since. An update costs what changed, not what is stored:
    scanning a full store (2,000 epochs of a 2x2 model) took 4 to 5 ms of the host's
    interpreter lock every 16 ms, time the training thread waited for."""

    def __init__(self) -> None:
        self.rows = 0
        self._following = False  # the store notes its changes for this sync
        # A digit session's shown images and inputs cross once (``shown_once``): megabytes. A 2x2
        # session's are 384 bytes that pickle already writes once a message; leaving them out
        # would cost two dataclass copies an epoch on the sender.
        self.shown = HeldBack()

    def mark_all(self, session: TrainingSession) -> None:
        """The window was given the whole session (``session.record()``)."""
        session.checkpoints.follow_changes()
        self._following = True
        self.shown.reset()
        self.rows = session.checkpoints.newest().snapshot.epoch

    def update(self, sid: int, session: TrainingSession, epochs_per_second: float) -> SessionUpdate | None:
        """The difference since the last update, or None if nothing changed."""
        store = session.checkpoints
        if self._following:
            added, dropped, newest = store.take_changes()
        else:  # the window has nothing of it yet: every stored epoch
            store.follow_changes()
            self._following = True
            added, dropped = list(store), ()
            newest = added[-1].snapshot.epoch
        history_from = min(self.rows, newest)
        rows = session.history.rows(history_from, newest)  # the history is written before each checkpoint
        if not added and not dropped and len(rows) == 0 and history_from == self.rows:
            return None
        self.rows = newest
        is_digits = session.config.is_digits
        return SessionUpdate(
            sid=sid, history_from=history_from, rows=rows, dropped=dropped,
            added=self.shown.thin(added) if is_digits else tuple(added), epoch=newest,  # numpy, kept as is
            stride=store.stride, config=session.config,
            train_images=None if is_digits else session.train_images, epochs_per_second=epochs_per_second)


@dataclass
class Mirrored:
    """One hosted session: the session, its runner, and what the window has of it."""

    session: TrainingSession
    runner: Runner
    sync: MirrorSync = field(default_factory=MirrorSync)
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: bool = False  # an epoch finished since the last update


class SessionTable:
    """The sessions of the host, by id. ``send`` puts a message on the pipe (thread-safe)."""

    def __init__(self, send: Send, on_end: Callable[[int, Ended], None]) -> None:
        self.send = send
        self._on_end = on_end
        self._entries: dict[int, Mirrored] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._after_reply: list[Callable[[], None]] = []
        self.trained = threading.Event()  # set when any session finished an epoch (the sender waits on it)

    def after_reply(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the answer to the request being served has been sent (ops are
        served one at a time, on the request thread)."""
        self._after_reply.append(fn)

    def replied(self) -> None:
        """The request thread sent its answer: run what waited for it."""
        waiting, self._after_reply = self._after_reply, []
        for fn in waiting:
            fn()

    def add(self, session: TrainingSession) -> int:
        sid = next(self._ids)
        entry = Mirrored(session, Runner(session, lambda: self._mark_changed(sid), lambda e: self._on_end(sid, e)))
        with self._lock:
            self._entries[sid] = entry
        return sid

    def entry(self, sid: int) -> Mirrored:
        with self._lock:
            entry = self._entries.get(sid)
        if entry is None:
            raise ValueError("There is no such training session (it was closed, or the training engine restarted).")
        return entry

    def session(self, sid: int) -> TrainingSession:
        return self.entry(sid).session

    def runner(self, sid: int) -> Runner:
        return self.entry(sid).runner

    def ids(self) -> list[int]:
        with self._lock:
            return list(self._entries)

    def close(self, sid: int, timeout: float = 1.0) -> None:
        """Stop the session's run (if any) and forget it."""
        with self._lock:
            entry = self._entries.pop(sid, None)
        if entry is not None:
            entry.runner.abort(timeout)

    def close_all(self, timeout: float = 1.0) -> None:
        for sid in self.ids():
            self.close(sid, timeout)

    def publish(self, sid: int) -> None:
        """Send the window what changed in session ``sid`` (nothing if nothing did)."""
        entry = self.entry(sid)
        with entry.lock:
            entry.changed = False
            update = entry.sync.update(sid, entry.session, entry.runner.epochs_per_second)
            if update is not None:
                self.send(update)

    def mark_seen(self, sid: int) -> None:
        """The window has the whole session now (it was given ``session.record()``)."""
        entry = self.entry(sid)
        with entry.lock:
            entry.sync.mark_all(entry.session)

    def publish_changed(self) -> bool:
        """The sender's tick: one update for every session that trained since the last;
        True if any had."""
        with self._lock:
            changed = [sid for sid, entry in self._entries.items() if entry.changed]
        for sid in changed:
            with contextlib.suppress(ValueError):  # closed in the meantime
                self.publish(sid)
        return bool(changed)

    def _mark_changed(self, sid: int) -> None:
        with self._lock:
            entry = self._entries.get(sid)
        if entry is not None:
            entry.changed = True
            self.trained.set()
