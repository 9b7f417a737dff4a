"""Presentation mode for the lecture hall: F5 full screen at the chosen scale, Esc back,
B or "." blanks the screen (what presentation clickers send) and any key brings it back.

Also the View menu's theme and presentation-scale choices. The theme of the live window
changes through its ThemeManager (desktop_app.theming), so nothing is rebuilt and no
training state is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QPainter
from PySide6.QtWidgets import QLayout, QMainWindow, QMenu, QWidget

from desktop_app.fit import fit_views, show_again
from desktop_app.lessons.presenting import LessonPresenting
from desktop_app.preferences import SYSTEM, Preferences
from desktop_app.theme import SCALES, THEME_NAMES, THEME_TITLES, Theme
from desktop_app.theming import ThemeManager, apply_to_application
from desktop_app.widgets.window_cover import WindowCover

BLANK_KEYS = ("B", ".")


class BlankScreen(WindowCover):
    """A black cover over the whole window; any key or click takes it away."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window, "blankScreen")

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        QPainter(self).fillRect(self.rect(), Qt.GlobalColor.black)


class PresentationMode(QObject):
    """Enters and leaves presentation mode for one window and keeps its chosen scale."""

    def __init__(self, window: QMainWindow, themes: ThemeManager, view_menu: QMenu) -> None:
        super().__init__(window)
        self.window, self.themes = window, themes
        self.active = False
        self._window_scale = themes.theme.scale  # the scale outside presentation mode
        self._was_maximized = False
        self.hidden_to_fit: list[QWidget] = []  # views hidden so the window fits the screen
        self._bars: list[QWidget] = []  # the menu and status bars, hidden while presenting
        self.blank = BlankScreen(window)
        self.lesson = LessonPresenting(window)  # a presented lesson step keeps its views and text
        self.toggle_action = self._action("&Presentation mode", "F5", self.toggle, view_menu)
        self.toggle_action.setObjectName("presentationModeAction")
        self.toggle_action.setCheckable(True)
        self.leave_action = self._action("Leave presentation mode", "Esc", self.leave, None)
        self.blank_action = self._action("Blank the screen while presenting (any key brings it back)", "B",
                                         self.blank.cover, None)
        self.blank_action.setShortcuts([QKeySequence(k) for k in BLANK_KEYS])
        for action in (self.leave_action, self.blank_action):
            action.setEnabled(False)  # only while presenting: Esc and B keep their meaning elsewhere
        self.scale_menu = view_menu.addMenu("Presentation &scale")
        self.scale_actions = self._choices(self.scale_menu, [(s, f"{round(s * 100)} %") for s in SCALES],
                                           Preferences.load().presentation_scale, self.set_scale)
        self.theme_menu = view_menu.addMenu("&Theme")
        self.theme_actions = self._choices(self.theme_menu, [(SYSTEM, "Follow the system")]
                                           + [(n, THEME_TITLES[n]) for n in THEME_NAMES],
                                           Preferences.load().theme, self.choose_theme)

    def _action(self, text: str, key: str, slot, menu: QMenu | None) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        self.window.addAction(action)
        if menu is not None:
            menu.addAction(action)
        return action

    def _choices(self, menu: QMenu, items: list[tuple[object, str]], current: object, slot) -> dict:
        group = QActionGroup(menu)
        actions = {}
        for value, text in items:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(value == current)
            action.triggered.connect(lambda _checked=False, v=value: slot(v))
            group.addAction(action)
            actions[value] = action
        return actions

    # ----- presentation ----------------------------------------------------------------
    @staticmethod
    def chosen_scale() -> float:
        return Preferences.load().presentation_scale

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        """Full screen, everything at the chosen scale."""
        if self.active:
            return
        self.active = True
        self._window_scale = self.themes.theme.scale
        self._was_maximized = self.window.isMaximized()
        # the screen's size, whatever a step's views ask for a moment while it is set up (a
        # dock shown before the others hid grew the window past the screen, out of full screen)
        self.window.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.window.setMinimumSize(0, 0)
        self._set_scale_now(self.chosen_scale())
        # content only, as a slide show: every action keeps its key (F1 lists them, Esc leaves)
        self._bars = [bar for bar in (self.window.menuBar(), self.window.statusBar()) if not bar.isHidden()]
        for bar in self._bars:
            bar.hide()
        self.lesson.enter(self._screen_size().width())
        self._refit()  # first: a window larger than the screen cannot go full screen
        self._follow_lesson_steps()
        self.window.showFullScreen()
        self._sync_actions()

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        self.blank.uncover()
        self.lesson.leave()
        self.window.layout().setSizeConstraint(QLayout.SizeConstraint.SetDefaultConstraint)
        show_again(self.hidden_to_fit + self._bars)
        self.hidden_to_fit, self._bars = [], []
        self._set_scale_now(self._window_scale)
        self.window.showMaximized() if self._was_maximized else self.window.showNormal()
        self._sync_actions()

    def _sync_actions(self) -> None:
        self.toggle_action.setChecked(self.active)
        self.leave_action.setEnabled(self.active)
        self.blank_action.setEnabled(self.active)

    # ----- choices ---------------------------------------------------------------------
    def set_scale(self, scale: float) -> None:
        """The presentation scale: remembered; applied at once while presenting."""
        preferences = Preferences.load()
        preferences.presentation_scale = scale
        preferences.save()
        if scale in self.scale_actions:
            self.scale_actions[scale].setChecked(True)
        if self.active:
            self._set_scale_now(scale)
            self._refit()

    def choose_theme(self, name: str) -> None:
        """Light, high-contrast light, dark or the system's: remembered and applied at once."""
        preferences = Preferences.load()
        preferences.theme = name
        preferences.save()
        if name in self.theme_actions:
            self.theme_actions[name].setChecked(True)
        self.set_theme(Theme.named(preferences.resolved_theme(), self.themes.theme.scale))

    def set_theme(self, theme: Theme) -> None:
        self.themes.set_theme(theme, self.window)
        refresh_views(self.window)

    def _screen_size(self):
        return self.window.screen().geometry().size()

    def _refit(self) -> None:
        """Show what an earlier fit hid, then hide what the full screen cannot hold at this
        scale (never the lesson path nor a presented step's views)."""
        show_again(self.hidden_to_fit)
        self.hidden_to_fit = fit_views(self.window, self._screen_size(), self.lesson.kept())

    def _follow_lesson_steps(self) -> None:
        """A lesson step shows its own views: while presenting, fit them again after each step."""
        lessons = getattr(self.window, "lessons", None)
        if lessons is not None and not getattr(self, "_following_steps", False):
            self._following_steps = True
            lessons.stepEntered.connect(self._fit_step)

    def _fit_step(self, _index: int) -> None:
        """A step has shown its own views: fit the rest around them and the lesson path.
        (What the step hid stays hidden: it is the step's set-up, not the fit's.)"""
        if not self.active:
            return
        if not self.lesson.on:
            self.lesson.enter(self._screen_size().width())
        self.lesson.step_entered(self._screen_size().width())
        kept = self.lesson.kept()
        self.hidden_to_fit = [w for w in self.hidden_to_fit if w not in kept]
        self.hidden_to_fit += fit_views(self.window, self._screen_size(), kept)


    def _set_scale_now(self, scale: float) -> None:
        if scale != self.themes.theme.scale:
            self.set_theme(self.themes.theme.scaled(scale))


def refresh_views(window: QWidget) -> None:
    """Every view draws its current snapshot again (in the new theme)."""
    from desktop_app.controller import TrainingController

    for controller in window.findChildren(TrainingController):
        snapshot = controller.snapshot
        if snapshot is not None:
            controller.snapshotChanged.emit(snapshot)


def install_presentation(window: QMainWindow, view_menu: QMenu) -> PresentationMode:
    """The window's theme manager and presentation mode (F5, Esc, B, View > Theme / scale)."""
    window.themes = ThemeManager(window.theme, window)
    window.themes.changed.connect(lambda theme: setattr(window, "theme", theme))
    apply_to_application(window.theme)
    window.presentation = PresentationMode(window, window.themes, view_menu)
    return window.presentation
