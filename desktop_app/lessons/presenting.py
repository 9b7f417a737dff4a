"""A lesson step in presentation mode: every view the step names, its text and Back/Next on
one screen.

At 150 % a 1280x720 projector holds what 853x480 holds at 100 %, and 1920x1080 at 200 %
what 960x540 does: less than the workbench's views, the lesson path and the controls need
side by side. Fitting by hiding the least needed views (fit.py) hid the very views a step
talks about, and the lesson path with them. While a step is presented, instead:

- the lesson path is a column of ``COLUMN_SHARE`` of the screen's width with the step's
  title, text, prediction, action and Back/Next; the step list and the lecturer's box step
  aside (PageDown/PageUp, what a clicker sends, still move the path);
- the control bar keeps play, step, run, reset and the epoch, in one row, or in two when
  the step's text needs the width and the views have the height: the step has chosen the
  model, data and seed;
- the slow-motion row and the tab bar step aside (no step names the first; the step
  chooses the tab);
- views the step does not name are hidden by the step itself (screen_setup), and the fit
  never hides one it names; on a case study's page, the title and the plots the step
  does not name step aside;
- a teaching panel the step names shows all of itself, never scrolling: it takes the
  width at which its parts, side by side, fit its dock's height (panel_room.py);
- where the step's views are still wider than the screen, the reconstruction goes above
  the loss curve instead of beside it; where the step's text still needs more width, the
  control bar takes two rows, then the latent view's data plane steps aside;
- a loss curve the step shows takes at least half the height it shares with the diagram,
  and what the reconstruction above it does not need;
- the lesson column takes the width its text needs to be read without scrolling (at least
  ``COLUMN_SHARE`` of the screen, its type a size smaller), as far as the views' minimum
  widths leave room (lesson_column.py).

The workbench's moves are in bench_room.py, a case study's page's in study_room.py.

Leaving presentation mode (or closing the lesson path) brings all of it back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QWidget

from desktop_app.lessons import bench_room, study_room
from desktop_app.lessons.lesson_column import LessonColumn
from desktop_app.lessons.panel_room import PanelRoom
from desktop_app.lessons.screen_setup import view_widget
from desktop_app.state.screen import DOCK_VIEWS


class LessonPresenting(QObject):
    """Turns one window's presentation layout for lesson steps on and off."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.on = False
        self.column = LessonColumn(window)
        self.panels = PanelRoom(window)
        self._aside: list[QWidget] = []  # parts of views the current step set aside (shown again after it)
        self._refit_pending = self._fitting = self._listening = False
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
        if not self._listening:  # the lesson path is built after presentation mode
            self._listening = True
            self.window.lessons.wordsChanged.connect(self._refit_soon)
        self.window.lessons.set_compact(True)
        self.window.workbench.controls.set_compact(True)
        self.window.tabs.tabBar().hide()  # the step chooses the tab
        self.window.tabs.setDocumentMode(True)  # and no frame around the page, whose tab is not shown
        self._hide_slow_motion()
        self.column.start(screen_width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self.on and event.type() == QEvent.Type.Resize:  # full screen arrives after enter()
            self.column.apply()
            self._refit_soon()
        return False

    def _refit_soon(self) -> None:
        """Size the column for the step's words again once the event loop is free: the window
        reached full screen, or the words grew (a guess chosen, its outcome said)."""
        if self.on and not self._refit_pending:
            self._refit_pending = True
            QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        self._refit_pending = False
        navigator = self.window.lessons
        if self.on and not self._fitting and navigator.following and self.window.isFullScreen():
            self._fitting = True
            try:
                if not self.column.text_fits():  # the make-room moves again
                    self.step_entered(self.window.screen().geometry().width())
            finally:
                self._fitting = False

    def step_entered(self, screen_width: int) -> None:
        """A step has set the window up: the slow-motion row stays aside, its panels show
        all of themselves, views too wide for the screen together make room, and the
        column takes what its text needs (see the module's notes)."""
        if not self.on:
            return
        window = self.window
        self._reset_moves()
        on_bench = window.tabs.currentWidget() is window.workbench
        study_room.bench_counts(window, on_bench)
        if on_bench:
            self._aside += bench_room.panel_parts_aside(window, self._named_panel_docks())
            if self.column.views_width() + self.column.least(screen_width) > screen_width:
                bench_room.stack_bottom(window)
        else:
            study_room.show_study_titles(window, False)
            self._aside += study_room.study_parts_aside(window)
        self.column.start(screen_width)
        self._room_for_panels(screen_width)
        self.column.fit(screen_width)
        moves = (bench_room.bar_in_two_rows, bench_room.data_plane_aside) if on_bench else (bench_room.bar_in_two_rows,)
        for make_room in moves:
            if self.column.text_fits(self.column.width):
                break
            self._aside += make_room(window)
            self._room_for_panels(screen_width)  # the panels' height may have changed
            self.column.fit(screen_width)
        if on_bench:
            bench_room.give_loss_room(window)
            return
        if study_room.study_page_scrolls(window):  # the study's page needs the width the bar gave
            window.workbench.controls.set_compact(True, rows=1)
            self.column.fit(screen_width)
        self.column.give_back(lambda: study_room.study_squeezed(window), screen_width)

    def _reset_moves(self) -> None:
        """Undo the last step's moves: the next step makes its own."""
        self._hide_slow_motion()
        self.window.workbench.page.splitters["bottom"].setOrientation(Qt.Orientation.Horizontal)
        self.window.workbench.controls.set_compact(True, rows=1)
        self._show_aside()
        self.panels.release()

    def _room_for_panels(self, screen_width: int) -> None:
        """The step's panels take the width they need to show all of themselves, out of
        what the narrowest column and the other views' minimum widths leave."""
        docks = self._named_panel_docks()
        if docks:
            window = self.window
            separator = window.width() - window.lesson_dock.width() - window.tabs.width()
            self.panels.hold(docks, screen_width - self.column.least(screen_width) - max(0, separator))

    def _named_panel_docks(self) -> list[QDockWidget]:
        """The docks of the teaching panels the presented step shows."""
        navigator = self.window.lessons
        if not navigator.following or self.window.tabs.currentWidget() is not self.window.workbench:
            return []
        return [self.window.workbench.docks[name] for name in navigator.step.screen.visible
                if name in DOCK_VIEWS and name != "latent"]

    def _show_aside(self) -> None:
        for widget in self._aside:
            widget.show()
        self._aside = []

    def leave(self) -> None:
        if not self.on:
            return
        self.on = False
        self.window.lessons.set_compact(False)
        self.window.workbench.controls.set_compact(False)
        self.window.tabs.tabBar().show()
        self.window.tabs.setDocumentMode(False)
        study_room.show_study_titles(self.window, True)
        self._show_aside()
        self.panels.release()
        study_room.bench_counts(self.window, True)
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
