"""The one place the window asks the engine for work.

Views call the controller's methods and listen to its signals; they never touch a
session or a model. The session lives in the training host (``engine.service``, a
child process); the controller keeps its mirror (``SessionRecord``), brought level by
the updates the host streams, and asks the host for everything else. Updates arrive
at most ~30 times a second; a timer shows the newest at most ~30 times a second,
however fast training runs. Bad input is refused here with a message, never a crash.

A frame while training is drawn in two halves, about 16 ms apart: the first half
(``snapshotChanged``) is the main page, the second is whatever views asked for with
``draw_later``. The contract and its machinery are in ``desktop_app.frames``. A run's
last epoch is drawn by the same rules over the ticks after the host's run ended; the run
ends for the views (``running``, ``runningChanged(False)``) once all of it is drawn.
"""

from __future__ import annotations

import logging
import math
import weakref
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.frames.gc_policy import SurvivorFreezer
from desktop_app.frames.scheduler import HALF_FRAME_MS, FrameScheduler
from desktop_app.training_process import HostDied, HostError, TrainingHost, training_host
from desktop_app.training_process.host_link import HOST_LOST, HostLink, HostLost
from desktop_app.training_process.mirror import apply_update
from engine.core.config import TrainingConfig, check_epochs
from engine.core.divergence import DivergenceReport, snapshot_problem
from engine.core.history import LossHistory
from engine.core.record import SessionRecord
from engine.core.snapshot import EpochSnapshot
from engine.files.persistence import load_session, save_session
from engine.service.protocol import HostedSession, RunOutcome, RunRequest, SessionUpdate

log = logging.getLogger(__name__)
END_TICKS = 60  # ~1 s: a run's end still not drawn after this many ticks (views that keep asking) ends at once

__all__ = ["HOST_LOST", "HostLost", "TrainingController"]  # HOST_LOST and HostLost: read by the banner and tests


class TrainingController(QObject):
    snapshotChanged = Signal(object)  # the EpochSnapshot to show (newest, or a past one)
    selectionChanged = Signal(int)  # index of the image followed everywhere
    runningChanged = Signal(bool)
    sessionReplaced = Signal(object)  # a new session (model, data, reset or file)
    configChanged = Signal(object)  # TrainingConfig after a live change
    statusChanged = Signal(str)  # one line for the status bar
    diverged = Signal(str)  # training blew up and paused itself (or the host died); the message says so

    def __init__(self, config: TrainingConfig | None = None, parent: QObject | None = None,
                 session: SessionRecord | HostedSession | None = None, host: TrainingHost | None = None) -> None:
        """``session``: continue that one (opened from a file, or held by the host
        already) instead of a new one of ``config``. Blocks until its first snapshot is
        there. ``host``: the training host (the app's one by default)."""
        super().__init__(parent)
        self._host = host or training_host()
        self._timer = QTimer(self)
        self._timer.setInterval(HALF_FRAME_MS)
        self._timer.timeout.connect(self._poll)
        self._frames = FrameScheduler()
        self._freezer = SurvivorFreezer()
        self._speed: float | None = None
        self._stop_epoch: int | None = None
        self._stop_loss: float | None = None
        self._selected = 0
        self._divergence: DivergenceReport | HostLost | None = None
        self._running = False
        self._ending: RunOutcome | None = None  # the host's run is over; its last epoch is being drawn
        self._ending_ticks = 0
        self._run = 0
        self._epochs_per_second = 0.0
        self._unshown = False  # an update arrived since the newest snapshot was shown
        self._link = HostLink(self._host, self)
        self.destroyed.connect(self._link.close)
        weakref.finalize(self, self._link.close)
        self._install(*self._hosted(session if session is not None else config or TrainingConfig()),
                      owned=not getattr(session, "lent", False))

    # ----- what views read ------------------------------------------------------------
    @property
    def session(self) -> SessionRecord:
        """The mirror of the session (read it, never change it)."""
        return self._record

    @property
    def host(self) -> TrainingHost:
        """The training host the session lives in (for requests about it: ``session_id``)."""
        return self._host

    @property
    def session_id(self) -> int | None:
        """The session's id in the training host (None while the host is gone)."""
        return self._link.sid

    @property
    def config(self) -> TrainingConfig:
        return self._record.config

    @property
    def snapshot(self) -> EpochSnapshot:
        """The snapshot on screen (the newest unless the learner went back in time)."""
        return self._shown

    @property
    def selected_index(self) -> int:
        return self._selected

    @property
    def running(self) -> bool:
        """A run is under way: training in the host, or its last epoch still being drawn
        (``_end_run``). Once False, every view shows the run's last epoch."""
        return self._running

    @property
    def epochs_per_second(self) -> float:
        return self._epochs_per_second

    # The few facts about the session that views show besides the snapshot (read-only).
    @property
    def latest_epoch(self) -> int:
        """The newest epoch trained (the snapshot on screen may be an older one)."""
        return self._record.epoch

    @property
    def loss_history(self) -> LossHistory:
        """Every epoch's losses so far, for the curves (read it, never change it)."""
        return self._record.history

    @property
    def train_images(self) -> np.ndarray | None:
        """The 2x2 training images now, with edits the host has not trained on yet (None
        for a digit model: the shipped digits)."""
        return None if self._train_images is None else self._train_images.copy()

    def stored_snapshots(self) -> Iterable[EpochSnapshot]:
        """The stored epochs, oldest first (the latent trails)."""
        return (checkpoint.snapshot for checkpoint in self._record.checkpoints)

    def stored_snapshot_at(self, epoch: int) -> EpochSnapshot:
        """The stored epoch nearest at or before ``epoch``."""
        return self._record.snapshot_at(epoch)

    @property
    def divergence(self) -> DivergenceReport | HostLost | None:
        """What the last ``diverged`` signal was about (None once a new session starts)."""
        return self._divergence

    # ----- running ------------------------------------------------------------------------
    def play(self) -> None:
        self._start(RunRequest(until_epoch=self._stop_epoch, loss_below=self._stop_loss,
                               epochs_per_second=self._speed))

    def pause(self) -> None:
        if self.running and self._ending is None:
            self._ask("pause")

    def toggle_play(self) -> None:
        self.pause() if self.running else self.play()

    def step(self, epochs: int = 1) -> str | None:
        """Run exactly ``epochs`` epochs (in the host); returns an error message or None."""
        try:
            epochs = check_epochs(epochs)
        except ValueError as exc:
            return str(exc)
        self._start(RunRequest(epochs=epochs))
        return None

    def reset(self) -> None:
        """Start again from fresh random weights with the same settings and data."""
        self._replace(self.config if self.config.is_digits else (self.config, self._train_images))

    def shutdown(self, timeout: float = 1.0) -> bool:
        """Stop training now (window closing); True if the run ended in time."""
        self._timer.stop()
        self._frames.clear()
        ended = True
        if self._running and self._ending is None and self._link.sid is not None:
            try:
                ended = bool(self._host.call("abort", self._link.sid, timeout, timeout=timeout + 1.0))
            except HostError:
                ended = True  # a host that is gone trains nothing
        self._running = False
        self._ending = None
        return ended

    def wait_until_idle(self, timeout: float = 5.0) -> bool:
        """For scripts and tests: block until the run has ended in the host, then draw
        whatever is still waiting at once (a window's ticks spread it over several turns)."""
        if self._running and self._ending is None:
            self._host.process_messages(until=lambda: not self._running or self._ending is not None,
                                        timeout=timeout)
        if self._ending is not None:
            self._finish(self._ending)
        self._frames.draw_second_half(everything=True, at_once=True)
        self._poll()
        return not self.running

    # ----- drawing (desktop_app.frames) ----------------------------------------------------
    def draw_later(self, view: object, draw: Callable[[], None], every_s: float = 0.0) -> None:
        """Draw ``view`` in the second half of a frame while training runs, and then at
        most once every ``every_s`` seconds; at once when it is not running. A newer
        request from the same view replaces an older one, so ``draw`` should read
        ``controller.snapshot`` when it runs. The last request of a run is always drawn."""
        self._frames.draw_later(view, draw, every_s, self.running)
        if self.running:
            self._wake()

    def drawing(self) -> AbstractContextManager[None]:
        """Change views and paint them here and now."""
        return self._frames.drawing()

    # ----- settings -----------------------------------------------------------------------
    def change(self, **changes: object) -> str | None:
        """Live changes (learning rate, β, noise, loss): validated, applied next epoch."""
        try:
            config = self._ask_then_show("change", dict(changes), only_if_idle=True, keep=self._keep_config)
        except HostError as exc:
            return str(exc)
        self.configChanged.emit(config)
        return None

    def new_session(self, config: TrainingConfig, images: np.ndarray | None = None) -> None:
        """A different model or dataset: training so far is discarded (ask first)."""
        self._replace((config, images))

    def adopt(self, session: SessionRecord | HostedSession) -> None:
        """Show a session built elsewhere (a lesson step's, a pre-trained model, a file)
        in place of this one; training so far is discarded."""
        self._replace(session)

    def set_speed(self, epochs_per_second: float | None) -> str | None:
        if epochs_per_second is not None and not (math.isfinite(epochs_per_second) and epochs_per_second > 0):
            return "The speed must be a positive number of epochs a second."
        self._speed = epochs_per_second
        if self._link.sid is not None:
            self._ask("set_pace", epochs_per_second)
        return None

    def set_stop_at(self, epoch: int | None = None, loss: float | None = None) -> str | None:
        try:
            if epoch is not None:
                check_epochs(epoch)
            if loss is not None and not (math.isfinite(loss) and loss > 0):
                raise ValueError("The loss to stop at must be a positive number.")
        except ValueError as exc:
            return str(exc)
        self._stop_epoch, self._stop_loss = epoch, loss
        return None

    # ----- data ---------------------------------------------------------------------------
    def set_images(self, images: object) -> str | None:
        """Replace the 2x2 training images (safe while training)."""
        try:
            self._ask_then_show("set_images", images, only_if_idle=True, keep=self._keep_images)
        except HostError as exc:
            return str(exc)
        return None

    def edit_pixel(self, image: int, pixel: int, value: object) -> str | None:
        images = self._editable_images()
        try:
            images[image, pixel] = float(value)
        except (TypeError, ValueError, IndexError):
            return "Type a number between 0 and 1."
        return self.set_images(images)

    def add_image(self, values: object) -> str | None:
        try:
            new = np.atleast_2d(np.asarray(values, dtype=np.float64))
        except (TypeError, ValueError):
            return "Every pixel must be a number between 0 and 1."
        return self.set_images(np.vstack([self._editable_images(), new]) if new.shape[-1] == 4 else new)

    def delete_image(self, index: int) -> str | None:
        images = self._editable_images()
        if len(images) <= 1:
            return "The dataset needs at least one image."
        if not 0 <= index < len(images):
            return "There is no such image."
        error = self.set_images(np.delete(images, index, axis=0))
        if error is None and self._selected >= len(images) - 1:
            self.select_image(max(0, self._selected - 1))
        return error

    def _editable_images(self) -> np.ndarray:
        """The dataset with every edit so far, even those the host has not trained on."""
        if self.config.is_digits:
            raise ValueError("The digit case studies use the shipped digits.")
        return self._train_images.astype(np.float64)

    def select_image(self, index: int) -> None:
        count = len(self._shown.images)
        index = max(0, min(int(index), count - 1))
        if index != self._selected:
            self._selected = index
            self.selectionChanged.emit(index)

    # ----- time travel and files -----------------------------------------------------------
    def show_epoch(self, epoch: int) -> None:
        """Show a past epoch (the nearest stored one) without changing the session."""
        self._show(self._record.snapshot_at(epoch))

    def continue_from_shown(self) -> None:
        """Go back to the epoch on screen and continue training from there."""
        if self.running:
            return
        self._ask_then_show("go_to_epoch", self._shown.epoch)

    def save(self, path: str) -> str | None:
        if self.running:
            return "Pause training before saving."
        try:
            save_session(self._record, path)
        except OSError as exc:
            return f"Could not save: {exc.strerror or exc}."
        self.statusChanged.emit(f"Saved to {path}")
        return None

    def open(self, path: str) -> str | None:
        """Open a saved session; on any problem the current session stays as it was."""
        if self.running:
            return "Pause training before opening a session."
        try:
            record = load_session(path)
        except ValueError as exc:
            return str(exc)
        return self.set_session(record)

    def go_back_to_last_finite(self) -> None:
        """The banner's offer: stand on the last epoch whose numbers are all finite."""
        report = self._divergence
        if isinstance(report, DivergenceReport) and report.last_finite is not None and not self.running:
            self._ask_then_show("go_to_epoch", report.last_finite)
            self._report_divergence(self._ask("diagnose", report.failed_epoch, report.cause))

    def set_session(self, session: SessionRecord | HostedSession) -> str | None:
        """Show and continue a session opened elsewhere (a whole-app session file): it
        stands on its last epoch whose numbers are all finite. Returns a message (and
        keeps the current session) when no stored epoch is finite."""
        sid, record = self._hosted(session)
        report = self._host.call("settle", sid)
        if report is not None and report.last_finite is None:
            self._host.call("close", sid)
            return f"This session cannot be shown: {report.cause}, and no saved epoch has finite numbers."
        self._take(sid, record, owned=not getattr(session, "lent", False))
        if report is not None:
            self._report_divergence(report)
        return None

    def restart_training(self) -> None:
        """The banner's offer after the host died: a new host, every controller's
        session restored from its mirror (``TrainingHost.on_restarted``)."""
        if self._host.dead:
            self._host.restart()

    # ----- internals ----------------------------------------------------------------------
    def _hosted(self, what: object) -> tuple[int, SessionRecord]:
        """A session in the host and its mirror, for a config, (config, images), a
        record (restored in the host) or a handle (already there)."""
        if isinstance(what, HostedSession):
            return what.sid, what.record if what.record is not None else self._host.call("record", what.sid)
        if isinstance(what, SessionRecord):
            return self._host.call("restore", what, _training_device()), what
        config, images = what if isinstance(what, tuple) else (what, None)
        return self._host.call("create", config, images, _training_device())

    def _install(self, sid: int, record: SessionRecord, owned: bool = True) -> None:
        self._record = record
        self._link.follow(sid, owned)
        self._train_images = record.train_images
        self._shown = record.latest
        self._unshown = False
        self._selected = min(self._selected, len(self._shown.images) - 1)
        if self._speed is not None:
            self._ask("set_pace", self._speed)

    def _replace(self, what: object) -> None:
        self._take(*self._hosted(what), owned=not getattr(what, "lent", False))

    def _take(self, sid: int, record: SessionRecord, owned: bool = True) -> None:
        """Show session ``sid`` in place of the current one, which the host forgets
        (unless it was lent: ``HostedSession.lent``)."""
        self.shutdown()
        self._close_in_host()
        self._divergence = None
        self._install(sid, record, owned)
        self.sessionReplaced.emit(record)
        self.configChanged.emit(record.config)
        self.runningChanged.emit(False)
        self._show(record.latest)

    def _close_in_host(self) -> None:
        self._link.close_session()

    def _ask(self, op: str, *args: object) -> object:
        """``op`` on this controller's session. A host that is gone is reported once (the
        banner) and the answer is None; a refusal raises ``HostError``."""
        if self._link.sid is None:
            raise HostError("The training engine has stopped: press Restart training.")
        try:
            return self._host.call(op, self._link.sid, *args)
        except HostDied:
            self._on_host_died()
            raise HostError("The training engine has stopped: press Restart training.") from None

    def _start(self, request: RunRequest) -> None:
        if self._ending is not None:  # asked for in the last ticks of a run: its end is drawn now
            self._finish(self._ending)
        if self.running or self._link.sid is None:
            return
        if self._shown is not self._record.latest:
            self._show(self._record.latest)
        try:
            self._run = self._ask("run", request)
        except HostError as exc:
            self.statusChanged.emit(str(exc))
            return
        self._running = True
        self._timer.start()
        self.runningChanged.emit(True)

    def _on_message(self, message: object) -> None:
        """An update or a run's outcome from the host, in order, on the GUI thread."""
        if isinstance(message, SessionUpdate):
            apply_update(self._record, message)
            self._train_images = message.train_images if message.train_images is not None else self._train_images
            self._epochs_per_second = message.epochs_per_second
            self._unshown = True
            if self._running:
                self._wake()
        elif (isinstance(message, RunOutcome) and self._running and self._ending is None
              and message.run == self._run):
            self._end_run(message)

    def _poll(self) -> None:
        """One tick: a second half, or else a first half if one is due. At a run's end the
        last epoch's first half comes first (what waits for a second half from an older
        epoch is then asked for again, and drawn once), then its second half; once both
        are drawn the run ends (``_finish``)."""
        ending = self._ending is not None
        if ending:
            self._ending_ticks += 1
            if self._ending_ticks > END_TICKS:
                self._finish(self._ending)
                return
        if not (ending and self._unshown) and self._frames.draw_second_half(everything=ending):
            return
        if self._unshown and (ending or self._frames.frame_due()):
            frame_at = self._frames.begin_frame()
            with self.drawing():
                self._show(self._record.latest)
            self._freezer.after_frame(frame_at)
        elif ending:
            self._finish(self._ending)
        elif not self._unshown and not self._frames.waiting:
            self._timer.stop()  # nothing to draw until the next epoch arrives (``_wake``)

    def _wake(self) -> None:
        """Something to draw while running (an epoch arrived, a view asked for a second
        half, the run ended): tick again. Between epochs of a slow run (a case study's
        epoch takes seconds, a paced run's a second) the timer is off, not ticking ~60
        times a second for nothing."""
        if not self._timer.isActive():
            self._timer.start()

    def _end_run(self, outcome: RunOutcome) -> None:
        """The host's run is over. Its last epoch is drawn by the frame's rules over the
        next ticks (the first half; then the second half's views, due or not, within the
        half's budget, a case study's parts one per turn) and only then does the run end
        for the views. Drawn in one turn, the end held a case study's window 20 to 45 ms.
        A failed run ends at once: its report comes first."""
        if outcome.kind == "error":
            self._finish(outcome)
        else:
            self._ending, self._ending_ticks = outcome, 0
            self._wake()

    def _finish(self, outcome: RunOutcome) -> None:
        """The run ends for the views: what is left of its last epoch is drawn now (nothing
        after ``_poll`` drew it all), then ``runningChanged(False)`` and the outcome's report."""
        self._timer.stop()
        self._running = False
        self._ending = None
        if self._unshown:
            self._show(self._record.latest)
        self._frames.draw_second_half(everything=True, at_once=True)
        self.runningChanged.emit(False)
        if outcome.kind == "diverged":
            self._report_divergence(outcome.report)
        elif outcome.kind == "error":
            log.error("Training failed: %s\n%s", outcome.message, outcome.details)
            raise RuntimeError(outcome.message)
        self._emit_status()

    def _ask_then_show(self, op: str, *args: object, only_if_idle: bool = False,
                       keep: Callable[[object], None] | None = None) -> object:
        """``op`` on this session, ``keep(answer)`` (what the mirror holds beside its
        checkpoints: the settings, the images), then show the newest epoch; with
        ``only_if_idle``, only if idle (a running session shows its next frame anyway).
        The host published what the op changed before it answered: the mirror has it."""
        answer = self._ask(op, *args)
        if keep is not None:
            keep(answer)
        if not (only_if_idle and self.running):
            self._show(self._record.latest)
        return answer

    def _keep_config(self, config: TrainingConfig) -> None:
        self._record.config = config

    def _keep_images(self, images: np.ndarray) -> None:
        self._train_images = images

    def _on_host_died(self) -> None:
        if isinstance(self._divergence, HostLost):
            return
        was_running = self._running
        self._timer.stop()
        self._frames.clear()
        self._running = False
        self._ending = None
        self._link.sid = None
        if self._unshown:
            self._show(self._record.latest)
        if was_running:
            self.runningChanged.emit(False)
        self._report_divergence(HostLost(self._record.epoch))

    def _on_host_restarted(self) -> None:
        """Restore this session in the new host from the mirror's newest checkpoint."""
        if self._link.sid is not None:
            return
        self._install(self._host.call("restore", self._record, _training_device()), self._record)
        self._divergence = None
        self.runningChanged.emit(False)
        self._emit_status()

    def _report_divergence(self, report: DivergenceReport | HostLost) -> None:
        self._divergence = report
        log.warning("%s", report.message)
        self.diverged.emit(report.message)

    def _show(self, snapshot: EpochSnapshot) -> None:
        """Publish ``snapshot`` to every view: the one place that makes sure no number that
        is not finite (NaN, infinity) ever reaches a view, a panel, a plot or the status bar."""
        if snapshot is self._record.latest:
            self._unshown = False
        problem = snapshot_problem(snapshot)
        if problem is not None:
            if self._link.sid is not None:
                self._report_divergence(self._ask("diagnose", None, problem))
            return
        self._shown = snapshot
        if self._selected >= len(snapshot.images):
            self._selected = len(snapshot.images) - 1
            self.selectionChanged.emit(self._selected)
        self.snapshotChanged.emit(snapshot)
        self._emit_status()

    def _emit_status(self) -> None:
        from desktop_app.panels import formatting as fmt  # here: the panels' package imports this module

        s = self._shown
        parts = [f"epoch {s.epoch}", f"loss {fmt.result(s.loss, 5)}"]
        if s.is_variational:
            parts.append(f"reconstruction {fmt.result(s.reconstruction_loss, 5)}  KL {fmt.result(s.kl, 5)}")
        if self.running:
            parts.append(f"{self.epochs_per_second:,.0f} epochs/s")
        self.statusChanged.emit("   ".join(parts))


def _training_device() -> str:
    """The learner's device choice (Edit > Preferences), passed to the host as a plain
    string; the host resolves it, and keeps 2x2 models on the CPU (engine.core.device)."""
    from desktop_app.preferences import training_device  # preferences imports the controls, which import this

    return training_device()
