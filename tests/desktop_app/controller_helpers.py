"""A training controller for a test (no tests here)."""

from __future__ import annotations

from collections.abc import Iterator

import torch

from desktop_app.controller import TrainingController
from engine.core.config import TrainingConfig


def controller_for(config: TrainingConfig | None = None, epochs: int = 0) -> Iterator[TrainingController]:
    """A controller for ``config`` (the default one if None), ``epochs`` trained, shut down
    after the test: a fixture's body (``yield from``)."""
    torch.set_num_threads(1)
    controller = TrainingController(config or TrainingConfig())
    if epochs:
        assert controller.step(epochs) is None
        controller.wait_until_idle()
    yield controller
    controller.shutdown()
