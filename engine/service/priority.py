"""The training host runs at a lower scheduling priority than the window.

Digit training keeps every core busy (torch's threads), and the window's event loop
then waited for a core behind them: in the generation study's first epochs one turn
took 30 ms of the window's CPU but 60 to 70 ms of wall time (event-loop lag max 54 to
60 ms, p95 3 to 4 ms, with the host at the window's priority). With the host one step
down (``nice`` +5, Windows' "below normal") the window gets a core when it asks and
training still gets every cycle the window does not want: lag max 36 to 42 ms, p95 0.6
to 1.4 ms, and the 2x2 models' in-app speed did not drop (paired rounds). Only the
app's host is lowered; ``python -m engine`` and the benchmarks' headless runs keep the
normal priority. Qt-free and torch-free.
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

HOST_NICE = 5  # POSIX niceness added to the host's (0 normal, 19 lowest)
BELOW_NORMAL_PRIORITY_CLASS = 0x4000  # Windows' SetPriorityClass value for the same step down


def lower_priority() -> str:
    """Lower this process's priority a step below the window's; returns what was done
    (for the log), and never fails: a system that refuses leaves the priority as it is."""
    try:
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32
            if not kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS):
                return "priority unchanged (SetPriorityClass refused)"
            return "priority class below normal"
        return f"niceness {os.nice(HOST_NICE)}"  # Linux: this thread, and every thread it starts after
    except (OSError, AttributeError) as exc:
        log.warning("The training engine keeps the window's priority: %s", exc)
        return f"priority unchanged ({exc})"
