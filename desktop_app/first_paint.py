"""Say "painted" on a widget's first paint, then quit: the first-paint benchmark's signal.

The app (``--exit-after-paint``) and its yardstick, the bare window
(``python -m desktop_app.bare_window``), both end on this one watcher, so both are
timed to the same event. It imports only PySide6: the yardstick must load nothing of
the app beyond it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer


class PaintWatcher(QObject):
    """An event filter that prints "painted" at the first paint of what it watches, stops
    watching, and quits the application once that paint is done."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            watched.removeEventFilter(self)
            QTimer.singleShot(0, QCoreApplication.quit)
        return False


def quit_after_first_paint(watched: QObject, owner: QObject) -> PaintWatcher:
    """Watch ``watched`` (the widget that receives the first paint) with a watcher that
    ``owner`` keeps alive."""
    watcher = PaintWatcher(owner)
    watched.installEventFilter(watcher)
    return watcher
