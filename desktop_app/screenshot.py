"""``--screenshot``: build the window offscreen, train a little, save a PNG, exit."""

from __future__ import annotations

import sys
import time

from PySide6.QtWidgets import QApplication

SETTLE_S = 0.5  # posted layouts and deferred child moves (a tab bar's scroll buttons) land in this


def take_screenshot(window, app: QApplication, path: str, epochs: int, tab: int) -> int:
    window.tabs.setCurrentIndex(tab)
    window.show()
    app.processEvents()
    if epochs:
        error = window.controller.step(epochs)
        if error:
            print(error, file=sys.stderr)
            return 2
        window.controller.wait_until_idle(timeout=600)
    settle(app)
    if not window.grab().save(path, "PNG"):
        print(f"Could not write {path}.", file=sys.stderr)
        return 1
    print(path)
    window.close()
    return 0


def settle(app: QApplication, seconds: float = SETTLE_S) -> None:
    """Let the window finish laying itself out: a grab taken after a few event-loop
    turns caught a tab bar's scroll buttons still at their parent's origin."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
