"""What keeps a workbench frame cheap while training runs flat out, checked by what the
learner sees: the loss plot's marker (plain Qt items) sits on the epoch and loss shown,
and a readout whose text changes every frame no longer relays out the plot around it."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.frames.layout_firewall import LayoutFirewall
from desktop_app.views.loss_plot import column_extremes
from desktop_app.widgets.rich_readout import RichReadout
from engine.core.config import TrainingConfig
from tests.desktop_app.event_counter import EventCounter
from tests.desktop_app.workbench_helpers import shown_bench


@pytest.fixture
def bench(qtbot):
    yield from shown_bench(qtbot)


def test_loss_marker_sits_on_the_shown_epoch_and_its_loss(bench):
    controller, plot = bench.controller, bench.page.loss_plot
    assert plot.marker_dot.point() is None  # epoch 0 has no training loss to mark
    controller.step(15)
    controller.wait_until_idle()
    s = controller.snapshot
    assert plot.marker_line.value() == 15
    assert plot.marker_dot.point() == pytest.approx((15, s.loss))
    bottom, top = plot.plot.getPlotItem().getViewBox().viewRange()[1]
    line = plot.marker_line.line()
    assert (line.y1(), line.y2()) == pytest.approx((bottom, top))  # across the whole plot, from the bottom up
    controller.show_epoch(6)
    past = controller.snapshot
    assert plot.marker_line.value() == 6
    assert plot.marker_dot.point() == pytest.approx((6, past.loss))
    plot.set_log_scale(True)
    assert plot.marker_dot.point() == pytest.approx((6, math.log10(past.loss)))
    bottom, top = plot.plot.getPlotItem().getViewBox().viewRange()[1]
    assert bottom <= math.log10(past.loss) <= top


def test_loss_marker_dot_is_drawn_where_the_loss_is(bench):
    """The dot's pixels on the canvas: accent-coloured at the point of the curve's newest
    epoch (a moved or missing dot fails)."""
    controller, plot = bench.controller, bench.page.loss_plot
    controller.step(30)
    controller.wait_until_idle()
    s = controller.snapshot
    vb = plot.plot.getPlotItem().getViewBox()
    centre = plot.plot.mapFromScene(vb.mapViewToScene(QPointF(s.epoch, s.loss)))
    image = plot.plot.grab().toImage()
    accent = plot.theme.accent
    ratio = image.devicePixelRatio()
    colour = image.pixelColor(round(centre.x() * ratio), round(centre.y() * ratio))
    assert abs(colour.red() - accent.red()) + abs(colour.green() - accent.green()) + \
        abs(colour.blue() - accent.blue()) < 40


def test_a_new_readout_text_does_not_relayout_the_plot(bench, qtbot):
    controller, plot = bench.controller, bench.page.loss_plot
    controller.step(12)
    controller.wait_until_idle()
    qtbot.wait(50)
    requests = EventCounter(plot, QEvent.Type.LayoutRequest)
    canvas_height = plot.plot.height()
    for epoch in (3, 7, 11):  # the same number of digits: the same line count
        controller.show_epoch(epoch)
        qtbot.wait(20)
    assert plot.readout.text().startswith("epoch 11:")
    assert requests.count == 0
    assert plot.plot.height() == canvas_height


def test_firewall_passes_up_a_wrapped_label_that_needs_another_line(qtbot):
    parent = QWidget()
    layout = QVBoxLayout(parent)
    label = QLabel("one short line")
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setWordWrap(True)  # as the loss readout: any width, as many lines as it needs
    firewall = LayoutFirewall(label)
    layout.addWidget(QWidget(), 1)
    layout.addWidget(firewall)
    qtbot.addWidget(parent)
    parent.resize(200, 300)
    parent.show()
    qtbot.waitExposed(parent)
    qtbot.wait(20)
    one_line = firewall.height()
    requests = EventCounter(parent, QEvent.Type.LayoutRequest)
    label.setText("another short line")
    qtbot.wait(20)
    assert requests.count == 0  # same height at this width: the parent is left alone
    label.setText(" ".join(["many words that wrap"] * 8))
    qtbot.waitUntil(lambda: firewall.height() >= label.heightForWidth(firewall.width()) > one_line)
    assert label.height() == firewall.height()


def test_marker_line_spans_a_range_set_from_outside(bench):
    """An exported animation holds the whole run's axes after the frame is drawn: the
    line still runs from the bottom of the plot to its top."""
    controller, plot = bench.controller, bench.page.loss_plot
    controller.step(5)
    controller.wait_until_idle()
    plot.plot.getPlotItem().setRange(xRange=(0, 100), yRange=(0, 7.5), padding=0.02)
    bottom, top = plot.plot.getPlotItem().getViewBox().viewRange()[1]
    line = plot.marker_line.line()
    assert (line.x1(), line.y1(), line.y2()) == pytest.approx((5, bottom, top))


def test_long_curve_is_drawn_by_each_pixel_columns_extremes(bench):
    """Thousands of epochs on a few hundred pixels: the curve draws at most a few points
    a pixel, and they keep the history's lowest and highest loss and its newest epoch."""
    controller, plot = bench.controller, bench.page.loss_plot
    bench.page.splitters["bottom"].setSizes([2000, 400])  # a narrow plot: many epochs a pixel
    controller.step(1500)
    controller.wait_until_idle(120)
    epochs, rows = controller.loss_history.thinned(4000)
    x, y = plot.curve_data("loss")
    width = plot.plot.getPlotItem().getViewBox().width()
    assert 0 < len(x) <= 3 * width < len(epochs) / 2
    assert y.max() == pytest.approx(rows[:, 0].max())
    assert y.min() == pytest.approx(rows[:, 0].min())
    assert (x[-1], y[-1]) == (epochs[-1], rows[-1, 0])  # the newest epoch, exactly


def test_column_extremes_keep_each_columns_lowest_and_highest():
    x = np.arange(10.0)
    y = np.array([5, 1, 9, 2, 2, 2, 7, 0, 3, 4.0])
    xs, ys = column_extremes(x, y, 3)
    assert xs.tolist() == [0, 0, 3, 3, 6, 6, 9, 9, 9]
    assert ys.tolist() == [1, 9, 2, 2, 0, 7, 4, 4, 4]
    assert column_extremes(x, y, 1)[1] is y  # one point a column: drawn as it is


def test_a_new_readout_text_paints_the_readout_once(bench, qtbot):
    """A rich-text QLabel painted itself again each time its layout asked how tall it
    would be (three paints a frame while training); the readout paints once a text."""
    controller, plot = bench.controller, bench.page.loss_plot
    controller.new_session(TrainingConfig(model="vae"))  # the coloured, wrapping readout
    controller.step(12)
    controller.wait_until_idle()
    qtbot.wait(50)
    paints = EventCounter(plot.readout, QEvent.Type.Paint)
    for epoch in (3, 7, 11):
        controller.show_epoch(epoch)
        qtbot.wait(20)
    assert plot.readout.text().startswith("epoch 11:")
    assert paints.count == 3


def test_the_readout_wraps_to_the_width_it_has_in_the_theme_colours(qtbot):
    readout = RichReadout()
    qtbot.addWidget(readout)
    readout.setText("epoch 7: <span style='color:#ff0000'>total 0.25</span> = reconstruction 0.2 + KL 0.05")
    one_line = readout.heightForWidth(2000)
    assert readout.heightForWidth(60) > 2 * one_line  # narrow: it wraps onto more lines
    assert readout.sizeHint().height() == one_line
    readout.resize(2000, one_line)
    readout.show()
    qtbot.waitExposed(readout)
    colours = {readout.grab().toImage().pixelColor(x, y).name()
               for x in range(0, 400) for y in range(one_line)}
    assert "#ff0000" in colours  # the span's own colour
