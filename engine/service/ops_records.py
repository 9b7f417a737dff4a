"""Sessions trained start to end in the training host and answered as records, for the
command-line export and the benchmarks: nothing stays in the host's table."""

from __future__ import annotations

from engine.core.config import TrainingConfig
from engine.core.record import SessionRecord
from engine.core.session import TrainingDiverged, TrainingSession
from engine.service.registry import op


@op("trained_record")
def trained_record(table, config: TrainingConfig, epochs: int) -> tuple[SessionRecord, str | None]:
    """A fresh session of ``config`` trained ``epochs`` epochs, as a record; with the
    divergence message when it stopped early (the record ends at the last finite epoch)."""
    session = TrainingSession(config)
    try:
        for _snapshot in session.run(epochs):
            pass
    except TrainingDiverged as exc:
        return session.record(), str(exc)
    return session.record(), None
