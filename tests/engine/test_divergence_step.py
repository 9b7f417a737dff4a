"""The divergence check that runs the network's step, on a digit session's stored epoch:
a digit session stores no copy of its training set (the shipped digits), so the check
takes the shipped digits, as restoring does."""

from __future__ import annotations

import numpy as np
import torch

from engine.core.config import TrainingConfig
from engine.core.divergence_step import next_step_problem
from engine.core.session import TrainingSession


def _digit_session() -> TrainingSession:
    return TrainingSession(TrainingConfig(model="ae", dataset="mnist", latent_dim=2))


def test_a_digit_epoch_stores_no_training_set_and_its_step_is_checked_on_the_shipped_digits():
    state = _digit_session().checkpoints.newest().train_state
    assert state["train"] is None
    assert next_step_problem(state) is None  # a fresh model steps fine (it used to raise TypeError)


def test_a_digit_epoch_with_weights_that_are_not_finite_is_found_ruined():
    state = _digit_session().checkpoints.newest().train_state
    first = next(iter(state["model"]))
    ruined = {**state, "model": {**state["model"], first: np.full_like(state["model"][first], np.inf)}}
    assert next_step_problem(ruined) == "its weights are not finite"
    torch.manual_seed(0)
    huge = {**state, "model": {k: np.full_like(v, 1e30) for k, v in state["model"].items()}}
    assert next_step_problem(huge) is not None  # the shipped digits' batch overflows the loss
