"""The log-loss panel's cost curve shows its value labels whole.

Its cost axis ran from 0 to exactly 6 (or the dot's cost), so the top label sat on the
plot's top edge, centred on its tick as pyqtgraph draws them, and "6" was cut in half
(presented at 150 % on a 1280x720 projector). The axis now keeps room above its top
value for half a label. Where the labels are is pyqtgraph's own measure: the labels it
would paint now (``AxisItem.generateDrawSpecs``), mapped to the plot's widget."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QRectF

from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.panels.log_loss_panel import LogLossPanel
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application
from tests.desktop_app.plot_probes import presented_window, value_labels
from tests.desktop_app.screens import PROJECTOR_720, PROJECTOR_1080

SESSIONS = StepSessions()


def value_labels_on_widget(plot) -> list[tuple[str, QRect]]:
    """The left axis's value labels as it would paint them now, in the plot widget's pixels."""
    axis = plot.getAxis("left")
    return [(text, plot.mapFromScene(axis.mapRectToScene(QRectF(rect))).boundingRect())
            for text, rect in value_labels(axis)]


@pytest.mark.parametrize(("screen_name", "scale"), [(PROJECTOR_720, 1.5), (PROJECTOR_1080, 2.0)],
                         ids=["1280x720-150", "1920x1080-200"])
def test_the_cost_curves_value_labels_are_whole_when_presented(qtbot, screen_name, scale):
    window, screen = presented_window(qtbot, screen_name, scale, SESSIONS)
    try:
        window.presentation.enter()
        qtbot.waitUntil(lambda: window.geometry() == screen.geometry(), timeout=3_000)
        nav = window.lessons
        nav.go_to([step.id for step in nav.steps].index("log-loss-live"))
        panel = window.findChild(LogLossPanel)
        qtbot.waitUntil(panel.plot.isVisible, timeout=10_000)
        qtbot.wait(100)  # nested layouts catch up
        labels = value_labels_on_widget(panel.plot)
        assert len(labels) >= 3 and labels[-1][0] != "", labels
        shown = panel.plot.viewport().rect()
        cut = [(text, rect) for text, rect in labels if not shown.contains(rect)]
        assert cut == [], f"labels cut by the plot's edge {shown}: {cut}"
        top = max(float(text) for text, _rect in labels)
        assert top >= 6, labels  # the top label is there, whole: not hidden to make room
    finally:
        window.presentation.leave()
        window.close()
        apply_to_application(Theme())
