"""No dock tab bar left on screen without the docks it switches between.

Qt's main window draws a tab bar under docks stacked as tabs. Restored from a saved
layout in which those docks were all closed (View menu, or a screen too small for
them), it lays the bar out anyway, with its four tabs, over the top-left of the
workbench: on the Play button. Whenever a dock is shown or hidden (restoring a layout
hides the docks it closes, so this runs then too), a tab bar is hidden if no visible
dock has a visible dock stacked with it; Qt shows the bar again itself when two of
them are back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar


def needs_tab_bar(window: QMainWindow) -> bool:
    """True if some shown dock has another shown dock stacked with it as a tab."""
    shown = [dock for dock in window.findChildren(QDockWidget) if dock.parent() is window and not dock.isHidden()]
    return any(not other.isHidden() for dock in shown for other in window.tabifiedDockWidgets(dock))


def dock_tab_bars(window: QMainWindow) -> list[QTabBar]:
    """The tab bars Qt made for ``window``'s stacked docks (its own children)."""
    return [bar for bar in window.findChildren(QTabBar) if bar.parent() is window]


def tidy_tab_bars(window: QMainWindow) -> None:
    if not needs_tab_bar(window):
        for bar in dock_tab_bars(window):
            bar.hide()


class _DockWatcher(QObject):
    """Tidies the window's tab bars once a dock's showing or hiding has been laid out."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._pending = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide) and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._tidy)  # the watcher as context: dropped with its window
        return False

    def _tidy(self) -> None:
        self._pending = False
        tidy_tab_bars(self._window)


def install_tab_bar_tidy(window: QMainWindow) -> None:
    """Watch every dock ``window`` has now (call once its docks are made)."""
    watcher = _DockWatcher(window)
    for dock in window.findChildren(QDockWidget):
        if dock.parent() is window:
            dock.installEventFilter(watcher)
