"""Let a freshly set-up window settle before it is painted, so it is painted once.

A lesson step changes which views are shown, their sizes and every plot's numbers at
once. Painted as it goes, the window would be painted at each half-made state (each a
full repaint, most of a step's entry time), and a pyqtgraph plot would paint itself
two or three times more: its view box fits the new range only when it is about to be
painted, and an axis learns how wide its tick labels are only while painting them;
when that width changes, the plot lays itself out again and repaints (measured: the
latent canvas painted 3 to 4 times on entering the VAE step). ``settle`` does that
work first: layouts, each shown plot's range, its axes' labels, then layouts again,
until nothing moves; the one paint that follows finds everything in place.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QPainter, QPicture
from PySide6.QtWidgets import QWidget

LAYOUT_ROUNDS = 4  # nested layouts (dock, page, splitter, wrapping rows) settle within these
PLOT_ROUNDS = 3  # range -> tick labels -> axis width -> range: settled within these


def lay_out_now() -> None:
    """Deliver the pending layout requests, and nothing else: sizes settle now, while the
    paint waits for the event loop. A layout that changes a size posts its parent's
    request for the next round (Qt delivers only what was posted before it began),
    hence a few rounds."""
    for _ in range(LAYOUT_ROUNDS):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def settle(window: QWidget) -> None:
    """Layouts, then every shown plot as its next paint would find it, until stable."""
    lay_out_now()
    for _ in range(PLOT_ROUNDS):
        if not _prepare_plots(window):
            return
        lay_out_now()


def _prepare_plots(window: QWidget) -> bool:
    """What a plot does at the start of its paint: fit the view boxes, draw the axes'
    pictures (which sizes their labels). True if an axis had to be drawn anew."""
    redrawn = False
    for view in window.findChildren(pg.GraphicsView):
        if not view.isVisible():
            continue
        scene = view.scene()
        scene.prepareForPaint()
        for item in scene.items():
            if isinstance(item, pg.AxisItem) and item.isVisible() and item.picture is None:
                redrawn = True
                scratch = QPicture()
                painter = QPainter(scratch)
                try:
                    item.paint(painter, None, None)  # keeps its picture: the real paint replays it
                finally:
                    painter.end()
    return redrawn
