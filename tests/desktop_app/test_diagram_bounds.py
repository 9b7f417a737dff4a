"""The network diagram's path items are bounded from their control points, not by
stroking the path on every change (Qt's way, which cost a Python stroker per weight edge
and ~55 µs per bell curve each frame while training). Checked two ways: the cheap box
always holds what Qt's own stroke would cover (nothing drawn is ever clipped or left
behind on screen), and a training frame strokes no edge at all."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from desktop_app.theme import Theme
from desktop_app.views import diagram_items
from desktop_app.views.diagram_items import StrokedPath, WeightEdge
from engine.core.config import TrainingConfig
from tests.desktop_app.workbench_helpers import shown_bench


def qt_stroke_box(path: QPainterPath, pen: QPen):
    """What Qt itself bounds a path item by: the path stroked with its pen."""
    reference = QGraphicsPathItem()
    reference.setPen(pen)
    reference.setPath(path)
    return reference.boundingRect()


def zigzag(seed: int) -> QPainterPath:
    rng = np.random.default_rng(seed)
    points = rng.uniform(-200, 200, size=(12, 2))
    path = QPainterPath(QPointF(*points[0]))
    for x, y in points[1:]:
        path.lineTo(x, y)  # sharp corners: the miter joins reach farthest
    return path


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("pen", [QPen(Qt.GlobalColor.blue, 2), QPen(Qt.GlobalColor.red, 7, Qt.PenStyle.DashLine),
                                 QPen(Qt.GlobalColor.black, 15, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)])
def test_the_cheap_box_holds_qts_own_stroke(qapp, seed, pen):
    item = StrokedPath()
    item.setPen(pen)
    item.setPath(zigzag(seed))
    assert item.boundingRect().contains(qt_stroke_box(item.path(), pen))
    item.setPen(QPen(pen.color(), pen.widthF() * 2))  # a thicker pen grows the box too
    assert item.boundingRect().contains(qt_stroke_box(item.path(), item.pen()))


def test_an_edge_box_holds_its_line_and_its_hover_area(qapp):
    edge = WeightEdge(Theme(), QPointF(10, 20), QPointF(300, 140), "a weight")
    for weight in (0.0, -3.0, 8.0, 50.0):
        edge.set_weight(weight)
        box = edge.boundingRect()
        assert box.contains(qt_stroke_box(edge.path(), edge.pen()))
        assert box.contains(edge.shape().controlPointRect())  # the mouse finds it everywhere it looks


def test_training_frames_stroke_no_edge(qtbot, monkeypatch):
    """Hover areas are stroked only when the mouse asks; each frame used to stroke all 24
    edges of a VAE diagram again to learn their bounds."""
    strokes = []
    original = WeightEdge.shape
    monkeypatch.setattr(diagram_items.WeightEdge, "shape", lambda self: strokes.append(1) or original(self))
    bench = next(shown_bench(qtbot))
    try:
        bench.controller.new_session(TrainingConfig(model="vae"))
        bench.controller.step(1)
        bench.controller.wait_until_idle()
        qtbot.wait(50)
        strokes.clear()
        for epoch in (2, 3, 4):
            bench.controller.step(1)
            bench.controller.wait_until_idle()
            qtbot.wait(20)
            assert bench.controller.snapshot.epoch == epoch
            shown = bench.controller.snapshot.codes[bench.controller.selected_index][0]
            assert bench.page.diagram.latent_units[0].mu == pytest.approx(shown)  # this epoch was drawn
        assert bench.page.diagram.variational
        assert strokes == []
    finally:
        bench.controller.shutdown()
