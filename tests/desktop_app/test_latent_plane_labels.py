"""The planes' axis titles (z₁, z₂ on every latent canvas; a, b on the data plane) scale
with the window like the rest of its text.

Presentation mode at 200 % on a 1920x1080 projector left them at 10 pt beside 17 pt tick
values: they were set as the label item's own font, which a restyle does not touch. The
size read here is what pyqtgraph paints: the title's HTML size if it has one, else the
label item's font."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QTextCursor

from desktop_app.main_window import MainWindow
from desktop_app.preferences import Preferences
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application
from desktop_app.views.data_plane import DataPlane
from desktop_app.views.latent_canvas import LatentCanvas
from tests.desktop_app.screens import PROJECTOR_1080, put_on


def title_points(axis: pg.AxisItem) -> float:
    """The point size of the axis title's first character as painted."""
    document = axis.label.document()
    cursor = QTextCursor(document)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    size = cursor.charFormat().fontPointSize()
    return size if size > 0 else document.defaultFont().pointSizeF()


def plane_sizes(window: MainWindow) -> dict[str, tuple[str, float, float]]:
    """Per plane and side: the title, its painted size, and the tick values' size."""
    planes = window.findChildren(LatentCanvas) + window.findChildren(DataPlane)
    sizes = {}
    for plane in planes:
        for side in ("bottom", "left"):
            axis = plane.getPlotItem().getAxis(side)
            sizes[f"{plane.objectName()} {side}"] = (axis.label.toPlainText().strip(), title_points(axis),
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
def test_plane_axis_titles_are_twice_as_large_at_200_percent(qtbot, how):
    Preferences(presentation_scale=2.0).save()
    window = _window(qtbot, Theme())
    at_100 = plane_sizes(window)
    assert {title for title, _size, _ticks in at_100.values()} == {"z₁", "z₂", "a", "b"}
    assert len(at_100) >= 6  # the workbench's canvas and data plane, the generation study's canvases
    large = None
    try:
        if how == "presentation-mode":
            window.presentation.enter()
            qtbot.waitUntil(lambda: window.theme.scale == 2.0, timeout=3_000)
            at_200 = plane_sizes(window)
        else:
            large = _window(qtbot, Theme(scale=2.0))
            at_200 = plane_sizes(large)
        assert at_200.keys() == at_100.keys()
        for name, (title, size, ticks) in at_100.items():
            _title, big, big_ticks = at_200[name]
            assert big >= 2 * size - 0.1, (name, title, size, big)
            assert big / size == pytest.approx(big_ticks / ticks, rel=0.05), (name, title)  # as the tick values grew
    finally:
        if window.presentation.active:
            window.presentation.leave()
        for shown in (window, large):
            if shown is not None:
                shown.close()
        apply_to_application(Theme())
