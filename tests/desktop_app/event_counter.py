"""Counting the events of one kind a widget receives (paints, layout requests): how
tests see that something was, or was not, redrawn or laid out again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


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
