"""The loss per epoch, live: total, reconstruction and (for a VAE) KL curves.

The curves are created once and fed with ``setData`` from the controller's loss
history (thinned evenly for very long runs); a marker follows the epoch on screen, so
going back in time shows where on the curve the learner is.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.controller import TrainingController
from desktop_app.frames.layout_firewall import LayoutFirewall
from desktop_app.frames.live_view import SECOND_HALF, LiveView
from desktop_app.frames.opaque import paints_own_background
from desktop_app.frames.plot_cache import cache_axes
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from desktop_app.views.plot_marker import MarkerDot, MarkerLine
from desktop_app.widgets.rich_readout import RichReadout
from engine.core.snapshot import EpochSnapshot

MAX_PLOTTED_EPOCHS = 4000  # more points than pixels only costs time
CURVE_INTERVAL_S = 0.1  # while training, the curves are redrawn at most 10 times a second (the marker each frame)
CURVE_NAMES = {"loss": "loss", "reconstruction": "reconstruction", "kl": "KL"}
TOTAL_NAMES = {False: "loss (all reconstruction)", True: "total = recon. + β·KL"}  # short: narrow plots


def column_extremes(x: np.ndarray, y: np.ndarray, per_column: int) -> tuple[np.ndarray, np.ndarray]:
    """The curve with each run of ``per_column`` points (a pixel column's worth) drawn as
    its lowest and highest value at the run's first x, then the newest point itself.

    Why (measured): a 3,000-epoch VAE run's three curves took 16 ms to redraw, ten times
    a second, for a few hundred pixels; a line through every point of a pixel column
    covers what a line from its lowest to its highest point covers, so the picture is
    the same at a third of the cost. Values that are not finite stay in their run
    (min and max pass them on), so a blow-up still shows."""
    n = len(x)
    if per_column <= 1 or n <= 2 * per_column:
        return x, y
    runs = -(-n // per_column)
    padded = np.concatenate([y, np.full(runs * per_column - n, y[-1])]).reshape(runs, per_column)
    xs = np.repeat(x[::per_column], 2)
    ys = np.column_stack([padded.min(axis=1), padded.max(axis=1)]).ravel()
    return np.append(xs, x[-1]), np.append(ys, y[-1])


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten) that is
    at least ``value``: axis ends that move rarely and waste little room."""
    if value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return float(step * power)
    return float(10 * power)


class LossPlot(LiveView, QWidget):
    """A pyqtgraph plot of the loss history with a log-scale toggle and an epoch marker.

    Drawn in the frame's second half, after the diagram: the epoch marker every frame,
    the curves at most every CURVE_INTERVAL_S while training (at once otherwise)."""

    frame_half = SECOND_HALF

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossPlot")
        self.setAccessibleName("lossPlot")
        self.controller = controller
        self.theme = theme
        self._drawn: tuple[int, int, bool, bool] | None = None
        self._curves_at = -CURVE_INTERVAL_S  # when the curves were last drawn (perf_counter)

        self.plot = pg.PlotWidget(background=theme.background)
        self.plot.setObjectName("lossPlotCanvas")
        self.plot.setToolTip("The loss after each epoch: it falls as the network learns to rebuild its images.")
        item = self.plot.getPlotItem()
        # No grid and no auto-range: both make pyqtgraph repaint the axes (their text is
        # the costly part) on every frame; the ranges below change only in round steps.
        item.setMenuEnabled(False)
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.disableAutoRange()
        self._range: tuple[float, float, float, float] | None = None
        self._drawn_width = 0.0  # the plot's width in pixels when the curves were last drawn
        label_style = theme.axis_title_style()
        item.setLabel("bottom", "epoch", **label_style)
        item.setLabel("left", "loss", **label_style)
        for axis in ("bottom", "left"):
            ax = item.getAxis(axis)
            ax.setTextPen(theme.foreground)
            ax.setPen(theme.muted)
            ax.setTickFont(theme.font(0.9))
            ax.enableAutoSIPrefix(False)  # "loss (x0.001)" confuses; ticks say 0.05
        cache_axes(item)
        self.legend = item.addLegend(offset=(-10, 10), labelTextColor=theme.foreground,
                                     labelTextSize=f"{theme.font(0.9).pointSizeF():.0f}pt")
        self.curves: dict[str, pg.PlotDataItem] = {}
        widths = {"loss": 1.5, "reconstruction": 1.0, "kl": 1.0}
        for name, label in CURVE_NAMES.items():
            pen = pg.mkPen(theme.curve_colour(name), width=theme.line(widths[name]))
            curve = item.plot([], [], pen=pen, name=label)
            curve.setClipToView(True)
            # the epoch marker moves every frame, the curves only ten times a second: keep
            # their antialiased lines as a picture instead of drawing them again each frame
            curve.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.curves[name] = curve
        # the epoch marker moves every frame: plain Qt items, cheap to move (plot_marker.py)
        self.marker_line = MarkerLine(self._marker_line_pen())
        self.marker_dot = MarkerDot(*self._marker_dot_style())
        for marker in (self.marker_line, self.marker_dot):
            item.addItem(marker, ignoreBounds=True)
        item.getViewBox().sigYRangeChanged.connect(lambda _vb, _range: self._span_marker_line())

        self.log_toggle = QCheckBox("log scale")
        self.log_toggle.setObjectName("lossLogScale")
        self.log_toggle.setToolTip("Log scale shows the loss still falling long after it looks flat.")
        self.log_toggle.toggled.connect(self.set_log_scale)
        self.readout = RichReadout()  # a long VAE readout wraps; it never widens the window
        paints_own_background(self.readout)
        self.readout.setObjectName("lossReadout")
        self.readout.setFont(theme.font(1.0))
        title = QLabel("Loss per epoch")
        title.setFont(theme.font(1.15, bold=True))

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.log_toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        # its text changes every frame: without the firewall each change relaid out the
        # splitters around the plot and repainted it (plot frames took twice as long)
        layout.addWidget(LayoutFirewall(self.readout))

        self.follow_frames(controller)
        controller.sessionReplaced.connect(lambda _s: self.render(controller.snapshot))
        controller.runningChanged.connect(lambda _r: self.render(controller.snapshot))
        self.render(controller.snapshot)

    # ----- showing ----------------------------------------------------------------------
    def set_log_scale(self, on: bool) -> None:
        """Log scale on the loss axis (the checkbox calls this; so can a lesson step)."""
        if self.log_toggle.isChecked() != on:
            self.log_toggle.setChecked(on)  # comes back here through the signal
            return
        self.plot.getPlotItem().setLogMode(x=False, y=on)
        self.render(self.controller.snapshot)

    def draw(self, snapshot: EpochSnapshot) -> None:
        history = self.controller.loss_history
        drawn = (id(history), len(history), snapshot.is_variational, self.log_toggle.isChecked())
        if drawn != self._drawn and self._curves_due():  # the history only changes when epochs are added or dropped
            self._drawn = drawn
            self._curves_at = time.perf_counter()
            self._update_curves(snapshot.is_variational)
        self._update_marker(snapshot)

    def _curves_due(self) -> bool:
        """At once when not training (a step, the run's end, the log toggle); while it
        trains, CURVE_INTERVAL_S after the last time."""
        return not self.controller.running or time.perf_counter() - self._curves_at >= CURVE_INTERVAL_S

    def _update_curves(self, variational: bool) -> None:
        epochs, rows = self.controller.loss_history.thinned(MAX_PLOTTED_EPOCHS)
        self._fit_range(epochs, rows[:, :3] if variational else rows[:, :1])
        per_column = self._points_per_column(epochs)
        for k, name in enumerate(CURVE_NAMES):
            shown = name == "loss" or variational  # a plain autoencoder's loss is all reconstruction
            curve = self.curves[name]
            curve.setData(*column_extremes(epochs, rows[:, k], per_column)) if shown else curve.setData([], [])
            curve.setVisible(shown)
            in_legend = self.legend.getLabel(curve) is not None
            if shown and not in_legend:
                self.legend.addItem(curve, CURVE_NAMES[name])
            elif not shown and in_legend:
                self.legend.removeItem(curve)
        label = self.legend.getLabel(self.curves["loss"])
        if label is not None and label.text != TOTAL_NAMES[variational]:
            label.setText(TOTAL_NAMES[variational])
        self._fit_legend()

    def _points_per_column(self, epochs: np.ndarray) -> int:
        """How many of ``epochs`` fall in one pixel column of the plot as it is now."""
        self._drawn_width = width = max(1.0, self.plot.getPlotItem().getViewBox().width())
        if len(epochs) < 2 or self._range is None:
            return 1
        return int(len(epochs) / (width * (float(epochs[-1] - epochs[0]) / self._range[1]) + 1e-9)) or 1

    def _fit_range(self, epochs: np.ndarray, values: np.ndarray) -> None:
        """Axes that hold every point, moved only when the data outgrows them."""
        x_top = nice_ceiling(max(10.0, float(epochs[-1]) if len(epochs) else 0.0))
        finite = values[np.isfinite(values)]
        if self.log_toggle.isChecked():
            positive = finite[finite > 0]
            low, high = (float(np.log10(positive.min())), float(np.log10(positive.max()))) if len(positive) else (-3, 0)
            y_range = (float(np.floor(low)), float(max(np.ceil(high), np.floor(low) + 1)))
        else:
            top = float(finite.max()) if len(finite) else 1.0
            y_range = (0.0, nice_ceiling(top * 1.04) if top > 0 else 1.0)
        wanted = (0.0, x_top, *y_range)
        if wanted != self._range:
            self._range = wanted
            self.plot.getPlotItem().setRange(xRange=(0, x_top), yRange=y_range, padding=0.02)

    def _marker_line_pen(self) -> QPen:
        return pg.mkPen(self.theme.accent, width=self.theme.line(0.75), style=Qt.PenStyle.DashLine)

    def _marker_dot_style(self) -> tuple[float, QBrush, QPen]:
        return self.theme.marker(1.3), pg.mkBrush(self.theme.accent), pg.mkPen(self.theme.foreground, width=1)

    def apply_theme(self, theme: Theme) -> None:
        """The marker in another theme's colours and sizes (desktop_app.theming calls this;
        it restyles pyqtgraph's own items itself)."""
        self.theme = theme
        self.marker_line.setPen(self._marker_line_pen())
        self.marker_dot.set_style(*self._marker_dot_style())
        self.render(self.controller.snapshot)

    def _span_marker_line(self, epoch: float | None = None) -> None:
        """The marker line from the bottom of the plot to its top, whoever set its range
        (this view, or an exported animation that holds the whole run's axes)."""
        bottom, top = self.plot.getPlotItem().getViewBox().viewRange()[1]
        self.marker_line.place(self.marker_line.value() if epoch is None else epoch, bottom, top)

    def _update_marker(self, snapshot: EpochSnapshot) -> None:
        epoch, loss = snapshot.epoch, snapshot.loss
        self._span_marker_line(epoch)
        # epoch 0 has no training loss to mark; on a log axis the dot sits at log10(loss)
        log = self.log_toggle.isChecked()
        y = None if epoch <= 0 or (log and not loss > 0) else (math.log10(loss) if log else loss)
        self.marker_dot.place(epoch, y)
        if snapshot.is_variational:  # the readout names the curves in their colours too
            c = self.theme.curve_colour
            self.readout.setText(
                f"epoch {epoch}:  <span style='color:{c('loss').name()}'>total {fmt.result(loss)}</span><br>"
                f"= <span style='color:{c('reconstruction').name()}'>reconstruction "
                f"{fmt.result(snapshot.reconstruction_loss)}</span> + β·<span style='color:{c('kl').name()}'>"
                f"KL {fmt.result(snapshot.kl)}</span>")
        else:
            self.readout.setText(f"epoch {epoch}:  loss {fmt.result(loss)}")

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_legend()
        wider = self.plot.getPlotItem().getViewBox().width() > self._drawn_width
        if wider and self._drawn is not None and self.isVisible() and not self.stale:
            self._update_curves(self._drawn[2])  # more pixel columns than the curves were thinned for

    def _fit_legend(self) -> None:
        """Too narrow for the legend (it would be cut off on the left): the readout below,
        in the curves' colours, says the same."""
        self.legend.setVisible(self.plot.width() > self.legend.boundingRect().width() + 80 * self.theme.scale)

    def curve_data(self, name: str = "loss") -> tuple[np.ndarray, np.ndarray]:
        """What the curve draws (for tests and export)."""
        x, y = self.curves[name].getData()
        return (np.empty(0) if x is None else np.asarray(x)), (np.empty(0) if y is None else np.asarray(y))
