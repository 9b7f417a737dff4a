"""A pixel's number stays inside its cell: the font shrinks to fit the widest number,
and a cell too small for a readable number is shaded only (a 1280x720 window once
printed the error image's "0.0012" and "0.0005" across each other)."""

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from desktop_app.theme import Theme
from desktop_app.views.pixel_grid import paint_pixel_grid

DARK_ERRORS = [0.0012, 0.0005, 0.0007, 0.0011]  # near black: the numbers are drawn in white


def painted(values, cell: int, decimals: int) -> np.ndarray:
    image = QImage(2 * cell, 2 * cell, QImage.Format.Format_RGB32)
    image.fill(QColor("black"))
    painter = QPainter(image)
    paint_pixel_grid(painter, QRectF(0, 0, 2 * cell, 2 * cell), values, Theme(), decimals=decimals)
    painter.end()
    bits = image.constBits()
    return np.frombuffer(bits, dtype=np.uint8).reshape(2 * cell, image.bytesPerLine() // 4, 4)[:, :2 * cell, :3]


@pytest.mark.parametrize("cell", [20, 24, 30, 40])
def test_no_number_crosses_into_its_neighbour(qapp, cell):
    pixels = painted(DARK_ERRORS, cell, decimals=4)
    between = pixels[2:-2, cell - 1:cell + 1].max(axis=2)  # the two columns either side of the cells' edge
    assert between.max() < 128, "a number's glyphs run over the edge between two cells"


def test_numbers_are_drawn_where_they_fit_and_left_out_where_they_cannot(qapp):
    roomy, cramped = painted(DARK_ERRORS, 40, decimals=4), painted(DARK_ERRORS, 12, decimals=4)
    assert roomy[2:-2, 2:38].max() > 200  # white digits in the first cell
    assert cramped[1:-1, 1:11].max() < 128  # a 12 px cell: shaded, no unreadable digits
