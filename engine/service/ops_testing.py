"""Ops that make a hosted session misbehave on purpose, for tests of what the window
does when training fails (the error dialog, the log). Nothing in the app calls them."""

from __future__ import annotations

import numpy as np

from engine.service.registry import op
from engine.service.table import SessionTable


@op("fail_epochs")
def fail_epochs(table: SessionTable, sid: int, message: str | None) -> None:
    """Every later epoch of ``sid`` raises ``RuntimeError(message)`` half-way; None
    mends the session again."""
    session = table.session(sid)
    session.optimizer  # noqa: B018 (made now: torch's first optimiser imports for seconds)
    if message is None:
        session.__dict__.pop("_train_one_epoch", None)
        return

    def broken_epoch() -> tuple[float, float, float]:
        raise RuntimeError(message)

    session._train_one_epoch = broken_epoch


_REAL: dict[str, object] = {}


@op("small_digit_world")
def small_digit_world(table: SessionTable, every: int | None) -> None:
    """Digit sessions made from now on train on every ``every``-th training digit, on one
    torch thread (the case-study tests' small world); None: the real world again."""
    from engine.digits import data, study_figures
    from engine.service import ops_training

    if not _REAL:
        _REAL.update(split=data.split_digits, threads=ops_training.threads_for)
    if every is None:
        data.split_digits = study_figures.split_digits = _REAL["split"]
        ops_training.threads_for = _REAL["threads"]
        return

    def small_split(dataset):
        train, held_out = _REAL["split"](dataset)
        return train.subset(np.arange(0, len(train), every)), held_out

    data.split_digits = study_figures.split_digits = small_split
    ops_training.threads_for = lambda config, headless=True: 1


_COUNTED: list[object] = []  # the before_batch of every counted epoch


@op("count_epochs")
def count_epochs(table: SessionTable, on: bool) -> int:
    """Count the calls of the one epoch function (``engine.core.epoch.train_epoch``) in
    the host from now on (``on``) or stop; returns how many were counted so far."""
    from engine.core import epoch as epoch_loop

    real = getattr(epoch_loop.train_epoch, "counted", epoch_loop.train_epoch)
    if not on:
        epoch_loop.train_epoch = real
        return len(_COUNTED)
    _COUNTED.clear()

    def counting(*args, **kwargs):
        _COUNTED.append(kwargs.get("before_batch"))
        return real(*args, **kwargs)

    counting.counted = real
    epoch_loop.train_epoch = counting
    return 0
