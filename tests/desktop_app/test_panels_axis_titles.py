"""The log-loss panel's cost curve keeps its y-axis title whole and its x-axis title off
its value labels.

Presented at 150 % on a 1280x720 projector the curve's left axis is about 110 px long and
its title, "cost of this pixel" written along it, was cut to "cost of this pixe". The axis
now shows the longest of its wordings that fits (``FittingLabelAxis``). Its bottom axis,
as tall as ``style_axes`` set it, had its title "output y" over its values; it now makes
room for both (``TitledBottomAxis``)."""

from __future__ import annotations

import pyqtgraph as pg
import pytest

from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.panels.fitting_axis import FittingLabelAxis
from desktop_app.panels.log_loss_panel import COST_WORDINGS, LogLossPanel
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application, restyle
from tests.desktop_app.plot_probes import labels_under_the_title, presented_window, value_labels
from tests.desktop_app.screens import PROJECTOR_720


def title_problems(axis: pg.AxisItem) -> list[str]:
    """The title's painted extent (rotated along a left axis) outside the axis's length, or
    a title that is not one of the wordings (cut or elided text)."""
    title = axis.label.toPlainText().strip()  # pyqtgraph puts a space where units would go
    extent = axis.label.mapRectToParent(axis.label.boundingRect())
    problems = [] if title in COST_WORDINGS else [f"title {title!r} is not one of {COST_WORDINGS}"]
    if extent.top() < 0 or extent.bottom() > axis.height():
        problems.append(f"title {title!r} spans y {extent.top():.0f} to {extent.bottom():.0f} "
                        f"on an axis {axis.height():.0f} px long")
    return problems


@pytest.mark.parametrize("step_id", ["log-loss", "log-loss-live"])
def test_the_cost_curves_axis_title_fits_presented_at_150_percent_on_1280x720(qtbot, step_id):
    window, screen = presented_window(qtbot, PROJECTOR_720, 1.5, StepSessions())
    try:
        window.presentation.enter()
        qtbot.waitUntil(lambda: window.geometry() == screen.geometry(), timeout=3_000)
        nav = window.lessons
        nav.go_to([step.id for step in nav.steps].index(step_id))
        panel = window.findChild(LogLossPanel)
        qtbot.waitUntil(panel.plot.isVisible, timeout=10_000)
        qtbot.wait(100)  # nested layouts catch up
        assert window.theme.scale == 1.5
        assert title_problems(panel.plot.getAxis("left")) == []
    finally:
        window.presentation.leave()
        window.close()
        window.lessons.sessions.shutdown()
        apply_to_application(Theme())


def test_the_title_is_the_longest_wording_that_fits_and_follows_size_and_scale(qtbot):
    """Long enough: the whole wording; shorter: a shorter one; taller again: the whole one
    back (the axis re-picks on resize); a larger scale re-picks at the same height."""
    axis = FittingLabelAxis("left", COST_WORDINGS)
    plot = pg.PlotWidget(axisItems={"left": axis})
    qtbot.addWidget(plot)
    plot.setLabel("left", COST_WORDINGS[0], **{"font-size": f"{Theme().font(1.0).pointSizeF():.0f}pt"})
    plot.show()
    qtbot.waitExposed(plot)
    widths = [axis.title_width(text) for text in COST_WORDINGS]
    assert widths == sorted(widths, reverse=True)  # longest first

    def shown_at(height: int) -> str:
        plot.resize(300, height)
        qtbot.wait(50)  # the plot lays its axes out
        assert title_problems(axis) == []
        return axis.label.toPlainText().strip()

    assert shown_at(400) == COST_WORDINGS[0]
    room = (widths[0] + widths[1]) / 2  # room for the second wording, not the first
    overhead = plot.height() - axis.height()  # the plot around its left axis
    assert shown_at(int(overhead + room)) == COST_WORDINGS[1]
    just = int(plot.height() - axis.height() + widths[0] + 4)  # the whole wording only just fits
    assert shown_at(just) == COST_WORDINGS[0]
    length = axis.height()
    restyle(plot, Theme(), Theme(scale=2.5))  # as Preferences does: the title's font 2.5x as large
    qtbot.wait(50)
    assert axis.height() == pytest.approx(length, abs=40)
    shown = axis.label.toPlainText().strip()
    assert shown != COST_WORDINGS[0] and title_problems(axis) == []
    assert shown == next((t for t in COST_WORDINGS if axis.title_width(t) <= axis.length()), COST_WORDINGS[-1])


@pytest.mark.parametrize("theme_name", ["light", "dark"])
@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_the_cost_curves_x_title_stands_clear_of_its_value_labels(qtbot, scale, theme_name):
    """At 1280x720 the curve is as short as it gets (120 px at 100 %): "output y" lay 6 px
    over the values 0 to 0.8 at 100 %, 7 px at 150 % and 200 %. Shown in its dock at 100 %,
    presented at 150 and 200 % (which restyles the window built at 100 %)."""
    window, screen = presented_window(qtbot, PROJECTOR_720, scale, StepSessions(), theme_name)
    try:
        if scale != 1.0:
            window.presentation.enter()
            qtbot.waitUntil(lambda: window.theme.scale == scale, timeout=3_000)
        window.workbench.show_panel("logLossPanel")
        panel = window.findChild(LogLossPanel)
        qtbot.waitUntil(panel.plot.isVisible, timeout=10_000)
        qtbot.wait(100)  # nested layouts catch up
        assert panel.plot.height() <= 125 * scale  # as short as the window leaves it
        axis = panel.plot.getAxis("bottom")
        assert axis.label.toPlainText().strip() == "output y"
        assert len(value_labels(axis)) >= 3
        assert labels_under_the_title(axis) == []
    finally:
        if window.presentation.active:
            window.presentation.leave()
        window.close()
        window.lessons.sessions.shutdown()
        apply_to_application(Theme())
