"""Digits drawn as crisp 28x28 tiles: a table of rows with scores, and a plain mosaic.

Both only paint what they are given (arrays and already formatted numbers); tiles
grow and shrink with the space the widget gets, so a projector at 200 % and a
laptop both show the whole table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.theme import Theme

SIDE = 28


ELLIPSIS = "…"


def wording_that_fits(metrics: QFontMetricsF, rect: QRectF, text: str) -> str:
    """``text`` if it fits ``rect`` with its words wrapped, else an ellipsis: a tile of
    28 px showed "fitting PCA…" as "ttin CA" while PCA was being fitted."""
    flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
    needed = metrics.boundingRect(rect, flags, text)
    return text if needed.width() <= rect.width() + 0.5 and needed.height() <= rect.height() + 0.5 else ELLIPSIS


def digit_qimage(pixels: np.ndarray) -> QImage:
    """A 28x28 grayscale image of 784 values in [0, 1] (0 black, 1 white, as MNIST)."""
    return _grey_qimage(_grey(pixels).reshape(SIDE * SIDE))


def digit_qimages(images: np.ndarray) -> list:
    """``digit_qimage`` of each image in ``images`` (..., 784), nested as the leading axes
    are: the pixels of all of them converted in one numpy step (a 40-digit table's
    images took 1.9 ms one by one, 0.5 ms so)."""
    grey = _grey(images)
    grey = grey.reshape(*grey.shape[:-1], SIDE * SIDE) if grey.ndim > 1 else grey.reshape(1, SIDE * SIDE)

    def nest(block: np.ndarray) -> list:
        if block.ndim == 1:
            return _grey_qimage(block)
        return [nest(inner) for inner in block]

    return nest(grey)


def _grey(pixels: np.ndarray) -> np.ndarray:
    """Values in [0, 1] as 8-bit grey levels (rounded), any shape."""
    return np.round(np.clip(np.asarray(pixels, dtype=np.float32), 0, 1) * 255).astype(np.uint8)


def _grey_qimage(grey: np.ndarray) -> QImage:
    tile = np.ascontiguousarray(grey)
    return QImage(tile.data, SIDE, SIDE, SIDE, QImage.Format.Format_Grayscale8).copy()  # owns its pixels


def paint_digit(painter: QPainter, rect: QRectF, image: QImage, frame: QColor | None = None) -> None:
    """One tile, scaled without smoothing so each pixel stays a sharp square."""
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawImage(rect, image)
    if frame is not None:
        painter.setPen(QPen(frame, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))


class DigitTable(QWidget):
    """Rows of digit tiles (e.g. clean | corrupted | denoised), each tile with an
    optional caption (a score) beside it or below it, and footer rows of captions
    (e.g. means) under the columns.

    ``images`` is (rows, columns, 784); ``captions`` (rows, columns) holds the strings
    to show ("" for none); ``emphasis`` marks, per row, the column whose caption is
    set in bold (the better method).
    """

    def __init__(self, theme: Theme, captions_below: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.captions_below = captions_below
        self.images = np.zeros((0, 0, SIDE * SIDE), dtype=np.float32)
        self.titles: list[str] = []
        self.row_labels: list[str] = []
        self.captions: list[list[str]] = []
        self.footer: list[tuple[str, list[str]]] = []
        self.emphasis: list[int | None] = []
        self.waiting_columns: dict[int, str] = {}  # column -> text shown instead of its tiles
        self.waiting_rows: dict[int, str] = {}  # row -> text shown instead of its tiles
        self.caption_room = ""  # the widest caption expected (``set_table``)
        self._measured: tuple[float, list[float]] | None = None  # label width, caption widths
        self._qimages: list[list[QImage | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_table(
        self,
        images: np.ndarray,
        titles: Sequence[str],
        row_labels: Sequence[str] = (),
        captions: Sequence[Sequence[str]] = (),
        footer: Sequence[tuple[str, Sequence[str]]] = (),
        emphasis: Sequence[int | None] | None = None,
        waiting_columns: dict[int, str] | None = None,
        caption_room: str = "",
        waiting_rows: dict[int, str] | None = None,
    ) -> None:
        """``waiting_columns`` maps a column to a short text painted in its tiles' place
        (e.g. while PCA is still being fitted); its images are not shown (``waiting_rows``
        the same for rows). ``caption_room``:
        a caption as wide as the widest expected ("00.00 dB"); each column with captions
        keeps at least its room, so the next epoch's numbers do not resize the table (a
        new size laid the whole page out again and repainted it: 20 to 50 ms)."""
        self.images = np.asarray(images)
        self.titles = list(titles)
        self.row_labels = list(row_labels)
        self.captions = [list(row) for row in captions]
        self.footer = [(label, list(values)) for label, values in footer]
        self.emphasis = list(emphasis) if emphasis is not None else [None] * len(self.images)
        self.waiting_columns = dict(waiting_columns or {})
        self.waiting_rows = dict(waiting_rows or {})
        self.caption_room = caption_room
        before = (self.sizeHint(), self.minimumSizeHint()) if self._measured is not None else None
        self._measured = None
        self._qimages = [[None if c in self.waiting_columns or r in self.waiting_rows else image
                          for c, image in enumerate(row)]
                         for r, row in enumerate(digit_qimages(self.images) if self.images.size else [])]
        if (self.sizeHint(), self.minimumSizeHint()) != before:  # a new epoch's figures: usually the same room
            self.updateGeometry()  # (a relayout resizes the plots beside the table, and they redraw slowly)
        self.update()

    def caption(self, row: int, column: int) -> str:
        return self.captions[row][column] if row < len(self.captions) and column < len(self.captions[row]) else ""

    # ----- geometry ------------------------------------------------------------------------
    @property
    def _columns(self) -> int:
        return self.images.shape[1] if self.images.ndim == 3 else 0

    def _line(self) -> float:
        return self.fontMetrics().height() * 1.3

    def _gap(self) -> float:
        return 3 * self.theme.scale

    def _label_width(self) -> float:
        if self._measured is None:
            self._measure()
        return self._measured[0]

    def _caption_widths(self) -> list[float]:
        if self._measured is None:
            self._measure()
        return self._measured[1]

    def _measure(self) -> None:
        """Text widths, once per table (painting asks for them many times)."""
        captions = self._measure_captions()
        self._measured = (self._measure_labels(captions), captions)

    def _measure_labels(self, captions: list[float]) -> float:
        """Room for the row labels; a footer label may also run under empty columns."""
        pad = 12 * self.theme.scale
        widths = [QFontMetricsF(self.theme.font()).horizontalAdvance(t) + pad for t in self.row_labels]
        bold = QFontMetricsF(self.theme.font(1.0, bold=True))
        for label, values in self.footer:
            spare = sum(SIDE + captions[c] + self._gap() for c in range(self._first_filled(values)))
            widths.append(bold.horizontalAdvance(label) + pad - spare)
        return max([0.0, *widths])

    def _first_filled(self, values: Sequence[str]) -> int:
        return next((c for c, v in enumerate(values) if v), self._columns)

    def _measure_captions(self) -> list[float]:
        """Width of the slot beside each column's tiles: its widest caption, and at least
        what its header needs beyond the smallest tile, so neighbouring headers never run
        into each other. Captions below the tiles need no slot beside them, but the column
        is at least as wide as they are (the drawn digit's "9.35 dB" was cut on both sides
        under a 28 px tile)."""
        metrics = QFontMetricsF(self.theme.font(1.05, bold=True))
        header = QFontMetricsF(self.theme.font(0.95, bold=True))
        rows = self.captions + [values for _, values in self.footer]
        widths = []
        for c in range(self._columns):
            texts = [row[c] for row in rows if c < len(row) and row[c]]
            widest = max([metrics.horizontalAdvance(text) for text in texts] + [0])
            if texts and self.caption_room:
                widest = max(widest, metrics.horizontalAdvance(self.caption_room))
            if self.captions_below:  # under the tile: the column is as wide as its widest caption
                slot, widest = 0.0, widest + 4 * self.theme.scale - SIDE
            else:
                slot, widest = (widest + 10 * self.theme.scale if widest else 0.0), 0.0
            title = header.horizontalAdvance(self.titles[c]) if c < len(self.titles) else 0.0
            widths.append(max(slot, widest, title + 4 * self.theme.scale - SIDE))
        return widths

    def apply_theme(self, theme: Theme) -> None:
        """A live scale change: the text widths measured in the old theme's fonts are stale."""
        self.theme = theme
        self._measured = None
        self.updateGeometry()
        self.update()

    def _span(self, columns: int, tile: float) -> float:
        """How wide the first ``columns`` columns are, captions and gaps included."""
        widths = self._caption_widths()
        return sum(tile + widths[c] + self._gap() for c in range(columns))

    def _left(self, column: int, tile: float) -> float:
        """Where a column's tile starts."""
        return self._label_width() + self._span(column, tile)

    def _header(self) -> float:
        """The column titles' line; none without titles (the drawn digit as a column)."""
        return self._line() * 1.2 if any(self.titles) else 0.0

    def _fixed_height(self) -> float:
        """Everything but the tiles: header, captions below the tiles, footer lines."""
        per_row = self._line() if self.captions_below else 0.0
        return self._header() + len(self._qimages) * (per_row + self._gap()) + self._line() * len(self.footer)

    def _fixed_width(self) -> float:
        return self._label_width() + sum(self._caption_widths()) + self._columns * self._gap()

    def _tile(self) -> float:
        """The largest tile that fits both ways (at least 28 px, one pixel per pixel)."""
        rows, columns = max(1, len(self._qimages)), max(1, self._columns)
        by_height = (self.height() - self._fixed_height()) / rows
        by_width = (self.width() - self._fixed_width()) / columns
        return float(np.clip(min(by_height, by_width), SIDE, 5 * SIDE * self.theme.scale))

    def size_for_tile(self, tile: float) -> QSize:
        """The table's size with tiles ``tile`` px wide (``sizeHint`` is 2.5 digit sides)."""
        width = self._fixed_width() + self._columns * tile
        height = self._fixed_height() + len(self._qimages) * tile
        return QSize(int(np.ceil(width)), int(np.ceil(height)))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.size_for_tile(2.5 * SIDE * self.theme.scale)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.size_for_tile(SIDE)

    # ----- painting ------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.theme.background)  # the theme's page, so its text colours read
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        tile, gap, line = self._tile(), self._gap(), self._line()
        label_w, caption_w = self._label_width(), self._caption_widths()
        below = line if self.captions_below else 0.0
        lefts = [self._left(c, tile) for c in range(self._columns + 1)]
        fg, muted = self.theme.foreground, self.theme.muted
        header = self._header()
        centre = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
        beside = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        caption_align = centre if self.captions_below else beside
        waiting_font = self.theme.font(0.85)
        waiting_metrics = QFontMetricsF(waiting_font)
        painter.setFont(self.theme.font(0.95, bold=True))
        painter.setPen(fg)
        for c, title in enumerate(self.titles[: self._columns]):
            rect = QRectF(lefts[c], 0, lefts[c + 1] - lefts[c] - gap, header)
            painter.drawText(rect, caption_align, title)
        y = header
        for r, row in enumerate(self._qimages):
            painter.setFont(self.theme.font())
            painter.setPen(muted)
            if r < len(self.row_labels):
                painter.drawText(QRectF(0, y, label_w - 8 * self.theme.scale, tile),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.row_labels[r])
            for c, image in enumerate(row):
                x = lefts[c]
                # under a centred header and above a centred caption, the tile is centred too
                inset = (lefts[c + 1] - x - gap - tile) / 2 if self.captions_below else 0.0
                rect = QRectF(x + inset, y, tile, tile)
                if image is None:
                    painter.setPen(QPen(self.theme.grid, 1, Qt.PenStyle.DashLine))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(rect)
                    painter.setPen(muted)
                    painter.setFont(waiting_font)
                    waiting = self.waiting_columns.get(c) or self.waiting_rows.get(r, "")
                    painter.drawText(rect, centre | Qt.TextFlag.TextWordWrap,
                                     wording_that_fits(waiting_metrics, rect, waiting))
                else:
                    paint_digit(painter, rect, image, self.theme.grid)
                text = self.caption(r, c)
                if text:
                    bold = r < len(self.emphasis) and self.emphasis[r] == c
                    painter.setFont(self.theme.font(1.05, bold=bold))
                    painter.setPen(fg if bold else muted)
                    where = (QRectF(x, y + tile, lefts[c + 1] - x - gap, below) if self.captions_below
                             else QRectF(x + tile + 4 * self.theme.scale, y, caption_w[c], tile))
                    painter.drawText(where, caption_align, text)
            y += tile + below + gap
        for label, values in self.footer:
            painter.setPen(QPen(self.theme.grid, 1))
            painter.drawLine(QPointF(label_w, y), QPointF(lefts[-1] - gap, y))
            painter.setFont(self.theme.font(1.0, bold=True))
            painter.setPen(fg)
            first = self._first_filled(values)
            painter.drawText(QRectF(0, y, lefts[first] - gap, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            painter.setFont(self.theme.font(1.05, bold=True))
            for c, text in enumerate(values[: self._columns]):
                x = lefts[c]
                where = (QRectF(x, y, tile, line) if self.captions_below
                         else QRectF(x + tile + 4 * self.theme.scale, y, caption_w[c], line))
                painter.drawText(where, caption_align, text)
            y += line
        painter.end()


class DigitMosaic(QWidget):
    """A grid of digits with no captions (samples from the prior, a decoded manifold)."""

    def __init__(self, theme: Theme, columns: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.columns = columns
        self.images = np.zeros((0, SIDE * SIDE), dtype=np.float32)
        self._qimages: list[QImage] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_images(self, images: np.ndarray, columns: int | None = None) -> None:
        """New digits; the page is laid out again only if they need another size (each
        epoch re-decodes the same number of samples, or none: a relayout every epoch
        repainted the whole page in the turn that showed it)."""
        before = (self.sizeHint(), self.minimumSizeHint())
        self.images = np.asarray(images)
        if columns is not None:
            self.columns = columns
        self._qimages = digit_qimages(self.images) if len(self.images) else []
        if (self.sizeHint(), self.minimumSizeHint()) != before:
            self.updateGeometry()
        self.update()

    def _rows(self) -> int:
        return max(1, -(-len(self._qimages) // max(1, self.columns)))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        tile = 1.5 * SIDE * self.theme.scale
        return QSize(int(self.columns * tile), int(self._rows() * tile))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # three screen pixels for four digit pixels at the least: the samples still read,
        # and the page fits a projector's height at 150 %
        return QSize(self.columns * SIDE * 3 // 4, self._rows() * SIDE * 3 // 4)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        tile = min(self.width() / max(1, self.columns), self.height() / self._rows())
        left = (self.width() - tile * self.columns) / 2
        for i, image in enumerate(self._qimages):
            r, c = divmod(i, self.columns)
            paint_digit(painter, QRectF(left + c * tile, r * tile, tile, tile), image)
        painter.end()
