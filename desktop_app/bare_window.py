"""The first-paint yardstick: a bare PySide6 + pyqtgraph window with one plot.

    python -m desktop_app.bare_window

Prints "painted" once the window's plot has painted, then quits: what Qt itself needs to
put a plot on screen, against which ``python -m desktop_app --benchmark`` holds the
app's ``--exit-after-paint`` (budget: 1.3 times this). Imports nothing of the app but
the watcher both share (``desktop_app.first_paint``, PySide6 only).
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as the app does without a screen
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop_app.first_paint import quit_after_first_paint  # imports only PySide6

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    plot = pg.PlotWidget()
    plot.plot([0, 1, 2, 3], [0, 1, 0, 1])
    window.setCentralWidget(plot)
    window.resize(800, 600)

    quit_after_first_paint(plot.viewport(), window)  # the plot covers the window: the window itself gets no paint
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
