"""Shared set-up for the case-study tests (no tests here): a smaller digit world so a
test trains an epoch in about a second on a busy 2-core machine, and a denoising study
shown and started in it.

Training uses every 9th of the 4,500 training digits (500, every class; the file is
sorted by digit, so a slice would be all zeros); the 500 held-out digits, the models
and every figure on screen are the real ones. Training runs on one torch thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
import torch

from desktop_app.case_studies.denoising_study import DenoisingStudy
from desktop_app.theme import Theme
from desktop_app.training_process import training_host
from engine.core.config import TrainingConfig
from engine.digits import data as digits

EVERY = 9


def small_split(dataset: digits.DigitSet) -> tuple[digits.DigitSet, digits.DigitSet]:
    train, held_out = _REAL_SPLIT(dataset)
    return train.subset(np.arange(0, len(train), EVERY)), held_out


_REAL_SPLIT = digits.split_digits


@contextmanager
def small_digit_world() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digits, "split_digits", small_split)
        patch.setattr("engine.digits.study_figures.split_digits", small_split)
        host = training_host()
        host.call("small_digit_world", EVERY)  # the digit sessions live in the training host
        try:
            yield
        finally:
            host.call("small_digit_world", None)


@contextmanager
def shown_denoising_study(config: TrainingConfig, epochs: int = 0) -> Iterator[DenoisingStudy]:
    """A denoising study in the small digit world, shown at 1400x900 and started, its PCA
    fitted (so no test waits on the background fit), trained ``epochs`` epochs when asked
    (and idle again); shut down and closed on the way out."""
    torch.set_num_threads(1)
    with small_digit_world():
        widget = DenoisingStudy(Theme(), config=config)
        widget.resize(1400, 900)
        widget.show()
        widget.start()
        widget.pca.denoiser(config.latent_dim, timeout=120)  # fitted in the background
        try:
            if epochs:
                assert widget.step(epochs) is None
                assert widget.wait_until_idle(120)
            yield widget
        finally:
            widget.shutdown()
            widget.close()
