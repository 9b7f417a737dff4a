"""``--screenshot``: build the window offscreen, train a little, save a PNG, exit."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


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
    for _ in range(5):
        app.processEvents()
    if not window.grab().save(path, "PNG"):
        print(f"Could not write {path}.", file=sys.stderr)
        return 1
    print(path)
    window.close()
    return 0
