"""A still copy of a training session's mirror, taken on the GUI thread while training
may go on.

Saving reads a session's mirror (``SessionRecord``): its stored epochs and loss history.
The mirror grows on the GUI thread as the training host's updates arrive (history rows
with their checkpoints), while the file writer runs on a worker thread; a copy made of
the stored checkpoints, cut at the newest one, plus the history up to that epoch, is a
consistent session that the writer can read for as long as it likes. Checkpoints are
never changed once stored (frozen numpy arrays), so the copy shares them instead of
copying megabytes."""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.config import TrainingConfig
from engine.core.history import Checkpoint, LossHistory
from engine.core.snapshot import EpochSnapshot


@dataclass(frozen=True)
class FrozenSession:
    """What the session file writer reads from a session's mirror (``SessionRecord``), frozen."""

    config: TrainingConfig
    epoch: int
    history: LossHistory
    checkpoints: tuple[Checkpoint, ...]

    @property
    def latest(self) -> EpochSnapshot:
        return self.checkpoints[-1].snapshot


def freeze(session) -> FrozenSession:
    """Cut ``session`` at its newest stored epoch (safe while its worker trains)."""
    if isinstance(session, FrozenSession):
        return session
    checkpoints = tuple(session.checkpoints)  # one look, under the store's lock
    newest = checkpoints[-1]
    epoch = newest.snapshot.epoch
    rows = session.history.as_array()[:epoch]
    return FrozenSession(config=newest.train_state["config"], epoch=epoch,
                         history=LossHistory.from_array(rows), checkpoints=checkpoints)
