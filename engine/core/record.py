"""The window's mirror of one training session: its stored epochs and loss history in
numpy, what every view, panel, the timeline, the files and the exports read.

The session itself lives in the training process (torch); the mirror is fed the same
checkpoints in the same order (``add``), so its ``CheckpointStore`` thins exactly as
the session's does and the timeline offers the epochs the session can go back to.
No torch here: train states hold numpy arrays and plain values
(``engine.core.train_state``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.core.config import TrainingConfig
from engine.core.history import Checkpoint, CheckpointStore, LossHistory


class SessionRecord:
    """One session's stored checkpoints (``Checkpoint(snapshot, numpy train state)``)
    and its loss history (row i is epoch i + 1).

    ``config`` is the settings the next epoch will use: the newest checkpoint's unless
    given (a session with queued live changes); ``add`` sets it to the added epoch's.
    """

    def __init__(self, checkpoints: CheckpointStore, history: LossHistory,
                 config: TrainingConfig | None = None) -> None:
        if not len(checkpoints):
            raise ValueError("A session record needs at least one stored epoch.")
        self.checkpoints = checkpoints
        self.history = history
        self._latest = checkpoints.newest().snapshot
        self._check_history_matches(self._latest.epoch)
        self.config = config if config is not None else self._latest.config

    @classmethod
    def starting_at(cls, first: Checkpoint, cap: int, history: LossHistory | None = None) -> SessionRecord:
        """A record whose store (at most ``cap`` epochs) holds ``first`` only."""
        store = CheckpointStore(cap)
        store.add(first)
        return cls(store, history if history is not None else LossHistory())

    # ----- reading -------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        """The epoch the session stands at (its newest stored one)."""
        return self._latest.epoch

    @property
    def latest(self):
        """The newest ``EpochSnapshot``."""
        return self._latest

    def snapshot_at(self, epoch: int):
        """The stored snapshot nearest at or before ``epoch`` (history is thinned)."""
        return self.checkpoints.at_or_before(epoch).snapshot

    @property
    def train_images(self) -> np.ndarray | None:
        """The newest epoch's training images (a copy), None for a digit session (the
        shipped digits)."""
        train = self.checkpoints.newest().train_state.get("train")
        return None if train is None else np.array(train, dtype=np.float32, copy=True)

    # ----- changing ------------------------------------------------------------------
    def add(self, checkpoint: Checkpoint, history_row: Sequence[float] | None = None) -> None:
        """Store an epoch the session reached: a trained epoch with its loss row
        (loss, reconstruction, kl), or a redrawn one (a refresh, epoch 0) without."""
        epoch = checkpoint.snapshot.epoch
        rows = len(self.history) + (history_row is not None)
        if rows != epoch:
            raise ValueError(f"Epoch {epoch} does not follow a loss history of {len(self.history)} epochs.")
        if history_row is not None:
            self.history.append(*(float(v) for v in history_row))
        self.checkpoints.add(checkpoint)
        self._latest = checkpoint.snapshot
        self.config = checkpoint.snapshot.config

    def truncate_after(self, epoch: int):
        """Go back as the session's ``go_to_epoch`` does: to the stored epoch at or before
        ``epoch``, forgetting every later one and their losses; returns its snapshot."""
        kept = self.checkpoints.at_or_before(epoch).snapshot
        self.checkpoints.truncate_after(kept.epoch)
        self.history.truncate_after(kept.epoch)
        self._latest = kept
        self.config = kept.config
        return kept

    def _check_history_matches(self, epoch: int) -> None:
        if len(self.history) != epoch:
            raise ValueError(f"A loss history of {len(self.history)} epochs does not end at epoch {epoch}.")
