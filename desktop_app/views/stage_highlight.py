"""The slow-motion step on the network diagram: the part at work lights up.

Forward: rings around the inputs, then the latent units, then the outputs (left to
right). Loss: the outputs, each with its pixel's loss written above it. Backward: the
edges switch to the gradient layer, the decoder's first and the encoder's after it
(right to left). Update: the edges are weights again, now the new ones.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from desktop_app.panels import formatting as fmt
from desktop_app.slow_motion import IDLE, STAGES, SlowMotionStep
from desktop_app.views.diagram_items import PIXEL_NODE, SceneText
from desktop_app.views.gradient_layer import GradientLayer
from desktop_app.views.network_diagram import NetworkDiagram

SWEEP_MS = 300  # between the columns of a sweep, inside a stage of about a second
DIM = 0.15  # opacity of edges the backward sweep has not reached yet


class StageHighlight(QObject):
    def __init__(self, diagram: NetworkDiagram, layer: GradientLayer, slow: SlowMotionStep) -> None:
        super().__init__(diagram)
        self.diagram = diagram
        self.layer = layer
        self.slow = slow
        self.items: list[QGraphicsItem] = []
        self.selected: Callable[[], str | None] = lambda: None  # the weight the panel explains
        self.note = ""  # the text written beside that weight in this stage
        self.lit: list[str] = []  # the columns lit so far in this stage: "inputs", "latent", "outputs", edges
        self._built = diagram.build_count
        self._sweep = QTimer(self)
        self._sweep.setInterval(SWEEP_MS)
        self._sweep.timeout.connect(self._next_column)
        self._pending: list[str] = []
        slow.stageChanged.connect(self.show_stage)

    def show_stage(self, stage: int, _caption: str = "") -> None:
        self._clear()
        if stage == IDLE:
            self.layer.override(None)
            return
        name = STAGES[stage]
        if name == "backward":
            self.layer.override(self.slow.breakdown)
            self._set_encoder_opacity(DIM)
            self._sweep_through(["outputs", "decoder edges", "latent", "encoder edges", "inputs"])
            self._annotate(lambda rule, _u: f"∂L/∂w = {fmt.result(rule.batch)}")
        else:
            self.layer.override(None)
            if name == "forward":
                self._sweep_through(["inputs", "latent", "outputs"])
            elif name == "loss":
                self._light("outputs")
                self._write_losses()
            else:
                self._light("edges")
                self._annotate(lambda _r, u: f"{fmt.result(u.weight)} → {fmt.result(u.new_weight)}")

    # ----- sweeps -----------------------------------------------------------------------
    def _sweep_through(self, columns: list[str]) -> None:
        self._pending = columns[1:]
        self._light(columns[0])
        self._sweep.start()

    def _next_column(self) -> None:
        if not self._pending:
            self._sweep.stop()
            return
        self._light(self._pending.pop(0))

    def finish_sweep(self) -> None:
        """Light every column still waiting (tests, and a learner who clicks on quickly)."""
        while self._pending:
            self._next_column()
        self._sweep.stop()

    def _light(self, column: str) -> None:
        self.lit.append(column)
        d = self.diagram
        if column == "encoder edges":
            self._set_encoder_opacity(1.0)
            return
        if column in ("decoder edges", "edges"):
            return  # the edges themselves are the picture (gradients, then new weights)
        nodes = {"inputs": d.input_nodes, "latent": d.latent_units, "outputs": d.output_nodes}[column]
        for node in nodes:
            self._ring(node.sceneBoundingRect())

    def _ring(self, box: QRectF) -> None:
        item = QGraphicsRectItem(box.adjusted(-3, -3, 3, 3))
        colour = QColor(self.diagram.theme.accent)
        item.setPen(QPen(colour, 3.5))
        item.setZValue(6)
        self.diagram.scene().addItem(item)
        self.items.append(item)

    def _annotate(self, text: Callable) -> None:
        """Write ``text(chain rule, update)`` beside the weight or bias the panel explains."""
        key, b = self.selected(), self.slow.breakdown
        if key is None or b is None:
            return
        try:
            rule, update = b.chain_rule(key, 0), b.update(key)
        except ValueError:
            return  # a weight of another model
        edge = self.diagram.weight_edges().get(key)
        at = edge.path().pointAtPercent(0.5) if edge is not None else self._bias_point(key)
        self.note = f"{rule.name}\n{text(rule, update)}"
        label = SceneText(self.diagram.theme, 0.72, bold=True, colour=self.diagram.theme.foreground)
        label.place(self.note, QPointF(at.x(), at.y() - 22))
        self._keep_off_latent(label, key)
        box = QGraphicsRectItem(label.sceneBoundingRect().adjusted(-5, -2, 5, 2))
        box.setBrush(self.diagram.theme.background)
        box.setPen(QPen(self.diagram.theme.accent, 2))
        for z, item in ((8, box), (9, label)):
            item.setZValue(z)
            self.diagram.scene().addItem(item)
            self.items.append(item)

    def _keep_off_latent(self, label: SceneText, key: str) -> None:
        """Slide an edge's note sideways so that it does not cover a latent unit's numbers."""
        if key.endswith("]") and ".bias" in key:
            return
        units = self.diagram.latent_units[0].sceneBoundingRect()
        box = label.sceneBoundingRect()
        if key.startswith("decoder"):
            shift = max(0.0, units.right() + 6 - box.left())
        else:
            shift = min(0.0, units.left() - 6 - box.right())
        label.moveBy(shift, 0)

    def _bias_point(self, key: str) -> QPointF:
        index = int(key.split("[")[1].rstrip("]"))
        node = (self.diagram.output_nodes if key.startswith("decoder") else self.diagram.latent_units)[index]
        box = node.sceneBoundingRect()
        return QPointF(box.center().x(), box.bottom() + 40)

    def _write_losses(self) -> None:
        b = self.slow.breakdown
        n = min(self.slow.controller.selected_index, len(b.inputs) - 1)
        for i, node in enumerate(self.diagram.output_nodes):
            text = SceneText(self.diagram.theme, 0.8, bold=True, colour=self.diagram.theme.accent, anchor="above")
            text.place(f"loss {fmt.result(float(b.pixel_terms[n, i]))}",
                       node.centre + QPointF(0, -PIXEL_NODE / 2 - 8))
            text.setZValue(7)
            self.diagram.scene().addItem(text)
            self.items.append(text)

    def _set_encoder_opacity(self, opacity: float) -> None:
        for key, edge in self.diagram.weight_edges().items():
            if not key.startswith("decoder"):
                edge.setOpacity(opacity)

    def _clear(self) -> None:
        self._sweep.stop()
        self._pending = []
        self.lit = []
        self.note = ""
        if self._built == self.diagram.build_count:  # else the scene was rebuilt and they are gone
            for item in self.items:
                self.diagram.scene().removeItem(item)
        self._built = self.diagram.build_count
        self.items = []
        self._set_encoder_opacity(1.0)
