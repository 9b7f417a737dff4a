"""Drawing small images as grids of shaded cells with their numbers, as the slides do.

Shared by the dataset editor, the reconstruction view and any panel that shows a
2x2 image (or any n x n one): ``paint_pixel_grid`` draws into a QPainter, and
``PixelGrid`` is a widget around it that reports which cell was clicked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.frames.opaque import paints_own_background
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme, text_on


def grid_side(values: Sequence[float] | np.ndarray) -> int:
    """The side n of an n x n image with this many pixels (4 -> 2, 784 -> 28)."""
    count = len(values)
    side = math.isqrt(count)
    if side * side != count or side == 0:
        raise ValueError(f"{count} values do not make a square image.")
    return side


def cell_rect(rect: QRectF, side: int, index: int) -> QRectF:
    """Where pixel ``index`` (row by row, top-left first) sits inside ``rect``."""
    w, h = rect.width() / side, rect.height() / side
    row, col = divmod(index, side)
    return QRectF(rect.left() + col * w, rect.top() + row * h, w, h)


def cell_at(rect: QRectF, side: int, point: QPointF) -> int | None:
    """The pixel under ``point``, or None outside the grid."""
    if not rect.contains(point):
        return None
    col = min(side - 1, int((point.x() - rect.left()) / rect.width() * side))
    row = min(side - 1, int((point.y() - rect.top()) / rect.height() * side))
    return row * side + col


def paint_pixel_grid(
    painter: QPainter,
    rect: QRectF,
    values: Sequence[float] | np.ndarray,
    theme: Theme,
    *,
    numbers: bool = True,
    decimals: int = 2,
    colours: Sequence[QColor] | None = None,
    highlight: int | None = None,
    border: QColor | None = None,
) -> None:
    """Shade each pixel of an n x n image (grey by value, or the given ``colours``) and
    print its value in a font sized to the cell, so the numbers grow with the picture."""
    values = np.asarray(values, dtype=np.float64).ravel()
    side = grid_side(values)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    cell_w = rect.width() / side
    labels = [fmt.boxed(value, decimals) for value in values] if numbers and cell_w >= 2 * MIN_LABEL_PX else []
    font = _label_font(painter.font(), labels, cell_w, 0.30 if decimals <= 2 else 0.24)
    show_numbers = font is not None
    if font is not None:
        painter.setFont(font)
    for i, value in enumerate(values):
        cell = cell_rect(rect, side, i)
        fill = colours[i] if colours is not None else theme.pixel_colour(value if math.isfinite(value) else 0.0)
        painter.fillRect(cell, fill)
        if show_numbers:
            painter.setPen(text_on(fill))
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, labels[i])
    outline = border if border is not None else theme.muted
    painter.setPen(QPen(outline, max(1.0, theme.line(0.5))))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    if highlight is not None and 0 <= highlight < len(values):
        painter.setPen(QPen(theme.accent, theme.line(1.5)))
        painter.drawRect(cell_rect(rect, side, highlight).adjusted(1, 1, -1, -1))
    painter.restore()


MIN_LABEL_PX = 7  # smaller numbers are not readable: the cells are shaded only


def _label_font(base: QFont, labels: Sequence[str], cell_w: float, share: float) -> QFont | None:
    """A font sized to the cell (``share`` of its width), made smaller until the widest
    label fits inside it; None when even the smallest readable size would overflow."""
    if not labels:
        return None
    font = QFont(base)
    size = max(MIN_LABEL_PX, int(cell_w * share))
    while size >= MIN_LABEL_PX:
        font.setPixelSize(size)
        widest = max(QFontMetrics(font).horizontalAdvance(label) for label in labels)
        if widest <= 0.9 * cell_w:
            return font
        size -= 1
    return None


class PixelGrid(QWidget):
    """A square image widget: shades, numbers, an optional caption; emits the clicked pixel."""

    pixelClicked = Signal(int)

    def __init__(self, theme: Theme, values: Sequence[float] | None = None, *, caption: str = "",
                 numbers: bool = True, decimals: int = 2, cell_px: float = 34.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        paints_own_background(self)  # redrawn every frame while training
        self.theme = theme
        self._values = np.asarray(values if values is not None else [0.0] * 4, dtype=np.float64)
        self._colours: list[QColor] | None = None
        self._caption = caption
        self._numbers = numbers
        self._decimals = decimals
        self._cell_px = cell_px * theme.scale
        self._highlight: int | None = None
        self._border: QColor | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def apply_theme(self, theme: Theme) -> None:
        """Cells at another theme's size (desktop_app.theming calls this)."""
        self._cell_px *= theme.scale / self.theme.scale
        self.theme = theme
        self.updateGeometry()

    # ----- what it shows ----------------------------------------------------------------
    def values(self) -> np.ndarray:
        return self._values.copy()

    def colours(self) -> list[QColor]:
        """The fill of each pixel as drawn (for tests and tooltips)."""
        if self._colours is not None:
            return list(self._colours)
        return [self.theme.pixel_colour(v) for v in self._values]

    def set_values(self, values: Sequence[float] | np.ndarray, colours: Sequence[QColor] | None = None) -> None:
        values = np.asarray(values, dtype=np.float64).ravel()
        grid_side(values)
        same = np.array_equal(values, self._values) and colours is None and self._colours is None
        self._values = values
        self._colours = None if colours is None else list(colours)
        if not same:
            self.update()

    def set_caption(self, caption: str) -> None:
        if caption != self._caption:
            self._caption = caption
            self.updateGeometry()
            self.update()

    def set_highlight(self, index: int | None, border: QColor | None = None) -> None:
        if (index, border) != (self._highlight, self._border):
            self._highlight, self._border = index, border
            self.update()

    def grid_rect(self) -> QRectF:
        """The square the pixels fill: as large as fits, centred, the caption just above it."""
        caption_h = self._caption_height()
        side = max(8.0, min(self.width() - 2.0, self.height() - caption_h - 2.0))
        top = (self.height() - side - caption_h) / 2 + caption_h
        return QRectF((self.width() - side) / 2, top, side, side)

    # ----- Qt ---------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        edge = int(self._cell_px * grid_side(self._values)) + 2
        return QSize(max(edge, self._caption_width()), edge + self._caption_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        edge = int(self._cell_px * grid_side(self._values) * 0.6) + 2
        return QSize(max(edge, self._caption_width()), edge + self._caption_height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        grid = self.grid_rect()
        if self._caption:
            painter.setFont(self.theme.font(0.95))
            painter.setPen(self.palette().windowText().color())  # reads like the labels around it
            painter.drawText(QRectF(0, grid.top() - self._caption_height(), self.width(), self._caption_height()),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self._caption)
        paint_pixel_grid(painter, grid, self._values, self.theme, numbers=self._numbers,
                         decimals=self._decimals, colours=self._colours, highlight=self._highlight,
                         border=self._border)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        index = cell_at(self.grid_rect(), grid_side(self._values), event.position())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.pixelClicked.emit(index)
        super().mousePressEvent(event)

    def _caption_width(self) -> int:
        return QFontMetrics(self.theme.font(0.95)).horizontalAdvance(self._caption) + 6 if self._caption else 0

    def _caption_height(self) -> int:
        if not self._caption:
            return 0
        return QFontMetrics(self.theme.font(0.95)).height() + 4


def tiles_image(images: np.ndarray, tile: int, gap: int, background: QColor, border: QColor) -> QImage:
    """Rows of square images (shape (rows, count, pixels)) rasterised in one go, each
    image ``tile`` screen pixels wide with a 1-pixel border, ``gap`` pixels apart.

    A few whole-array numpy steps and one QImage instead of Qt calls per pixel: the
    strip of all reconstructions is repainted on every frame while training runs.
    """
    images = np.asarray(images, dtype=np.float64)
    rows, count, pixels = images.shape
    side = grid_side(np.zeros(pixels))
    block = max(1, (tile - 2) // side)
    inner = block * side
    step = tile + gap
    # An indexed image: codes 0..253 are grey levels, 254 the border, 255 the background.
    shades = np.round(GREYS * np.clip(np.nan_to_num(images), 0.0, 1.0)).astype(np.uint8)
    cells = shades.reshape(rows, count, side, side).repeat(block, axis=2).repeat(block, axis=3)
    framed = np.pad(cells, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=BORDER_CODE)
    spaced = np.pad(framed, ((0, 0), (0, 0), (0, step - inner - 2), (0, step - inner - 2)),
                    constant_values=BACKGROUND_CODE)
    codes = spaced.transpose(0, 2, 1, 3).reshape(rows * step, count * step)
    codes = np.ascontiguousarray(np.pad(codes, ((gap, 0), (gap, 0)), constant_values=BACKGROUND_CODE))
    height, width = codes.shape
    image = QImage(codes.data, width, height, width, QImage.Format.Format_Indexed8)
    image.setColorTable([*_GREY_TABLE, border.rgb(), background.rgb()])
    return image.copy()  # owns its pixels once ``codes`` is gone


GREYS = 253
BORDER_CODE, BACKGROUND_CODE = 254, 255
_GREY_TABLE = [QColor(round(255 * i / GREYS), round(255 * i / GREYS), round(255 * i / GREYS)).rgb()
               for i in range(GREYS + 1)]
