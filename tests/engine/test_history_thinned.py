"""LossHistory.thinned: what the loss plot draws for very long runs (no Qt needed)."""

import numpy as np

from engine.core.history import LossHistory


def _history(n: int) -> LossHistory:
    history = LossHistory()
    for i in range(n):
        history.append(float(i), float(i) / 2, 0.0)
    return history


def test_short_history_comes_back_whole():
    history = _history(50)
    epochs, rows = history.thinned(100)
    assert np.array_equal(epochs, history.epochs)
    assert np.array_equal(rows, history.as_array())


def test_long_history_is_thinned_evenly_and_keeps_first_and_newest():
    history = _history(100_000)
    epochs, rows = history.thinned(1000)
    assert len(epochs) <= 1000 and epochs[0] == 1 and epochs[-1] == 100_000
    assert np.all(np.diff(epochs) > 0)
    assert np.array_equal(rows[:, 0], epochs - 1.0)  # each row is the epoch it claims to be
