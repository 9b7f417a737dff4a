"""A small pyqtgraph plot of per-epoch curves and reference levels for a case study.

Each curve and each level line is created once and later only ``setData``/``setPos``;
the plot never rebuilds itself while training runs, and its axes keep their size (see
``steady_axes``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPicture
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.frames.plot_cache import cache_axes
from desktop_app.theme import Theme
from desktop_app.widgets.fitting_words import html_width, longest_that_fits


class EpochAxis(pg.AxisItem):
    """An epoch axis with whole-number ticks only (no "epoch 2.5" after a few epochs)."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802,N803 (pyqtgraph's names)
        levels = [(max(1.0, spacing), [v for v in values if float(v).is_integer()])
                  for spacing, values in super().tickValues(minVal, maxVal, size) if spacing >= 1]
        if not any(values for _, values in levels):
            levels = [(1.0, [float(v) for v in range(int(np.ceil(minVal)), int(np.floor(maxVal)) + 1)])]
        return levels


class ValueAxis(pg.AxisItem):
    """A value axis whose labels never crowd it: where pyqtgraph's spacing would bring
    more labels than the axis holds (it always asks for at least 2.25 intervals, so an
    empty plot 45 px tall got "0.2 0.4 0.6 0.8" on top of each other), the labels are
    spaced wider, 1-2-5 steps at a time, until they fill at most pyqtgraph's own limit
    for uncrowded text (``textFillLimits``, 80 % of the axis), while one label at least
    still stands on the axis."""

    _label_height: tuple[str, float] = ("", 0.0)  # (the tick font's key, a label's height in it)

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802,N803 (pyqtgraph's names)
        levels = super().tickSpacing(minVal, maxVal, size)
        span = abs(maxVal - minVal)
        if not levels or span == 0 or self.orientation not in ("left", "right"):
            return levels
        room, height = size * self.style["textFillLimits"][0][1], self.label_height()
        low, high = sorted((minVal, maxVal))
        inset = height / 2 * span / size  # pyqtgraph leaves out a label that would stick out of the axis
        major = levels[0][0]
        while labels_between(low + inset, high - inset, major) * height > room:
            wider = wider_step(major)
            if labels_between(low + inset, high - inset, wider) == 0:
                break  # one label too many rather than none
            major = wider
        return levels if major == levels[0][0] else [(major, 0), (major / subdivisions(major), 0)]

    def label_height(self) -> float:
        """A value label's height in the tick font, as pyqtgraph measures it (measured once a font)."""
        font = self.style["tickFont"] or self.font()
        if self._label_height[0] != font.key():
            self._label_height = (font.key(), tick_text_size(font, "0")[1])
        return self._label_height[1]


def labels_between(low: float, high: float, step: float) -> int:
    """How many multiples of ``step`` lie between ``low`` and ``high``."""
    return max(0, int(np.floor(high / step) - np.ceil(low / step)) + 1)


def _leading_digit(step: float) -> tuple[int, float]:
    power = 10 ** np.floor(np.log10(step))
    return round(step / power), float(power)


def wider_step(step: float) -> float:
    """The next spacing up the 1, 2, 5, 10 ... ladder from ``step`` (itself on it)."""
    leading, power = _leading_digit(step)
    return (2 if leading < 2 else 5 if leading < 5 else 10) * power


def subdivisions(step: float) -> int:
    """Minor ticks per major step on the 1-2-5 ladder: fifths of 1 and 5, quarters of 2."""
    return 4 if _leading_digit(step)[0] == 2 else 5


def tick_text_size(font: QFont, text: str) -> tuple[float, float]:
    """Width and height of a tick label as pyqtgraph measures it when it lays an axis out
    (``AxisItem.generateDrawSpecs``: a painter's bounding rectangle, 80 % of its height)."""
    picture = QPicture()
    painter = QPainter(picture)
    painter.setFont(font)
    rect = painter.boundingRect(QRectF(0, 0, 100, 100), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return rect.width(), rect.height() * 0.8


def steady_axes(plot: pg.PlotItem, font: QFont, value_room: str) -> None:
    """Axes whose size a new range does not change: the left one keeps room for labels
    as wide as ``value_room`` and both only ever grow.

    Why: pyqtgraph measures the tick labels while it paints an axis and fits the axis to
    them, shrinking it too (``autoReduceTextSpace``). A new epoch's range brings labels
    of another width ("12.5" after "10"), the axis changes size in the middle of the
    paint, the plot is laid out again and painted again: two or three paints of the
    plot in one turn of the event loop at each epoch (measured: 20 ms of the denoising
    study's first epoch). Grown once for an unusually wide label, an axis stays so."""
    width, height = tick_text_size(font, value_room)
    left, bottom = plot.getAxis("left"), plot.getAxis("bottom")
    left.textWidth = max(left.textWidth, int(np.ceil(width)))  # pyqtgraph's own record of its widest label
    bottom.textHeight = max(bottom.textHeight, int(np.ceil(height)))
    for axis in (left, bottom):
        axis.setStyle(autoReduceTextSpace=False)  # also lays the axis out for the room just set


BELOW = (4, 1)  # the cell (row, column) of pyqtgraph's plot layout under the epoch axis (row 3)


def title_width(label: pg.LabelItem, text: str) -> float:
    """How wide ``text`` is as ``label``'s text, in its size and weight (pyqtgraph writes
    a label as a styled span)."""
    style = [f"font-size: {label.opts['size']}"] if label.opts.get("size") else []
    if label.opts.get("bold"):
        style.append("font-weight: bold")
    return html_width(label.item.font(), f"<span style='{'; '.join(style)}'>{text}</span>")


def legend_width(legend: pg.LegendItem, columns: int) -> float:
    """How wide the legend is with its entries in ``columns`` columns (each column as wide
    as its widest sample and label, as its grid lays them out)."""
    entries = [(sample.minimumWidth(), label.minimumWidth()) for sample, label in legend.items]
    widths = [max(s + t for s, t in entries[c::columns]) for c in range(columns)]
    left, _top, right, _bottom = legend.layout.getContentsMargins()
    return left + sum(widths) + legend.layout.horizontalSpacing() * (2 * columns - 1) + right


class CurvePlot(QWidget):
    """Named curves over epochs, plus optional horizontal reference levels. ``shown`` is
    emitted each time it comes into sight (a study that skips drawing it while it is out
    of sight catches up then). ``value_room``: a tick label as wide as the widest the
    values should bring (the left axis keeps that room, ``steady_axes``).

    ``title``: one wording, or several, longest first: the plot shows the longest that
    fits its width (the denoising loss plot's "... summed over 784 pixels" was cut beside
    a wide lesson path). ``legend_below``: the legend stands under the epoch axis, as
    many entries to a row as fit, instead of inside the plot (on a short plot it covered
    the curve)."""

    shown = Signal()

    def __init__(self, theme: Theme, title: str | Sequence[str], y_label: str, parent: QWidget | None = None,
                 legend: bool = True, value_room: str = "000", legend_below: bool = False) -> None:
        super().__init__(parent)
        self.theme = theme
        self.titles = (title,) if isinstance(title, str) else tuple(title)
        self.legend_below = legend_below
        self.plot = pg.PlotWidget(background=theme.background,
                                  axisItems={"bottom": EpochAxis("bottom"), "left": ValueAxis("left")})
        self.plot.setTitle(self.titles[0], color=theme.foreground.name(),
                           size=f"{theme.base_font_pt * theme.scale * 1.1:.0f}pt")
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setPen(theme.muted)
            axis.setTextPen(theme.foreground)
            axis.setTickFont(theme.font(0.9))
            axis.enableAutoSIPrefix(False)  # never "epoch (x0.001)" for a single point
        steady_axes(self.plot.getPlotItem(), theme.font(0.9), value_room)
        cache_axes(self.plot)
        # the theme's size as well as its colour: a restyle (presentation mode) scales it with the ticks
        self.plot.setLabel("left", y_label, **theme.axis_title_style())
        self.plot.setLabel("bottom", "epoch", **theme.axis_title_style())
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setMenuEnabled(False)
        legend_style = {"labelTextColor": theme.foreground,
                        "labelTextSize": f"{theme.base_font_pt * theme.scale:.0f}pt"}
        self.legend = (self._legend_below(legend_style) if legend_below else
                       self.plot.addLegend(offset=(-10, 10), **legend_style) if legend else None)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.levels: dict[str, pg.InfiniteLine] = {}
        self._changing = 0  # inside ``changes()``: the view is fitted once at its end
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def _legend_below(self, style: dict, columns: int = 1) -> pg.LegendItem:
        """A legend in the plot's own layout, in a row under the epoch axis (so an export
        of the plot has it too); curves added with a name join it, as with ``addLegend``."""
        item = self.plot.getPlotItem()
        legend = pg.LegendItem(frame=False, colCount=columns, **style)
        legend.layout.setContentsMargins(0, 0, 0, 0)  # no frame to keep off: the curve keeps the height
        item.layout.addItem(legend, *BELOW)
        item.legend = legend
        return legend

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.shown.emit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_words()

    def apply_theme(self, theme: Theme) -> None:
        """A live restyle: the plot's own items are restyled after this widget (theming), so
        the words are fitted again once it is done."""
        self.theme = theme
        QTimer.singleShot(0, self, self.fit_words)  # not after this plot is gone

    # ----- words that fit ----------------------------------------------------------------------
    def room(self) -> float:
        """The width the title and a legend row have: the plot's, less its value axis."""
        return self.plot.width() - self.plot.getAxis("left").width() - 4 * self.theme.scale

    def fit_words(self) -> None:
        """The longest title that fits, and as many legend entries to a row as fit."""
        label = self.plot.getPlotItem().titleLabel
        room = self.room()
        wording = longest_that_fits(self.titles, lambda text: title_width(label, text), room)
        changed = wording != label.text
        if changed:
            label.setText(wording)
        if self.legend_below and self.legend.items:
            count = len(self.legend.items)
            columns = next((n for n in range(count, 0, -1) if legend_width(self.legend, n) <= room), 1)
            if columns != self.legend.columnCount:
                self._legend_columns(columns)
                changed = True
        if changed:  # the plot was fitted to the view with the old words' widths as its least
            self.plot.resizeEvent(None)

    def _legend_columns(self, columns: int) -> None:
        """The legend under the plot with its entries in ``columns`` columns: made anew
        (pyqtgraph's ``setColumnCount`` keeps the grid's old columns and their width)."""
        old = self.legend
        entries = [(sample.item, label.text) for sample, label in old.items]
        self.plot.getPlotItem().layout.removeItem(old)
        if old.scene() is not None:
            old.scene().removeItem(old)
        self.legend = self._legend_below({"labelTextColor": old.opts["labelTextColor"],
                                          "labelTextSize": old.opts["labelTextSize"]}, columns)
        for item, text in entries:
            self.legend.addItem(item, text)

    def add_curve(self, key: str, label: str, colour: QColor, dashed: bool = False, symbol: bool = False) -> None:
        pen = pg.mkPen(colour, width=self.theme.line(1.2),
                       style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
        options = {"symbol": "o", "symbolSize": self.theme.marker(0.6 if symbol else 0.35), "symbolBrush": colour,
                   "symbolPen": None}  # a dot per epoch: even the first epoch shows
        self.curves[key] = self.plot.plot([], [], pen=pen, name=label, **options)

    def remove_curve(self, key: str) -> None:
        curve = self.curves.pop(key, None)
        if curve is not None:
            self.plot.removeItem(curve)
            if self.legend is not None:
                self.legend.removeItem(curve)

    def add_level(self, key: str, label: str, colour: QColor) -> None:
        """A horizontal line at a reference value (e.g. what PCA reaches), with its legend entry."""
        pen = pg.mkPen(colour, width=self.theme.line(1.0), style=Qt.PenStyle.DashLine)
        line = pg.InfiniteLine(angle=0, pen=pen, movable=False)
        line.setVisible(False)
        self.plot.addItem(line)
        self.levels[key] = line
        if self.legend is not None:
            self.legend.addItem(pg.PlotDataItem([], [], pen=pen), label)

    @contextmanager
    def changes(self) -> Iterator[None]:
        """Set several curves and levels, then fit the view to them once (``fit_view``)."""
        self._changing += 1
        try:
            yield
        finally:
            self._changing -= 1
            self.fit_view()

    def fit_view(self) -> None:
        """Fit the axes' ranges to what was just set, now rather than in the next paint.

        Why: pyqtgraph fits the range lazily, when the view is about to paint; items
        that move with the range (the level lines, the axes) then change in the middle
        of the paint and ask for another, so each new epoch painted the plot twice (the
        second in the next turn of the event loop, about 10 ms each)."""
        if not self._changing:
            self.plot.getPlotItem().vb.prepareForPaint()

    def set_curve(self, key: str, epochs: np.ndarray, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=np.float64)
        keep = np.isfinite(values)  # an infinite PSNR (a perfect copy) has no place on the axis
        self.curves[key].setData(np.asarray(epochs)[keep], values[keep])
        self.fit_view()

    def set_level(self, key: str, value: float | None) -> None:
        line = self.levels[key]
        visible = value is not None and bool(np.isfinite(value))
        line.setVisible(visible)
        if visible:
            line.setPos(float(value))
        self.fit_view()
