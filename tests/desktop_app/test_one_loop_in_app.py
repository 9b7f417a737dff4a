"""The app trains through the same epoch function as ``python -m engine bench``:
the training host's epochs go through ``engine.core.epoch.train_epoch`` (counted
there), and a run in the window gives the benchmark's numbers for the same settings
and seed."""

import numpy as np
import pytest

from desktop_app.controller import TrainingController
from desktop_app.training_process import training_host
from engine.commands import benchmark
from engine.core import epoch as epoch_loop
from engine.core.config import TrainingConfig


@pytest.mark.parametrize("model", ["ae", "vae"])
def test_the_window_and_the_benchmark_run_the_same_epochs(model, qtbot, monkeypatch):
    calls = []
    real = epoch_loop.train_epoch

    def counting(*args, **kwargs):
        calls.append(kwargs.get("before_batch"))
        return real(*args, **kwargs)

    monkeypatch.setattr(epoch_loop, "train_epoch", counting)
    config = TrainingConfig(model=model, seed=3)
    controller = TrainingController(config)
    host = training_host()
    host.call("count_epochs", True)
    try:
        assert controller.step(40) is None
        qtbot.waitUntil(lambda: not controller.running and controller.snapshot.epoch == 40, timeout=30000)
        in_app = controller.session.history.as_array()
    finally:
        controller.shutdown()
        in_host = host.call("count_epochs", False)
    assert in_host == 40 and calls == []  # the host's epochs, none in the window
    session, _ = benchmark.headless_run(config, 40)
    assert len(calls) == 40
    np.testing.assert_array_equal(in_app, session.history.as_array())
