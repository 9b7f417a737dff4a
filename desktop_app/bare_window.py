"""The first-paint yardstick: a bare PySide6 + pyqtgraph window with one plot.

    python -m desktop_app.bare_window

Prints "painted" once the window's plot has painted, then quits: what Qt itself needs to
put a plot on screen, against which ``python -m desktop_app --benchmark`` holds the
app's ``--exit-after-paint`` (budget: 1.3 times this). Imports nothing of the app.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as the app does without a screen
    import pyqtgraph as pg
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    plot = pg.PlotWidget()
    plot.plot([0, 1, 2, 3], [0, 1, 0, 1])
    window.setCentralWidget(plot)
    window.resize(800, 600)

    class PaintWatcher(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                print("painted", flush=True)
                obj.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = PaintWatcher(window)
    plot.viewport().installEventFilter(watcher)  # the plot covers the window: the window itself gets no paint
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
