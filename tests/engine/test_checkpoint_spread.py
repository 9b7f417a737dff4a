"""The timeline after a long run (issue 16, long runs): stored epochs stay evenly
spread over the whole run, so going back to its middle lands near the middle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.core.history import Checkpoint, CheckpointStore


@dataclass
class _Snap:
    epoch: int


def filled(cap: int, epochs: int) -> CheckpointStore:
    store = CheckpointStore(cap)
    for e in range(epochs + 1):
        store.add(Checkpoint(_Snap(e), {}))
    return store


def test_a_long_run_keeps_epochs_spread_over_all_of_it():
    store = filled(2000, 200_000)
    kept = np.array(store.epochs)
    assert len(kept) <= 2000 and kept[0] == 0 and kept[-1] == 200_000
    gaps = np.diff(kept)
    assert gaps.max() <= 2 * 200_000 / 2000 * 2  # evenly spread: no gap beyond twice the grid
    for target in (1, 50_000, 100_000, 150_000, 199_999):
        shown = store.at_or_before(target).snapshot.epoch
        assert target - gaps.max() <= shown <= target


def test_the_newest_epoch_is_always_kept_for_rolling_back():
    store = CheckpointStore(16)
    for e in range(1, 1000):
        store.add(Checkpoint(_Snap(e), {}))
        assert store.epochs[-1] == e and len(store) <= 16


def test_going_back_and_on_keeps_the_grid():
    store = filled(16, 500)
    store.truncate_after(250)
    for e in range(251, 400):
        store.add(Checkpoint(_Snap(e), {}))
    kept = store.epochs
    assert len(kept) <= 16 and kept[-1] == 399 and kept[0] == 0
    assert all(e % store.stride == 0 for e in kept[:-1])


def test_the_newest_epoch_stays_right_through_any_mix_of_adds_rewinds_and_discards():
    """The store keeps its newest epoch instead of searching up to ``cap`` epochs for it
    at every add: checked against max() after every operation of a random mix."""
    rng = np.random.default_rng(3)
    store, epoch = CheckpointStore(8), 0
    store.add(Checkpoint(_Snap(0), {}))
    for _ in range(3000):
        roll = rng.random()
        if roll < 0.75:
            epoch += 1
            store.add(Checkpoint(_Snap(epoch), {}))
        elif roll < 0.85:
            epoch = int(rng.integers(0, epoch + 1))
            store.truncate_after(epoch)
            epoch = store.epochs[-1]
        elif roll < 0.95 and len(store) > 1:
            store.discard([store.epochs[-1]])  # a mirror told its newest epoch went
            epoch = store.epochs[-1]
        else:
            store.add(Checkpoint(_Snap(int(rng.integers(0, epoch + 1))), {}))  # an older one replaced
        assert store.newest().snapshot.epoch == max(store.epochs)
        assert store.at_or_before(10**9).snapshot.epoch == max(store.epochs)
