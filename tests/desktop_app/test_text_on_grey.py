"""Black or white text on a shaded pixel is decided by one rule (WCAG contrast), so a
diagram node and a panel's pixel cell agree on every grey."""

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from desktop_app.panels.widgets import PixelGrid
from desktop_app.theme import Theme, text_on
from desktop_app.views.diagram_items import PixelNode


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG 2.1 contrast ratio, computed here from its definition."""
    def lum(c: QColor) -> float:
        ch = [(x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4) for x in (c.redF(), c.greenF(), c.blueF())]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_text_is_whichever_of_black_and_white_contrasts_more():
    black, white = QColor("#000000"), QColor("#ffffff")
    for background in [QColor(v, v, v) for v in range(256)] + [QColor("#d97706"), QColor("#0072b2")]:
        chosen = text_on(background)
        other = white if chosen == black else black
        assert _contrast(chosen, background) >= _contrast(other, background), background.name()
    theme = Theme()
    choices = [theme.text_on_pixel(v).name() for v in np.linspace(0, 1, 101)]
    flips = sum(a != b for a, b in zip(choices, choices[1:], strict=False))
    assert choices[0] == "#ffffff" and choices[-1] == "#000000" and flips == 1  # one threshold


def test_the_diagram_and_the_panels_agree_on_every_grey(qtbot):
    theme = Theme()
    node = PixelNode(theme, QPointF(0, 0), "x1")
    grid = PixelGrid("grid", "", theme, editable=False)
    qtbot.addWidget(grid)
    for value in np.linspace(0.35, 0.65, 31):  # where the three old rules disagreed
        expected = text_on(theme.pixel_colour(value)).name()
        node.set_value(value)
        assert node._text.brush().color().name() == expected, value
        grid.set_pixels(np.full(4, value), ["0.5"] * 4)
        assert grid._colours[0][1].name() == expected, value
