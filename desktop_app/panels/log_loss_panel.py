"""Log-loss (binary cross-entropy) worked out pixel by pixel, as on the slides
(LECTURE.md §4), with the curve that shows why a confident wrong pixel costs so much."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.panels.fitting_axis import FittingLabelAxis, TitledBottomAxis
from desktop_app.panels.pixel_loss_panel import PixelLossPanel
from desktop_app.panels.widgets import name_widget, style_axes
from desktop_app.state.workbench import PanelState
from desktop_app.theme import Theme
from engine.lecture.datasets import PIXEL_NAMES
from engine.lecture.examples import LOG_LOSS_EXAMPLES
from engine.lecture.loss_breakdowns import CLAMP, LossBreakdown, log_loss

#: Outputs y at which one pixel's cost is drawn: dense near 0 and 1, where it explodes.
CURVE_Y = np.unique(np.concatenate([np.logspace(-7, -3, 60), np.linspace(1e-3, 1 - 1e-3, 400),
                                    1 - np.logspace(-3, -7, 60)]))
#: The cost curve's y-axis title, longest first: the longest that fits its axis is shown.
COST_WORDINGS = ("cost of this pixel", "pixel's cost", "cost")


class LogLossPanel(PixelLossPanel):
    """LL(x, y) = Σᵢ −xᵢ ln yᵢ − (1 − xᵢ) ln(1 − yᵢ), natural log, summed over pixels."""

    loss_key = "logloss"
    examples = LOG_LOSS_EXAMPLES
    loss = staticmethod(log_loss)
    formula_html = ("LL(<b>x</b>, <b>y</b>) = Σ<sub><i>i</i></sub> −<i>x</i><sub><i>i</i></sub> "
                    "ln <i>y</i><sub><i>i</i></sub> − (1 − <i>x</i><sub><i>i</i></sub>) "
                    "ln(1 − <i>y</i><sub><i>i</i></sub>)")
    reading = ("Small when each output is confident in the right direction; a confident wrong output "
               "(y near 0 where x is 1) costs a lot, because −ln y grows without limit as y nears 0.")
    symbol_html = "LL ="

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None,
                 state: PanelState | None = None) -> None:
        self._focus = -1
        super().__init__(controller, theme, "logLossPanel", "Log-loss", parent, state)

    def term_expression(self, x: float, y: float) -> str:
        if y == 0 and x > 0:
            y_text = fmt.result(CLAMP)  # the engine counts an output of 0 as 1e-7 here
        elif y == 1 and x < 1:
            y_text = fmt.value(1 - CLAMP, 7)
        else:
            y_text = fmt.value(y)
        if x == 1:
            return f"−ln({y_text})"
        if x == 0:
            return f"−ln(1 − {y_text})"
        x_text = fmt.value(x)
        return f"−{x_text} ln({y_text}) − (1 − {x_text}) ln(1 − {y_text})"

    # ----- the cost curve of one pixel --------------------------------------------------------
    def add_extras(self) -> None:
        theme = self.theme
        self.new_section("costCurveSection")  # the cost curve, beside the terms where the panel is wide
        self.curve_caption = name_widget(QLabel(self.body), "costCurveLabel")
        self.curve_caption.setWordWrap(True)
        self.curve_caption.setFont(theme.font(1.05))
        self.content.addWidget(self.curve_caption)
        left = FittingLabelAxis("left", COST_WORDINGS)  # what fits along the axis, at any height
        axes = {"left": left, "bottom": TitledBottomAxis()}  # "output y" under the values, not on them
        self.plot = name_widget(pg.PlotWidget(self.body, background=theme.background, axisItems=axes), "costCurve")
        self.plot.setMinimumHeight(int(120 * theme.scale))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        # no grid: its lines belong to the axes, which would then repaint with every moving dot
        label_style = theme.axis_title_style()
        self.plot.setLabel("bottom", "output y", **label_style)
        self.plot.setLabel("left", COST_WORDINGS[0], **label_style)
        style_axes(self.plot, theme, 0.95)
        self.plot.setXRange(0, 1, padding=0.02)
        self._cost_top = 6.0  # the highest cost the axis shows (``_draw_curve``)
        self.plot.getPlotItem().vb.sigResized.connect(self._fit_cost_range)  # the label's room is in pixels
        self.curve = self.plot.plot(pen=pg.mkPen(theme.curve_reconstruction, width=theme.line(1.2)))
        self.point = pg.ScatterPlotItem(size=theme.marker(1.6), brush=pg.mkBrush(theme.accent),
                                        pen=pg.mkPen(theme.foreground, width=theme.line(0.6)))
        self.plot.addItem(self.point)
        self.content.addWidget(self.plot)

    def spare_extras(self) -> list[QWidget]:
        """The cost curve's caption: its axes say what it draws."""
        return [self.curve_caption]

    def after_display(self, x: np.ndarray, y: np.ndarray, breakdown: LossBreakdown) -> None:
        self._breakdown = breakdown
        self._draw_curve()

    def _fit_cost_range(self) -> None:
        """The cost axis from 0 to a little above its top value: room for the upper half of
        the top tick's label, which pyqtgraph centres on the tick (with the tick at the very
        top, "6" was cut in half by the plot's edge)."""
        half = QFontMetricsF(self.plot.getAxis("left").style["tickFont"]).height() / 2
        height = self.plot.getPlotItem().vb.height()
        top = self._cost_top
        room = top * half / (height - half) if height > 2 * half else 0.0  # ``half`` pixels, in costs
        self.plot.setYRange(0, top + room, padding=0)

    def focus_changed(self, index: int) -> None:
        self._focus = index
        self._draw_curve()

    @property
    def curve_pixel(self) -> int:
        """The pixel whose cost curve is drawn: the hovered one, else the costliest."""
        if self._focus >= 0:
            return self._focus
        return int(np.argmax(np.round(self._breakdown.terms.ravel(), 9)))  # ties: the first

    def _draw_curve(self) -> None:
        k = self.curve_pixel
        x_k, y_k = float(self._x.flat[k]), float(self._y.flat[k])
        term = float(self._breakdown.terms.flat[k])
        costs = log_loss(np.full_like(CURVE_Y, x_k), CURVE_Y).terms
        self.curve.setData(CURVE_Y, costs)
        shown_y = min(max(y_k, CLAMP), 1 - CLAMP)
        self.point.setData([shown_y], [term])
        self._cost_top = max(6.0, min(17.0, 1.15 * term))
        self._fit_cost_range()
        if x_k == 1:
            shape = "−ln y"
        elif x_k == 0:
            shape = "−ln(1 − y)"
        else:
            shape = f"−{fmt.value(x_k)} ln y − (1 − {fmt.value(x_k)}) ln(1 − y)"
        wrong = "0" if x_k >= 0.5 else "1"
        self.curve_caption.setText(
            f"The {PIXEL_NAMES[k]} pixel (target x = {fmt.value(x_k)}) costs {shape} for an output y. "
            f"The dot is its output y = {fmt.value(y_k)}, costing {fmt.result(term)}. "
            f"The nearer y gets to {wrong}, the steeper the cost climbs: a confident wrong pixel costs most."
            + ("" if self._focus >= 0 else " (Hover a pixel to see its curve.)"))
