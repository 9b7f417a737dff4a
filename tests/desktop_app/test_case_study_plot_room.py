"""The denoising study's plots keep room for the values on their axes on a short screen.

At 1280x720 and 100 %, with the lesson path open beside the tab, the PSNR plot and the
loss plot were squeezed to 68 px each (pyqtgraph's smallest plot): the draw box below
them held its height, as tall as its square pad was wide, and neither y-axis showed a
single value. What a y-axis needs is measured with pyqtgraph's own rules, not guessed:
its value labels (``AxisItem.generateDrawSpecs``, the labels it would paint now) may fill
at most ``textFillLimits[0]`` (80 %) of its length before pyqtgraph calls them crowded.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QScrollArea

from desktop_app.case_studies.curves import CurvePlot
from tests.desktop_app.plot_probes import denoising_beside_lessons, value_labels

EPOCHS = 2


def value_label_rects(plot: CurvePlot) -> list[QRectF]:
    """Where the left axis would paint its value labels now (in the axis's coordinates)."""
    return [rect for _text, rect in value_labels(plot.plot.getAxis("left"))]


def label_problems(plot: CurvePlot) -> list[str]:
    """What keeps the plot's values from being read: fewer than two labels, labels
    crowding the axis past pyqtgraph's own limit, or labels on top of each other."""
    name, axis = plot.objectName(), plot.plot.getAxis("left")
    labels = value_label_rects(plot)
    if len(labels) < 2:
        return [f"{name}: {len(labels)} value labels on a {axis.height():.0f} px axis ({plot.height()} px plot)"]
    fill = axis.style["textFillLimits"][0][1]
    needed = sum(rect.height() for rect in labels) / fill
    problems = []
    if axis.height() < needed:
        problems.append(f"{name}: a {plot.height()} px plot leaves its axis {axis.height():.0f} px; its "
                        f"{len(labels)} labels need {needed:.0f} px, so the plot needs "
                        f"{plot.height() - axis.height() + needed:.0f} px")
    ordered = sorted(labels, key=QRectF.top)
    problems += [f"{name}: labels overlap at y={b.top():.0f}" for a, b in zip(ordered, ordered[1:], strict=False)
                 if a.bottom() > b.top() + 0.5]
    return problems


def test_both_denoising_plots_show_their_values_at_1280x720_at_100_percent(qtbot):
    with denoising_beside_lessons(qtbot, EPOCHS) as (window, study):
        qtbot.wait(200)  # the last layout lands
        assert window.height() <= 720 and window.lesson_dock.isVisible()
        page = study.findChild(QScrollArea)
        assert not page.verticalScrollBar().isVisible()  # the room is not won by scrolling
        problems = label_problems(study.psnr_plot) + label_problems(study.loss_plot)
        assert problems == [], (problems, study.draw_box.height(), study.draw_box.minimumSizeHint())
