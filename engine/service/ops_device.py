"""Where hosted sessions train: the device a session was placed on, and what this
machine offers (``engine.core.device``), for the window to say so without torch."""

from __future__ import annotations

from engine.core.device import available_devices
from engine.service.registry import op
from engine.service.table import SessionTable


@op("device")
def session_device(table: SessionTable, sid: int) -> str:
    """The device session ``sid`` trains on: "cpu", "cuda" or "mps"."""
    return table.session(sid).device.type


@op("available_devices")
def devices_here(table: SessionTable) -> list[str]:
    """The devices torch can train on in the host, best first (always ending with "cpu")."""
    return available_devices()
