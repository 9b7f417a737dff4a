"""A window restored with its panels closed shows no tab bar over the Play button, and
the panels' tab bar comes back when two of them are shown again."""

from __future__ import annotations

import time

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.dock_tab_bars import dock_tab_bars
from desktop_app.main_window import MainWindow


def _spin(seconds: float) -> None:
    """Run the event loop as the app does (every posted layout and deferred move lands)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def _visible_bars(window: MainWindow) -> list[QRect]:
    """Dock tab bars a learner can see (Qt parks unused ones at negative coordinates)."""
    return [QRect(bar.mapTo(window, bar.rect().topLeft()), bar.size())
            for bar in dock_tab_bars(window.workbench) if bar.isVisible() and bar.geometry().right() >= 0]


def _play_button(window: MainWindow) -> QRect:
    play = window.findChild(QWidget, "playPauseButton")
    return QRect(play.mapTo(window, play.rect().topLeft()), play.size())


def test_a_window_restored_with_every_dock_closed_shows_no_tab_bar(qtbot):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    _spin(1.5)  # laid out with its panels stacked as tabs, as a learner sees it first
    assert len(_visible_bars(first)) == 1
    for key in first.workbench.docks:
        first.workbench.show_panel(key, False)
    _spin(0.5)
    first.close()  # the layout is saved: every dock closed
    _spin(0.3)

    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    _spin(1.5)
    assert all(dock.isHidden() for dock in again.workbench.docks.values())
    assert _visible_bars(again) == []  # Qt left the stacked panels' bar on the Play button
    play = again.findChild(QWidget, "playPauseButton")
    assert again.childAt(_play_button(again).center()) in (play, *play.findChildren(QWidget))

    again.workbench.show_panel("msePanel")
    again.workbench.show_panel("klPanel")
    qtbot.waitUntil(lambda: len(_visible_bars(again)) == 1)
    assert not _visible_bars(again)[0].intersects(_play_button(again))
    for window in (first, again):
        window.controller.shutdown()


def test_a_window_deleted_just_after_a_dock_hides_raises_nothing(qtbot):
    """The tidy-up waits for the next turn: it must go with the window, not run on it."""
    window = MainWindow()
    window.show()
    qtbot.wait(200)
    window.workbench.show_panel("msePanel", False)
    window.controller.shutdown()
    window.deleteLater()
    qtbot.wait(300)  # pytest-qt fails the test on an exception raised in the event loop
