"""Ops that make a hosted session misbehave on purpose, for tests of what the window
does when training fails (the error dialog, the log). Nothing in the app calls them."""

from __future__ import annotations

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
