"""The first window fits the screen's available area, frame included: on a 1280x720 screen
at 100 % with the lesson path open every view stays (its rows wrap first: before they
did, the window was 1359 px wide); only on a screen really smaller than the views' minimum
do the least needed ones step aside, and the status bar says which."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from desktop_app.main_window import MainWindow
from tests.desktop_app.screens import PROJECTOR_720, SMALL, put_on

EVERY_VIEW = ("networkDiagram", "datasetView", "reconstructionView", "lossPlot", "latentCanvas")


def _first_window(qtbot, screen_name: str) -> tuple[MainWindow, object]:
    window = MainWindow()
    qtbot.addWidget(window)
    screen = put_on(window, screen_name)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(300)  # the fit after the first show runs from the event loop
    return window, screen


def _within(window, screen) -> bool:
    return screen.availableGeometry().contains(window.frameGeometry())


def test_on_a_1280x720_screen_with_the_lesson_path_every_view_stays(qtbot):
    window, screen = _first_window(qtbot, PROJECTOR_720)
    try:
        assert window.lesson_dock.isVisible()
        assert _within(window, screen), (window.frameGeometry(), screen.availableGeometry())
        shown = [name for name in EVERY_VIEW if window.findChild(QWidget, name).isVisible()]
        assert shown == list(EVERY_VIEW)
        assert window.size().width() >= window.minimumSizeHint().width()  # nothing squeezed below its minimum
    finally:
        window.controller.shutdown()


def test_on_a_screen_smaller_than_the_views_need_the_least_needed_step_aside(qtbot):
    window, screen = _first_window(qtbot, SMALL)  # 800x600: less than the workbench's minimum
    try:
        assert _within(window, screen), (window.frameGeometry(), screen.availableGeometry())
        assert window.workbench.page.diagram.isVisible() and window.workbench.page.dataset.isVisible()
        assert not window.workbench.docks["latent"].isVisible()
        assert "hidden:" in window.statusBar().currentMessage()
    finally:
        window.controller.shutdown()


@pytest.mark.parametrize("screen_name", [PROJECTOR_720, SMALL])
def test_no_first_window_is_larger_than_its_screen(qtbot, screen_name):
    window, screen = _first_window(qtbot, screen_name)
    try:
        available = screen.availableGeometry().size()
        assert window.frameGeometry().width() <= available.width()
        assert window.frameGeometry().height() <= available.height()
    finally:
        window.controller.shutdown()
