"""The case studies' curve plots (the PSNR and loss curves of case study 1, the curves of
case study 2) scale their axis titles with the window, like their tick values.

Their titles ("dB", "loss", "epoch") were set with a colour only, no size: a restyle
scales only a size it is given, so presentation mode at 200 % left them at pyqtgraph's
default beside tick values twice as large."""

from __future__ import annotations

import pytest

from desktop_app.case_studies.curves import CurvePlot
from desktop_app.main_window import MainWindow
from desktop_app.preferences import Preferences
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application
from tests.desktop_app.screens import PROJECTOR_1080, put_on
from tests.desktop_app.test_latent_plane_labels import title_points


def curve_title_sizes(window: MainWindow) -> dict[str, tuple[str, float, float]]:
    """Per curve plot and side: the title, its painted size, and the tick values' size."""
    sizes = {}
    for curves in window.findChildren(CurvePlot):
        for side in ("bottom", "left"):
            axis = curves.plot.getAxis(side)
            sizes[f"{curves.objectName()} {side}"] = (axis.label.toPlainText().strip(), title_points(axis),
                                                      axis.style["tickFont"].pointSizeF())
    return sizes


def _window(qtbot, theme: Theme) -> MainWindow:
    window = MainWindow(theme)
    qtbot.addWidget(window)
    window.lessons.prepare_ahead = lambda: None
    put_on(window, PROJECTOR_1080)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("how", ["presentation-mode", "built-at-200"])
def test_curve_axis_titles_are_twice_as_large_at_200_percent(qtbot, how):
    Preferences(presentation_scale=2.0).save()
    window = _window(qtbot, Theme())
    at_100 = curve_title_sizes(window)
    assert {"denoisingPsnrPlot left", "lossPlotDenoising left"} <= at_100.keys()
    assert {title for title, _size, _ticks in at_100.values()} >= {"dB", "loss", "epoch"}
    large = None
    try:
        if how == "presentation-mode":
            window.presentation.enter()
            qtbot.waitUntil(lambda: window.theme.scale == 2.0, timeout=3_000)
            at_200 = curve_title_sizes(window)
        else:
            large = _window(qtbot, Theme(scale=2.0))
            at_200 = curve_title_sizes(large)
        assert at_200.keys() == at_100.keys()
        for name, (title, size, ticks) in at_100.items():
            _title, big, big_ticks = at_200[name]
            assert size == pytest.approx(Theme().font().pointSizeF(), abs=0.1), (name, title)  # the theme's text size
            assert big >= 2 * size - 0.1, (name, title, size, big)
            assert big / size == pytest.approx(big_ticks / ticks, rel=0.05), (name, title)  # as the tick values grew
    finally:
        if window.presentation.active:
            window.presentation.leave()
        for shown in (window, large):
            if shown is not None:
                shown.close()
        apply_to_application(Theme())
