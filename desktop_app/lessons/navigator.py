"""The lesson path's navigator: the step's text, its one suggested action, its
prediction, Back/Next, and a list of every step with the learner's done marks.

Entering a step sets the window up from the step's screen (``screen_setup``) and frames
the views its text talks about. The learner may leave the path at any time (the window
stays as they made it) and resume at their step. A step with a check is marked done only
when the check holds on the window's state (``checks``); a prediction is recorded when
chosen and its outcome is said once the learner has run it (the check holds). In the
lecturer's setting, checks hold nothing back and any answer can be revealed at once.

The widgets are built by ``navigator_layout`` and say what the step says by
``step_display`` (mixins of this class); this module moves along the path and checks.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.lessons import facts as window_facts
from desktop_app.lessons.checks import check_holds
from desktop_app.lessons.highlight import Highlighter
from desktop_app.lessons.lesson_file import Lesson, Step
from desktop_app.lessons.navigator_layout import NavigatorLayout
from desktop_app.lessons.progress import Progress
from desktop_app.lessons.screen_setup import apply_screen, view_widget
from desktop_app.lessons.step_display import StepDisplay
from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.panels.widgets import name_widget
from desktop_app.theme import Theme
from desktop_app.training_process import HostError
from desktop_app.workbench_views import lay_out_now

log = logging.getLogger(__name__)
CHECK_INTERVAL_MS = 200  # how often a waiting check looks at the window (hovers are caught at once)


TEXT_SLACK = 8  # pixels the step's words leave spare in the column (see text_fits)

class LessonNavigator(NavigatorLayout, StepDisplay, QWidget):
    """Walks the steps of ``lessons`` on ``window`` (a MainWindow)."""

    stepEntered = Signal(int)  # index of the step just set up
    stepDone = Signal(str)  # id of a step that turned done
    wordsChanged = Signal()  # the step's words changed (a guess chosen, an outcome or status said)

    def __init__(self, window, lessons: list[Lesson], theme: Theme, progress: Progress | None = None,
                 sessions: StepSessions | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "lessonNavigator")
        self.setWindowTitle("Lesson path")
        self.window_ = window
        self.theme = theme
        self.steps: list[Step] = [step for lesson in lessons for step in lesson.steps]
        self.problems = [p for lesson in lessons for p in lesson.problems]
        self.progress = progress or Progress()
        self.sessions = sessions or StepSessions()
        self.highlighter = Highlighter(theme)
        self.following = False
        self.revealed = False
        self.compact = False  # set_compact
        self.last_entry_seconds = 0.0
        ids = [s.id for s in self.steps]
        self.index = ids.index(self.progress.current) if self.progress.current in ids else 0
        self._start: window_facts.StepStart | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.evaluate)
        self._build()
        self._connect_window()
        self._show_step()

    def _connect_window(self) -> None:
        w = self.window_
        loss_panel = w.workbench.docks["logLossPanel"].widget().findChild(QWidget, "logLossPanel")
        self._logloss = loss_panel
        for grid in (loss_panel.x_grid, loss_panel.y_grid, loss_panel.term_grid):
            grid.cellHovered.connect(lambda _i: self.evaluate())
        loss_panel.terms.hovered.connect(lambda _i: self.evaluate())
        w.workbench.latent.canvas.probeChanged.connect(lambda *_: self.evaluate())
        w.controller.selectionChanged.connect(lambda _i: self.evaluate())

    # ----- moving along the path ------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self.steps[self.index]

    def next(self) -> None:  # noqa: A003 (the button's word)
        if self.following and self._reading_is_doing():
            self._mark_done(self.step.id)
        self.go_to(min(self.index + 1, len(self.steps) - 1))

    def back(self) -> None:
        self.go_to(max(self.index - 1, 0))

    def go_to(self, index: int) -> None:
        """Set the window up for step ``index`` and follow the path from there."""
        if not self.steps:
            return
        self.following = False  # no check looks at the window while it is being set up
        self.highlighter.clear()
        self.index = max(0, min(index, len(self.steps) - 1))
        step = self.step
        self.progress.set_current(step.id)
        started = time.perf_counter()
        try:
            apply_screen(self.window_, step.screen, self.sessions)
        except (ValueError, HostError) as exc:  # e.g. a pre-trained file missing or damaged (the host refuses)
            self.following = False
            self._show_step()
            self.status_label.setText(f"This step could not be set up: {exc}")
            return
        if step.screen.tab == "denoising":
            self.window_.denoising.pad.clear()
        self.following = True
        self.revealed = False
        self._start = window_facts.step_start(self.window_)
        self._show_step()
        self.highlighter.show({name: view_widget(self.window_, name) for name in step.highlight})
        lay_out_now()  # the views and the step's text settle together: one paint shows them
        self.last_entry_seconds = time.perf_counter() - started
        self.stepEntered.emit(self.index)
        self.evaluate()
        self.prepare_ahead()  # once: later calls return while the first is under way or done

    def show_position(self, index: int, following: bool) -> None:
        """Show step ``index`` (on or off the path) without setting the window up: an
        opened session file has already put the window as the learner left it."""
        self.following = False
        self.highlighter.clear()
        self._timer.stop()
        self.index = max(0, min(index, len(self.steps) - 1)) if self.steps else 0
        if self.steps:
            self.progress.set_current(self.step.id)
        self.revealed = False
        self.following = following and bool(self.steps)
        if self.following:
            self._start = window_facts.step_start(self.window_)
        self._show_step()
        self.evaluate()

    def prepare_ahead(self) -> None:
        """Make the trained sessions of the steps from this one on (then the ones before)
        on a background thread, while the learner reads: later steps then open at once."""
        ordered = self.steps[self.index:] + self.steps[:self.index]
        self.sessions.prepare([step.screen for step in ordered])

    def leave(self) -> None:
        """Leave the path: the window stays as the learner made it."""
        self.following = False
        self.highlighter.clear()
        self._timer.stop()
        self._show_step()

    def resume(self) -> None:
        self.go_to(self.index)

    def _follow_clicked(self) -> None:
        self.leave() if self.following else self.resume()

    def set_lecturer_mode(self, on: bool) -> None:
        self.progress.set_lecturer_mode(on)
        if self.lecturer_check.isChecked() != on:
            self.lecturer_check.setChecked(on)
        self._show_step()
        self.evaluate()

    @property
    def lecturer_mode(self) -> bool:
        return self.progress.lecturer_mode

    # ----- predictions --------------------------------------------------------------------------
    def choose(self, choice: int) -> None:
        """Record the learner's guess (once: a guess is a guess)."""
        step = self.step
        if step.predict is None or step.id in self.progress.answers:
            return
        if not 0 <= choice < len(step.predict.choices):
            return
        self.progress.answer(step.id, choice)
        self._show_step()
        self.evaluate()

    def reveal(self) -> None:
        """Lecturer's setting: say the answer now."""
        if self.lecturer_mode:
            self.revealed = True
            self._show_step()

    # ----- checks -------------------------------------------------------------------------------------
    def facts(self):
        start = self._start or window_facts.step_start(self.window_)
        return window_facts.gather(self.window_, start, self._logloss.highlighted)

    def check_holds(self) -> bool:
        """The current step's check, on the window as it is now (True when it has none)."""
        name = self.step.check
        if name is None:
            return True
        try:
            return check_holds(name, self.facts())
        except Exception:  # a check must never take the window down
            log.exception("Lesson check %s failed", name)
            return False

    def evaluate(self) -> None:
        """Mark the step done when its check holds; say a prediction's outcome once run."""
        if not self.following or not self.steps:
            return
        step = self.step
        if step.check is not None and step.id not in self.progress.done and self.check_holds():
            if step.predict is None or step.id in self.progress.answers:
                self._mark_done(step.id)
            self._show_status()
        self._show_outcome()
        waiting = step.id not in self.progress.done and step.check is not None
        if waiting and not self._timer.isActive():
            self._timer.start()
        elif not waiting:
            self._timer.stop()

    def _reading_is_doing(self) -> bool:
        """Next marks a step done when there is nothing to check (or the lecturer says so)."""
        step = self.step
        if self.lecturer_mode:
            return True
        if step.predict is not None and step.id not in self.progress.answers:
            return False
        return step.check is None

    def _mark_done(self, step_id: str) -> None:
        if self.progress.mark_done(step_id):
            self._fill_list()
            self.stepDone.emit(step_id)

    def apply_theme(self, theme: Theme) -> None:
        """A live theme switch (``desktop_app.theming`` calls this): later frames too are in it."""
        self.theme = theme
        self.highlighter.set_theme(theme)

    def text_fits(self, width: int) -> bool:
        """Whether the step's words, laid out ``width`` pixels wide, are read without
        scrolling in the height the text has now (measured a scroll bar's width narrower: a
        scroll area that has shown its bar lays the text out that narrow)."""
        narrower = width - self.body.verticalScrollBar().sizeHint().width()
        # a few pixels to spare: the column's rows settle a little differently once it is sized
        return self.body.widget().heightForWidth(narrower) <= self.body.height() - TEXT_SLACK

    def sizeHint(self):  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        hint.setWidth(int(330 * self.theme.scale))
        return hint
