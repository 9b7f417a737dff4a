"""The training ops: make, restore, run, pause and change hosted sessions.

Every op that changes a session's epochs, settings or images publishes the change
(``table.publish``) before it returns, so the window's mirror holds it by the time the
reply arrives. Ops that rewind or redraw refuse while the session trains.
"""

from __future__ import annotations

import threading

import numpy as np

from engine.core.config import TrainingConfig
from engine.core.device import CPU, resolve_device
from engine.core.divergence import DivergenceReport, diagnose, settle
from engine.core.record import SessionRecord
from engine.core.runtime import threads_for
from engine.core.session import TrainingSession
from engine.service.registry import op
from engine.service.runner import RunRequest
from engine.service.table import SessionTable


def _idle(table: SessionTable, sid: int) -> TrainingSession:
    if table.runner(sid).running:
        raise ValueError("Pause training first.")
    return table.session(sid)


def _hand_over(table: SessionTable, session: TrainingSession) -> tuple[int, SessionRecord]:
    sid = table.add(session)
    table.mark_seen(sid)
    return sid, session.record()


@op("create")
def create(table: SessionTable, config: TrainingConfig, images: np.ndarray | None = None,
           device: str = CPU) -> tuple[int, SessionRecord]:
    """A new session of ``config`` (on ``images`` for a 2x2 model) on the ``device`` the
    learner chose ("auto", "cuda", "mps", "cpu": ``resolve_device``); returns its id and record."""
    return _hand_over(table, TrainingSession(config, images, device=resolve_device(device, config)))


@op("restore")
def restore(table: SessionTable, record: SessionRecord, device: str = CPU) -> int:
    """Host a session rebuilt from the window's mirror (a file, a restart after a death)."""
    sid = table.add(TrainingSession.from_record(record, device=resolve_device(device, record.config)))
    table.mark_seen(sid)
    return sid


@op("record")
def record(table: SessionTable, sid: int) -> SessionRecord:
    """The whole of a session the host already holds (a lesson step's), for a window
    that adopts it; its updates go on from there."""
    session = _idle(table, sid)
    table.mark_seen(sid)
    return session.record()


@op("run")
def run(table: SessionTable, sid: int, request: RunRequest) -> int:
    """Start training ``sid`` on its own thread; returns the run's number. The run's
    first epoch waits until this answer is sent: the window knows the run's number
    before any outcome of it can arrive (a run that fails at once included)."""
    session = table.session(sid)
    gate = threading.Event()
    table.after_reply(gate.set)
    return table.runner(sid).start(request, before_run=lambda: _use_threads(table, session.config), gate=gate)


@op("pause")
def pause(table: SessionTable, sid: int) -> None:
    """Stop after the epoch under way (the outcome says "paused")."""
    table.runner(sid).pause()


@op("abort")
def abort(table: SessionTable, sid: int, timeout: float = 1.0) -> bool:
    """Stop now, abandoning the epoch under way; True if the run ended in ``timeout``."""
    return table.runner(sid).abort(timeout)


@op("set_pace")
def set_pace(table: SessionTable, sid: int, epochs_per_second: float | None) -> None:
    table.runner(sid).set_pace(epochs_per_second)


@op("change")
def change(table: SessionTable, sid: int, changes: dict) -> TrainingConfig:
    """Live changes (validated; a bad value is refused with a message), taken at the next
    epoch; an idle session redraws its epoch with them at once."""
    session = table.session(sid)
    config = session.change(**changes)
    _refresh_if_idle(table, sid)
    return config


@op("set_images")
def set_images(table: SessionTable, sid: int, images: object) -> np.ndarray:
    """New 2x2 training images (validated), taken at the next epoch (at once if idle);
    returns them as the session will train on them."""
    session = table.session(sid)
    session.set_images(images)
    _refresh_if_idle(table, sid)
    return session.train_images


@op("refresh")
def refresh(table: SessionTable, sid: int) -> None:
    _idle(table, sid).refresh()
    table.publish(sid)


@op("go_to_epoch")
def go_to_epoch(table: SessionTable, sid: int, epoch: int) -> int:
    """Go back to the stored epoch at or before ``epoch`` and continue from there; returns it."""
    reached = _idle(table, sid).go_to_epoch(epoch).epoch
    table.publish(sid)
    return reached


@op("settle")
def settle_session(table: SessionTable, sid: int) -> DivergenceReport | None:
    """Stand a session (just opened from a file) on its last epoch whose numbers are all
    finite; returns what was found (``engine.core.divergence.settle``)."""
    report = settle(_idle(table, sid))
    table.publish(sid)
    return report


@op("diagnose")
def diagnose_session(table: SessionTable, sid: int, failed_epoch: int | None, cause: str,
                     up_to_epoch: int | None = None) -> DivergenceReport:
    """The divergence report for ``sid`` standing at ``up_to_epoch`` (default: its epoch)."""
    session = table.session(sid)
    epoch = session.epoch if up_to_epoch is None else up_to_epoch
    return diagnose(list(session.checkpoints), epoch, failed_epoch, cause)


@op("close")
def close(table: SessionTable, sid: int) -> None:
    """Stop and forget a session (the window replaced it)."""
    table.close(sid)


def _refresh_if_idle(table: SessionTable, sid: int) -> None:
    entry = table.entry(sid)
    if not entry.runner.running:
        entry.session.refresh()
        table.publish(sid)


def _use_threads(table: SessionTable, config: TrainingConfig) -> None:
    """Torch's thread count is one for the whole process: the most any running session
    wants (a digit model uses every core the machine lends the host; a 2x2 one, one)."""
    import torch

    wanted = [threads_for(table.session(sid).config) for sid in table.ids() if table.runner(sid).running]
    torch.set_num_threads(max([threads_for(config), *wanted]))


@op("optimizer")
def optimizer(table: SessionTable, sid: int) -> tuple[str, list[float]]:
    """The optimiser's class name and each parameter group's learning rate: what the
    session really trains with (a live change reaches the optimiser at its next epoch)."""
    made = table.session(sid).optimizer
    return type(made).__name__, [group["lr"] for group in made.param_groups]


@op("is_running")
def is_running(table: SessionTable, sid: int) -> bool:
    """Whether the session's training thread is still at work (a window closing must
    leave none behind)."""
    return table.runner(sid).thread_alive
