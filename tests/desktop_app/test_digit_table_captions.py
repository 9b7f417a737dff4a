"""Captions under a digit table's tiles (the drawn digit's row: its PSNRs) are painted
whole: each column is at least as wide as its widest caption, at any scale, even at the
table's smallest size. Under 28 px tiles "9.35 dB" was cut on both sides."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

from desktop_app.case_studies import digit_grid
from desktop_app.case_studies.digit_grid import ELLIPSIS, SIDE, DigitTable, wording_that_fits
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


def test_a_waiting_text_too_long_for_its_tile_is_an_ellipsis_not_a_cut_word():
    """While PCA is being fitted its tiles say so; in a 28 px tile "fitting PCA…" showed
    as "ttin CA", so a tile too small for the words shows an ellipsis."""
    metrics = QFontMetricsF(Theme().font(0.85))
    assert wording_that_fits(metrics, QRectF(0, 0, SIDE, SIDE), "fitting PCA…") == ELLIPSIS
    assert wording_that_fits(metrics, QRectF(0, 0, SIDE, SIDE), "fitting…") == ELLIPSIS
    assert wording_that_fits(metrics, QRectF(0, 0, 120, 60), "fitting PCA…") == "fitting PCA…"


def test_the_table_paints_the_wording_that_fits_its_tiles(qtbot, monkeypatch):
    asked = []

    def spy(metrics, rect, text):
        asked.append((round(rect.width()), text))
        return wording_that_fits(metrics, rect, text)

    monkeypatch.setattr(digit_grid, "wording_that_fits", spy)
    table = DigitTable(Theme(), captions_below=True)
    qtbot.addWidget(table)
    images = np.zeros((1, 4, N_PIXELS), dtype=np.float32)
    table.set_table(images, ["yours", "noisy", "autoencoder", "PCA"], waiting_columns={3: "fitting PCA…"})
    table.resize(table.minimumSizeHint())
    table.grab()
    assert asked and {text for _, text in asked} == {"fitting PCA…"}
    assert {width for width, _ in asked} == {round(table._tile())}  # the tiles themselves
