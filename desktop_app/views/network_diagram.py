"""The lecture's network, alive: 4 input pixels -> 2 latent units -> 4 output pixels.

Every edge is one weight (hue and line style for its sign: blue solid positive,
orange dashed negative, so the sign reads in greyscale too; thickness for its size,
its value on hover); every node shows its bias and, for the selected image, its activation. For a
VAE each latent unit shows its mean, its spread and the value sampled from them.

The items are built once per kind of model and then only updated, so redrawing at
30 frames a second stays cheap. All numbers come from the snapshot.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QResizeEvent,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsItemGroup,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme, text_on
from engine.core.snapshot import EpochSnapshot
from engine.lecture.datasets import PIXEL_NAMES
from engine.lecture.gaussian import bell_curve, curve_range

# ----- geometry, in scene units (the view scales the whole picture to fit) ----------------
SCENE_W, SCENE_H = 950.0, 560.0
TOP, BOTTOM = 66.0, 500.0  # the band the nodes live in
TILE_SIDE = 110.0
INPUT_X, LATENT_X, OUTPUT_X = 230.0, 475.0, 720.0
PIXEL_NODE = 64.0
LATENT_RADIUS = 50.0
VAE_BOX_W, VAE_BOX_H = 200.0, 150.0
TEXT_PX = 19  # node values; other text is sized relative to this
MAX_EDGE_WIDTH = 15.0
EDGE_WIDTH_PER_UNIT = 1.6  # scene units of thickness per unit of |weight|
NATURAL_ZOOM = 1.2  # screen pixels per scene unit at theme scale 1, when the view has room
MIN_W, MIN_H = 270, 165  # the view's minimum size at scale 1 (it fits the picture to any size)
LOG_VAR_ALPHA = 0.45  # a VAE's weights into ln σ² are drawn fainter than those into μ


def edge_width(weight: float) -> float:
    """Thickness for a weight: proportional to its size, capped so one edge cannot hide the rest."""
    if not math.isfinite(weight):
        return MAX_EDGE_WIDTH
    return min(MAX_EDGE_WIDTH, 0.8 + EDGE_WIDTH_PER_UNIT * abs(weight))


def _font(theme: Theme, relative: float = 1.0, bold: bool = False) -> QFont:
    font = theme.font(bold=bold)
    font.setPixelSize(max(6, round(TEXT_PX * relative)))
    return font


class SceneText(QGraphicsSimpleTextItem):
    """Text anchored at a point (centre, left, right, or centred above it), re-anchored when it changes."""

    def __init__(self, theme: Theme, relative: float = 1.0, *, bold: bool = False, colour: QColor | None = None,
                 anchor: str = "centre", parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.setFont(_font(theme, relative, bold))
        self.setBrush(colour if colour is not None else theme.foreground)
        self._anchor = anchor
        self._point = QPointF()

    def place(self, text: str, point: QPointF | None = None) -> None:
        if point is not None:
            self._point = QPointF(point)
        elif text == self.text():
            return  # nothing moved: no Qt calls at all (this runs ~40 times a frame)
        if text != self.text():
            self.setText(text)
        box = self.boundingRect()
        x = {"left": self._point.x(), "right": self._point.x() - box.width()}.get(
            self._anchor, self._point.x() - box.width() / 2)
        y = self._point.y() - (box.height() if self._anchor == "above" else box.height() / 2)
        self.setPos(x, y)


class WeightEdge(QGraphicsPathItem):
    """One weight: blue solid if positive, orange dashed if negative, as thick as it is large;
    hover shows it."""

    HOVER_WIDTH = 14.0

    def __init__(self, theme: Theme, start: QPointF, end: QPointF, description: str, *, faint: bool = False) -> None:
        super().__init__()
        self.theme = theme
        self.description = description
        self.weight = 0.0
        self.gradient: float | None = None  # the gradient layer: drawn by ∂L/∂w instead
        self._gradient_width = 0.0
        self._drawn: tuple[bool, float] | None = None
        self._faint = faint
        path = QPainterPath(start)
        path.lineTo(end)
        self.setPath(path)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self._label = QGraphicsRectItem(self)
        self._label.setBrush(theme.background)
        self._label.setPen(QPen(theme.muted, 1))
        self._label_text = SceneText(theme, 0.9, bold=True, anchor="left", parent=self._label)
        self._label.setVisible(False)
        self._label.setZValue(10)
        self.set_weight(0.0)

    def colour(self) -> QColor:
        shown = self.weight if self.gradient is None else self.gradient
        return QColor(self.theme.positive if shown >= 0 else self.theme.negative)

    def set_gradient(self, gradient: float | None, width: float = 0.0) -> None:
        """Draw by a gradient (hue for its sign, ``width`` for its size); None: by the weight again."""
        self.gradient = None if gradient is None else float(gradient)
        self._gradient_width = float(width)
        self.set_weight(self.weight)

    def set_weight(self, weight: float) -> None:
        self.weight = float(weight)
        width = edge_width(self.weight) if self.gradient is None else self._gradient_width
        drawn = ((self.weight if self.gradient is None else self.gradient) >= 0, round(width, 2))
        if drawn != self._drawn:  # a new pen only when the picture changes
            self._drawn = drawn
            colour = self.colour()
            colour.setAlphaF(LOG_VAR_ALPHA if self._faint else 0.85)
            pen = QPen(colour, drawn[1])
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if not drawn[0]:
                pen.setStyle(Qt.PenStyle.DashLine)
            self.setPen(pen)
        if self._label.isVisible():
            self._label_text.place(self.label_text())
            self.setToolTip(self.tip())

    def tip(self) -> str:
        weight = fmt.fixed(self.weight, sign=True)
        if self.gradient is not None:
            return (f"{self.description}: {weight}, gradient ∂L/∂w {fmt.result(self.gradient)}\n"
                    "Drawn by the gradient: blue solid positive, orange dashed negative; the thicker, "
                    "the larger. Click for the chain rule.")
        return f"{self.description}: {weight}\nBlue solid is positive, orange dashed negative; the thicker, the larger."

    def label_text(self) -> str:
        if self.gradient is not None:
            return f"w = {fmt.boxed(self.weight, 3, sign=True)}   ∂L/∂w = {fmt.result(self.gradient, 3)}"
        return f"w = {fmt.boxed(self.weight, 3, sign=True)}"

    def shape(self) -> QPainterPath:
        """A generous hover area, so thin edges can be found with the mouse."""
        stroker = QPainterPathStroker()
        stroker.setWidth(max(self.HOVER_WIDTH, self.pen().widthF()))
        return stroker.createStroke(self.path())

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt's name)
        self.setZValue(5)
        self.setToolTip(self.tip())
        self._show_label(event.pos())
        super().hoverEnterEvent(event)

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt's name)
        self._show_label(event.pos())
        super().hoverMoveEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt's name)
        self.setZValue(1)
        self._label.setVisible(False)
        super().hoverLeaveEvent(event)

    def _show_label(self, at: QPointF) -> None:
        self._label_text.place(self.label_text(), QPointF(6, 0))
        box = self._label_text.boundingRect()
        self._label.setRect(0, -box.height() / 2 - 3, box.width() + 12, box.height() + 6)
        self._label.setPos(at + QPointF(12, -22))
        self._label.setVisible(True)


class PixelNode(QGraphicsRectItem):
    """An input or output pixel: shaded by its value, the value printed inside."""

    def __init__(self, theme: Theme, centre: QPointF, name: str) -> None:
        half = PIXEL_NODE / 2
        super().__init__(centre.x() - half, centre.y() - half, PIXEL_NODE, PIXEL_NODE)
        self.theme = theme
        self.centre = centre
        self.name = name
        self.value = 0.0
        self.detail = ""
        self.setPen(QPen(theme.muted, 1.5))
        self.setZValue(3)
        self.setAcceptHoverEvents(True)
        self._text = SceneText(theme, 1.0, bold=True, parent=self)
        self._text.place("", centre)
        self._fill: QColor | None = None
        self.set_value(0.0)

    def set_value(self, value: float, detail: str = "") -> None:
        self.value, self.detail = float(value), detail
        fill = self.theme.pixel_colour(self.value)
        if fill != self._fill:  # Qt calls only when the shade really changes
            self._fill = fill
            self.setBrush(fill)
            self._text.setBrush(text_on(fill))
        self._text.place(fmt.boxed(self.value))

    def tip(self) -> str:
        return f"{self.name}: {fmt.fixed(self.value)}{self.detail}"

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 (Qt's name)
        self.setToolTip(self.tip())  # written when asked for, not on every frame
        super().hoverEnterEvent(event)

    def value_text(self) -> str:
        return self._text.text()

    def fill_colour(self) -> QColor:
        return self.brush().color()

    @property
    def left(self) -> QPointF:
        return QPointF(self.centre.x() - PIXEL_NODE / 2, self.centre.y())

    @property
    def right(self) -> QPointF:
        return QPointF(self.centre.x() + PIXEL_NODE / 2, self.centre.y())


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
        self._ring = QGraphicsPathItem(self)
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
        self._prior = QGraphicsPathItem(self)
        self._prior.setPen(QPen(theme.muted, 1.5, Qt.PenStyle.DashLine))
        self._posterior = QGraphicsPathItem(self)
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


class ImageTile(QGraphicsRectItem):
    """A 2x2 image beside the network (the input it sees, the output it makes)."""

    def __init__(self, theme: Theme, rect: QRectF) -> None:
        super().__init__(rect)
        self.theme = theme
        self.setPen(QPen(theme.muted, 1.5))
        self.setZValue(3)
        half = rect.width() / 2
        self.cells: list[QGraphicsRectItem] = []
        self._texts: list[SceneText] = []
        for i in range(4):
            row, col = divmod(i, 2)
            cell = QGraphicsRectItem(rect.left() + col * half, rect.top() + row * half, half, half, self)
            cell.setPen(QPen(Qt.PenStyle.NoPen))
            self.cells.append(cell)
            text = SceneText(theme, 0.8, parent=cell)
            text.place("", cell.rect().center())
            self._texts.append(text)

    def set_values(self, values: np.ndarray) -> None:
        for cell, text, value in zip(self.cells, self._texts, values, strict=True):
            fill = self.theme.pixel_colour(float(value))
            if cell.brush().color() != fill:
                cell.setBrush(fill)
                text.setBrush(text_on(fill))
            text.place(fmt.boxed(float(value)))

    def cell_centre(self, i: int) -> QPointF:
        return self.cells[i].rect().center()


class NetworkDiagram(QGraphicsView):
    """The diagram at the centre of the workbench; ``render`` takes any snapshot."""

    parameterClicked = Signal(str)  # a weight or bias was clicked: 'decoder.weight[1,0]', 'encoder.bias[0]'

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkDiagram")
        self.setAccessibleName("networkDiagram")
        self.setToolTip("The network: every line is a weight (blue solid positive, orange dashed negative, "
                        "thicker is larger; "
                        "hover for its value).")
        self.controller = controller
        self._stale = False  # a snapshot arrived while hidden
        self.theme = theme
        self.setScene(QGraphicsScene(0, 0, SCENE_W, SCENE_H, self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QBrush(theme.background))
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setMinimumSize(int(MIN_W * theme.scale), int(MIN_H * theme.scale))
        self.variational: bool | None = None
        self.build_count = 0
        self.input_nodes: list[PixelNode] = []
        self.latent_units: list[LatentUnit | VariationalUnit] = []
        self.output_nodes: list[PixelNode] = []
        self.encoder_edges: list[list[WeightEdge]] = []  # [latent j][input i]
        self.log_var_edges: list[list[WeightEdge]] = []  # VAE only: [latent j][input i]
        self.decoder_edges: list[list[WeightEdge]] = []  # [output i][latent j]
        controller.snapshotChanged.connect(self.render)
        controller.selectionChanged.connect(lambda _i: self.render(controller.snapshot))
        self.render(controller.snapshot)

    # ----- building (once per kind of model) -------------------------------------------
    def _build(self, variational: bool) -> None:
        scene = self.scene()
        scene.clear()
        self.variational = variational
        self.build_count += 1
        theme = self.theme
        self._titles = [SceneText(theme, 1.0, bold=True) for _ in range(3)]
        for item, x, text in zip(self._titles, (INPUT_X, LATENT_X, OUTPUT_X),
                                 ("input x", "latent code z" if not variational else "latent code z ~ N(μ, σ²)",
                                  "output y"), strict=True):
            item.place(text, QPointF(x, 22))
            scene.addItem(item)
        self._formulae = [SceneText(theme, 0.85, colour=theme.muted) for _ in range(2)]
        enc = "z = σ(W x + b)" if not variational else "μ = W x + b\nln σ² = W′x + b′"
        dec = "y = σ(W z + b)"
        for item, x, text in zip(self._formulae, ((INPUT_X + LATENT_X) / 2, (LATENT_X + OUTPUT_X) / 2),
                                 (f"encoder: {enc}", f"decoder: {dec}"), strict=True):
            item.place(text, QPointF(x, 50 if "\n" not in text else 62))
            scene.addItem(item)

        ys = [TOP + (BOTTOM - TOP) * (i + 0.5) / 4 for i in range(4)]
        mid = (TOP + BOTTOM) / 2
        self.input_nodes = [PixelNode(theme, QPointF(INPUT_X, y), f"x{i + 1} ({PIXEL_NAMES[i]})")
                            for i, y in enumerate(ys)]
        self.output_nodes = [PixelNode(theme, QPointF(OUTPUT_X, y), f"y{i + 1} ({PIXEL_NAMES[i]})")
                             for i, y in enumerate(ys)]
        gap = 118.0 if not variational else 100.0
        latent_ys = (mid - gap, mid + gap)
        unit_type = VariationalUnit if variational else LatentUnit
        self.latent_units = [unit_type(theme, QPointF(LATENT_X, y), f"z{j + 1}") for j, y in enumerate(latent_ys)]
        for item in [*self.input_nodes, *self.output_nodes, *self.latent_units]:
            scene.addItem(item)
        self._input_labels = []
        for node in self.input_nodes:
            label = SceneText(theme, 0.8, colour=theme.muted)
            label.place(node.name, node.centre + QPointF(0, PIXEL_NODE / 2 + 13))
            scene.addItem(label)
            self._input_labels.append(label)
        self._output_bias = [SceneText(theme, 0.8, colour=theme.muted) for _ in self.output_nodes]
        for label, node in zip(self._output_bias, self.output_nodes, strict=True):
            label.place("", node.centre + QPointF(0, PIXEL_NODE / 2 + 13))
            scene.addItem(label)
        self._latent_bias = [SceneText(theme, 0.8, colour=theme.muted) for _ in self.latent_units]
        for label, unit in zip(self._latent_bias, self.latent_units, strict=True):
            below = LATENT_RADIUS if not variational else VAE_BOX_H / 2
            label.place("", unit.centre + QPointF(0, below + 13))
            scene.addItem(label)

        self.encoder_edges, self.log_var_edges = [], []
        for j, unit in enumerate(self.latent_units):
            mean_port, var_port = unit.left_ports
            what = "mean μ" if variational else "latent unit"
            self.encoder_edges.append([
                self._edge(node.right, mean_port, f"Weight from {node.name} to {what} z{j + 1}")
                for node in self.input_nodes])
            if variational:
                self.log_var_edges.append([
                    self._edge(node.right, var_port, f"Weight from {node.name} to ln σ² of z{j + 1}", faint=True)
                    for node in self.input_nodes])
        self.decoder_edges = [[self._edge(unit.right, node.left, f"Weight from z{j + 1} to {node.name}")
                               for j, unit in enumerate(self.latent_units)] for node in self.output_nodes]

        self.input_tile = ImageTile(theme, QRectF(20, mid - TILE_SIDE / 2, TILE_SIDE, TILE_SIDE))
        self.output_tile = ImageTile(theme, QRectF(SCENE_W - 20 - TILE_SIDE, mid - TILE_SIDE / 2, TILE_SIDE, TILE_SIDE))
        scene.addItem(self.input_tile)
        scene.addItem(self.output_tile)
        for i in range(4):  # the image is unrolled into four inputs, and rolled up again
            self._connector(self.input_tile.cell_centre(i), self.input_nodes[i].left)
            self._connector(self.output_nodes[i].right, self.output_tile.cell_centre(i))
        self._input_caption = SceneText(theme, 0.85, bold=True, anchor="above")
        self._output_caption = SceneText(theme, 0.85, bold=True, anchor="above")
        self._loss_caption = SceneText(theme, 0.85, colour=theme.muted)
        for item in (self._input_caption, self._output_caption, self._loss_caption):
            scene.addItem(item)
        self._input_caption.place("", QPointF(20 + TILE_SIDE / 2, mid - TILE_SIDE / 2 - 6))
        self._output_caption.place("", QPointF(SCENE_W - 20 - TILE_SIDE / 2, mid - TILE_SIDE / 2 - 6))
        self._loss_caption.place("", QPointF(SCENE_W - 20 - TILE_SIDE / 2, mid + TILE_SIDE / 2 + 16))
        self._legend(variational)
        self._fit()

    def _edge(self, start: QPointF, end: QPointF, description: str, faint: bool = False) -> WeightEdge:
        edge = WeightEdge(self.theme, start, end, description, faint=faint)
        self.scene().addItem(edge)
        return edge

    def _connector(self, start: QPointF, end: QPointF) -> None:
        line = self.scene().addLine(start.x(), start.y(), end.x(), end.y(), QPen(self.theme.grid, 1.5))
        line.setZValue(0)

    def _legend(self, variational: bool) -> None:
        """A one-line key under the picture, centred."""
        scene, theme = self.scene(), self.theme
        y = SCENE_H - 20
        notes = "thicker = larger;  hover a line for its value"
        if variational:
            notes += ";  faint: into ln σ²"
        items: list[QGraphicsItem] = []
        x = 0.0
        for colour, text in ((theme.positive, "positive weight"), (theme.negative, "negative weight"), (None, notes)):
            if colour is not None:
                line = QGraphicsLineItem(x, y, x + 34, y)
                style = Qt.PenStyle.SolidLine if colour == theme.positive else Qt.PenStyle.DashLine
                line.setPen(QPen(colour, 6, style, Qt.PenCapStyle.FlatCap))
                items.append(line)
                x += 42
            label = SceneText(theme, 0.85, colour=theme.muted, anchor="left")
            label.place(text, QPointF(x, y))
            items.append(label)
            x += label.boundingRect().width() + 26
        # Made here, not by QGraphicsScene.createItemGroup: a group Qt makes is deleted by
        # scene.clear() without PySide knowing, and the wrapper kept in ``self.legend`` then
        # names freed memory; once Qt reuses the address for another object, PySide hands
        # out this stale wrapper for it and the app crashes (seen in the GUI test suite).
        group = QGraphicsItemGroup()
        for item in items:
            group.addToGroup(item)
        scene.addItem(group)
        group.setPos((SCENE_W - (x - 26)) / 2, 0)
        self.legend = group  # the gradient layer puts its own key here while it is on

    # ----- rendering (every snapshot) --------------------------------------------------
    def render(self, snapshot: EpochSnapshot) -> None:  # noqa: A003 (the views' shared verb)
        """Show ``snapshot`` for the selected image by updating the existing items."""
        if not self.isVisible():  # hidden (another tab, a lesson step): catch up when shown
            self._stale = True
            return
        self._stale = False
        variational = snapshot.is_variational
        if variational != self.variational:
            self._build(variational)
        index = min(self.controller.selected_index, len(snapshot.images) - 1)
        weights = snapshot.weights
        x = snapshot.inputs[index]
        for i, node in enumerate(self.input_nodes):
            node.set_value(float(x[i]))
        y = snapshot.reconstructions[index]
        out_bias = weights.decoder.bias
        for i, node in enumerate(self.output_nodes):
            node.set_value(float(y[i]), f"  (bias {fmt.fixed(out_bias[i], sign=True)})")
            self._output_bias[i].place(f"b = {fmt.boxed(out_bias[i], sign=True)}")
        dec_w = weights.decoder.weight
        for i, row in enumerate(self.decoder_edges):
            for j, edge in enumerate(row):
                edge.set_weight(float(dec_w[i, j]))
        if variational:
            self._render_variational(snapshot, index)
        else:
            self._render_plain(snapshot, index)
        self.input_tile.set_values(x)
        self.output_tile.set_values(y)
        count = len(snapshot.images)
        noisy = snapshot.config.model == "dae"
        self._input_caption.place(f"image {index + 1} of {count}\nwith noise" if noisy
                                  else f"image {index + 1} of {count}")
        self._output_caption.place("reconstruction")
        loss_name = "MSE" if snapshot.config.loss == "mse" else "log-loss"
        self._loss_caption.place(f"{loss_name} {fmt.fixed(snapshot.image_losses[index])}")

    def _render_plain(self, snapshot: EpochSnapshot, index: int) -> None:
        weights, bias = snapshot.weights.encoder.weight, snapshot.weights.encoder.bias
        code = snapshot.codes[index]
        for j, unit in enumerate(self.latent_units):
            for i, edge in enumerate(self.encoder_edges[j]):
                edge.set_weight(float(weights[j, i]))
            unit.set_value(float(code[j]), f"  (bias {fmt.fixed(bias[j], sign=True)})")
            self._latent_bias[j].place(f"b = {fmt.boxed(bias[j], sign=True)}")

    def _render_variational(self, snapshot: EpochSnapshot, index: int) -> None:
        mean, log_var = snapshot.weights.encoder, snapshot.weights.log_var
        mu_w, mu_b, lv_w, lv_b = mean.weight, mean.bias, log_var.weight, log_var.bias
        mu = snapshot.codes[index].astype(np.float64)
        sigma = snapshot.spreads[index].astype(np.float64)
        sample = snapshot.samples[index] if snapshot.samples is not None else mu
        span = curve_range(mu, sigma, width=3.0, limit=8.0)
        for j, unit in enumerate(self.latent_units):
            for i in range(4):
                self.encoder_edges[j][i].set_weight(float(mu_w[j, i]))
                self.log_var_edges[j][i].set_weight(float(lv_w[j, i]))
            unit.set_distribution(float(mu[j]), float(sigma[j]), float(sample[j]), span)
            self._latent_bias[j].place(f"b_μ = {fmt.boxed(mu_b[j], sign=True)}   "
                                       f"b_lnσ² = {fmt.boxed(lv_b[j], sign=True)}")

    # ----- which weight is where (clicks, the gradient layer) ----------------------------
    def weight_edges(self) -> dict[str, WeightEdge]:
        """Every edge by the weight it draws, keyed as engine.lecture.backprop names them."""
        mean = "encoder_mu" if self.variational else "encoder"
        edges = {f"{mean}.weight[{j},{i}]": e for j, row in enumerate(self.encoder_edges) for i, e in enumerate(row)}
        edges.update({f"encoder_log_var.weight[{j},{i}]": e
                      for j, row in enumerate(self.log_var_edges) for i, e in enumerate(row)})
        edges.update({f"decoder.weight[{i},{j}]": e
                      for i, row in enumerate(self.decoder_edges) for j, e in enumerate(row)})
        return edges

    def parameter_at(self, scene_pos: QPointF) -> str | None:
        """The weight or bias drawn at a scene point: an edge, or a node or its bias label (the bias)."""
        edges = {id(e): key for key, e in self.weight_edges().items()}
        for item in self.scene().items(scene_pos):
            while item is not None:
                if id(item) in edges:
                    return edges[id(item)]
                key = self._bias_of(item, scene_pos)
                if key is not None:
                    return key
                item = item.parentItem()
        return None

    def _bias_of(self, item: QGraphicsItem, scene_pos: QPointF) -> str | None:
        for i, (node, label) in enumerate(zip(self.output_nodes, self._output_bias, strict=True)):
            if item is node or item is label:
                return f"decoder.bias[{i}]"
        for j, (unit, label) in enumerate(zip(self.latent_units, self._latent_bias, strict=True)):
            if item is unit or item is label:
                if not self.variational:
                    return f"encoder.bias[{j}]"
                # the label reads "b_μ = …   b_lnσ² = …"; the box takes μ's weights above, ln σ²'s below
                upper = (scene_pos.x() < label.sceneBoundingRect().center().x() if item is label
                         else scene_pos.y() < unit.sceneBoundingRect().top() + 0.55 * VAE_BOX_H)
                return f"encoder_mu.bias[{j}]" if upper else f"encoder_log_var.bias[{j}]"
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            key = self.parameter_at(self.mapToScene(event.position().toPoint()))
            if key is not None:
                self.parameterClicked.emit(key)
        super().mousePressEvent(event)

    # ----- Qt ---------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self.render(self.controller.snapshot)
        self._fit()

    def _fit(self) -> None:
        """The whole picture in view; never larger than the theme's natural size, so at a
        presentation scale of 200 % its nodes and text are twice their size at 100 %
        wherever the view has the room (and shrink to fit where it has not)."""
        self.fitInView(QRectF(0, 0, SCENE_W, SCENE_H), Qt.AspectRatioMode.KeepAspectRatio)
        cap = NATURAL_ZOOM * self.theme.scale
        if self.transform().m11() > cap:
            self.setTransform(QTransform.fromScale(cap, cap))
            self.centerOn(SCENE_W / 2, SCENE_H / 2)

    def zoom(self) -> float:
        """Screen pixels per scene unit (a latent node's radius on screen is LATENT_RADIUS times this)."""
        return self.transform().m11()

    def apply_theme(self, theme: Theme) -> None:
        """Redraw everything in another theme (desktop_app.theming calls this)."""
        self.theme = theme
        self.setBackgroundBrush(QBrush(theme.background))
        self.setMinimumSize(int(MIN_W * theme.scale), int(MIN_H * theme.scale))
        if self.variational is not None:
            self._build(self.variational)
            self.render(self.controller.snapshot)
        self._fit()
