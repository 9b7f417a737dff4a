"""The mean squared error worked out pixel by pixel, as on the slides (LECTURE.md §4)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.panels.pixel_loss_panel import PixelLossPanel
from desktop_app.state.workbench import PanelState
from desktop_app.theme import Theme
from engine.lecture.examples import MSE_EXAMPLES
from engine.lecture.loss_breakdowns import mse


class MsePanel(PixelLossPanel):
    """MSE(x, y) = Σᵢ (xᵢ − yᵢ)², summed over the four pixels as the lecture does."""

    loss_key = "mse"
    examples = MSE_EXAMPLES
    loss = staticmethod(mse)
    formula_html = ("MSE(<b>x</b>, <b>y</b>) = Σ<sub><i>i</i></sub> "
                    "(<i>x</i><sub><i>i</i></sub> − <i>y</i><sub><i>i</i></sub>)<sup>2</sup>")
    reading = ("Small when the reconstruction is close to the original: each pixel's miss is squared, "
               "so one big miss counts more than several small ones.")
    symbol_html = "MSE ="

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None,
                 state: PanelState | None = None) -> None:
        super().__init__(controller, theme, "msePanel", "MSE", parent, state)

    def term_expression(self, x: float, y: float) -> str:
        return f"({fmt.value(x)} − {fmt.value(y)})<sup>2</sup>"
