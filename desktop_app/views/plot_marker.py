"""The loss plot's epoch marker, a dashed vertical line and a dot, as plain Qt items.

Why not pyqtgraph's ``InfiniteLine`` and a one-point ``PlotDataItem`` (measured on the
workbench while a VAE trains): the marker moves every frame, and those two items cost
about 2 ms of Python a frame (the scatter's bounds, its symbol atlas, the view box told
of new data bounds) to move one line and one dot. These items are Qt's own: moving
them is one call, and Qt paints them (the dot with one line of Python: antialiasing on).
They look as pyqtgraph drew them: a cosmetic dashed line across the whole plot, drawn
from the bottom up without antialiasing (as ``InfiniteLine`` draws a vertical one), and
an antialiased dot of the same size, fill and outline, always round
(``ItemIgnoresTransformations``: its size is in pixels whatever the axes' scales).
"""

from __future__ import annotations

import math

from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsLineItem, QStyleOptionGraphicsItem, QWidget


class MarkerLine(QGraphicsLineItem):
    """A vertical line at an epoch, from the bottom of the view to its top (view coordinates)."""

    def __init__(self, pen: QPen) -> None:
        super().__init__()
        self.setPen(pen)
        self.setZValue(10)
        self._placed: tuple[float, float, float] | None = None

    def setPen(self, pen: QPen) -> None:  # noqa: N802 (Qt's name)
        pen = QPen(pen)
        pen.setCosmetic(True)  # as wide as asked in pixels, whatever the axes' scales
        super().setPen(pen)

    def place(self, epoch: float, bottom: float, top: float) -> None:
        """At ``epoch``, spanning ``bottom``..``top``; no Qt call when nothing moved."""
        placed = (float(epoch), float(bottom), float(top))
        if placed != self._placed:
            self._placed = placed
            self.setLine(placed[0], placed[1], placed[0], placed[2])

    def value(self) -> float:
        """The epoch it marks."""
        return self.line().x1()


class MarkerDot(QGraphicsEllipseItem):
    """A round dot ``size`` pixels across at a point of the plot, hidden where it has none."""

    def __init__(self, size: float, brush: QBrush, pen: QPen) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(11)
        self.set_style(size, brush, pen)
        self.setVisible(False)

    def set_style(self, size: float, brush: QBrush, pen: QPen) -> None:
        pen = QPen(pen)
        pen.setCosmetic(True)
        self.setRect(-size / 2, -size / 2, size, size)
        self.setBrush(brush)
        self.setPen(pen)

    def place(self, x: float, y: float | None) -> None:
        """At (x, y) in view coordinates; None or a number that is not finite hides it."""
        shown = y is not None and math.isfinite(y)
        if shown and (x, y) != (self.pos().x(), self.pos().y()):
            self.setPos(x, y)
        if shown != self.isVisible():
            self.setVisible(shown)

    def point(self) -> tuple[float, float] | None:
        """Where it is drawn (view coordinates), or None when hidden."""
        return (self.pos().x(), self.pos().y()) if self.isVisible() else None

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        super().paint(painter, option, widget)
