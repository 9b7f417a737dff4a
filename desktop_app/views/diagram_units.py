"""The network diagram's latent units: a plain unit (a circle with its bias and value)
and a VAE's unit (a box with the bell curve of its mean and spread and the value
sampled from them).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsSceneHoverEvent,
)

from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from desktop_app.views.diagram_items import LATENT_RADIUS, VAE_BOX_H, VAE_BOX_W, SceneText, StrokedPath
from engine.lecture.gaussian import bell_curve


class LatentUnit(QGraphicsEllipseItem):
    """A plain autoencoder's latent unit: σ(W x + b), its value printed and drawn as a ring."""

    def __init__(self, theme: Theme, centre: QPointF, name: str) -> None:
        r = LATENT_RADIUS
        super().__init__(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        self.theme = theme
        self.centre = centre
        self.name = name
        self.value = 0.0
        self.detail = ""
        self._fraction = -1.0
        self.setBrush(theme.background)
        self.setPen(QPen(theme.muted, 2))
        self.setZValue(3)
        self.setAcceptHoverEvents(True)
        self._ring = StrokedPath(self)
        self._ring.setPen(QPen(theme.accent, 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        self._text = SceneText(theme, 1.2, bold=True, parent=self)
        self._name = SceneText(theme, 0.85, colour=theme.muted, parent=self)
        self._name.place(name, centre + QPointF(0, -r * 0.52))
        self._text.place("", centre + QPointF(0, 6))
        self.set_value(0.0)

    def set_value(self, value: float, detail: str = "") -> None:
        """The ring fills clockwise from the top in proportion to the value (a sigmoid's 0..1)."""
        self.value, self.detail = float(value), detail
        self._text.place(fmt.boxed(self.value))
        fraction = round(min(1.0, max(0.0, self.value)), 3) if math.isfinite(self.value) else 0.0
        if fraction != self._fraction:
            self._fraction = fraction
            r = LATENT_RADIUS - 6
            box = QRectF(self.centre.x() - r, self.centre.y() - r, 2 * r, 2 * r)
            path = QPainterPath()
            path.arcMoveTo(box, 90)
            path.arcTo(box, 90, -360 * fraction)
            self._ring.setPath(path)

    def tip(self) -> str:
        return f"{self.name} = σ(W x + b) = {fmt.fixed(self.value)}{self.detail}"

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt's name)
        self.setToolTip(self.tip())
        super().hoverEnterEvent(event)

    def value_text(self) -> str:
        return self._text.text()

    @property
    def left_ports(self) -> tuple[QPointF, QPointF]:
        point = QPointF(self.centre.x() - LATENT_RADIUS, self.centre.y())
        return point, point

    @property
    def right(self) -> QPointF:
        return QPointF(self.centre.x() + LATENT_RADIUS, self.centre.y())


class VariationalUnit(QGraphicsRectItem):
    """A VAE's latent unit: the encoder's N(μ, σ²) against the prior N(0, 1), and the sample z."""

    def __init__(self, theme: Theme, centre: QPointF, name: str) -> None:
        super().__init__(centre.x() - VAE_BOX_W / 2, centre.y() - VAE_BOX_H / 2, VAE_BOX_W, VAE_BOX_H)
        self.theme = theme
        self.centre = centre
        self.name = name
        self.mu = self.sigma = self.sample = 0.0
        self._prior_drawn: tuple | None = None
        self.setBrush(theme.background)
        self.setPen(QPen(theme.muted, 2))
        self.setZValue(3)
        box = self.rect()
        self._title = SceneText(theme, 0.85, bold=True, anchor="left", parent=self)
        self._title.place(name, QPointF(box.left() + 10, box.top() + 14))
        self._mu = SceneText(theme, 0.85, anchor="left", parent=self)
        self._sigma = SceneText(theme, 0.85, anchor="left", parent=self)
        self._sample = SceneText(theme, 0.85, bold=True, colour=theme.accent, anchor="left", parent=self)
        self._mu.place("", QPointF(box.left() + 10, box.top() + 34))
        self._sigma.place("", QPointF(box.left() + 10, box.top() + 53))
        self._sample.place("", QPointF(box.left() + 120, box.top() + 14))
        self.setAcceptHoverEvents(True)
        self._plot = QRectF(box.left() + 10, box.top() + 70, box.width() - 20, box.height() - 78)
        axis = QGraphicsLineItem(self._plot.left(), self._plot.bottom(), self._plot.right(), self._plot.bottom(), self)
        axis.setPen(QPen(theme.muted, 1))
        self._prior = StrokedPath(self)
        self._prior.setPen(QPen(theme.muted, 1.5, Qt.PenStyle.DashLine))
        self._posterior = StrokedPath(self)
        fill = QColor(theme.accent)
        fill.setAlphaF(0.3)
        self._posterior.setBrush(fill)
        self._posterior.setPen(QPen(theme.accent, 2))
        self._marker = QGraphicsLineItem(self)
        self._marker.setPen(QPen(theme.foreground, 2.5))

    def set_distribution(self, mu: float, sigma: float, sample: float, span: tuple[float, float]) -> None:
        self.mu, self.sigma, self.sample = float(mu), float(sigma), float(sample)
        self._mu.place(f"mean μ = {fmt.boxed(self.mu)}")
        self._sigma.place(f"spread σ = {fmt.boxed(self.sigma)}")
        self._sample.place(f"z = {fmt.boxed(self.sample)}")
        low, high = span
        prior_x, prior_y = bell_curve(0.0, 1.0, low, high, points=61)
        post_x, post_y = bell_curve(self.mu, max(self.sigma, 1e-6), low, high, points=61)
        peak = max(float(prior_y.max()), float(post_y.max()))
        if (span, peak) != self._prior_drawn:  # the prior only moves when the axis or the peak does
            self._prior_drawn = (span, peak)
            self._prior.setPath(self._curve(prior_x, prior_y, low, high, peak, closed=False))
        self._posterior.setPath(self._curve(post_x, post_y, low, high, peak, closed=True))
        x = float(self._map_x(np.float64(min(high, max(low, self.sample))), low, high))
        self._marker.setLine(x, self._plot.top(), x, self._plot.bottom())

    def tip(self) -> str:
        return (f"{self.name}: mean μ = {fmt.fixed(self.mu)}, spread σ = {fmt.fixed(self.sigma)}, "
                f"sampled z = {fmt.fixed(self.sample)}\n"
                "Dashed curve: the standard normal N(0, 1) the latent loss pulls toward.")

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt's name)
        self.setToolTip(self.tip())
        super().hoverEnterEvent(event)

    def _map_x(self, values: np.ndarray, low: float, high: float) -> np.ndarray:
        return self._plot.left() + (values - low) / (high - low) * self._plot.width()

    def _curve(self, xs: np.ndarray, ys: np.ndarray, low: float, high: float, peak: float,
               closed: bool) -> QPainterPath:
        """The curve in scene units, built in one call from numpy arrays."""
        plot = self._plot
        px = self._map_x(np.asarray(xs, dtype=np.float64), low, high)
        py = plot.bottom() - np.asarray(ys, dtype=np.float64) / peak * plot.height()
        if closed:  # down to the axis at both ends, so it can be filled
            px = np.concatenate([[px[0]], px, [px[-1]]])
            py = np.concatenate([[plot.bottom()], py, [plot.bottom()]])
        return pg.arrayToQPath(px, py, connect="all")

    def value_text(self) -> str:
        return self._sample.text()

    @property
    def left_ports(self) -> tuple[QPointF, QPointF]:
        """Where the mean's weights (upper) and the log-variance's weights (lower) arrive."""
        box = self.rect()
        return QPointF(box.left(), box.top() + 0.3 * box.height()), QPointF(box.left(), box.top() + 0.75 * box.height())

    @property
    def right(self) -> QPointF:
        return QPointF(self.rect().right(), self.centre.y())
