"""Put the lesson path on the main window: a dock with the navigator, a View menu entry,
and PageDown/PageUp (what presentation clickers send) as application-wide shortcuts,
so they move the path on every tab and in presentation mode. Space and the Right arrow
keep their workbench meaning."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMenu
from shiboken6 import isValid

from desktop_app.lessons.lesson_file import LESSON_DIR, load_lessons
from desktop_app.lessons.navigator import LessonNavigator
from desktop_app.lessons.progress import Progress
from desktop_app.lessons.saved_state import apply_lesson_state, check_lesson_state, lesson_state
from desktop_app.lessons.screen_setup import show_every_view
from desktop_app.settings import settings

PREPARE_AFTER_MS = 1500  # trained step sessions are made after the first paint, not before


def install_lesson_path(window, folder=LESSON_DIR) -> LessonNavigator:
    """Build the navigator into ``window`` (a MainWindow); returns it (also ``window.lessons``)."""
    progress = Progress()
    navigator = LessonNavigator(window, load_lessons(folder), window.theme, progress)
    dock = QDockWidget("Lesson path", window)
    dock.setObjectName("lessonDock")
    dock.setWidget(navigator)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    dock.setVisible(progress.navigator_shown)
    dock.visibilityChanged.connect(lambda _shown: _remember_shown(window, dock, progress))
    toggle = dock.toggleViewAction()
    toggle.setText("&Lesson path")
    toggle.setShortcut(QKeySequence("Ctrl+L"))
    view_menu = _view_menu(window)
    every = QAction("Show &every view", window)
    every.setToolTip("Bring back every view of the workbench a lesson step hid.")
    every.triggered.connect(lambda: show_every_view(window))
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addAction(toggle)
        view_menu.addAction(every)
    window.addAction(toggle)
    shortcuts = []
    for key, slot in ((Qt.Key.Key_PageDown, navigator.next), (Qt.Key.Key_PageUp, navigator.back)):
        shortcut = QShortcut(QKeySequence(key), window, context=Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(slot)
        shortcuts.append(shortcut)
    navigator.shortcuts = shortcuts
    closing = _CloseWatcher(navigator, window)
    window.installEventFilter(closing)
    window.lessons = navigator
    window.lesson_state = lambda: lesson_state(navigator)  # the hooks a saved session file uses
    window.check_lesson_state = check_lesson_state
    window.apply_lesson_state = lambda state: apply_lesson_state(navigator, state)
    window.lesson_dock = dock
    if progress.current is not None and progress.navigator_shown:  # a learner coming back to the path
        QTimer.singleShot(PREPARE_AFTER_MS, navigator.prepare_ahead)
    return navigator


class _CloseWatcher(QObject):
    """Stops the sessions made ahead when the window closes (MainWindow's own closeEvent
    stops its training controllers; this is the lesson path's part)."""

    def __init__(self, navigator: LessonNavigator, parent: QObject) -> None:
        super().__init__(parent)
        self.navigator = navigator

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Close:
            self.navigator.sessions.shutdown()
        return False


def _remember_shown(window, dock: QDockWidget, progress: Progress) -> None:
    if not (isValid(window) and isValid(dock)):  # the window is being destroyed
        return
    if window.isVisible() and not window.isMinimized():  # not while the window itself hides or closes
        progress.set_navigator_shown(dock.isVisible())


def _view_menu(window) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == "View":
            return action.menu()
    return None


def welcome_newcomer(window) -> bool:
    """A newcomer (never on the lesson path, and no window of the app ever closed here)
    starts on the path's first step: the path open beside a window set up for it,
    instead of the whole workbench at once. Someone who used the app before, or whose
    window holds trained work (a restored autosave), is left as they are. True if the
    path was started."""
    from desktop_app.window_layout import GEOMETRY_KEY

    navigator = getattr(window, "lessons", None)
    if navigator is None or not navigator.steps or navigator.progress.current is not None:
        return False
    if settings().contains(GEOMETRY_KEY) or window.controller.session.epoch > 0:
        return False
    window.lesson_dock.setVisible(True)
    navigator.go_to(0)
    return True
