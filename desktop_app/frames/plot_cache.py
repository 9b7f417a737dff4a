"""Draw pyqtgraph axes from a cached picture instead of re-rendering their text each frame.

An axis repaints whenever anything near it changes: a moving dot, a growing curve, the
grid it draws across the plot. Replaying its tick labels cost about 2 ms a time, so a
window with a few live plots spent 5 ms a frame on axes that had not changed (measured
on the workbench while training). With Qt's device-coordinate cache an axis is painted
once into a pixmap and blitted afterwards; pyqtgraph's own ``update()`` when the range
or the labels change throws the cache away, so what you see is always current.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem


def cache_axes(plot: pg.PlotWidget | pg.PlotItem) -> None:
    """Give every axis of ``plot`` a device-coordinate cache (call after styling it)."""
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        if axis is not None:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
