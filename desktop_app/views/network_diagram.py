"""The lecture's network, alive: 4 input pixels -> 2 latent units -> 4 output pixels.

Every edge is one weight (hue and line style for its sign: blue solid positive,
orange dashed negative, so the sign reads in greyscale too; thickness for its size,
its value on hover); every node shows its bias and, for the selected image, its activation. For a
VAE each latent unit shows its mean, its spread and the value sampled from them.

The items (``diagram_items``) are built once per kind of model and then only updated,
so redrawing at 30 frames a second stays cheap. All numbers come from the snapshot.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsItemGroup,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from desktop_app.controller import TrainingController
from desktop_app.frames.live_view import LiveView
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from desktop_app.views.diagram_items import (
    BOTTOM,
    INPUT_X,
    LATENT_RADIUS,
    LATENT_X,
    MIN_H,
    MIN_W,
    NATURAL_ZOOM,
    OUTPUT_X,
    PIXEL_NODE,
    SCENE_H,
    SCENE_W,
    TILE_SIDE,
    TOP,
    VAE_BOX_H,
    ImageTile,
    PixelNode,
    SceneText,
    WeightEdge,
)
from desktop_app.views.diagram_units import LatentUnit, VariationalUnit
from engine.core.snapshot import EpochSnapshot
from engine.lecture.datasets import PIXEL_NAMES
from engine.lecture.gaussian import curve_range


class NetworkDiagram(LiveView, QGraphicsView):
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
        self.follow_frames(controller, controller.selectionChanged)
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
    def draw(self, snapshot: EpochSnapshot) -> None:
        """Show ``snapshot`` for the selected image by updating the existing items."""
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
        super().showEvent(event)  # LiveView's: catches up if a snapshot came while hidden
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
