"""The case studies' curve plots (the PSNR and loss curves of case study 1, the curves of
case study 2) scale their axis titles with the window, like their tick values.

Their titles ("dB", "loss", "epoch") were set with a colour only, no size: a restyle
scales only a size it is given, so presentation mode at 200 % left them at pyqtgraph's
default beside tick values twice as large."""

from __future__ import annotations

import pytest

from desktop_app.case_studies.curves import CurvePlot
from desktop_app.main_window import MainWindow
from desktop_app.theme import Theme
from tests.desktop_app.plot_probes import Sizes, assert_titles_grew_with_their_ticks, sizes_at_100_and_200, title_sizes


def curve_title_sizes(window: MainWindow) -> Sizes:
    """Per curve plot and side: the title, its painted size, and the tick values' size."""
    return title_sizes({curves.objectName(): curves.plot.getPlotItem() for curves in window.findChildren(CurvePlot)})


@pytest.mark.parametrize("how", ["presentation-mode", "built-at-200"])
def test_curve_axis_titles_are_twice_as_large_at_200_percent(qtbot, how):
    with sizes_at_100_and_200(qtbot, how, curve_title_sizes) as (at_100, at_200):
        assert {"denoisingPsnrPlot left", "lossPlotDenoising left"} <= at_100.keys()
        assert {title for title, _size, _ticks in at_100.values()} >= {"dB", "loss", "epoch"}
        for name, (title, size, _ticks) in at_100.items():
            assert size == pytest.approx(Theme().font().pointSizeF(), abs=0.1), (name, title)  # the theme's text size
        assert_titles_grew_with_their_ticks(at_100, at_200)
