"""The teaching panels docked beside the workbench: each works through one of the
lecture's numbers, with the slides' examples and with the learner's own model."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop_app.controller import TrainingController
from desktop_app.panels.backprop_panel import BackpropPanel
from desktop_app.panels.kl_panel import KlPanel
from desktop_app.panels.log_loss_panel import LogLossPanel
from desktop_app.panels.mse_panel import MsePanel
from desktop_app.panels.sigmoid_panel import SigmoidPanel
from desktop_app.theme import Theme


def build_panels(controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> list[QWidget]:
    """The panels in lecture order: sigmoid, MSE, log-loss, KL, then backpropagation."""
    return [SigmoidPanel(controller, theme, parent), MsePanel(controller, theme, parent),
            LogLossPanel(controller, theme, parent), KlPanel(controller, theme, parent),
            BackpropPanel(controller, theme, parent)]
