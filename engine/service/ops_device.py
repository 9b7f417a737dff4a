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
    """The threads torch trains with in the host now, as the last run set them
    (``ops_training._use_threads``, on the run's own thread). OpenMP keeps the count per
    thread, so this request's thread may still hold an older one; a fresh thread starts
    from the count set last, which is what is read here."""
    import threading

    import torch

    seen: list[int] = []
    reader = threading.Thread(target=lambda: seen.append(torch.get_num_threads()), name="threads-probe")
    reader.start()
    reader.join()
    return seen[0]
