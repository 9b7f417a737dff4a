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
