"""Counting the events of one kind a widget receives (paints, layout requests), and the
passes of the event loop: how tests see that something was, or was not, redrawn or laid
out again, and in how many turns."""

from __future__ import annotations

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject, QThread


class EventCounter(QObject):
    """Counts the ``kind`` events ``widget`` receives from now on, in ``count``."""

    def __init__(self, widget: QObject, kind: QEvent.Type) -> None:
        super().__init__()
        self.count = 0
        self._kind = kind
        widget.installEventFilter(self)

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == self._kind:
            self.count += 1
        return False


class Turns(QObject):
    """Passes of the GUI thread's event loop from now on (``count``: the dispatcher's
    ``awake`` signal, one per pass), never a clock."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        QAbstractEventDispatcher.instance(QThread.currentThread()).awake.connect(self._next)

    def _next(self) -> None:
        self.count += 1
