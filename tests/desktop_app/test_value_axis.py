"""A case-study plot's value axis never crowds its labels: pyqtgraph asks for at least
2.25 intervals whatever the axis's length, so the denoising study's empty loss plot,
45 px tall at 1280x720, painted "0.2 0.4 0.6 0.8" on top of each other. The labels
are read from pyqtgraph's own layout of the axis (``generateDrawSpecs``)."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF

from desktop_app.case_studies.curves import CurvePlot, subdivisions, wider_step
from desktop_app.theme import Theme
from tests.desktop_app.plot_probes import value_labels


def _shown_plot(qtbot, height: int, values: list[float]) -> CurvePlot:
    plot = CurvePlot(Theme(), "Training loss per digit", "loss", legend=False)
    qtbot.addWidget(plot)
    plot.add_curve("loss", "training", Theme().curve_colour("loss"))
    if values:
        plot.curves["loss"].setData(list(range(1, len(values) + 1)), values)
    plot.resize(420, height)
    plot.show()
    qtbot.waitExposed(plot)
    qtbot.wait(50)
    return plot


@pytest.mark.parametrize("values", [[], [0.31, 0.22], [64.0, 41.5, 30.2, 27.9]], ids=["empty", "small", "large"])
@pytest.mark.parametrize("height", [100, 110, 140, 260])
def test_the_value_labels_stand_apart_and_fill_at_most_80_percent_of_the_axis(qtbot, height, values):
    plot = _shown_plot(qtbot, height, values)
    labels, length = value_labels(plot.plot.getAxis("left")), plot.plot.getAxis("left").height()
    assert labels, f"no value on a {length:.0f} px axis"
    rects = sorted((rect for _text, rect in labels), key=QRectF.top)
    for above, below in zip(rects, rects[1:], strict=False):
        assert above.bottom() <= below.top() + 0.5, [text for text, _ in labels]
    assert sum(rect.height() for rect in rects) <= 0.8 * length + 0.5, ([text for text, _ in labels], length)


def test_a_tall_axis_keeps_pyqtgraphs_own_spacing(qtbot):
    plot = _shown_plot(qtbot, 420, [])
    axis = plot.plot.getAxis("left")
    labels = value_labels(axis)
    low, high = axis.range
    assert axis.tickSpacing(low, high, axis.height()) == pg.AxisItem.tickSpacing(axis, low, high, axis.height())
    assert {"0.2", "0.4", "0.6", "0.8"} <= {text for text, _ in labels}


def test_spacings_climb_the_1_2_5_ladder():
    assert [wider_step(step) for step in (0.1, 0.2, 0.5, 1.0, 20.0, 50.0)] == pytest.approx([0.2, 0.5, 1, 2, 50, 100])
    assert [subdivisions(step) for step in (0.1, 0.2, 0.5, 10.0)] == [5, 4, 5, 5]
