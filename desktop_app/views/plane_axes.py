"""The set-up the two planes share (the latent canvas and the 2x2 world's data plane):
a plot that is only a plane of points, with no menu or buttons, two labelled axes in
the theme's font and colours, and axes drawn from a cache (``frames.plot_cache``)."""

from __future__ import annotations

import pyqtgraph as pg

from desktop_app.frames.plot_cache import cache_axes
from desktop_app.theme import Theme


def plane_axes(plot: pg.PlotItem, theme: Theme, labels: tuple[str, str], label_size: float,
               tick_size: float) -> None:
    """Label the bottom and left axes ``labels`` (x, y) at the theme's relative font sizes.

    The labels' size and colour are pyqtgraph's label style (CSS), which a restyle scales
    and recolours (``theming``) as it does every plot's labels. Set as the label item's
    font instead, they kept their size when presentation mode scaled the window: z₁, z₂,
    a and b at 10 pt beside 17 pt tick values at 200 %."""
    plot.setMenuEnabled(False)
    plot.hideButtons()
    style = theme.axis_title_style(label_size)
    for side, label in zip(("bottom", "left"), labels, strict=True):
        axis = plot.getAxis(side)
        axis.setLabel(label, **style)
        axis.setTextPen(theme.foreground)
        axis.setPen(theme.muted)
        axis.setStyle(tickFont=theme.font(tick_size))
    cache_axes(plot)
