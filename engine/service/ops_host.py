"""Ops about the host itself: is it there, and what has it imported."""

from __future__ import annotations

import os
import sys

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
