"""The training host: the child process's ``main(conn)``.

One request loop (requests are answered one at a time, in the order they came), a
sessions table (``table.py``), a training thread per running session (``runner.py``)
and a sender thread that publishes each training session's new epochs as soon as one
finishes, at most once every ``COALESCE_S`` however fast it trains. Nothing here
imports Qt; torch is imported by the ops.

The host never outlives the window: it exits when its pipe reaches end-of-file (the
window closed it, or died and the operating system closed it) or when its parent
process changes (``os.getppid()``; a SIGKILLed window), whichever it notices first.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from multiprocessing.connection import Connection

from engine.service import warm_up, wire
from engine.service.gc_policy import SurvivorFreezer
from engine.service.protocol import DivergenceFacts, HostStarted, Refusal, Reply, Request, RunOutcome
from engine.service.registry import load_ops
from engine.service.runner import Ended
from engine.service.table import SessionTable

COALESCE_S = 0.033  # at most one update per training session this often: the window draws ~30 frames a second
PARENT_POLL_S = 0.5  # how often the host checks that its window is still there
SHUTDOWN = "shutdown"  # the request that ends the host (answered, then it exits)


class Host:
    """The request loop and what it owns."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._send_lock = threading.Lock()
        self._parent = os.getppid()
        self.table = SessionTable(self.send, self._run_ended)
        self._ops = load_ops()
        self._freezer = SurvivorFreezer()

    def send(self, message: object) -> None:
        """Put a message on the pipe (from any thread; ``wire`` pickles it and sends its
        frames); a window that is gone ends the host."""
        try:
            with self._send_lock:
                wire.send(self._conn, message)
        except (BrokenPipeError, EOFError, ConnectionResetError):
            self._exit()

    def serve(self) -> None:
        warm_up.start(then=self._freezer.freeze_now)  # torch's million objects, scanned no more
        for target, name in ((self._watch_parent, "parent watch"), (self._publish_loop, "sender")):
            threading.Thread(target=target, name=name, daemon=True).start()
        self.send(HostStarted(os.getpid(), tuple(sorted(self._ops))))
        while True:
            try:
                request = wire.recv(self._conn)
            except (EOFError, OSError):
                break
            if request.op == SHUTDOWN:
                self.send(Reply(request.rid, None))
                break
            self._answer(request)
        self._exit()

    def _answer(self, request: Request) -> None:
        try:
            self._serve(request)
        finally:
            self.table.replied()

    def _serve(self, request: Request) -> None:
        fn = self._ops.get(request.op)
        try:
            if fn is None:
                raise ValueError(f"The training engine has no request called {request.op!r}.")
            result = fn(self.table, *request.args)
        except ValueError as exc:
            self.send(Refusal(request.rid, str(exc)))
            return
        except Exception as exc:  # a bug in an op: the window reports it with the traceback
            self.send(Refusal(request.rid, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            return
        try:
            with self._send_lock:
                wire.send(self._conn, Reply(request.rid, result))
        except (BrokenPipeError, EOFError, ConnectionResetError):
            self._exit()
        except Exception as exc:  # an answer that cannot cross the pipe (not picklable)
            self.send(Refusal(request.rid, f"The answer to {request.op!r} cannot be sent: {exc}",
                              traceback.format_exc()))

    def _run_ended(self, sid: int, ended: Ended) -> None:
        """On the training thread: the run's last epochs, then edits made during its last
        epoch, then the outcome, in that order."""
        try:
            self.table.publish(sid)
            session = self.table.session(sid)
            if session.has_pending_changes:
                session.refresh()
                self.table.publish(sid)
            facts = report = None
            if ended.kind == "diverged":
                from engine.core.divergence import diagnose

                facts = DivergenceFacts(ended.error.last_finite_epoch + 1, ended.error.cause)
                report = diagnose(list(session.checkpoints), session.epoch, facts.failed_epoch, facts.cause)
            self.table.runner(sid).mark_idle()
            self.send(RunOutcome(sid, ended.run, ended.kind, ended.message, facts, report, ended.details))
        except ValueError:  # the session was closed while its run ended
            return

    def _publish_loop(self) -> None:
        """Wake when an epoch ends (a slow or paced run's epoch reaches the window at
        once), then publish no sooner than ``COALESCE_S`` after the last update: a run
        flat out sends one update per frame the window draws, not one per epoch (each
        update is pickled under the interpreter lock the training thread needs)."""
        sent_at = -COALESCE_S
        while True:
            self.table.trained.wait()
            time.sleep(max(0.0, sent_at + COALESCE_S - time.monotonic()))
            self.table.trained.clear()
            sent_at = time.monotonic()
            if self.table.publish_changed():
                self._freezer.while_training()

    def _watch_parent(self) -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            if os.getppid() != self._parent:
                self._exit()

    def _exit(self) -> None:
        """End the process now. Runs are abandoned mid-epoch; nothing is lost that the
        window has not already got (its mirror holds every epoch published)."""
        os._exit(0)


def main(conn: Connection) -> None:
    """The child process's entry point (``multiprocessing`` spawn target)."""
    Host(conn).serve()
