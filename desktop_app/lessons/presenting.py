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

Leaving presentation mode (or closing the lesson path) brings all of it back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLabel, QScrollArea, QSizePolicy, QWidget

from desktop_app.lessons.lesson_column import LessonColumn, settle_window
from desktop_app.lessons.panel_room import PanelRoom
from desktop_app.lessons.screen_setup import view_widget
from desktop_app.state.screen import DOCK_VIEWS

#: Parts of a case study's page that step aside while a presented step names neither them nor a view inside them.
STUDY_ASIDES = {"denoising": ("denoisingPsnrPlot", "lossPlotDenoising", "denoisingDrawBox")}


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

    def _settle(self) -> None:
        settle_window(self.window)

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
        self._hide_slow_motion()
        self.window.workbench.page.splitters["bottom"].setOrientation(Qt.Orientation.Horizontal)
        self.window.workbench.controls.set_compact(True, rows=1)
        self._show_aside()
        self.panels.release()
        on_bench = self.window.tabs.currentWidget() is self.window.workbench
        self._bench_counts(on_bench)
        least = self.column.least(screen_width)
        if not on_bench:  # a case study's page
            self._show_study_titles(False)
            self._set_aside()
        else:
            self._set_panel_parts_aside()
        if on_bench and self.column.views_width() + least > screen_width:
            self._stack_bottom()
        self.column.start(screen_width)
        self._room_for_panels(screen_width)
        self.column.fit(screen_width)
        for make_room in (self._bar_in_two_rows, self._data_plane_aside) if on_bench else (self._bar_in_two_rows,):
            if self.column.text_fits(self.column.width):
                break
            make_room()
            self._room_for_panels(screen_width)  # the panels' height may have changed
            self.column.fit(screen_width)
        if not on_bench and self._study_page_scrolls():  # the study's page needs the width the bar gave
            self.window.workbench.controls.set_compact(True, rows=1)
            self.column.fit(screen_width)
        if not on_bench:
            self.column.give_back(self._study_squeezed, screen_width)
        if on_bench:
            self._give_loss_room()

    def _bench_counts(self, counts: bool) -> None:
        """Whether the workbench's minimum size holds the tabs' pages: a case study's page
        is not as wide as the workbench's control bar, which the tabs (one stack of pages)
        would otherwise keep from the lesson column."""
        policy = QSizePolicy.Policy.Preferred if counts else QSizePolicy.Policy.Ignored
        if self.window.workbench.sizePolicy().horizontalPolicy() != policy:
            self.window.workbench.setSizePolicy(policy, policy)
            self.window.tabs.updateGeometry()
            self._settle()

    def _room_for_panels(self, screen_width: int) -> None:
        """The step's panels take the width they need to show all of themselves, out of
        what the narrowest column and the other views' minimum widths leave."""
        docks = self._named_panel_docks()
        if docks:
            window = self.window
            separator = window.width() - window.lesson_dock.width() - window.tabs.width()
            self.panels.hold(docks, screen_width - self.column.least(screen_width) - max(0, separator))

    def _give_loss_room(self) -> None:
        """A presented loss curve takes at least half the height it shares with the diagram,
        and all the reconstruction above it leaves (the reconstruction's grids and strip
        gain nothing from more height): a short curve under a roomy diagram is hard to read."""
        page = self.window.workbench.page
        if page.loss_plot.isHidden():
            return
        centre, bottom = page.splitters["centre"], page.splitters["bottom"]
        if not page.diagram.isHidden():
            total = sum(centre.sizes())
            diagram = max(total // 2, page.diagram.minimumHeight())
            centre.setSizes([diagram, total - diagram])
        if bottom.orientation() == Qt.Orientation.Vertical and not page.reconstruction.isHidden():
            total = sum(bottom.sizes())
            above = page.reconstruction.minimumSizeHint().height()
            bottom.setSizes([above, total - above])
        self._settle()

    def _study_page_scrolls(self) -> bool:
        """Whether the case study's page shows a scroll bar (its content is wider or taller
        than the room the column left it)."""
        scroll = self.window.tabs.currentWidget().findChild(QScrollArea)
        if scroll is None:
            return False
        need, room = scroll.widget().minimumSizeHint(), scroll.viewport().size()
        return need.width() > room.width() or need.height() > room.height()  # what makes Qt show a bar

    def _study_squeezed(self) -> bool:
        """Whether a part of the case study the step highlights is below its minimum height."""
        parts = [view_widget(self.window, n) for n in self.window.lessons.step.highlight]
        return any(p is not None and p.isVisible() and p.height() < p.minimumSizeHint().height() for p in parts)

    def _bar_in_two_rows(self) -> None:
        """The control bar in two rows (it leaves the column more width, also on a case
        study's page: the tabs are as wide as their widest page), unless the workbench would
        then be taller than the screen."""
        controls = self.window.workbench.controls
        controls.set_compact(True, rows=2)
        self._settle()
        bench = self.window.workbench
        if bench.minimumSizeHint().height() > bench.height():
            controls.set_compact(True, rows=1)
            self._settle()

    def _data_plane_aside(self) -> None:
        """The latent view without its data plane (the codes and the decoded image stay):
        the last room a step's text can take from the views."""
        plane = self.window.workbench.latent.plane_column
        if self.window.workbench.docks["latent"].isVisible() and not plane.isHidden():
            plane.hide()
            self._aside.append(plane)
            self.window.workbench.latent.updateGeometry()  # its dock's firewall learns the new minimum
            self._settle()
            dock = self.window.workbench.docks["latent"]
            dock.layout().invalidate()  # and the dock takes it in (it keeps its minimum otherwise)
            dock.layout().activate()
            self._settle()

    def _named_panel_docks(self) -> list[QDockWidget]:
        """The docks of the teaching panels the presented step shows."""
        navigator = self.window.lessons
        if not navigator.following or self.window.tabs.currentWidget() is not self.window.workbench:
            return []
        return [self.window.workbench.docks[name] for name in navigator.step.screen.visible
                if name in DOCK_VIEWS and name != "latent"]

    def _set_panel_parts_aside(self) -> None:
        """A presented panel whose parts the step highlights shows only those parts: the
        sigmoid panel whole (curve, the slide's table, a perceptron step) is two screens
        tall at 150 %."""
        named = [w for w in (view_widget(self.window, n) for n in self.window.lessons.step.highlight) if w is not None]
        for dock in self._named_panel_docks():
            panel = dock.widget().child
            if not any(panel.isAncestorOf(w) for w in named):
                continue
            parts = [panel.columns.itemAt(i).widget() for i in range(panel.columns.count())]
            aside = [p for p in parts if not p.isHidden() and not any(p is w or p.isAncestorOf(w) for w in named)]
            for part in aside:
                part.hide()
            self._aside += aside
            panel.body.updateGeometry()

    def _stack_bottom(self) -> None:
        """The reconstruction above the loss curve, unless that makes the page too tall."""
        bottom = self.window.workbench.page.splitters["bottom"]
        bottom.setOrientation(Qt.Orientation.Vertical)
        self._settle()
        if self.window.minimumSizeHint().height() > self.window.screen().geometry().height():
            bottom.setOrientation(Qt.Orientation.Horizontal)

    def _set_aside(self) -> None:
        step = self.window.lessons.step
        names = [n for n in STUDY_ASIDES.get(step.screen.tab, ()) if n not in step.highlight]
        named = [view_widget(self.window, n) for n in step.highlight]
        parts = [w for n in names for w in self.window.findChildren(QWidget, n) if not w.isHidden()]
        self._aside = [w for w in parts if not any(w.isAncestorOf(v) for v in named if v is not None)]
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
        self.panels.release()
        self._bench_counts(True)
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
