"""Backpropagation on the workbench: the bar above the network diagram (gradient layer
toggle, slow-motion step) and the wiring between diagram, panel and slow motion.

``install_backprop(workbench)`` is the one call the workbench makes; everything else
lives in ``gradient_layer``, ``stage_highlight``, ``slow_motion`` and the panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.backprop_source import source_for
from desktop_app.panels.backprop_panel import BackpropPanel
from desktop_app.slow_motion import IDLE, STAGES, SlowMotionStep
from desktop_app.theme import Theme
from desktop_app.views.gradient_layer import GradientLayer
from desktop_app.views.stage_highlight import StageHighlight

ROOMY = 0.55  # the share of the workbench's height the panel's dock gets when it is brought up

CAPTION_ROW_SCALE = 1.2  # above this scale the slow step's caption takes a row of its own


class SlowMotionBar(QFrame):
    """[Gradients] | [Step slowly] [Next stage] [Auto]  caption"""

    def __init__(self, slow: SlowMotionStep, layer: GradientLayer, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slowMotionBar")
        self.slow = slow
        self.gradient_toggle = self._named(QCheckBox("Show gradients"), "gradientLayerToggle", theme,
                                          "Draw every edge by its gradient ∂L/∂w for the next step instead of its "
                                          "weight: blue positive, red negative, thicker = larger.")
        self.gradient_toggle.toggled.connect(layer.set_enabled)
        layer.toggled.connect(self._mirror_toggle)
        self.start_button = self._named(QPushButton("Step 1 epoch slowly"), "slowStepButton", theme,
                                       "Play one epoch in four stages: forward, loss, backward, update.")
        self.start_button.clicked.connect(self._start_or_stop)
        self.next_button = self._named(QPushButton("Next stage ▸"), "slowNextButton", theme,
                                      "Go on to the next stage of the slow step.")
        self.next_button.clicked.connect(slow.advance)
        self.auto_check = self._named(QCheckBox("Auto"), "slowAutoCheck", theme,
                                     "Go on to the next stage by itself, about once a second.")
        self.auto_check.toggled.connect(slow.set_auto)
        self.caption = self._named(QLabel(), "slowCaption", theme, "")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 4, 0)
        layout = QHBoxLayout()
        outer.addLayout(layout)
        for widget in (self.gradient_toggle, self.start_button, self.next_button, self.auto_check):
            layout.addWidget(widget)
        if theme.scale > CAPTION_ROW_SCALE:  # presentation sizes: the caption gets a row of its own
            layout.addStretch(1)
            outer.addWidget(self.caption)
        else:
            layout.addWidget(self.caption, 1)
        slow.stageChanged.connect(self._stage)
        slow.refused.connect(self.caption.setText)
        self._stage(IDLE, "")

    def _named(self, widget: QWidget, name: str, theme: Theme, tip: str) -> QWidget:
        widget.setObjectName(name)
        widget.setAccessibleName(name)
        widget.setFont(theme.font())
        if tip:
            widget.setToolTip(tip)
        return widget

    def _start_or_stop(self) -> None:
        if self.slow.active:
            self.slow.cancel()
        else:
            self.slow.start(auto=self.auto_check.isChecked())

    def _stage(self, stage: int, caption: str) -> None:
        active = stage != IDLE
        self.start_button.setText("Stop slow step" if active else "Step 1 epoch slowly")
        self.next_button.setEnabled(active)
        self.caption.setText(caption if active else
                             "See one step of training worked out: forward, loss, backward, update.")

    def _mirror_toggle(self, on: bool) -> None:
        if self.gradient_toggle.isChecked() != on:
            self.gradient_toggle.blockSignals(True)
            self.gradient_toggle.setChecked(on)
            self.gradient_toggle.blockSignals(False)


@dataclass
class BackpropTools:
    """What ``install_backprop`` built, for the lesson path and tests."""

    layer: GradientLayer
    slow: SlowMotionStep
    highlight: StageHighlight
    bar: SlowMotionBar
    panel: BackpropPanel | None


def install_backprop(workbench) -> BackpropTools:
    """Add the gradient layer, the slow-motion step and its bar to a WorkbenchWindow, and
    let a click on the diagram pick the weight the backpropagation panel explains."""
    controller, page = workbench.controller, workbench.page
    diagram = page.diagram
    source = source_for(controller)
    layer = GradientLayer(diagram, controller, source)
    slow = SlowMotionStep(controller, source, workbench)
    highlight = StageHighlight(diagram, layer, slow)
    bar = SlowMotionBar(slow, layer, page.theme, page)
    page.layout().insertWidget(1, bar)  # under the diverged banner, above the diagram
    panel = workbench.findChild(BackpropPanel)
    dock = workbench.docks.get("backpropPanel")
    if dock is not None and workbench.tabifiedDockWidgets(dock):
        # the panel joins the tabs last; the tab in front stays the lecture's (it costs a
        # render only when a learner opens it, clicks a weight or plays a slow step)
        workbench.tabifiedDockWidgets(dock)[-1].raise_()
    if panel is not None:
        diagram.parameterClicked.connect(lambda key: _pick(workbench, panel, key))
        highlight.selected = lambda: panel.parameter
        slow.stageChanged.connect(lambda stage, _c: _pin(workbench, panel, slow, stage))
    return BackpropTools(layer, slow, highlight, bar, panel)


def _pick(workbench, panel: BackpropPanel, key: str) -> None:
    panel.select_parameter(key)
    _bring_up(workbench, panel)
    panel.scroll_to("backward")


def _bring_up(workbench, panel: BackpropPanel) -> None:
    """Show the panel's dock, and give it room if it is squeezed (small screens)."""
    workbench.show_panel(panel.objectName())
    dock = workbench.docks.get(panel.objectName())
    if dock is not None and not dock.isFloating() and dock.height() < ROOMY * workbench.height():
        workbench.resizeDocks([dock], [int(ROOMY * workbench.height())], Qt.Orientation.Vertical)


def _pin(workbench, panel: BackpropPanel, slow: SlowMotionStep, stage: int) -> None:
    """While a slow step plays, the panel shows that step (also once its update is done)."""
    panel.pin(slow.breakdown if stage != IDLE else None)
    if stage == 0:
        _bring_up(workbench, panel)
    if stage != IDLE:
        panel.scroll_to(STAGES[stage])
