"""Plot axes whose titles fit: one says as much as fits along it, one keeps its title
clear of its value labels.

The log-loss panel's cost curve is as tall as a presented step leaves it: at 150 % on a
1280x720 projector its left axis is about 110 px long and "cost of this pixel", written
along it, was cut to "cost of this pixe". Rather than a taller plot (the presented steps
fit with a few pixels to spare) the axis picks the longest of its wordings that fits its
length, each of which still says what the axis shows.

Its x-axis at 120 px tall (1280x720, 100 %) had the opposite trouble: pyqtgraph gives an
axis of fixed height (``setHeight``, as ``style_axes`` sets it) only that height and sets
the title at its bottom edge, so "output y" lay 6 px over the values 0 to 0.8 (7 px at
150 and 200 %). ``TitledBottomAxis`` is tall enough for its values and, below them, its
title; the y-axis, 10 to 12 px shorter for it, says "cost" at 100 and 150 %.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from desktop_app.widgets.fitting_words import html_width, longest_that_fits


class FittingLabelAxis(pg.AxisItem):
    """``wordings``: the axis title, longest first; the last is shown when none fits."""

    def __init__(self, orientation: str, wordings: Sequence[str], **kwargs) -> None:
        self.wordings = tuple(wordings)
        super().__init__(orientation, **kwargs)

    def length(self) -> float:
        """How much room the title has: the axis's extent along its own direction, less
        the 2 px that pyqtgraph's whole-pixel placement of a centred title can take (a
        title 125.4 px long on an axis 126 px long began 0.4 px beyond its end)."""
        size = self.size()
        return (size.height() if self.orientation in ("left", "right") else size.width()) - 2

    def title_width(self, text: str) -> float:
        """How long ``text`` is written as this axis's title (its style, its font)."""
        return html_width(self.label.font(), self._title_html(text))

    def _title_html(self, text: str) -> str:
        kept = self.labelText
        self.labelText = text
        try:
            return super().labelString()
        finally:
            self.labelText = kept

    def fitting_wording(self) -> str:
        return longest_that_fits(self.wordings, self.title_width, self.length())

    def labelString(self) -> str:  # noqa: N802 (pyqtgraph's name)
        """pyqtgraph's title HTML, for the wording that fits now (asked on each restyle)."""
        if self.wordings:
            self.labelText = self.fitting_wording()
        return super().labelString()

    def resizeEvent(self, ev=None) -> None:  # noqa: N802 (Qt's name)
        """A new length may hold a longer wording or need a shorter one."""
        if self.label is not None and self.wordings and self.fitting_wording() != self.labelText:
            self.label.setHtml(self.labelString())
        super().resizeEvent(ev)


#: How far below a bottom axis pyqtgraph sets its title (``AxisItem.resizeEvent``).
TITLE_NUDGE = 5


class TitledBottomAxis(pg.AxisItem):
    """A bottom axis with its title under its value labels: at least its fixed height,
    taller where the values' whole line (descenders too) and the title need more. Worked
    out at each layout of the axis, so a new title size (a restyle) is taken into account."""

    def __init__(self, **kwargs) -> None:
        super().__init__("bottom", **kwargs)

    def _updateHeight(self) -> None:  # noqa: N802 (pyqtgraph's name)
        super()._updateHeight()
        if self.fixedHeight is None or not self.isVisible() or not self.label.isVisible():
            return
        values = (self.style["tickTextOffset"][1] + max(0, self.style["tickLength"])
                  + QFontMetricsF(self.style["tickFont"] or self.font()).height())
        height = max(self.fixedHeight, math.ceil(values + self.label.boundingRect().height() - TITLE_NUDGE))
        self.setMaximumHeight(height)
        self.setMinimumHeight(height)
