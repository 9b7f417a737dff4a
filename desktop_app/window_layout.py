"""The window's size and layout: the first window fits the screen, the layout (docks,
sizes, geometry) is remembered between runs, View > Reset layout brings the first one
back, and the app opens on the tab used last.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSizePolicy, QTabWidget

from desktop_app.fit import FRAME_ALLOWANCE, fit_views, frame_of, room, settle
from desktop_app.preferences import KEYS, Preferences
from desktop_app.settings import settings

PREFERRED = QSize(1500, 950)  # the first window's size where the screen has room for it
GEOMETRY_KEY, STATE_KEY, WORKBENCH_KEY = "window/geometry", "window/state", "window/workbenchState"


def first_size(available: QSize, frame: QSize = FRAME_ALLOWANCE) -> QSize:
    """The preferred size, shrunk to fit the screen's available area (frame included)."""
    room = available - frame
    return QSize(min(PREFERRED.width(), room.width()), min(PREFERRED.height(), room.height()))


class WindowLayout(QObject):
    """Remembers and restores one main window's layout; saves it when the window closes."""

    def __init__(self, window: QMainWindow, tabs: QTabWidget, nested: list[QMainWindow]) -> None:
        super().__init__(window)
        self.window, self.tabs, self.nested = window, tabs, nested
        self._default_state = window.saveState()
        self._default_nested = [w.saveState() for w in nested]
        self._shown = False
        window.installEventFilter(self)
        tabs.currentChanged.connect(self._remember_tab)

    def fit_to_screen(self) -> None:
        """The first window: as large as preferred (or as its content needs), never larger
        than the screen."""
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        frame = frame_of(self.window)
        size = first_size(available.size(), frame)
        if self.window.isVisible():  # its minimum size is known only once it is laid out
            size = size.expandedTo(self.window.minimumSizeHint()).boundedTo(available.size() - frame)
        self.window.resize(size)
        self.window.move(available.topLeft())

    def restore(self) -> None:
        """Last run's layout and tab, or the first window's fit if there is none."""
        store = settings()
        geometry = store.value(GEOMETRY_KEY)
        if not (isinstance(geometry, QByteArray) and self.window.restoreGeometry(geometry)):
            self.fit_to_screen()
        screen = (self.window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        if not screen.contains(self.window.frameGeometry()):  # saved on a larger screen
            self.fit_to_screen()
        state = store.value(STATE_KEY)
        if isinstance(state, QByteArray):
            self.window.restoreState(state)
        for window, saved in zip(self.nested, store.value(WORKBENCH_KEY) or [], strict=False):
            if isinstance(saved, QByteArray):
                window.restoreState(saved)
        preferences = Preferences.load(store)
        if preferences.reopen_last_tab and preferences.last_tab < self.tabs.count():
            self.tabs.setCurrentIndex(preferences.last_tab)

    def save(self) -> None:
        store = settings()
        store.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        store.setValue(STATE_KEY, self.window.saveState())
        store.setValue(WORKBENCH_KEY, [w.saveState() for w in self.nested])
        store.sync()

    def reset(self) -> None:
        """View > Reset layout: the docks and sizes of a first start, fitted to this screen."""
        presentation = getattr(self.window, "presentation", None)
        if presentation is not None and presentation.active:
            presentation.leave()
        self.window.showNormal()
        self.window.restoreState(self._default_state)
        for window, state in zip(self.nested, self._default_nested, strict=True):
            window.restoreState(state)  # dock places, sizes and visibility
        store = settings()
        for key in (GEOMETRY_KEY, STATE_KEY, WORKBENCH_KEY):
            store.remove(key)
        self.fit_to_screen()

    def _remember_tab(self, index: int) -> None:
        store = settings()
        store.setValue(KEYS["last_tab"], index)

    def _keep_on_screen(self) -> None:
        """A window whose content grew past the screen at show time is fitted again, once its
        rows have wrapped to the width they have (before that, the window's minimum is that
        of one long row: 1359 px with the lesson path at 100 %, not the 1257 it needs). Only
        if the screen is really smaller than the views need do the least needed ones step
        aside (fit.py, as in presentation mode; the status bar names them)."""
        if self.window.isFullScreen() or self.window.isMaximized() or self._on_screen():
            return
        settle(self.window)
        self.fit_to_screen()
        if not self._on_screen():
            settle(self.window)
            fit_views(self.window, room(self.window))
            self.fit_to_screen()

    def _on_screen(self) -> bool:
        screen = (self.window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        return screen.contains(self.window.frameGeometry())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.window and event.type() == QEvent.Type.Show and not self._shown:
            self._shown = True
            QTimer.singleShot(0, self._keep_on_screen)  # laid out only once shown
        if watched is self.window and event.type() == QEvent.Type.Close:
            presentation = getattr(self.window, "presentation", None)
            if presentation is not None and presentation.active:
                presentation.leave()  # remember the window's own layout, not the full-screen one
            self.save()
        return False


def install_window_layout(window: QMainWindow, view_menu: QMenu) -> WindowLayout:
    """Fit or restore the window now; View > Reset layout; save on close."""
    for label in window.statusBar().findChildren(QLabel):  # a long status line wraps, never widens the window
        label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
    layout = WindowLayout(window, window.tabs, [window.workbench])
    action = view_menu.addAction("&Reset layout")
    action.setObjectName("resetLayoutAction")
    action.triggered.connect(layout.reset)
    layout.restore()
    window.window_layout = layout
    return layout
