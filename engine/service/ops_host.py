"""Ops about the host itself: is it there, and what has it imported."""

from __future__ import annotations

import os
import sys

from engine.service import warm_up
from engine.service.registry import op
from engine.service.table import SessionTable


@op("ping")
def ping(table: SessionTable) -> int:
    """The host's process id (it answers: it is alive)."""
    return os.getpid()


@op("imported")
def imported(table: SessionTable, prefix: str) -> list[str]:
    """The host's imported modules whose name starts with ``prefix`` (a test proves the
    host never imports Qt)."""
    return sorted(name for name in sys.modules if name.startswith(prefix))


@op("warmed_up")
def warmed_up(table: SessionTable, timeout: float = 60.0) -> bool:
    """Wait until torch's first-optimiser imports are loaded (tests start timing after)."""
    return warm_up.wait(timeout)
