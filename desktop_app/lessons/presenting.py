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
- the slow-motion row and the tab bar step aside (no step names the first; the step
  chooses the tab);
- views the step does not name are hidden by the step itself (screen_setup), and the fit
  never hides one it names; on a case study's page, the title and the plots the step
  does not name step aside;
- where the step's views are still wider than the screen, they make room in turn: the
  reconstruction goes above the loss curve instead of beside it, and the lesson column
  narrows to its minimum (its type a size smaller, so long words still fit).

Leaving presentation mode (or closing the lesson path) brings all of it back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.fit import settle
from desktop_app.lessons.screen_setup import view_widget

#: Parts of a case study's page that step aside while a presented step does not name them.
STUDY_ASIDES = {"denoising": ("denoisingPsnrPlot", "lossPlotDenoising")}
COLUMN_SHARE = 0.22  # of the screen's width for the lesson path's column (the control bar's row takes the rest)


class LessonPresenting(QObject):
    """Turns one window's presentation layout for lesson steps on and off."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.on = False
        self._column = 0
        self._aside: list[QWidget] = []  # case-study parts the current step set aside
        window.installEventFilter(self)

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
        self.window.tabs.tabBar().hide()  # the step chooses the tab
        self.window.tabs.setDocumentMode(True)  # and no frame around the page, whose tab is not shown
        self._hide_slow_motion()
        self._column = int(screen_width * COLUMN_SHARE)
        self._size_column()

    def _size_column(self) -> None:
        self.window.resizeDocks([self.window.lesson_dock], [self._column], Qt.Orientation.Horizontal)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self.on and event.type() == QEvent.Type.Resize:  # full screen arrives after enter()
            self._size_column()
        return False

    def step_entered(self, screen_width: int) -> None:
        """A step has set the window up: the slow-motion row stays aside, and views too wide
        for the screen together make room (see the module's notes)."""
        if not self.on:
            return
        self._hide_slow_motion()
        self.window.workbench.page.splitters["bottom"].setOrientation(Qt.Orientation.Horizontal)
        self._column = int(screen_width * COLUMN_SHARE)
        self._size_column()
        self._show_aside()
        if self.window.tabs.currentWidget() is not self.window.workbench:  # a case study's page needs the room
            self._narrowest_column()
            self._show_study_titles(False)
            self._set_aside()
            return
        for make_room in (self._stack_bottom, self._narrowest_column):
            if self._needed_width() <= screen_width:
                break
            make_room()
        settle(self.window)
        self._size_column()  # Qt squeezed it while the views were wider; now they have made room

    def _needed_width(self) -> int:
        """The window's minimum width with the lesson column as wide as it is meant to be (Qt
        would rather squeeze the column to its minimum, cutting off its longer words)."""
        settle(self.window)
        dock = self.window.lesson_dock
        return self.window.minimumSizeHint().width() - dock.minimumSizeHint().width() + self._column

    def _stack_bottom(self) -> None:
        """The reconstruction above the loss curve, unless that makes the page too tall."""
        bottom = self.window.workbench.page.splitters["bottom"]
        bottom.setOrientation(Qt.Orientation.Vertical)
        settle(self.window)
        if self.window.minimumSizeHint().height() > self.window.screen().geometry().height():
            bottom.setOrientation(Qt.Orientation.Horizontal)

    def _set_aside(self) -> None:
        step = self.window.lessons.step
        names = [n for n in STUDY_ASIDES.get(step.screen.tab, ()) if n not in step.highlight]
        self._aside = [w for n in names for w in self.window.findChildren(QWidget, n) if not w.isHidden()]
        for widget in self._aside:
            widget.hide()

    def _show_aside(self) -> None:
        for widget in self._aside:
            widget.show()
        self._aside = []

    def _show_study_titles(self, shown: bool) -> None:
        """A case study's page title: the step's own title says it while a step is presented."""
        for title in self.window.findChildren(QLabel, "caseStudyTitle"):
            title.setVisible(shown)

    def _narrowest_column(self) -> None:
        self._column = self.window.lesson_dock.minimumSizeHint().width()
        self._size_column()

    def leave(self) -> None:
        if not self.on:
            return
        self.on = False
        self.window.lessons.set_compact(False)
        self.window.workbench.controls.set_compact(False)
        self.window.tabs.tabBar().show()
        self.window.tabs.setDocumentMode(False)
        self._show_study_titles(True)
        self._show_aside()
        page = self.window.workbench.page
        page.splitters["bottom"].setOrientation(Qt.Orientation.Horizontal)
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
