"""The window's mirror of a session (``SessionRecord``): a session turned into a record
and back trains on with exactly the numbers of one never converted, and a mirror fed
the same epochs thins its store exactly as the session does."""

import pickle

import numpy as np
import pytest

from engine.core.config import TrainingConfig
from engine.core.history import Checkpoint
from engine.core.record import SessionRecord
from engine.core.session import TrainingSession
from engine.core.train_state import to_numpy

KINDS = [(model, optimizer) for model in ("ae", "dae", "vae") for optimizer in ("sgd", "adam")]


def _config(model: str, optimizer: str) -> TrainingConfig:
    return TrainingConfig(model=model, optimizer=optimizer, learning_rate=0.5 if optimizer == "sgd" else 0.02,
                          seed=7, noise_level=0.2)


def _numpy_only(value) -> bool:
    if isinstance(value, dict):
        return all(_numpy_only(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_numpy_only(v) for v in value)
    return not hasattr(value, "detach")


@pytest.mark.parametrize("model, optimizer", KINDS)
def test_record_round_trip_continues_with_exactly_the_same_numbers(model, optimizer):
    session = TrainingSession(_config(model, optimizer))
    for _ in session.run(12):
        pass
    record = session.record()
    assert all(_numpy_only(c.train_state) for c in record.checkpoints)
    restored = TrainingSession.from_record(pickle.loads(pickle.dumps(record)))  # as it crosses a pipe
    assert restored.epoch == session.epoch == record.epoch == 12
    assert restored.checkpoints.epochs == session.checkpoints.epochs
    assert np.array_equal(restored.history.as_array(), session.history.as_array())
    ahead = [(s.loss, s.reconstruction_loss, s.kl) for s in restored.run(6)]
    assert ahead == [(s.loss, s.reconstruction_loss, s.kl) for s in session.run(6)]
    for key, value in session.latest.params.items():
        assert np.array_equal(restored.latest.params[key], value)
    assert np.array_equal(restored.latest.codes, session.latest.codes)


@pytest.mark.parametrize("model, optimizer", [("vae", "adam"), ("ae", "sgd")])
def test_a_restored_session_goes_back_to_a_stored_epoch_like_the_original(model, optimizer):
    session = TrainingSession(_config(model, optimizer))
    for _ in session.run(10):
        pass
    restored = TrainingSession.from_record(session.record())
    restored.go_to_epoch(4)
    session.go_to_epoch(4)
    assert [s.loss for s in restored.run(5)] == [s.loss for s in session.run(5)]


def test_the_record_shares_the_snapshots_and_keeps_their_weights_once():
    session = TrainingSession(_config("ae", "adam"))
    for _ in session.run(3):
        pass
    record = session.record()
    for mine, theirs in zip(record.checkpoints, session.checkpoints, strict=True):
        assert mine.snapshot is theirs.snapshot
        for key, weights in mine.train_state["model"].items():
            assert weights is mine.snapshot.params[key]  # the weights are kept once
    assert np.array_equal(record.train_images, session.train_images)


def test_a_stored_epoch_is_numpy_copies_of_the_model_and_optimiser_at_that_epoch():
    """Each epoch is stored as the window keeps it (numpy, nothing shared with the live
    model or optimiser), and holds what torch's own state said right after that epoch."""
    session = TrainingSession(_config("vae", "adam"))
    expected = []
    for _ in range(3):
        session.step()
        optimiser = session.optimizer.state_dict()["state"]
        expected.append(({k: v.detach().clone() for k, v in session.model.state_dict().items()},
                         {i: {n: v.clone() for n, v in slots.items()} for i, slots in optimiser.items()}))
    session.step()  # the live tensors move on; what was stored must not
    for checkpoint, (model, moments) in zip(list(session.checkpoints)[1:4], expected, strict=True):
        state = checkpoint.train_state
        for key, tensor in model.items():
            assert isinstance(state["model"][key], np.ndarray)
            assert np.array_equal(state["model"][key], tensor.numpy())
        for index, slots in moments.items():
            for name, tensor in slots.items():
                stored = state["optimizer"]["state"][index][name]
                assert isinstance(stored, np.ndarray) and np.array_equal(stored, tensor.numpy())
        assert isinstance(state["generator"], np.ndarray) and isinstance(state["train"], np.ndarray)


def test_queued_live_changes_survive_the_round_trip():
    session = TrainingSession(_config("vae", "adam"))
    session.step()
    session.change(learning_rate=0.003, beta=0.5)
    restored = TrainingSession.from_record(session.record())
    assert restored.config == session.config and restored.has_pending_changes
    assert [s.loss for s in restored.run(3)] == [s.loss for s in session.run(3)]


def test_the_mirror_thins_exactly_as_the_session_after_more_epochs_than_its_cap(monkeypatch):
    monkeypatch.setattr("engine.core.session.SMALL_SNAPSHOT_CAP", 6)
    session = TrainingSession(_config("ae", "adam"))
    mirror = SessionRecord.starting_at(session.checkpoints.newest(), 6)
    for snapshot in session.run(53):
        row = session.history.as_array()[-1]
        mirror.add(session.checkpoints.newest(), row)
        assert mirror.latest is snapshot
    assert len(session.checkpoints) <= 6 and mirror.checkpoints.epochs == session.checkpoints.epochs
    assert mirror.checkpoints.stride == session.checkpoints.stride > 1
    assert np.array_equal(mirror.history.as_array(), session.history.as_array())
    back = mirror.truncate_after(30)
    session.go_to_epoch(30)
    assert back is session.latest and mirror.epoch == session.epoch
    assert mirror.checkpoints.epochs == session.checkpoints.epochs and len(mirror.history) == session.epoch


def test_a_record_refuses_an_epoch_that_does_not_follow_its_history():
    session = TrainingSession(_config("ae", "adam"))
    mirror = session.record()
    session.step()
    session.step()
    with pytest.raises(ValueError, match="does not follow"):
        mirror.add(session.checkpoints.newest(), (1.0, 1.0, 0.0))
    assert mirror.epoch == 0 and len(mirror.history) == 0


def test_to_numpy_turns_every_tensor_of_a_nested_state_into_an_array():
    import torch

    state = {"a": torch.ones(2), "b": [torch.zeros(1, dtype=torch.uint8), (3, torch.tensor(2.5))], "c": None}
    out = to_numpy(state)
    assert isinstance(out["a"], np.ndarray) and out["b"][0].dtype == np.uint8
    assert out["b"][1][0] == 3 and float(out["b"][1][1]) == 2.5 and out["c"] is None
    assert isinstance(Checkpoint(None, out).train_state["a"], np.ndarray)


def test_a_record_taken_mid_run_thins_on_exactly_as_the_session(monkeypatch):
    monkeypatch.setattr("engine.core.session.SMALL_SNAPSHOT_CAP", 5)
    session = TrainingSession(_config("dae", "sgd"))
    for _ in session.run(21):
        pass
    mirror = session.record()  # the store's grid (stride) comes along
    for _ in session.run(40):
        mirror.add(session.checkpoints.newest(), session.history.as_array()[-1])
        assert mirror.checkpoints.epochs == session.checkpoints.epochs


def test_the_epochs_of_a_run_share_what_did_not_change_between_them():
    """One copy in memory and one on the pipe (pickle writes an object met twice in one
    message once): the shown images and inputs, the 2x2 training set, and the weights,
    which the snapshot holds by key and by name."""
    session = TrainingSession(_config("vae", "adam"))
    for _ in session.run(3):
        pass
    first, *rest = list(session.checkpoints)
    for checkpoint in rest:
        assert checkpoint.snapshot.images is first.snapshot.images
        assert checkpoint.snapshot.inputs is first.snapshot.inputs
        assert checkpoint.train_state["train"] is checkpoint.snapshot.images
        weights = checkpoint.snapshot.weights
        assert weights.encoder.weight is checkpoint.snapshot.params["encoder_mu.weight"]
        assert weights.log_var.bias is checkpoint.snapshot.params["encoder_log_var.bias"]
        assert not checkpoint.snapshot.images.flags.writeable
    session.set_images(np.flipud(session.train_images).copy())
    session.step()
    changed = session.checkpoints.newest().snapshot
    assert changed.images is not first.snapshot.images  # new images: frozen anew
    assert np.array_equal(changed.images, np.flipud(first.snapshot.images))
