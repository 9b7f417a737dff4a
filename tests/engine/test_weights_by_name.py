"""The backprop breakdown reads the network's weights by what they are (the snapshot's
named layers), never by torch's keys: a layer that torch calls by another name leaves
every number and every name it shows unchanged. These tests do not require Qt."""

from __future__ import annotations

import pytest
from renamed_layers import renamed, trained

from engine.lecture.backprop import breakdown, parameter_keys
from engine.lecture.step_state import next_step_state


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_the_breakdown_is_the_same_when_torch_renames_a_layer(model):
    session = trained(model)
    before = breakdown(next_step_state(session))
    checkpoint = session.checkpoints.at_or_before(session.epoch)
    checkpoint.train_state["model"] = renamed(checkpoint.train_state["model"])  # what torch stored
    after = breakdown(next_step_state(session))
    assert set(after.grads) == set(before.grads)  # the lecture's names, not torch's
    for key in parameter_keys(model):
        assert after.chain_rule(key, 1).value == before.chain_rule(key, 1).value
        assert after.update(key).new_weight == before.update(key).new_weight
    assert after.loss == before.loss
