"""Rows of images decoded from latent points: ``ImageStrip`` paints one (a path, or
samples from the prior), and ``DecodedPointsPanel`` is what the path and prior panels
share under the latent canvas: a row of controls, notes, the strip, and a click on a
tile that probes its point on the canvas.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.theme import Theme
from desktop_app.views.decoded_image import grayscale_image, paint_image
from desktop_app.views.latent_canvas import LatentCanvas


class ImageStrip(QWidget):
    """A row of decoded images with a caption under each; click one to look at it."""

    tileClicked = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None, *, name: str = "interpolationStrip",
                 empty_text: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.theme = theme
        self._values = np.empty((0, 0))
        self._images: list = []
        self._captions: list[str] = []
        self._empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(int(78 * theme.scale))

    def values(self) -> np.ndarray:
        """The images on screen, one row each."""
        return self._values.copy()

    def captions(self) -> list[str]:
        return list(self._captions)

    def set_images(self, values: np.ndarray | None, captions: list[str] | None = None) -> None:
        if values is None:
            self._values, self._images, self._captions = np.empty((0, 0)), [], []
        else:
            self._values = np.array(values, dtype=np.float64)
            self._images = [grayscale_image(v) if v.size > 16 else None for v in self._values]
            self._captions = list(captions) if captions is not None else [""] * len(self._values)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(int(400 * self.theme.scale), int(84 * self.theme.scale))

    def tile_rects(self) -> list[QRectF]:
        n = len(self._values)
        if n == 0:
            return []
        caption_h = self.fontMetrics().height() + 2
        pitch = self.width() / n
        side = max(6.0, min(pitch - 4.0, self.height() - caption_h - 4.0))
        return [QRectF(k * pitch + (pitch - side) / 2, 2, side, side) for k in range(n)]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setFont(self.theme.font(0.8))
        painter.setPen(self.theme.muted)
        if len(self._values) == 0:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._empty_text)
            painter.end()
            return
        numbers = len(self._values) <= 12
        for rect, values, image, caption in zip(self.tile_rects(), self._values, self._images, self._captions,
                                                strict=True):
            paint_image(painter, rect, values, self.theme, numbers=numbers, image=image)
            painter.setPen(self.theme.muted)
            painter.drawText(QRectF(rect.left() - 10, rect.bottom() + 1, rect.width() + 20, 16),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        for k, rect in enumerate(self.tile_rects()):
            if rect.contains(event.position()):
                self.tileClicked.emit(k)
                return
        super().mousePressEvent(event)



class DecodedPointsPanel(QWidget):
    """A panel of latent points decoded into a strip. The subclass builds its widgets and
    ``self.strip``, calls ``lay_out``, and shows each new set with ``show_points``."""

    strip: ImageStrip

    def __init__(self, canvas: LatentCanvas, theme: Theme, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.canvas = canvas
        self.theme = theme
        self._points: np.ndarray | None = None

    def lay_out(self, controls: Sequence[QWidget], notes: Sequence[QWidget]) -> None:
        """The controls in a row, the notes under it, then the strip; tiles probe their points."""
        row = QHBoxLayout()
        for widget in controls:
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        for widget in notes:
            layout.addWidget(widget)
        layout.addWidget(self.strip)
        layout.addStretch(1)
        self.strip.tileClicked.connect(self._look_at)

    def show_points(self, points: np.ndarray | None, images: np.ndarray | None = None,
                    captions: list[str] | None = None) -> None:
        """Show ``images`` decoded from ``points`` (None: an empty strip)."""
        self._points = points
        self.strip.set_images(None if points is None else images, captions)

    def _look_at(self, k: int) -> None:
        if self._points is not None and k < len(self._points):
            self.canvas.set_probe(self._points[k])
