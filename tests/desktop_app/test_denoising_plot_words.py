"""The denoising study's plots keep their words whole and off the curves, with the lesson
path open beside the tab (1280x720, 100 %), at its first width and widened.

The loss plot's title, "Training loss per digit (squared error summed over 784 pixels)",
ran past the plot's right edge; it now shows the longest of its wordings that fits. The
PSNR plot's legend stood inside the plot and, on a plot this short, covered the curve's
top right; it now stands under the epoch axis, as many entries to a row as fit."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QGraphicsItem

from desktop_app.case_studies.curves import CurvePlot
from desktop_app.case_studies.denoising_display import loss_titles
from tests.desktop_app.plot_probes import denoising_beside_lessons

EPOCHS = 2


def on_widget(curves: CurvePlot, item: QGraphicsItem) -> QRect:
    """Where ``item`` paints, in the plot widget's pixels."""
    return curves.plot.mapFromScene(item.mapRectToScene(item.boundingRect())).boundingRect()


def title_problems(curves: CurvePlot) -> list[str]:
    label = curves.plot.getPlotItem().titleLabel
    where, shown = on_widget(curves, label.item), curves.plot.viewport().rect()
    problems = [] if label.text in curves.titles else [f"title {label.text!r} is none of {curves.titles}"]
    if not shown.contains(where):
        problems.append(f"title {label.text!r} at {where} cut by the plot's edges {shown}")
    return problems


def legend_problems(curves: CurvePlot) -> list[str]:
    legend, view = curves.legend, curves.plot.getPlotItem().vb
    where, plot_area, shown = on_widget(curves, legend), on_widget(curves, view), curves.plot.viewport().rect()
    problems = [] if len(legend.items) == 3 and legend.isVisible() else [f"legend shows {len(legend.items)} entries"]
    if where.intersects(plot_area):
        problems.append(f"legend {where} covers the plot area {plot_area}")
    if not shown.contains(where):
        problems.append(f"legend {where} cut by the plot's edges {shown}")
    return problems


def test_the_plots_words_are_whole_and_off_the_curves_beside_the_lesson_path(qtbot):
    with denoising_beside_lessons(qtbot, EPOCHS) as (window, study):
        assert study.loss_plot.titles == loss_titles("mse")
        problems = {}
        for dock in (None, 450):  # as it opens, then widened by the lecturer
            if dock is not None:
                window.resizeDocks([window.lesson_dock], [dock], Qt.Orientation.Horizontal)
            qtbot.wait(200)  # the layouts land
            found = title_problems(study.loss_plot) + title_problems(study.psnr_plot)
            found += legend_problems(study.psnr_plot)
            if found:
                problems[f"lesson path {window.lesson_dock.width()} px"] = found
        assert problems == {}
