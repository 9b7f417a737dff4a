"""The window's side of the training host: start it, ask it, hear from it.

``call`` blocks until the host answers; on the GUI thread it hands every message that
arrived before the answer (updates of running sessions, run outcomes) to its owner
first, in order, so a controller's mirror is level with the host when ``call`` returns.
``call_async`` returns at once and answers through callbacks on the GUI thread. A
reader thread receives everything and wakes the GUI thread (a queued Qt signal), which
hands messages to their owners: ``subscribe(sid, handler)``.

No torch here: the window process never imports it (the host does, in its own process).
"""

from __future__ import annotations

import atexit
import itertools
import logging
import multiprocessing
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, Signal

from engine.service import wire
from engine.service.child import main as child_main
from engine.service.protocol import HostStarted, Refusal, Reply, Request, RunOutcome, SessionUpdate

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 60.0  # a first request waits for the host's torch import (seconds on a busy machine)
SHUTDOWN_OP = "shutdown"


class HostError(RuntimeError):
    """The host refused a request; ``str(error)`` is the message for the learner and
    ``details`` a traceback when an op failed unexpectedly."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class HostDied(HostError):
    """The training host is gone (killed, out of memory, crashed): restart it."""


class _Died:
    """The reader's last message: the pipe reached its end."""


@dataclass
class _Waiter:
    on_reply: Callable[[object], None] | None = None
    on_error: Callable[[HostError], None] | None = None
    done: threading.Event = field(default_factory=threading.Event)
    result: object = None
    error: HostError | None = None
    on_gui: bool = True  # answered in order on the GUI thread (else: by the reader at once)


class _Bridge(QObject):
    """Wakes the GUI thread when messages arrived (emitted by the reader thread)."""

    arrived = Signal()


class TrainingHost:
    """One child process holding every training session of the app."""

    def __init__(self) -> None:
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn = None
        self._send_lock = threading.Lock()
        self._sending_thread: int | None = None  # the thread inside ``_send`` now
        self._deferred: deque[Request] = deque()  # sent by a finalizer while pickling: sent next
        self._rids = itertools.count(1)
        self._waiters: dict[int, _Waiter] = {}
        self._inbox: deque[object] = deque()
        self._cond = threading.Condition()
        self._subscribers: dict[int, Callable[[object], None]] = {}
        self._died_listeners: list[Callable[[], None]] = []
        self._restarted_listeners: list[Callable[[], None]] = []
        self._gui_thread = threading.current_thread()
        self._bridge = _Bridge()
        self._bridge.arrived.connect(self.process_messages, Qt.ConnectionType.QueuedConnection)
        self._wake_pending = False
        self._closing = False
        self.dead = False
        self.pid: int | None = None
        self.generation = 0  # restarts so far: a session id is only valid in its generation

    # ----- life -------------------------------------------------------------------------
    def start(self) -> None:
        """Start the child process (its torch import runs while the window goes on)."""
        self._deferred.clear()  # meant for the host that died
        context = multiprocessing.get_context("spawn")
        parent_end, child_end = context.Pipe(duplex=True)
        process = context.Process(target=child_main, args=(child_end,), name="training host", daemon=True)
        with _main_module_hidden():
            process.start()
        child_end.close()  # the child's copy is the only one: its death ends our reads
        self._process, self._conn = process, parent_end
        self.dead, self._closing = False, False
        threading.Thread(target=self._read, args=(parent_end,), name="training host reader", daemon=True).start()

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive() and not self.dead

    @property
    def process_id(self) -> int | None:
        """The child's process id (for tests that kill it)."""
        return None if self._process is None else self._process.pid

    def shutdown(self, timeout: float = 1.0) -> bool:
        """End the child within ``timeout`` seconds (asked first, then terminated, then
        killed); True if it is gone. Its sessions end with it, without a death notice."""
        process, conn = self._process, self._conn
        if process is None:
            return True
        self._closing = True
        deadline = time.monotonic() + timeout
        try:
            with self._send_lock:
                wire.send(conn, Request(0, SHUTDOWN_OP))
        except (OSError, ValueError):
            pass
        process.join(max(0.0, 0.6 * timeout))
        for stop in (process.terminate, process.kill):
            if process.is_alive():
                stop()
                process.join(max(0.05, deadline - time.monotonic()))
        conn.close()
        self._fail_waiters(HostDied("The training engine was shut down."), callbacks=False)
        self._subscribers.clear()
        self._process, self._conn = None, None
        return not process.is_alive()

    def restart(self) -> None:
        """A new child after a death (or to start afresh); every session id of the old
        one is void: each ``on_restarted`` listener restores its session from its mirror."""
        self.shutdown(timeout=1.0)
        self.generation += 1
        self.start()
        for listener in list(self._restarted_listeners):
            self._guarded(lambda _none, listener=listener: listener(), None)

    def on_died(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` on the GUI thread when the child dies unasked."""
        self._died_listeners.append(listener)

    def on_restarted(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after ``restart`` started a new child."""
        self._restarted_listeners.append(listener)

    def forget_listener(self, listener: Callable[[], None]) -> None:
        for listeners in (self._died_listeners, self._restarted_listeners):
            if listener in listeners:
                listeners.remove(listener)

    # ----- asking -----------------------------------------------------------------------
    def call(self, op: str, *args: object, timeout: float = DEFAULT_TIMEOUT_S) -> object:
        """Run ``op`` in the host and return its result; raises ``HostError`` (its
        message) when the op refuses, ``HostDied`` when the host is gone."""
        on_gui = threading.current_thread() is self._gui_thread
        waiter = _Waiter(on_gui=on_gui)
        rid = self._send(op, args, waiter)
        if on_gui:
            self.process_messages(until=waiter.done.is_set, timeout=timeout)
        else:
            waiter.done.wait(timeout)
        if not waiter.done.is_set():
            self._waiters.pop(rid, None)
            raise HostError(f"The training engine did not answer {op!r} within {timeout:g} s.")
        if waiter.error is not None:
            raise waiter.error
        return waiter.result

    def call_async(self, op: str, *args: object, on_reply: Callable[[object], None] | None = None,
                   on_error: Callable[[HostError], None] | None = None) -> None:
        """Run ``op`` in the host; ``on_reply(result)`` or ``on_error(HostError)`` runs on
        the GUI thread when it answers (an error without ``on_error`` is logged)."""
        self._send(op, args, _Waiter(on_reply=on_reply, on_error=on_error))

    def subscribe(self, sid: int, handler: Callable[[object], None]) -> None:
        """``handler(message)`` gets session ``sid``'s updates and run outcomes, on the GUI thread."""
        self._subscribers[sid] = handler

    def unsubscribe(self, sid: int) -> None:
        self._subscribers.pop(sid, None)

    def process_messages(self, until: Callable[[], bool] | None = None, timeout: float = 0.0) -> None:
        """On the GUI thread: hand every message that has arrived to its owner; with
        ``until``, go on waiting for more until it is true or ``timeout`` passes."""
        self._wake_pending = False
        deadline = time.monotonic() + timeout
        while True:
            if until is not None and until():
                return
            with self._cond:
                if not self._inbox:
                    left = deadline - time.monotonic()
                    if until is None or left <= 0:
                        return
                    self._cond.wait(left)
                    continue
                message = self._inbox.popleft()
            self._dispatch(message)

    # ----- internals ----------------------------------------------------------------------
    def _send(self, op: str, args: tuple, waiter: _Waiter) -> int:
        if self._process is None:
            self.start()
        if self.dead:
            raise HostDied("The training engine has stopped: restart it to go on training.")
        rid = next(self._rids)
        self._waiters[rid] = waiter
        request = Request(rid, op, args)
        if self._sending_thread == threading.get_ident():
            # Re-entered while this thread pickles a request: the garbage collector ran a
            # finalizer (a controller's session close) in the middle. Waiting for the lock
            # would deadlock, and writing now could split the message under way: it goes
            # right after it instead.
            self._deferred.append(request)
            return rid
        try:
            with self._send_lock:
                self._sending_thread = threading.get_ident()
                try:
                    wire.send(self._conn, request)
                    while self._deferred:
                        wire.send(self._conn, self._deferred.popleft())
                finally:
                    self._sending_thread = None
        except (OSError, ValueError) as exc:
            self._waiters.pop(rid, None)
            raise HostDied(f"The training engine has stopped ({exc}).") from exc
        return rid

    def _read(self, conn) -> None:
        """The reader thread: every message into the inbox, in order; answers to callers
        waiting on other threads at once."""
        while True:
            try:
                message = wire.recv(conn)
            except (EOFError, OSError):
                message = _Died()
            except Exception as exc:  # a message that cannot be unpickled here: a bug
                log.exception("A message from the training engine could not be read")
                message = _Died() if conn.closed else Refusal(-1, str(exc))
            if isinstance(message, Reply | Refusal):
                waiter = self._waiters.get(message.rid)
                if waiter is not None and not waiter.on_gui and waiter.on_reply is None:
                    self._waiters.pop(message.rid, None)
                    self._resolve(waiter, message)
                    continue
            if isinstance(message, _Died):
                self._fail_other_threads()
            with self._cond:
                self._inbox.append(message)
                self._cond.notify_all()
            if not self._wake_pending:
                self._wake_pending = True
                self._bridge.arrived.emit()
            if isinstance(message, _Died):
                return

    def _dispatch(self, message: object) -> None:
        """On the GUI thread: one message to whoever waits for it."""
        if isinstance(message, Reply | Refusal):
            waiter = self._waiters.pop(message.rid, None)
            if waiter is not None:
                self._resolve(waiter, message)
                self._callback(waiter)
        elif isinstance(message, SessionUpdate | RunOutcome):
            handler = self._subscribers.get(message.sid)
            if handler is not None:
                self._guarded(handler, message)
        elif isinstance(message, HostStarted):
            self.pid = message.pid
        elif isinstance(message, _Died):
            self._on_death()

    @staticmethod
    def _resolve(waiter: _Waiter, message: Reply | Refusal) -> None:
        if isinstance(message, Refusal):
            waiter.error = HostError(message.message, message.details)
        else:
            waiter.result = message.result
        waiter.done.set()

    def _callback(self, waiter: _Waiter) -> None:
        if waiter.error is not None:
            if waiter.on_error is not None:
                self._guarded(waiter.on_error, waiter.error)
            elif waiter.on_reply is not None:
                log.error("The training engine refused: %s\n%s", waiter.error, waiter.error.details)
        elif waiter.on_reply is not None:
            self._guarded(waiter.on_reply, waiter.result)

    @staticmethod
    def _guarded(fn: Callable[[object], None], argument: object) -> None:
        """A failing handler is reported as a failing Qt slot would be, and the messages
        after it still reach their owners."""
        try:
            fn(argument)
        except Exception:
            sys.excepthook(*sys.exc_info())

    def _on_death(self) -> None:
        if self._closing or self.dead:
            return
        self.dead = True
        log.error("The training engine (process %s) stopped.", self.process_id)
        self._fail_waiters(HostDied("The training engine stopped."))
        for listener in list(self._died_listeners):
            self._guarded(lambda _none, listener=listener: listener(), None)

    def _fail_other_threads(self) -> None:
        """The host died: callers blocked on other threads than the GUI's hear it now."""
        for rid, waiter in list(self._waiters.items()):
            if not waiter.on_gui and waiter.on_reply is None:
                self._waiters.pop(rid, None)
                waiter.error = HostDied("The training engine stopped.")
                waiter.done.set()

    def _fail_waiters(self, error: HostDied, callbacks: bool = True) -> None:
        """Every request still waiting fails with ``error``; ``callbacks`` False (the app
        shutting the host down on purpose): asynchronous requests are dropped quietly."""
        waiters, self._waiters = self._waiters, {}
        for waiter in waiters.values():
            waiter.error = error
            waiter.done.set()
            if waiter.on_gui and callbacks:
                self._callback(waiter)


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Spawn runs the parent's main module again in the child (to find pickled functions
    defined there). The host needs nothing from it, and running it there would import
    the window (Qt) into the host, or start a script's work twice (a script without an
    ``if __name__ == "__main__":`` guard would even fail). Hidden for the moment of the
    spawn, the child starts from ``engine.service.child`` alone."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


_HOST: TrainingHost | None = None


def training_host() -> TrainingHost:
    """The app's one training host; its process starts with the first request sent to
    it, and ends at exit."""
    global _HOST
    if _HOST is None:
        _HOST = TrainingHost()
        atexit.register(_HOST.shutdown)
    return _HOST
