"""A stored epoch keeps its optimiser state packed (``engine.core.optimizer_state``):
one array of numbers and a layout shared by the epochs that have the same one. These
tests hold it to torch's own ``state_dict`` and check what it saves on the pipe."""

import pickle

import numpy as np
import pytest
import torch

from engine.core.config import TrainingConfig
from engine.core.optimizer_state import OptimizerState, portable_optimizer_state
from engine.core.session import TrainingSession
from engine.service import wire


def _as_numpy(state_dict: dict) -> dict:
    return {"state": {pid: {name: value.numpy(force=True) for name, value in slots.items()}
                      for pid, slots in state_dict["state"].items()},
            "param_groups": state_dict["param_groups"]}


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_a_stored_epoch_holds_exactly_the_optimisers_own_state_dict(model):
    session = TrainingSession(TrainingConfig(model=model))
    for _ in range(3):
        session.step()
        stored = session.checkpoints.newest().train_state["optimizer"]
        assert isinstance(stored, OptimizerState)
        expected = _as_numpy(session.optimizer.state_dict())  # torch's, read after the epoch
        got = stored.state_dict()
        assert got["param_groups"] == expected["param_groups"]
        assert got["state"].keys() == expected["state"].keys()
        for pid, slots in expected["state"].items():
            assert got["state"][pid].keys() == slots.keys()
            for name, value in slots.items():
                assert got["state"][pid][name].dtype == value.dtype and got["state"][pid][name].shape == value.shape
                np.testing.assert_array_equal(got["state"][pid][name], value)
        assert stored["state"][0]["exp_avg"].shape == expected["state"][0]["exp_avg"].shape  # reads like the dict


def test_epochs_with_the_same_settings_share_one_layout_and_a_new_rate_makes_a_new_one():
    session = TrainingSession(TrainingConfig(model="ae", learning_rate=0.05))
    for _ in range(2):
        session.step()
    first, second = (c.train_state["optimizer"] for c in list(session.checkpoints)[1:3])
    assert first.layout is second.layout and first.values is not second.values
    session.change(learning_rate=0.01)
    session.step()
    third = session.checkpoints.newest().train_state["optimizer"]
    assert third.layout is not second.layout
    assert third["param_groups"][0]["lr"] == pytest.approx(0.01)
    assert second["param_groups"][0]["lr"] == pytest.approx(0.05)


def test_the_numbers_are_frozen_and_the_groups_handed_out_are_new():
    session = TrainingSession(TrainingConfig(model="ae"))
    session.step()
    stored = session.checkpoints.newest().train_state["optimizer"]
    assert not stored.values.flags.writeable and not stored["state"][0]["exp_avg"].flags.writeable
    groups = stored["param_groups"]
    groups[0]["lr"] = 99.0
    groups[0]["params"].append(7)
    assert stored["param_groups"][0]["lr"] != 99.0 and 7 not in stored["param_groups"][0]["params"]


def test_an_update_pickles_the_shared_layout_once():
    session = TrainingSession(TrainingConfig(model="ae"))
    for _ in range(20):
        session.step()
    checkpoints = list(session.checkpoints)[1:]
    pickled = wire.dumps(checkpoints)
    assert pickled.count(b"StateLayout") == 1
    back = [c.train_state["optimizer"] for c in pickle.loads(pickled)]
    assert all(state.layout is back[0].layout for state in back)
    for sent, got in zip(checkpoints, back, strict=True):
        np.testing.assert_array_equal(got.values, sent.train_state["optimizer"].values)


def test_slots_of_mixed_dtypes_or_a_missing_one_stay_a_plain_numpy_dict():
    groups = [{"lr": 0.1, "params": [0, 1]}]
    mixed = {"state": {0: {"a": torch.zeros(2)}, 1: {"a": torch.zeros(2, dtype=torch.float64)}}, "param_groups": groups}
    missing = {"state": {0: {"momentum_buffer": None}}, "param_groups": groups}
    for state_dict in (mixed, missing):
        kept = portable_optimizer_state(state_dict)
        assert isinstance(kept, dict)
        assert all(not isinstance(v, torch.Tensor) for slots in kept["state"].values() for v in slots.values())
    assert portable_optimizer_state(None) is None
    empty = portable_optimizer_state({"state": {}, "param_groups": groups})  # SGD before any momentum
    assert isinstance(empty, OptimizerState) and empty.state_dict() == {"state": {}, "param_groups": groups}


def test_a_setting_that_is_a_tensor_is_kept_in_numpy_and_never_taken_for_the_same_layout():
    def state_dict():
        return {"state": {0: {"a": torch.zeros(2)}}, "param_groups": [{"lr": torch.tensor([0.1, 0.2]), "params": [0]}]}

    first = portable_optimizer_state(state_dict())
    lr = first["param_groups"][0]["lr"]
    assert isinstance(lr, np.ndarray) and np.allclose(lr, [0.1, 0.2])
    second = portable_optimizer_state(state_dict(), like=first)  # compared without raising
    assert isinstance(second, OptimizerState) and second.layout is not first.layout
