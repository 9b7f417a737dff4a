"""The one place the window asks the engine for work.

Views call the controller's methods and listen to its signals; they never touch a
session or a model. Training runs on a ``TrainingWorker`` thread; a timer collects
its newest snapshot, so however fast training runs the views render at most ~30
times a second. Bad input is refused here with a message, never a crash.

A frame while training is drawn in two halves, about 16 ms apart: the first half
(``snapshotChanged``) is the main page, the second is whatever views asked for with
``draw_later``. The contract and its machinery are in ``desktop_app.frames``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.frames.gc_policy import SurvivorFreezer
from desktop_app.frames.scheduler import HALF_FRAME_MS, FrameScheduler
from desktop_app.worker import RunRequest, TrainingWorker
from engine.core.config import TrainingConfig, check_epochs
from engine.core.divergence import DivergenceReport, diagnose, settle, snapshot_problem
from engine.core.history import LossHistory
from engine.core.session import TrainingSession
from engine.core.snapshot import EpochSnapshot
from engine.files.persistence import load_session, save_session

log = logging.getLogger(__name__)

class TrainingController(QObject):
    snapshotChanged = Signal(object)  # the EpochSnapshot to show (newest, or a past one)
    selectionChanged = Signal(int)  # index of the image followed everywhere
    runningChanged = Signal(bool)
    sessionReplaced = Signal(object)  # a new session (model, data, reset or file)
    configChanged = Signal(object)  # TrainingConfig after a live change
    statusChanged = Signal(str)  # one line for the status bar
    diverged = Signal(str)  # training blew up and paused itself; the message says so

    def __init__(self, config: TrainingConfig | None = None, parent: QObject | None = None,
                 session: TrainingSession | None = None) -> None:
        """``session``: continue that one (opened from a file) instead of a new one of ``config``."""
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(HALF_FRAME_MS)
        self._timer.timeout.connect(self._poll)
        self._frames = FrameScheduler()
        self._freezer = SurvivorFreezer()
        self._speed: float | None = None
        self._stop_epoch: int | None = None
        self._stop_loss: float | None = None
        self._selected = 0
        self._divergence: DivergenceReport | None = None
        self._install(session if session is not None else TrainingSession(config or TrainingConfig()))

    # ----- what views read ------------------------------------------------------------
    @property
    def session(self) -> TrainingSession:
        return self._session

    @property
    def config(self) -> TrainingConfig:
        return self._session.config

    @property
    def snapshot(self) -> EpochSnapshot:
        """The snapshot on screen (the newest unless the learner went back in time)."""
        return self._shown

    @property
    def selected_index(self) -> int:
        return self._selected

    @property
    def running(self) -> bool:
        return self._worker.is_running

    @property
    def epochs_per_second(self) -> float:
        return self._worker.epochs_per_second

    # The few facts about the session that views show besides the snapshot (read-only).
    @property
    def latest_epoch(self) -> int:
        """The newest epoch trained (the snapshot on screen may be an older one)."""
        return self._session.epoch

    @property
    def loss_history(self) -> LossHistory:
        """Every epoch's losses so far, for the curves (read it, never change it)."""
        return self._session.history

    @property
    def train_images(self) -> np.ndarray:
        """The training images now, with edits the worker has not picked up yet."""
        return self._session.train_images

    def stored_snapshots(self) -> Iterable[EpochSnapshot]:
        """The stored epochs, oldest first (the latent trails)."""
        return (checkpoint.snapshot for checkpoint in self._session.checkpoints)

    def stored_snapshot_at(self, epoch: int) -> EpochSnapshot:
        """The stored epoch nearest at or before ``epoch``."""
        return self._session.snapshot_at(epoch)

    @property
    def divergence(self) -> DivergenceReport | None:
        """What the last ``diverged`` signal was about (None once a new session starts)."""
        return self._divergence

    # ----- running ------------------------------------------------------------------------
    def play(self) -> None:
        self._start(RunRequest(until_epoch=self._stop_epoch, loss_below=self._stop_loss,
                               epochs_per_second=self._speed))

    def pause(self) -> None:
        if self.running:
            self._worker.pause()

    def toggle_play(self) -> None:
        self.pause() if self.running else self.play()

    def step(self, epochs: int = 1) -> str | None:
        """Run exactly ``epochs`` epochs (on the worker); returns an error message or None."""
        try:
            epochs = check_epochs(epochs)
        except ValueError as exc:
            return str(exc)
        self._start(RunRequest(epochs=epochs))
        return None

    def reset(self) -> None:
        """Start again from fresh random weights with the same settings and data."""
        self._replace(TrainingSession(self.config, self._custom_images()))

    def shutdown(self, timeout: float = 1.0) -> bool:
        """Stop training now (window closing); True if the worker ended in time."""
        self._timer.stop()
        self._frames.clear()
        return self._worker.abort(timeout)

    def wait_until_idle(self, timeout: float = 5.0) -> bool:
        """For scripts and tests: block until the worker is done, then render."""
        if self._worker._thread is not None:
            self._worker._thread.join(timeout)
        self._frames.draw_second_half(everything=True)
        self._poll()
        return not self.running

    # ----- drawing (desktop_app.frames) ----------------------------------------------------
    def draw_later(self, view: object, draw: Callable[[], None], every_s: float = 0.0) -> None:
        """Draw ``view`` in the second half of a frame while training runs, and then at
        most once every ``every_s`` seconds; at once when it is not running. A newer
        request from the same view replaces an older one, so ``draw`` should read
        ``controller.snapshot`` when it runs. The last request of a run is always drawn."""
        self._frames.draw_later(view, draw, every_s, self.running)

    def drawing(self) -> AbstractContextManager[None]:
        """Change views and paint them, with every training thread waiting before its
        next mini-batch."""
        return self._frames.drawing()

    # ----- settings -----------------------------------------------------------------------
    def change(self, **changes: object) -> str | None:
        """Live changes (learning rate, β, noise, loss): validated, applied next epoch."""
        try:
            config = self._session.change(**changes)
        except ValueError as exc:
            return str(exc)
        if not self.running:
            self._show(self._session.refresh())
        self.configChanged.emit(config)
        return None

    def new_session(self, config: TrainingConfig, images: np.ndarray | None = None) -> None:
        """A different model or dataset: training so far is discarded (ask first)."""
        self._replace(TrainingSession(config, images))

    def adopt(self, session: TrainingSession) -> None:
        """Show a session built elsewhere (a lesson step's, a pre-trained model) in place
        of this one; training so far is discarded."""
        self._replace(session)

    def set_speed(self, epochs_per_second: float | None) -> str | None:
        if epochs_per_second is not None and not (math.isfinite(epochs_per_second) and epochs_per_second > 0):
            return "The speed must be a positive number of epochs a second."
        self._speed = epochs_per_second
        self._worker.set_pace(epochs_per_second)
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
            self._session.set_images(images)
        except ValueError as exc:
            return str(exc)
        if not self.running:
            self._show(self._session.refresh())
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
        """The dataset with every edit so far, even those the worker has not picked up."""
        if self.config.is_digits:
            raise ValueError("The digit case studies use the shipped digits.")
        return self._session.train_images.astype(np.float64)

    def select_image(self, index: int) -> None:
        count = len(self._shown.images)
        index = max(0, min(int(index), count - 1))
        if index != self._selected:
            self._selected = index
            self.selectionChanged.emit(index)

    # ----- time travel and files -----------------------------------------------------------
    def show_epoch(self, epoch: int) -> None:
        """Show a past epoch (the nearest stored one) without changing the session."""
        self._show(self._session.snapshot_at(epoch))

    def continue_from_shown(self) -> None:
        """Go back to the epoch on screen and continue training from there."""
        if self.running:
            return
        self._show(self._session.go_to_epoch(self._shown.epoch))

    def save(self, path: str) -> str | None:
        if self.running:
            return "Pause training before saving."
        try:
            save_session(self._session, path)
        except OSError as exc:
            return f"Could not save: {exc.strerror or exc}."
        self.statusChanged.emit(f"Saved to {path}")
        return None

    def open(self, path: str) -> str | None:
        """Open a saved session; on any problem the current session stays as it was."""
        if self.running:
            return "Pause training before opening a session."
        try:
            session = TrainingSession.from_record(load_session(path))
        except ValueError as exc:
            return str(exc)
        report = settle(session)  # a file's non-finite epochs never reach a view
        if report is not None and report.last_finite is None:
            return f"This session cannot be shown: {report.cause}, and no saved epoch has finite numbers."
        self._replace(session)
        if report is not None:
            self._report_divergence(report)
        return None

    def go_back_to_last_finite(self) -> None:
        """The banner's offer: stand on the last epoch whose numbers are all finite."""
        report = self._divergence
        if report is not None and report.last_finite is not None and not self.running:
            self._show(self._session.go_to_epoch(report.last_finite))
            self._report_divergence(diagnose(list(self._session.checkpoints), self._session.epoch,
                                             report.failed_epoch, report.cause))
    def set_session(self, session: TrainingSession) -> None:
        """Show and continue a session opened elsewhere (a whole-app session file)."""
        self._replace(session)

    # ----- internals ----------------------------------------------------------------------
    def _install(self, session: TrainingSession) -> None:
        self._session = session
        self._worker = TrainingWorker(session)
        self._worker.set_pace(self._speed)
        self._shown = session.latest
        self._selected = min(self._selected, len(self._shown.images) - 1)

    def _replace(self, session: TrainingSession) -> None:
        self.shutdown()
        self._divergence = None
        self._install(session)
        self.sessionReplaced.emit(session)
        self.configChanged.emit(session.config)
        self.runningChanged.emit(False)
        self._show(session.latest)

    def _custom_images(self) -> np.ndarray | None:
        return None if self.config.is_digits else self._session.train_images

    def _start(self, request: RunRequest) -> None:
        if self.running:
            return
        if self._shown is not self._session.latest:
            self._show(self._session.latest)
        self._worker.start(request)
        self._timer.start()
        self.runningChanged.emit(True)

    def _poll(self) -> None:
        if self._frames.draw_second_half():
            return
        if self._frames.frame_due(paced=self._speed is not None):
            snapshot = self._worker.take_latest()
            if snapshot is not None:
                frame_at = self._frames.begin_frame()
                with self.drawing():
                    self._show(snapshot)
                self._freezer.after_frame(frame_at)
        outcome = self._worker.take_outcome()
        if outcome is None:
            return
        self._timer.stop()
        late = self._worker.take_latest()  # epochs finished between the two looks above
        if late is not None:
            self._show(late)
        self._frames.draw_second_half(everything=True)
        if self._session.has_pending_changes:  # edits made during the last epoch
            self._show(self._session.refresh())
        self.runningChanged.emit(False)
        if outcome.kind == "diverged":
            self._report_divergence(diagnose(list(self._session.checkpoints), self._session.epoch,
                                             outcome.error.last_finite_epoch + 1, outcome.error.cause))
        elif outcome.kind == "error":
            log.error("Training failed", exc_info=outcome.error)
            raise RuntimeError(outcome.message) from outcome.error
        self._emit_status()

    def _report_divergence(self, report: DivergenceReport) -> None:
        self._divergence = report
        log.warning("%s", report.message)
        self.diverged.emit(report.message)

    def _show(self, snapshot: EpochSnapshot) -> None:
        """Publish ``snapshot`` to every view: the one place that makes sure no number that
        is not finite (NaN, infinity) ever reaches a view, a panel, a plot or the status bar."""
        problem = snapshot_problem(snapshot)
        if problem is not None:
            self._report_divergence(diagnose(list(self._session.checkpoints), self._session.epoch, None, problem))
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
