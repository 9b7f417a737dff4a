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
A child whose height follows its width (a word-wrapped label) also passes up a change
of its height at the width it has, so a readout that needs another line still gets it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QSizePolicy, QWidget


class LayoutFirewall(QWidget):
    """Fills itself with ``child``; tells its parent only about real minimum-size changes."""

    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{child.objectName() or 'view'}Firewall")
        self.child = child
        child.setParent(self)
        self.setSizePolicy(child.sizePolicy())
        self._minimum = self._child_minimum()
        self._height = self._child_height()

    def _child_minimum(self) -> QSize:
        """The minimum the parent's layout uses: a direction whose policy is Ignored has none
        but an explicit one (a wrapped label's widest word then changes nothing)."""
        hint, policy = self.child.minimumSizeHint(), self.child.sizePolicy()
        if policy.horizontalPolicy() == QSizePolicy.Policy.Ignored:
            hint.setWidth(0)
        if policy.verticalPolicy() == QSizePolicy.Policy.Ignored:
            hint.setHeight(0)
        return hint.expandedTo(self.child.minimumSize())

    def _child_height(self) -> int:
        """The height the child wants at the width it has (-1: its height does not follow its width)."""
        return self.child.heightForWidth(self.width()) if self.child.hasHeightForWidth() else -1

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return self.child.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return self.child.heightForWidth(width)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.child.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self._child_minimum()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._height = self._child_height()
        self.child.setGeometry(self.rect())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            minimum, height = self._child_minimum(), self._child_height()
            if (minimum, height) != (self._minimum, self._height):
                self._minimum, self._height = minimum, height
                self.updateGeometry()
            self.child.setGeometry(self.rect())  # no-op unless the child was moved or hidden
            return True
        return super().event(event)
