"""Words that say as much as fits: the longest of several wordings that a given room holds.

Where a title can be cut (an axis as long as a presented step leaves it, a plot title
beside a widened lesson path), the widget is given its wordings, longest first, each of
which still says what it names, and shows the longest that fits; the last when none
does. pyqtgraph writes its titles as HTML, so a wording is measured as pyqtgraph will
lay it out: its HTML in the item's font.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsTextItem


def html_width(font: QFont, html: str) -> float:
    """How wide ``html`` is laid out as a graphics text item with ``font`` (pyqtgraph's
    titles are such items)."""
    probe = QGraphicsTextItem()
    probe.setFont(font)
    probe.setHtml(html)
    return probe.boundingRect().width()


def longest_that_fits(wordings: Sequence[str], width_of: Callable[[str], float], room: float) -> str:
    """The first of ``wordings`` (longest first) whose width is within ``room``, else the last."""
    return next((text for text in wordings if width_of(text) <= room), wordings[-1])
