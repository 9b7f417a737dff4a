"""The VAE's own latent loss for one image: each latent unit's N(μ, σ²) drawn against
the standard normal N(0, 1) it is pulled toward. All curves come from engine.lecture.gaussian."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.panels import formatting as fmt
from desktop_app.panels.widgets import css, name_widget, style_axes
from desktop_app.theme import Theme
from engine.lecture.gaussian import LatentKL, bell_curve, curve_range

#: More units than this (a digit VAE) are summed but not all drawn.
MAX_DRAWN_UNITS = 6


class _UnitPlot(QWidget):
    def __init__(self, index: int, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.title = name_widget(QLabel(self), f"unitTitle{index}")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setFont(theme.font(1.05))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.plot = name_widget(pg.PlotWidget(self, background=theme.background), f"unitPlot{index}")
        self.plot.setMinimumHeight(int(125 * theme.scale))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        style_axes(self.plot, theme, 0.9)
        self.prior = self.plot.plot(pen=pg.mkPen(theme.muted, width=theme.line(1.0), style=Qt.PenStyle.DashLine))
        # a line, not a filled area: filling repaints slowly, and this redraws while training
        self.unit = self.plot.plot(pen=pg.mkPen(theme.distribution_q, width=theme.line(1.4)))
        self._ranges: tuple[tuple[float, float], float] | None = None
        self.prior.setZValue(1)  # the target stays visible when the unit's curve lies on it
        layout.addWidget(self.plot)

    def set_ranges(self, x_range: tuple[float, float], top: float) -> None:
        """Change the axes only when the rounded ranges change (re-laying out axes is slow)."""
        if (x_range, top) != self._ranges:
            self._ranges = (x_range, top)
            self.plot.setXRange(*x_range, padding=0)
            self.plot.setYRange(0, top, padding=0)

    def set_highlighted(self, on: bool) -> None:
        self.unit.setPen(pg.mkPen(self._theme.accent if on else self._theme.distribution_q,
                                  width=self._theme.line(2.2 if on else 1.2)))


class LatentKLView(QWidget):
    """Bell curves per latent unit; the panel's term list carries the numbers."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "latentKLView")
        self._theme = theme
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.units: list[_UnitPlot] = []
        legend = QLabel(
            f"<span style='color:{css(theme.distribution_q)}'>━ N(μ, σ²), this image's unit</span>"
            f"&nbsp;&nbsp;&nbsp;<span style='color:{css(theme.muted)}'>╌ N(0, 1), the target</span>", self)
        legend.setFont(theme.font(1.0))
        self._grid.addWidget(legend, 0, 0, 1, 2)

    def show_units(self, parts: LatentKL) -> None:
        count = min(len(parts.mu), MAX_DRAWN_UNITS)
        while len(self.units) < count:
            unit = _UnitPlot(len(self.units), self._theme, self)
            self._grid.addWidget(unit, 1 + len(self.units) // 2, len(self.units) % 2)
            self.units.append(unit)
        low, high = curve_range(parts.mu, parts.sigma)
        x_range = (float(math.floor(low)), float(math.ceil(high)))  # whole numbers: steady axes
        prior_x, prior_y = bell_curve(0.0, 1.0, *x_range)
        for j, unit in enumerate(self.units):
            unit.setVisible(j < count)
            if j >= count:
                continue
            unit.prior.setData(prior_x, prior_y)
            mu, sigma = float(parts.mu[j]), float(parts.sigma[j])
            unit.title.setText(f"unit {j + 1}: μ = {fmt.result(mu, 3)}, σ = {fmt.result(sigma, 3)}")
            peak = float(prior_y.max())
            if math.isfinite(sigma) and sigma > 0:
                xs, ys = bell_curve(mu, sigma, *x_range)
                unit.unit.setData(xs, ys)
                peak = max(peak, float(ys.max()))
            else:
                unit.unit.setData([], [])
            unit.set_ranges(x_range, math.ceil(peak * 1.08 * 10) / 10)  # tenths: steady axes

    def set_highlight(self, index: int) -> None:
        for j, unit in enumerate(self.units):
            unit.set_highlighted(j == index)
