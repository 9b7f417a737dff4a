"""The image a latent point decodes to, and the label naming that point.

One painter serves every size: a 2x2 image is drawn as four shaded tiles with their
values printed (as the slides do), a 28x28 digit as a crisp grayscale picture. The
widget keeps the values it was given, so tests read exactly what is on screen.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.frames.live_view import LiveView
from desktop_app.frames.opaque import paints_own_background
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from engine.latent.space import COORD_DECIMALS

NUMBERED_SIDE = 4  # images up to 4x4 show their pixel values in the tiles


def grayscale_image(values: np.ndarray) -> QImage:
    """A square image's pixel values (0 black, 1 white) as an 8-bit QImage (a copy)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    side = math.isqrt(v.size)
    grey = np.rint(255 * np.clip(np.nan_to_num(v), 0.0, 1.0)).astype(np.uint8).reshape(side, side)
    grey = np.ascontiguousarray(grey)
    # RGB32 is the raster engine's own format: drawn scaled without a conversion per paint.
    return QImage(grey.data, side, side, side, QImage.Format.Format_Grayscale8).convertToFormat(
        QImage.Format.Format_RGB32)


def paint_image(painter: QPainter, rect: QRectF, values: np.ndarray, theme: Theme, *,
                numbers: bool = True, image: QImage | None = None) -> None:
    """Draw a square image into ``rect``: tiles with values when small, pixels when large."""
    v = np.asarray(values, dtype=np.float64).ravel()
    side = math.isqrt(v.size)
    painter.save()
    if side <= NUMBERED_SIDE:
        cell = rect.width() / side
        font = painter.font()
        font.setPixelSize(max(7, int(cell * 0.26)))
        painter.setFont(font)
        for k, value in enumerate(v):
            r, c = divmod(k, side)
            tile = QRectF(rect.left() + c * cell, rect.top() + r * cell, cell, cell)
            painter.fillRect(tile, theme.pixel_colour(value))
            if numbers and cell >= 22:
                painter.setPen(theme.text_on_pixel(value))
                painter.drawText(tile, Qt.AlignmentFlag.AlignCenter, fmt.boxed(value))
    else:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(rect, image if image is not None else grayscale_image(v))
    painter.setPen(QPen(theme.muted, 1.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    painter.restore()


class DecodedImageView(LiveView, QWidget):
    """A decoded image, drawn as large as the widget allows, square, with a caption.

    Fed by clicks and probes, not by a controller (``LiveView`` without one): new values
    are what ``values`` reads at once; out of sight, the picture is made when shown."""

    wants_drawing = LiveView.in_sight_of_its_window

    def __init__(self, theme: Theme, parent: QWidget | None = None, *, name: str = "decodedImage",
                 pixels: int = 4) -> None:
        super().__init__(parent)
        paints_own_background(self)  # redrawn on every click and frame
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.theme = theme
        self._values = np.full(pixels, np.nan)
        self._image: QImage | None = None
        self._caption = "Click the latent space"
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # square image under its caption, however wide
        self.setSizePolicy(policy)
        self.setMinimumSize(QSize(int(80 * theme.scale), int(90 * theme.scale)))

    def values(self) -> np.ndarray:
        """The pixel values on screen (NaN before anything was decoded)."""
        return self._values.copy()

    @property
    def caption(self) -> str:
        return self._caption

    def set_values(self, values: np.ndarray, caption: str | None = None) -> None:
        self._values = np.array(values, dtype=np.float64).ravel()
        if caption is not None:
            self._caption = caption
        self.render(None)

    def clear(self, caption: str = "Click the latent space") -> None:
        self._values = np.full(self._values.size, np.nan)
        self._caption = caption
        self.render(None)

    def draw(self, _snapshot: None) -> None:
        """Make the picture of the values held (a digit's 784 pixels as one image)."""
        finite = np.all(np.isfinite(self._values))
        self._image = grayscale_image(self._values) if finite and self._values.size > NUMBERED_SIDE**2 else None
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(int(140 * self.theme.scale), int(160 * self.theme.scale))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return width + self.fontMetrics().height() + 8

    def image_rect(self) -> QRectF:
        caption_h = self.fontMetrics().height() + 6
        side = max(10.0, min(self.width() - 4.0, self.height() - caption_h - 4.0))
        return QRectF((self.width() - side) / 2, caption_h, side, side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setFont(self.theme.font(0.95))
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))  # like the labels around it
        painter.drawText(QRectF(0, 0, self.width(), self.fontMetrics().height() + 4),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, self._caption)
        rect = self.image_rect()
        if np.all(np.isfinite(self._values)):
            paint_image(painter, rect, self._values, self.theme, image=self._image)
        else:
            pen = QPen(self.theme.muted, 1.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawRect(rect)
        painter.end()


class LatentCoordLabel(QWidget):
    """The coordinates of the point decoded, exactly as decoded (clicks are snapped to
    the digits shown, so the label never hides a difference).

    A painted widget of fixed height rather than a QLabel: QLabel.setText asks the
    window to lay itself out again, which costs a full repaint on every click."""

    def __init__(self, theme: Theme, parent: QWidget | None = None, *, name: str = "latentCoordLabel") -> None:
        super().__init__(parent)
        paints_own_background(self)  # redrawn on every click and frame
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.theme = theme
        self.setFont(theme.font(1.0))
        self._point: np.ndarray | None = None
        self._text = "z = (–, –)"
        self.setFixedHeight(2 * self.fontMetrics().lineSpacing() + 4)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def point(self) -> np.ndarray | None:
        return None if self._point is None else self._point.copy()

    def show_point(self, z: np.ndarray, source: str = "") -> None:
        self._point = np.asarray(z, dtype=np.float64).copy()
        text = f"z = {fmt.point(self._point, COORD_DECIMALS)}"
        self._text = f"{source}\n{text}" if source else text
        self.setAccessibleDescription(self._text)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(self.fontMetrics().horizontalAdvance("image 500: z = (−0.000, −0.000)"), self.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))  # like the labels around it
        widest = max(self.fontMetrics().horizontalAdvance(line) for line in self._text.split("\n"))
        if widest > self.width() > 0:  # a narrow column (a projector at 150 %): smaller type, never cut off
            font = self.font()
            font.setPointSizeF(font.pointSizeF() * self.width() / widest)
            painter.setFont(font)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self._text)
        painter.end()
