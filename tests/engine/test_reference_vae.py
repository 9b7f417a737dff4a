"""The plain PyTorch digit VAE the engine is timed against computes the engine's loss:
given the engine's weights, both score the held-out digits alike, so the benchmark's
"held-out loss each reaches in the same time" compares like with like."""

import itertools

import numpy as np
import pytest
import torch

from engine.commands import reference_comparison
from engine.commands.reference_comparison import TimedRun
from engine.commands.reference_vae import ReferenceRun
from engine.core.session import TrainingSession
from engine.digits.data import load_digits, split_digits
from engine.digits.training import case_study_config, evaluate

ENGINE_NAMES = {"fc1": "encoder.0.0", "fc2": "encoder.0.2", "fc_mu": "encoder_mu", "fc_log_var": "encoder_log_var",
                "fc3": "decoder.0", "fc4": "decoder.2", "fc5": "decoder.4"}


def test_with_the_engines_weights_the_reference_scores_held_out_digits_as_the_engine_does():
    config = case_study_config("vae")
    session = TrainingSession(config)
    train, test = split_digits(load_digits())
    reference = ReferenceRun(train.images[:64], test.images)
    engine_state = session.model.state_dict()
    with torch.no_grad():
        for mine, theirs in ENGINE_NAMES.items():
            layer = getattr(reference.model, mine)
            assert layer.weight.shape == engine_state[f"{theirs}.weight"].shape  # the app's sizes
            layer.weight.copy_(engine_state[f"{theirs}.weight"])
            layer.bias.copy_(engine_state[f"{theirs}.bias"])
    expected = evaluate(session.model, test.images, loss=config.loss, beta=config.beta)["loss"]
    assert reference.held_out_loss() == pytest.approx(expected, rel=1e-5)
    before = reference.held_out_loss()
    loss = reference.step()  # one epoch on 64 digits: a single Adam step
    assert np.isfinite(loss) and reference.epoch == 1 and reference.held_out_loss() != before


def test_a_timed_run_starts_no_epoch_that_would_end_past_the_budget(monkeypatch):
    clock = itertools.count(step=1.0)  # every perf_counter call one second later: an epoch takes 1 s
    monkeypatch.setattr(reference_comparison.time, "perf_counter", lambda: float(next(clock)))
    scores = iter(range(100, 0, -1))
    run = TimedRun(lambda: None, lambda: float(next(scores)), budget_s=3.5)
    while run.wants_more:
        run.step()
    assert run.summary() == {"epochs": 3, "seconds": 3.0, "seconds_per_epoch": 1.0, "test_loss": 98.0,
                             "test_loss_per_epoch": [100.0, 99.0, 98.0]}


def test_the_reference_given_the_fused_adam_trains_as_the_default_one_to_float_rounding():
    train, test = split_digits(load_digits())
    plain, fused = (ReferenceRun(train.images[:256], test.images, fused=choice) for choice in (False, True))
    assert [run.optimizer.defaults["fused"] for run in (plain, fused)] == [None, True]
    torch.manual_seed(1)  # the same shuffles and draws for both
    plain.step()
    torch.manual_seed(1)
    fused.step()
    for a, b in zip(plain.model.parameters(), fused.model.parameters(), strict=True):
        assert torch.allclose(a, b, atol=1e-5)
    assert fused.held_out_loss() == pytest.approx(plain.held_out_loss(), rel=1e-4)
