"""A container that keeps a view's small layout changes from repainting the whole window.

Why it exists (measured): a label whose text changes ("epoch 301", "MSE 0.0035") asks
its layout to recompute, and Qt passes that request up, parent by parent. When it
reaches a QMainWindow's layout (the workbench is one, inside the app's window), that
layout re-applies itself and the whole window is repainted: about 8 million pixels
and 25-60 ms a frame, 30 times a second while training. The window stuttered.

``LayoutFirewall`` holds one child and places it itself, with no layout of its own,
so the child's layout requests arrive here as a ``LayoutRequest`` event. They are
passed up only when the child's minimum size changed, which is the one thing the
parent's layout has to know; a new line of text no longer moves the whole window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QWidget


class LayoutFirewall(QWidget):
    """Fills itself with ``child``; tells its parent only about real minimum-size changes."""

    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{child.objectName() or 'view'}Firewall")
        self.child = child
        child.setParent(self)
        self.setSizePolicy(child.sizePolicy())
        self._minimum = self._child_minimum()

    def _child_minimum(self) -> QSize:
        return self.child.minimumSizeHint().expandedTo(self.child.minimumSize())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.child.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self._child_minimum()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.child.setGeometry(self.rect())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            minimum = self._child_minimum()
            if minimum != self._minimum:
                self._minimum = minimum
                self.updateGeometry()
            self.child.setGeometry(self.rect())  # no-op unless the child was moved or hidden
            return True
        return super().event(event)
