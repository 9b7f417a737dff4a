"""The lesson path's navigator: the step's text, its one suggested action, its
prediction, Back/Next, and a list of every step with the learner's done marks.

Entering a step sets the window up from the step's screen (``screen_setup``) and frames
the views its text talks about. The learner may leave the path at any time (the window
stays as they made it) and resume at their step. A step with a check is marked done only
when the check holds on the window's state (``checks``); a prediction is recorded when
chosen and its outcome is said once the learner has run it (the check holds). In the
lecturer's setting, checks hold nothing back and any answer can be revealed at once.
"""

from __future__ import annotations

import html
import logging
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.lessons import facts as window_facts
from desktop_app.lessons.checks import check_goal, check_holds
from desktop_app.lessons.highlight import Highlighter
from desktop_app.lessons.lesson_file import Lesson, Step
from desktop_app.lessons.progress import Progress
from desktop_app.lessons.screen_setup import apply_screen, view_widget
from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.panels.widgets import FormulaLabel, name_widget, tint
from desktop_app.theme import Theme
from desktop_app.widgets.wrapping_rows import wrap_layout
from desktop_app.workbench_views import lay_out_now

log = logging.getLogger(__name__)
COMPACT_TITLE, COMPACT_TEXT = 1.15 / 1.35, 1.0 / 1.1  # sizes in the presented column, of the usual ones
CHECK_INTERVAL_MS = 200  # how often a waiting check looks at the window (hovers are caught at once)


class ChoiceRow(QWidget):
    """A radio button with a label that wraps (a QRadioButton's own text never does)."""

    def __init__(self, text: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QRadioButton(self)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Space keeps training
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setFont(theme.font(1.05))
        self.button.setAccessibleName(text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.button.isEnabled():
            self.button.click()

    def lock(self, chosen: bool) -> None:
        """After the guess: no more choosing; the chosen text stays readable, in bold."""
        self.button.setEnabled(False)
        font = self.label.font()
        font.setBold(chosen)
        self.label.setFont(font)


class LessonNavigator(QWidget):
    """Walks the steps of ``lessons`` on ``window`` (a MainWindow)."""

    stepEntered = Signal(int)  # index of the step just set up
    stepDone = Signal(str)  # id of a step that turned done

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

    # ----- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        t = self.theme
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.counter = name_widget(QLabel(self), "lessonStepCounter")
        self.counter.setFont(t.font(1.0, bold=True))
        self.lecturer_check = name_widget(QCheckBox("Lecturer", self), "lessonLecturerCheck")
        self.lecturer_check.setToolTip("Lecturer's setting: checks hold nothing back, and each prediction's "
                                       "answer can be revealed at once.")
        self.lecturer_check.setChecked(self.progress.lecturer_mode)
        self.lecturer_check.toggled.connect(self.set_lecturer_mode)
        top.addWidget(self.counter, 1)
        top.addSpacing(0)
        top.addWidget(self.lecturer_check)
        outer.addWidget(wrap_layout(top, t, self))  # two rows when the dock is narrow
        self.problem_label = name_widget(QLabel(self), "lessonProblems")
        self.problem_label.setWordWrap(True)
        tint(self.problem_label, t.error)
        self.problem_label.setText("\n".join(self.problems))
        self.problem_label.setVisible(bool(self.problems))
        outer.addWidget(self.problem_label)
        self.step_list = name_widget(QListWidget(self), "lessonStepList")
        self.step_list.setFont(t.font(0.95))
        self.step_list.setMaximumHeight(int(self.step_list.fontMetrics().height() * 7.5))
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.step_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.step_list.itemActivated.connect(lambda item: self.go_to(self.step_list.row(item)))
        self.step_list.itemClicked.connect(lambda item: self.go_to(self.step_list.row(item)))
        outer.addWidget(self.step_list)
        self.body = self._build_body()  # the step's words; they scroll when longer than the column
        outer.addWidget(self.body, 1)
        self.button_rows = wrap_layout(self._build_buttons(), self.theme, self)  # rows when the dock is narrow
        outer.addWidget(self.button_rows)

    def _build_body(self) -> QScrollArea:
        t = self.theme
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        self.title_label = name_widget(QLabel(body), "lessonTitle")
        self.title_label.setFont(t.font(1.35, bold=True))
        self.title_label.setWordWrap(True)
        self.formula = FormulaLabel(t, body)
        self.formula.setObjectName("lessonFormula")
        self.text_label = name_widget(QLabel(body), "lessonText")
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.text_label.setWordWrap(True)
        self.text_label.setFont(t.font(1.1))
        self.predict_box = self._build_prediction(body)
        self.action_label = name_widget(QLabel(body), "lessonAction")
        self.action_label.setWordWrap(True)
        self.action_label.setTextFormat(Qt.TextFormat.RichText)
        self.action_label.setFont(t.font(1.1))
        self.action_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.action_label.setMargin(int(6 * t.scale))
        self.status_label = name_widget(QLabel(body), "lessonStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setFont(t.font(1.05, bold=True))
        for widget in (self.title_label, self.formula, self.text_label, self.predict_box, self.action_label,
                       self.status_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # wrap to the view, never clip
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _build_prediction(self, parent: QWidget) -> QGroupBox:
        t = self.theme
        box = QGroupBox("Predict, then see", parent)
        box.setObjectName("lessonPrediction")
        box.setFont(t.font(1.0, bold=True))
        layout = QVBoxLayout(box)
        self.question_label = name_widget(QLabel(box), "lessonQuestion")
        self.question_label.setWordWrap(True)
        self.question_label.setFont(t.font(1.1))
        layout.addWidget(self.question_label)
        self.choice_group = QButtonGroup(box)
        self.choice_rows: list[ChoiceRow] = []
        self.choice_group.idClicked.connect(self.choose)
        self.choice_layout = QVBoxLayout()
        layout.addLayout(self.choice_layout)
        self.reveal_button = name_widget(QPushButton("Reveal the answer", box), "lessonRevealButton")
        self.reveal_button.clicked.connect(self.reveal)
        layout.addWidget(self.reveal_button)
        self.outcome_label = name_widget(QLabel(box), "lessonOutcome")
        self.outcome_label.setWordWrap(True)
        self.outcome_label.setFont(t.font(1.05))
        layout.addWidget(self.outcome_label)
        return box

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.back_button = name_widget(QPushButton("◀ Back", self), "lessonBackButton")
        self.back_button.setToolTip("The step before (Page Up)")
        self.back_button.clicked.connect(self.back)
        self.follow_button = name_widget(QPushButton(self), "lessonFollowButton")
        self.follow_button.clicked.connect(self._follow_clicked)
        self.next_button = name_widget(QPushButton("Next ▶", self), "lessonNextButton")
        self.next_button.setToolTip("The next step (Page Down)")
        self.next_button.clicked.connect(self.next)
        for button in (self.back_button, self.follow_button, self.next_button):
            button.setFont(self.theme.font(1.05))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Space keeps training, never presses these
            row.addWidget(button)
            row.addSpacing(0)  # each button a group of its own, so they may wrap
        return row

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
        except ValueError as exc:  # e.g. a pre-trained file missing or damaged
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

    # ----- showing ------------------------------------------------------------------------------------
    def _show_step(self) -> None:
        self._fill_list()
        if not self.steps:
            self.counter.setText("No lesson could be loaded.")
            for widget in (self.back_button, self.next_button, self.follow_button):
                widget.setEnabled(False)
            return
        step = self.step
        self.counter.setText(f"Step {self.index + 1} of {len(self.steps)}")
        self.title_label.setText(step.title)
        self.text_label.setText(step.text)
        self._show_formula(step)
        self.action_label.setText(f"<b>Try it:</b> {html.escape(step.action)}")
        self._show_prediction(step)
        self._show_status()
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.steps) - 1)
        if self.following:
            self.follow_button.setText("Leave the path")
            self.follow_button.setToolTip("Explore freely; the window stays as you make it.")
        else:
            self.follow_button.setText("Start here" if not self.progress.done else f"Resume step {self.index + 1}")
            self.follow_button.setToolTip("Set the window up for this step and follow the path.")
        rows = self.button_rows  # a longer label may need another row
        rows.arrange(rows.choice(rows.width()))

    def _show_formula(self, step: Step) -> None:
        """The formula as its panel renders it; in the presented column only when its panel
        is not on screen (a projector has no room for it twice)."""
        shown_beside = self.compact and step.formula in step.screen.visible
        self.formula.setVisible(step.formula is not None and not shown_beside)
        if step.formula is None:
            return
        panel = view_widget(self.window_, step.formula).widget().findChild(QWidget, step.formula)
        shown = panel.findChild(FormulaLabel)
        self.formula.set_formula(shown.formula.text(), shown.reading.text())

    def _fill_list(self) -> None:
        self.step_list.blockSignals(True)
        if self.step_list.count() != len(self.steps):
            self.step_list.clear()
            for _ in self.steps:
                QListWidgetItem(self.step_list)
        for k, step in enumerate(self.steps):
            item = self.step_list.item(k)
            mark = "✓" if step.id in self.progress.done else "  "
            item.setText(f"{mark} {k + 1}. {step.title}")
            item.setData(Qt.ItemDataRole.UserRole, step.id)
            font = item.font()
            font.setBold(k == self.index)
            item.setFont(font)
        self.step_list.setCurrentRow(self.index)
        self.step_list.blockSignals(False)

    def _show_prediction(self, step: Step) -> None:
        predict = step.predict
        self.predict_box.setVisible(predict is not None)
        for button in self.choice_group.buttons():
            self.choice_group.removeButton(button)
        for row in self.choice_rows:  # deleted later: a row may be inside its own mouse click
            self.choice_layout.removeWidget(row)
            row.hide()
            row.button.setObjectName("")
            row.deleteLater()
        self.choice_rows = []
        if predict is None:
            return
        self.question_label.setText(predict.question)
        answered = self.progress.answers.get(step.id)
        for k, text in enumerate(predict.choices):
            row = ChoiceRow(text, self.theme, self.predict_box)
            row.button.setObjectName(f"lessonChoice{k + 1}")
            row.button.setChecked(answered == k)
            if answered is not None:
                row.lock(answered == k)
            self.choice_group.addButton(row.button, k)
            self.choice_layout.addWidget(row)
            self.choice_rows.append(row)
        self.reveal_button.setVisible(self.lecturer_mode and not self.revealed)
        self._show_outcome()

    def outcome_ready(self) -> bool:
        """Whether the prediction's outcome may be said now."""
        step = self.step
        if step.predict is None:
            return False
        if self.lecturer_mode and self.revealed:
            return True
        if step.id not in self.progress.answers:
            return False
        return self.lecturer_mode or step.id in self.progress.done or \
            (self.following and self.check_holds())

    def _show_outcome(self) -> None:
        step = self.step
        if step.predict is None:
            return
        predict = step.predict
        answered = self.progress.answers.get(step.id)
        right = html.escape(predict.choices[predict.answer])
        if self.outcome_ready():
            if answered is None:
                text = f"<b>Answer:</b> {right}. {html.escape(predict.why)}"
            elif answered == predict.answer:
                text = f"<b>✓ Your guess held.</b> {html.escape(predict.why)}"
            else:
                text = f"<b>✗ It went the other way:</b> {right}. {html.escape(predict.why)}"
            if step.id in self.progress.answers and step.check is None:
                self._mark_done(step.id)
        elif answered is None:
            text = "" if self.compact else "Choose what you expect first, then try it."
        else:
            goal = check_goal(step.check) if step.check else ""
            text = f"Your guess is in. Now see for yourself. {html.escape(goal)}"
        self.outcome_label.setTextFormat(Qt.TextFormat.RichText)
        self.outcome_label.setText(text)
        self.outcome_label.setVisible(bool(text))

    def _show_status(self) -> None:
        step = self.step
        if step.id in self.progress.done:
            text, colour = "✓ Done", self.theme.positive
        elif not self.following:
            text, colour = "You are off the path: the window is yours. Resume to set this step up.", self.theme.muted
        elif step.check is not None and not self.compact:  # presented, "Try it" says it
            text, colour = f"To do: {check_goal(step.check)}", self.theme.muted
        else:
            text, colour = "", self.theme.muted
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
        tint(self.status_label, colour)

    def set_compact(self, compact: bool) -> None:
        """A narrow column while a step is presented: the step's own words and Back/Next; the
        step list, the lecturer's box and "Leave the path" step aside (PageDown/PageUp still
        move the path; Esc ends presenting, and the path can be left then), and so do the
        words the screen already says: the formula of a panel on screen, "To do" (the
        "Try it" box says it) and the hint to choose first."""
        for widget in (self.step_list, self.lecturer_check, self.follow_button):  # Back and Next share a row
            widget.setVisible(not compact)
        self.problem_label.setVisible(bool(self.problems) and not compact)
        self.predict_box.setTitle("Predict" if compact else "Predict, then see")  # a box title never wraps
        if compact != self.compact:  # smaller type, so long words ("backpropagation") fit the column
            for label, ratio in ((self.title_label, COMPACT_TITLE), (self.text_label, COMPACT_TEXT),
                                 (self.action_label, COMPACT_TEXT)):
                font = label.font()  # in the window's current scale (a restyle scales it)
                font.setPointSizeF(font.pointSizeF() * (ratio if compact else 1 / ratio))
                label.setFont(font)
        self.compact = compact
        if self.steps:
            self._show_step()  # the formula, the status and the hint as the column shows them

    def apply_theme(self, theme: Theme) -> None:
        """A live theme switch (``desktop_app.theming`` calls this): later frames too are in it."""
        self.theme = theme
        self.highlighter.set_theme(theme)

    def text_fits(self, width: int) -> bool:
        """Whether the step's words, laid out ``width`` pixels wide, are read without
        scrolling in the height the text has now (measured a scroll bar's width narrower: a
        scroll area that has shown its bar lays the text out that narrow)."""
        narrower = width - self.body.verticalScrollBar().sizeHint().width()
        return self.body.widget().heightForWidth(narrower) <= self.body.height()

    def sizeHint(self):  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        hint.setWidth(int(330 * self.theme.scale))
        return hint
