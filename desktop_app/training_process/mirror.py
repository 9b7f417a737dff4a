"""Bring a session's mirror (``SessionRecord``) level with the host's session.

The host sends what changed (``SessionUpdate``): a rewind shows as fewer loss rows
than the mirror has; thinned epochs are named; new or replaced checkpoints come
oldest first with the host store's grid, so the mirror's store keeps exactly the
epochs the host's keeps and the timeline offers only epochs the host can go back to.
"""

from __future__ import annotations

from engine.core.record import SessionRecord
from engine.service.protocol import SessionUpdate
from engine.service.shown_once import restore_shown


def apply_update(record: SessionRecord, update: SessionUpdate) -> None:
    history = record.history
    if update.history_from < len(history):  # the host went back in time
        record.truncate_after(update.history_from)
    record.checkpoints.stride = update.stride
    record.checkpoints.discard(update.dropped)
    rows, first = update.rows, update.history_from
    for checkpoint in restore_shown(record, update.added):  # the shown images crossed once
        epoch = checkpoint.snapshot.epoch
        while len(history) < epoch - 1:
            history.append(*rows[len(history) - first])
        record.add(checkpoint, rows[epoch - 1 - first] if len(history) < epoch else None)
    while len(history) < first + len(rows):
        history.append(*rows[len(history) - first])
    record.config = update.config
