"""Loss history per epoch and a bounded store of past snapshots."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

COLUMNS = ("loss", "reconstruction", "kl")
#: Stored epochs per session: many for the tiny 2x2 networks (a timeline to scrub),
#: few for the digit models (megabytes each).
SMALL_SNAPSHOT_CAP = 2000
DIGIT_SNAPSHOT_CAP = 3


def snapshot_cap(config: Any) -> int:
    """How many epochs a session of ``config`` keeps (``CheckpointStore``'s cap)."""
    return DIGIT_SNAPSHOT_CAP if config.is_digits else SMALL_SNAPSHOT_CAP


class LossHistory:
    """Losses of epochs 1..n in a growing float64 buffer (24 bytes an epoch, no objects).

    Epochs are contiguous (going back in time truncates), so row i is epoch i + 1.
    """

    def __init__(self) -> None:
        self._data = np.empty((1024, len(COLUMNS)), dtype=np.float64)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, loss: float, reconstruction: float, kl: float) -> None:
        if self._n == len(self._data):
            self._data = np.concatenate([self._data, np.empty_like(self._data)])
        self._data[self._n] = (loss, reconstruction, kl)
        self._n += 1

    def truncate_after(self, epoch: int) -> None:
        """Forget everything after ``epoch`` (going back in time)."""
        self._n = min(self._n, max(0, epoch))

    @property
    def epochs(self) -> np.ndarray:
        return np.arange(1, self._n + 1)

    def column(self, name: str) -> np.ndarray:
        return self._data[: self._n, COLUMNS.index(name)].copy()

    def thinned(self, max_rows: int) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, rows) with at most ``max_rows`` rows, evenly spaced, the newest always
        included: enough for a plot of a million-epoch run without copying all of it."""
        n = self._n
        if n <= max_rows:
            return np.arange(1, n + 1), self._data[:n].copy()
        rows = np.unique(np.linspace(0, n - 1, max(2, max_rows)).astype(np.int64))
        return rows + 1, self._data[rows]

    def rows(self, start: int, stop: int) -> np.ndarray:
        """A copy of rows ``start:stop`` (epochs start+1..stop): what a mirror lacks."""
        return self._data[start:min(stop, self._n)].copy()

    def as_array(self) -> np.ndarray:
        return self._data[: self._n].copy()

    @classmethod
    def from_array(cls, array: np.ndarray) -> LossHistory:
        rows = np.asarray(array, dtype=np.float64).reshape(-1, len(COLUMNS))
        history = cls()
        history._data = np.concatenate([rows, np.empty((1024, len(COLUMNS)))])
        history._n = len(rows)
        return history


@dataclass(frozen=True)
class Checkpoint:
    """A snapshot plus what training needs to continue exactly from it."""

    snapshot: Any
    train_state: dict


class CheckpointStore:
    """Past epochs, thinned to at most ``cap`` so memory stays bounded on long runs.

    Kept: the epochs on a grid (multiples of ``stride``) and always the newest. When the
    store is full the grid's spacing doubles, dropping every other kept epoch, so the
    kept epochs stay evenly spread over the whole run. (Dropping every other stored
    epoch regardless of the grid, as before, halved the old epochs at every thinning
    while the new ones came in dense: after 20,000 epochs nothing was left between
    epoch 0 and epoch 10,000, and the timeline's middle went back to the start.)
    """

    def __init__(self, cap: int) -> None:
        self.cap = max(2, cap)
        self.stride = 1
        self._items: dict[int, Checkpoint] = {}
        self._newest: int | None = None  # max(self._items), kept: stores hold up to ``cap`` epochs
        self._lock = threading.Lock()  # the GUI reads while the worker adds
        self._changes: _Changes | None = None  # kept only for a follower (``follow_changes``)

    def __len__(self) -> int:
        return len(self._items)

    def __getstate__(self) -> dict:
        """Picklable (a record crosses to the training process and back): the lock stays."""
        with self._lock:
            return {"cap": self.cap, "stride": self.stride, "items": dict(self._items)}

    def __setstate__(self, state: dict) -> None:
        self.cap, self.stride, self._items = state["cap"], state["stride"], dict(state["items"])
        self._newest = max(self._items, default=None)
        self._lock = threading.Lock()
        self._changes = None

    def mapped(self, convert: Callable[[Checkpoint], Checkpoint]) -> CheckpointStore:
        """A store with the same epochs, grid and cap whose checkpoints are ``convert``ed
        (a session's torch checkpoints as numpy ones and back): it thins on as this one would."""
        with self._lock:
            items = dict(self._items)
        copy = CheckpointStore(self.cap)
        copy.stride = self.stride
        copy._items = {epoch: convert(checkpoint) for epoch, checkpoint in items.items()}
        copy._newest = max(copy._items, default=None)
        return copy

    def newest(self) -> Checkpoint:
        with self._lock:
            if self._newest is None:
                raise ValueError("No epoch is stored.")
            return self._items[self._newest]

    def __iter__(self) -> Iterator[Checkpoint]:
        with self._lock:
            return iter([self._items[e] for e in sorted(self._items)])

    @property
    def epochs(self) -> list[int]:
        with self._lock:
            return sorted(self._items)

    def follow_changes(self) -> None:
        """From now on, note which epochs are stored anew (added or replaced) and which
        are forgotten, until ``take_changes``: what the training host sends the window's
        mirror after each epoch, found without scanning up to ``cap`` stored epochs."""
        with self._lock:
            self._changes = _Changes()

    def take_changes(self) -> tuple[list[Checkpoint], tuple[int, ...], int]:
        """(the checkpoints stored anew since the last call, oldest first; the epochs
        forgotten since, oldest first, some perhaps stored and forgotten in between; the
        newest epoch stored), all as of one moment. Needs ``follow_changes`` first."""
        with self._lock:
            changes = self._changes
            if changes is None:
                raise ValueError("This store's changes are not followed: call follow_changes first.")
            self._changes = _Changes()
            stored = [self._items[e] for e in sorted(changes.stored)]
            return stored, tuple(sorted(changes.gone)), self._newest

    def add(self, checkpoint: Checkpoint) -> None:
        epoch = checkpoint.snapshot.epoch
        with self._lock:
            newest = self._newest
            self._items[epoch] = checkpoint
            if newest is None or epoch > newest:
                self._newest = epoch
            if self._changes is not None:
                self._changes.stored_anew(epoch)
            if newest is not None and newest < epoch and newest % self.stride:
                self._forget(newest)  # it was kept only for being the newest
            while len(self._items) > self.cap:
                self._thin()

    def at_or_before(self, epoch: int) -> Checkpoint:
        with self._lock:
            kept = [e for e in self._items if e <= epoch]
            if not kept:
                raise ValueError(f"No stored epoch at or before {epoch}.")
            return self._items[max(kept)]

    def discard(self, epochs: tuple[int, ...] | list[int]) -> None:
        """Forget these stored epochs (a mirror follows its session's thinning)."""
        with self._lock:
            for e in epochs:
                if e in self._items:
                    self._forget(e)

    def truncate_after(self, epoch: int) -> None:
        with self._lock:
            for e in [e for e in self._items if e > epoch]:
                self._forget(e)

    def _forget(self, epoch: int) -> None:
        """(Under the lock.)"""
        del self._items[epoch]
        if epoch == self._newest:
            self._newest = max(self._items, default=None)
        if self._changes is not None:
            self._changes.forgotten(epoch)

    def _thin(self) -> None:
        self.stride *= 2
        newest = self._newest
        for e in [e for e in self._items if e % self.stride and e != newest]:
            self._forget(e)


class _Changes:
    """Epochs stored anew and epochs forgotten since a follower last asked. An epoch
    forgotten and then stored again counts as stored anew (the follower replaces it)."""

    def __init__(self) -> None:
        self.stored: set[int] = set()
        self.gone: set[int] = set()

    def stored_anew(self, epoch: int) -> None:
        self.stored.add(epoch)

    def forgotten(self, epoch: int) -> None:
        self.stored.discard(epoch)
        self.gone.add(epoch)
