"""Every run trains through one epoch function (``engine.core.epoch.train_epoch``):
the session, ``python -m engine train``, ``python -m engine bench`` and the digit
quality benchmark. Counted by a spy on that function, and checked by equal numbers
for equal seeds. (The app's worker: ``tests/desktop_app/test_one_loop_in_app.py``.)"""

import json

import numpy as np
import pytest
import torch

from engine.commands import benchmark, cli, digit_benchmark
from engine.core import epoch as epoch_loop
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.digits.training import case_study_config


@pytest.fixture
def epoch_calls(monkeypatch):
    """How many epochs went through the one loop, and with which settings."""
    calls = []
    real = epoch_loop.train_epoch

    def counting(model, optimizer, images, config, generator, **kwargs):
        calls.append(config)
        return real(model, optimizer, images, config, generator, **kwargs)

    monkeypatch.setattr(epoch_loop, "train_epoch", counting)
    return calls


def test_the_speed_benchmark_trains_through_the_one_loop(epoch_calls):
    session, seconds = benchmark.headless_run(TrainingConfig(model="vae"), 7)
    assert len(epoch_calls) == 7 == session.epoch and seconds > 0


def test_the_quality_benchmark_trains_through_the_one_loop(epoch_calls):
    session = TrainingSession(TrainingConfig())
    run = digit_benchmark.train_within(session, 0.0, lambda s: s.latest.loss)
    assert len(epoch_calls) == 1 == run["epochs"]  # a budget of 0 s: the one epoch every run makes


def test_the_command_line_trains_through_the_one_loop(epoch_calls, capsys):
    assert cli.main(["train", "--model", "dae", "--epochs", "5", "--json"]) == 0
    assert len(epoch_calls) == 5 and all(c.model == "dae" for c in epoch_calls)
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    session, _ = benchmark.headless_run(cli.config_from_args(cli.build_parser().parse_args(
        ["train", "--model", "dae"])), 5)
    # same seed, same loop: the benchmark's run is the command line's, number for number
    assert [r["loss"] for r in rows[:-1]] == list(session.history.column("loss"))


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_the_command_line_starts_digit_runs_with_the_case_studies_settings(model):
    args = cli.build_parser().parse_args(["train", "--model", model, "--dataset", "mnist"])
    assert cli.config_from_args(args) == case_study_config(model)


def test_the_quality_benchmark_stops_before_an_epoch_that_would_end_past_the_budget(monkeypatch):
    clock = iter(np.arange(0.0, 100.0, 1.0))  # every epoch takes exactly 1 s
    monkeypatch.setattr(digit_benchmark.time, "perf_counter", lambda: float(next(clock)))
    run = digit_benchmark.train_within(TrainingSession(TrainingConfig()), 3.5, lambda s: 0.0)
    assert run["epochs"] == 3 and run["seconds"] == 3.0  # a 4th would end at 4 s


def test_a_diverging_run_ends_the_quality_benchmark_with_its_last_finite_epoch():
    session = TrainingSession(TrainingConfig(optimizer="sgd", learning_rate=0.5))
    session.step()
    with torch.no_grad():  # poisoned as a blown-up update would leave it
        session.model.decoder.weight.fill_(float("inf"))
    run = digit_benchmark.train_within(session, 60.0, lambda s: s.latest.loss)
    assert run["diverged"] and run["epochs"] == 1 == session.epoch and run["curve"] == []
