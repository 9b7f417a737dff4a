"""The lesson navigator's widgets and their object names (the testable surface): the step
counter and the lecturer's box, the step list, the step's words in a scrolling body (its
title, formula, text, prediction, action and status), and Back / Leave / Next in rows
that wrap when the column is narrow.

A mixin of ``LessonNavigator``: it builds, the navigator decides what they show.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.lessons.choice_row import ChoiceRow
from desktop_app.panels.widgets import FormulaLabel, name_widget, tint
from desktop_app.widgets.wrapping_rows import wrap_layout


class NavigatorLayout:
    """Builds the navigator's widgets onto ``self`` (a LessonNavigator)."""

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
