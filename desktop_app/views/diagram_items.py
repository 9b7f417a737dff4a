"""The network diagram's scene items and geometry: weight edges (hue, dash and thickness
for a weight's sign and size, its value on hover), pixel nodes, latent units (a VAE's
with its bell curve of mean and spread), image tiles and scene text. Each is built
once and then only given new numbers (``NetworkDiagram`` arranges them).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSimpleTextItem,
)

from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme, text_on

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


def font(theme: Theme, relative: float = 1.0, bold: bool = False) -> QFont:
    font = theme.font(bold=bold)
    font.setPixelSize(max(6, round(TEXT_PX * relative)))
    return font


class SceneText(QGraphicsSimpleTextItem):
    """Text anchored at a point (centre, left, right, or centred above it), re-anchored when it changes."""

    def __init__(self, theme: Theme, relative: float = 1.0, *, bold: bool = False, colour: QColor | None = None,
                 anchor: str = "centre", parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.setFont(font(theme, relative, bold))
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


def stroke_bounds(path: QPainterPath, pen: QPen, hover_width: float = 0.0) -> QRectF:
    """A box that holds ``path`` drawn with ``pen`` (and its hover area, a stroke
    ``hover_width`` wide), from its control points: at Qt's default miter limit a join
    reaches at most a stroke's width past the path, a square cap 0.71 of it."""
    reach = max(pen.widthF(), hover_width) + 1.0
    return path.controlPointRect().adjusted(-reach, -reach, reach, reach)


class StrokedPath(QGraphicsPathItem):
    """A path item whose bounds come from its control points.

    Why (measured): Qt bounds a path item drawn with a pen by stroking the whole path
    (``shape()``), on every change of path or pen: 55 µs for a 63-point bell curve, and a
    Python stroker per weight edge when ``shape`` is overridden, each frame while training.
    """

    def __init__(self, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self._bounds = QRectF()

    def setPath(self, path: QPainterPath) -> None:  # noqa: N802 (Qt's name)
        self._bound(path, self.pen())
        super().setPath(path)

    def setPen(self, pen: QPen) -> None:  # noqa: N802 (Qt's name)
        self._bound(self.path(), pen)
        super().setPen(pen)

    def _bound(self, path: QPainterPath, pen: QPen) -> None:
        self.prepareGeometryChange()  # the scene repaints the old box before it changes
        self._bounds = stroke_bounds(path, pen, self.hover_width())

    def hover_width(self) -> float:
        """How wide an area around the path finds it with the mouse (``shape``): none here."""
        return 0.0

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._bounds


class WeightEdge(StrokedPath):
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

    def hover_width(self) -> float:
        return self.HOVER_WIDTH

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
