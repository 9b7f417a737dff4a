"""The training host's updates carry exactly what changed in a session's stored epochs,
and find it without scanning the store (issue 15: a full 2x2 store of 2,000 epochs
scanned every 16 ms took 4 to 5 ms of the host's interpreter lock from training)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from engine.core.config import TrainingConfig
from engine.core.history import Checkpoint, CheckpointStore
from engine.core.session import TrainingSession
from engine.service.table import MirrorSync


@dataclass
class _Snap:
    epoch: int


def _follower_copy(store: CheckpointStore) -> dict[int, Checkpoint]:
    return {c.snapshot.epoch: c for c in store}


def _apply(copy: dict[int, Checkpoint], store: CheckpointStore) -> None:
    stored, gone, newest = store.take_changes()
    for epoch in gone:
        copy.pop(epoch, None)
    for checkpoint in stored:
        copy[checkpoint.snapshot.epoch] = checkpoint
    assert newest == max(copy)


def test_the_changes_a_store_notes_bring_a_copy_level_through_thinning_rewinds_and_replacements():
    store = CheckpointStore(16)
    store.add(Checkpoint(_Snap(0), {}))
    copy = _follower_copy(store)
    store.follow_changes()
    for e in range(1, 200):  # thinned many times over: the grid doubles, the newest is replaced
        store.add(Checkpoint(_Snap(e), {}))
        if e % 7 == 0:
            _apply(copy, store)
            assert copy == _follower_copy(store)
    store.truncate_after(100)  # a rewind
    store.add(Checkpoint(_Snap(store.epochs[-1]), {"redrawn": True}))  # a redrawn epoch replaces its namesake
    for e in range(store.epochs[-1] + 1, store.epochs[-1] + 40):
        store.add(Checkpoint(_Snap(e), {}))
    store.discard(store.epochs[:3])
    _apply(copy, store)
    assert copy.keys() == _follower_copy(store).keys()
    assert all(copy[e] is c for e, c in _follower_copy(store).items())  # the same objects: replacements arrived
    assert store.take_changes()[:2] == ([], ())  # nothing since


def test_changes_are_refused_until_followed():
    with pytest.raises(ValueError, match="follow_changes"):
        CheckpointStore(4).take_changes()


def test_an_update_sends_the_new_epochs_and_never_scans_the_full_store(monkeypatch):
    session = TrainingSession(TrainingConfig(seed=3))
    for _ in session.run(epochs=2100):  # past the 2,000-epoch cap: the grid has doubled
        pass
    sync = MirrorSync()
    sync.mark_all(session)
    mirror = {c.snapshot.epoch: c for c in session.checkpoints}

    def no_scan(_store):
        raise AssertionError("the update scanned every stored epoch")

    monkeypatch.setattr(CheckpointStore, "__iter__", no_scan)
    for _ in session.run(epochs=5):
        pass
    update = sync.update(1, session, 0.0)
    monkeypatch.undo()
    for epoch in update.dropped:
        mirror.pop(epoch, None)
    for checkpoint in update.added:
        mirror[checkpoint.snapshot.epoch] = checkpoint
    assert sorted(mirror) == session.checkpoints.epochs
    assert update.epoch == session.epoch == 2105
    assert [c.snapshot.epoch for c in update.added] == [e for e in session.checkpoints.epochs if e > 2100]
    assert update.history_from == 2100 and len(update.rows) == 5
    assert sync.update(1, session, 0.0) is None  # nothing new since
