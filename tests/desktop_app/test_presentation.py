"""Presentation mode on the real window: F5 enters full screen at the chosen scale (fonts,
diagram, plot ticks measured on the widgets), Esc leaves, B and "." blank the screen and
any key brings it back, and the chosen scale survives a new window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from desktop_app.controller import TrainingController
from desktop_app.main_window import MainWindow
from desktop_app.preferences import Preferences
from desktop_app.theme import Theme
from desktop_app.views.diagram_items import LATENT_RADIUS, MIN_W, NATURAL_ZOOM
from desktop_app.views.network_diagram import NetworkDiagram
from engine.core.config import TrainingConfig


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3_000)
    yield w
    w.controller.shutdown()


def _full_screen_asked(window) -> bool:
    """Full screen as the window asked for it. (The tests' offscreen screen is 800x800, smaller
    than the window's minimum at 200 %, so the platform may not keep it; under a real window
    manager at 1280x720 and 1920x1080 it does: see the README's screenshot.)"""
    return bool(window.windowState() & Qt.WindowState.WindowFullScreen) or window.isFullScreen()


def _pixels(widget) -> int:
    return QFontInfo(widget.font()).pixelSize()


def test_f5_enters_at_the_chosen_scale_and_esc_leaves(window, qtbot):
    Preferences(presentation_scale=2.0).save()
    epoch = window.workbench.controls.epoch_label
    status = window._status  # a label with the application font, no font of its own
    tick = window.workbench.page.loss_plot.plot.getAxis("left").style["tickFont"]
    before = (_pixels(epoch), _pixels(status), tick.pointSizeF(), QApplication.font().pointSizeF())

    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert _full_screen_asked(window)
    assert window.presentation.active and window.theme.scale == 2.0
    after_tick = window.workbench.page.loss_plot.plot.getAxis("left").style["tickFont"].pointSizeF()
    assert _pixels(epoch) == pytest.approx(2 * before[0], abs=1)
    assert _pixels(status) == pytest.approx(2 * before[1], abs=1)
    assert after_tick == pytest.approx(2 * before[2])
    assert QApplication.font().pointSizeF() == pytest.approx(2 * before[3])

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not _full_screen_asked(window)
    assert not window.presentation.active and window.theme.scale == 1.0
    assert _pixels(epoch) == pytest.approx(before[0], abs=1)
    assert window.workbench.page.loss_plot.plot.getAxis("left").style["tickFont"].pointSizeF() == \
        pytest.approx(before[2])


def test_esc_and_b_do_nothing_outside_presentation_mode(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_B)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presentation.blank.isVisible() and not window.presentation.active


@pytest.mark.parametrize("key", [Qt.Key.Key_B, Qt.Key.Key_Period])
def test_b_and_dot_blank_the_screen_and_any_key_brings_it_back(window, qtbot, key):
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.presentation.active
    blank = window.presentation.blank
    qtbot.keyClick(window, key)
    assert blank.isVisible()
    qtbot.waitUntil(lambda: blank.geometry() == window.rect(), timeout=3_000)  # covers all of it
    image = blank.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).name() == "#000000"
    # any key, even one that is a shortcut elsewhere (Space plays the workbench), only uncovers
    qtbot.keyClick(blank, Qt.Key.Key_Space)
    assert not blank.isVisible() and not window.controller.running
    qtbot.keyClick(window, key)
    qtbot.keyClick(blank, Qt.Key.Key_PageDown)
    assert not blank.isVisible() and window.presentation.active


def test_the_presentation_scale_persists_across_a_new_window(window, qtbot):
    window.presentation.set_scale(1.75)
    assert window.presentation.scale_actions[1.75].isChecked()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.presentation.chosen_scale() == 1.75 and second.presentation.scale_actions[1.75].isChecked()
    second.presentation.enter()
    assert second.theme.scale == 1.75
    second.presentation.leave()
    second.controller.shutdown()


def test_changing_the_scale_while_presenting_applies_at_once(window, qtbot):
    window.presentation.enter()
    epoch = window.workbench.controls.epoch_label
    at_150 = _pixels(epoch)
    window.presentation.set_scale(2.5)
    assert window.theme.scale == 2.5
    assert _pixels(epoch) == pytest.approx(at_150 * 2.5 / 1.5, abs=1)
    window.presentation.leave()


def test_the_diagram_nodes_scale_with_the_theme_where_the_view_has_room(qtbot):
    controller = TrainingController(TrainingConfig(seed=0))
    diagram = NetworkDiagram(controller, Theme())
    qtbot.addWidget(diagram)
    diagram.resize(3000, 2000)  # room for the natural size at 250 %
    diagram.show()
    qtbot.waitExposed(diagram)
    radius_at_100 = LATENT_RADIUS * diagram.zoom()
    assert radius_at_100 == pytest.approx(LATENT_RADIUS * NATURAL_ZOOM)
    for factor in (1.25, 1.5, 2.0, 2.5):
        diagram.apply_theme(Theme(scale=factor))
        assert LATENT_RADIUS * diagram.zoom() == pytest.approx(factor * radius_at_100)
        assert diagram.minimumWidth() == int(MIN_W * factor)
    diagram.resize(400, 300)  # too small for it: the whole picture still fits
    qtbot.waitUntil(lambda: diagram.zoom() < NATURAL_ZOOM)
    controller.shutdown()
