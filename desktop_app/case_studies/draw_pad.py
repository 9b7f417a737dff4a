"""A 28x28 pad to draw your own digit with the mouse (left button draws, right erases).

The pen and the erasing are the engine's (``engine.digits.drawing``); the pad only turns
mouse positions into pixel coordinates and paints the result.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.case_studies.digit_grid import SIDE, digit_qimage, paint_digit
from desktop_app.theme import Theme
from engine.digits.drawing import blank, stroke


class DrawPad(QWidget):
    drawingChanged = Signal(object)  # the 784 pixel values after each stroke segment

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawPad")
        self.setAccessibleName("drawPad")
        self.setToolTip("Draw a digit with the left mouse button; the right button erases.")
        self.theme = theme
        self.pixels = blank()
        self._image = digit_qimage(self.pixels)
        self._last: tuple[float, float] | None = None
        self._erasing = False
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # ----- reading and changing --------------------------------------------------------------
    def clear(self) -> None:
        self.set_pixels(blank())

    def set_pixels(self, pixels: np.ndarray) -> None:
        self.pixels = np.asarray(pixels, dtype=np.float32).reshape(-1).copy()
        self._image = digit_qimage(self.pixels)
        self.update()
        self.drawingChanged.emit(self.pixels.copy())

    def draw_line(self, start: tuple[float, float], end: tuple[float, float], erase: bool = False) -> None:
        """A pen stroke in pixel coordinates (x, y in 0..28): what a mouse drag does."""
        self.set_pixels(stroke(self.pixels, start, end, erase=erase))

    # ----- geometry --------------------------------------------------------------------------
    def _square(self) -> QRectF:
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_pixel(self, point: QPointF) -> tuple[float, float]:
        square = self._square()
        scale = SIDE / square.width()
        return ((point.x() - square.left()) * scale, (point.y() - square.top()) * scale)

    def from_pixel(self, x: float, y: float) -> QPointF:
        square = self._square()
        scale = square.width() / SIDE
        return QPointF(square.left() + x * scale, square.top() + y * scale)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        side = int(7 * SIDE * self.theme.scale)
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Four screen pixels to a digit pixel: still a pad one draws on with a mouse.

        No height-for-width: the pad paints the largest square its rectangle holds
        (``_square``), so it may be wider than tall. A column of a box layout pins a
        height-for-width widget to that height, and a square pad pinned so took the page's
        height from the plots above it on a short screen (1280x720: both squeezed to 68 px,
        with no value on their axes)."""
        return QSize(4 * SIDE, 4 * SIDE)

    # ----- mouse -----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return
        self._erasing = event.button() == Qt.MouseButton.RightButton
        self._last = self.to_pixel(event.position())
        self.draw_line(self._last, self._last, self._erasing)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._last is None:
            return
        point = self.to_pixel(event.position())
        self.draw_line(self._last, point, self._erasing)
        self._last = point

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self._last = None

    # ----- painting --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.theme.background)
        square = self._square()
        paint_digit(painter, square, self._image, self.theme.muted)
        painter.setPen(QPen(self.theme.grid.darker(300) if not self.theme.dark else self.theme.grid, 0.5))
        step = square.width() / SIDE
        for i in range(4, SIDE, 4):  # a faint guide every 4 pixels: MNIST digits fill the middle 20x20
            painter.drawLine(QPointF(square.left() + i * step, square.top()),
                             QPointF(square.left() + i * step, square.bottom()))
            painter.drawLine(QPointF(square.left(), square.top() + i * step),
                             QPointF(square.right(), square.top() + i * step))
        painter.end()
