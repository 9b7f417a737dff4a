"""Where and how hosted sessions train: the device a session was placed on, what this
machine offers (``engine.core.device``), and torch's thread count, for the window (and
its benchmark) to know without importing torch."""

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


@op("torch_threads")
def torch_threads(table: SessionTable) -> int:
    """The threads torch trains with in the host now (the last run set them:
    ``ops_training._use_threads``)."""
    import torch

    return torch.get_num_threads()
