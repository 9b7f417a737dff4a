"""A lesson step in presentation mode: every view the step names, its text and Back/Next on
one screen.

At 150 % a 1280x720 projector holds what 853x480 holds at 100 %, and 1920x1080 at 200 %
what 960x540 does: less than the workbench's views, the lesson path and the controls need
side by side. Fitting by hiding the least needed views (fit.py) hid the very views a step
talks about, and the lesson path with them. While a step is presented, instead:

- the lesson path is a column of ``COLUMN_SHARE`` of the screen's width with the step's
  title, text, prediction, action and Back/Next; the step list and the lecturer's box step
  aside (PageDown/PageUp, what a clicker sends, still move the path);
- the control bar keeps its first row (play, step, run, reset, the epoch): the step has
  chosen the model, data and seed;
- the slow-motion row steps aside (no step names it);
- views the step does not name are hidden by the step itself (screen_setup), and the fit
  never hides one it names.

Leaving presentation mode (or closing the lesson path) brings all of it back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop_app.lessons.screen_setup import view_widget

COLUMN_SHARE = 0.25  # of the screen's width for the lesson path's column


class LessonPresenting:
    """Turns one window's presentation layout for lesson steps on and off."""

    def __init__(self, window) -> None:
        self.window = window
        self.on = False

    @property
    def available(self) -> bool:
        """Whether there is a lesson path on screen to present."""
        dock = getattr(self.window, "lesson_dock", None)
        return dock is not None and not dock.isHidden()

    def enter(self, screen_width: int) -> None:
        """The compact layout, the lesson column ``COLUMN_SHARE`` of ``screen_width`` wide."""
        if not self.available:
            return
        self.on = True
        self.window.lessons.set_compact(True)
        self.window.workbench.controls.set_compact(True)
        self._hide_slow_motion()
        dock = self.window.lesson_dock
        self.window.resizeDocks([dock], [int(screen_width * COLUMN_SHARE)], Qt.Orientation.Horizontal)

    def step_entered(self) -> None:
        """A step shows the slow-motion row with its diagram: while presenting it stays aside."""
        if self.on:
            self._hide_slow_motion()

    def leave(self) -> None:
        if not self.on:
            return
        self.on = False
        self.window.lessons.set_compact(False)
        self.window.workbench.controls.set_compact(False)
        page = self.window.workbench.page
        for slow in self._slow_motion():  # as a step leaves it: with the diagram
            slow.setVisible(page.diagram.isVisibleTo(page))

    def kept(self) -> list[QWidget]:
        """What a fit must not hide: the lesson path and every view the current step names."""
        if not self.on:
            return []
        navigator = self.window.lessons
        if not navigator.following or not navigator.steps:
            return [self.window.lesson_dock]
        screen = navigator.step.screen
        names = screen.visible if screen.tab == "workbench" else ()
        return [self.window.lesson_dock] + [view_widget(self.window, name) for name in names]

    def _slow_motion(self) -> list[QWidget]:
        return self.window.workbench.page.findChildren(QWidget, "slowMotionBar")

    def _hide_slow_motion(self) -> None:
        for slow in self._slow_motion():
            slow.hide()
