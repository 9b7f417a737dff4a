"""What the lesson navigator's widgets say about the current step: its counter, title,
formula, text and action; its prediction's choices and outcome; its status; the step list
with the learner's done marks; and the narrower presented column (``set_compact``).

A mixin of ``LessonNavigator``: the navigator decides where the path is, this shows it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem, QWidget

from desktop_app.lessons.checks import check_goal
from desktop_app.lessons.choice_row import ChoiceRow
from desktop_app.lessons.lesson_file import Step
from desktop_app.lessons.screen_setup import view_widget
from desktop_app.panels.widgets import FormulaLabel, tint

COMPACT_TITLE, COMPACT_TEXT = 1.15 / 1.35, 1.0 / 1.1  # sizes in the presented column, of the usual ones


class StepDisplay:
    """Shows ``self.step`` (a LessonNavigator's) on the widgets ``NavigatorLayout`` built."""

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
        self.action_label.setVisible(True)  # a said answer may set it aside (_condense_prediction)
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
        ready = self.outcome_ready()
        self._condense_prediction(ready)
        if ready:
            if answered is None:
                text = f"<b>Answer:</b> {right}. {html.escape(predict.why)}"
            elif answered == predict.answer:
                held = f" {right}." if self.compact else ""  # the choices step aside in the column
                text = f"<b>✓ Your guess held.</b>{held} {html.escape(predict.why)}"
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
        self.wordsChanged.emit()

    def _condense_prediction(self, ready: bool) -> None:
        """Once the answer is said, "Reveal the answer" goes; in the presented column the
        choices go too (the outcome names the right one) and so does "Try it" (it has been
        tried, or the lecturer said the answer first), so the answer's "why" fits the column
        without scrolling."""
        self.reveal_button.setVisible(self.lecturer_mode and not self.revealed and not ready)
        condensed = self.compact and ready
        for row in self.choice_rows:
            row.setVisible(not condensed)
        self.action_label.setVisible(not condensed)

    def _show_status(self) -> None:
        step = self.step
        said = self.compact and step.predict is not None and self.outcome_ready()
        if step.id in self.progress.done and said:  # presented, the answer's ✓ or ✗ closes the step
            text, colour = "", self.theme.positive
        elif step.id in self.progress.done:
            text, colour = "✓ Done", self.theme.positive
        elif not self.following:
            text, colour = "You are off the path: the window is yours. Resume to set this step up.", self.theme.muted
        elif step.check is not None and not self.compact:  # presented, "Try it" says it
            text, colour = f"To do: {check_goal(step.check)}", self.theme.muted
        else:
            text, colour = "", self.theme.muted
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
        self.wordsChanged.emit()
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
