"""Captions under a digit table's tiles (the drawn digit's row: its PSNRs) are painted
whole: each column is at least as wide as its widest caption, at any scale, even at the
table's smallest size. Under 28 px tiles "9.35 dB" was cut on both sides."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QFontMetricsF

from desktop_app.case_studies.digit_grid import SIDE, DigitTable
from desktop_app.theme import Theme
from engine.digits.data import N_PIXELS

CAPTIONS = ["", "9.35 dB", "21.53 dB", "15.50 dB"]


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_captions_below_the_tiles_fit_their_columns_at_the_smallest_size(qtbot, scale):
    theme = Theme(scale=scale)
    table = DigitTable(theme, captions_below=True)
    qtbot.addWidget(table)
    images = np.random.default_rng(0).random((1, 4, N_PIXELS)).astype(np.float32)
    table.set_table(images, ["yours", "noisy", "autoencoder", "PCA"], captions=[CAPTIONS], emphasis=[2])
    table.resize(table.minimumSizeHint())
    assert table._tile() == pytest.approx(SIDE, abs=1)  # the smallest tiles (ceil-rounded size): the tightest
    widest = QFontMetricsF(theme.font(1.05, bold=True))  # bold is the wider of the two caption fonts
    for c, caption in enumerate(CAPTIONS):
        column = table._left(c + 1, SIDE) - table._left(c, SIDE) - table._gap()
        assert widest.horizontalAdvance(caption) <= column, (caption, column)
    assert table._left(len(CAPTIONS), SIDE) - table._gap() <= table.width()
