"""The set-up the two planes share (the latent canvas and the 2x2 world's data plane):
a plot that is only a plane of points, with no menu or buttons, two labelled axes in
the theme's font and colours, and axes drawn from a cache (``frames.plot_cache``)."""

from __future__ import annotations

import pyqtgraph as pg

from desktop_app.frames.plot_cache import cache_axes
from desktop_app.theme import Theme


def plane_axes(plot: pg.PlotItem, theme: Theme, labels: tuple[str, str], label_size: float,
               tick_size: float) -> None:
    """Label the bottom and left axes ``labels`` (x, y) at the theme's relative font sizes."""
    plot.setMenuEnabled(False)
    plot.hideButtons()
    for side, label in zip(("bottom", "left"), labels, strict=True):
        axis = plot.getAxis(side)
        axis.setLabel(label)
        axis.setTextPen(theme.foreground)
        axis.setPen(theme.muted)
        axis.label.setFont(theme.font(label_size))
        axis.setStyle(tickFont=theme.font(tick_size))
    cache_axes(plot)
