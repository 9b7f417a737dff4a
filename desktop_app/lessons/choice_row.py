"""One answer of a lesson step's prediction: a radio button with a label that wraps."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QRadioButton, QWidget

from desktop_app.theme import Theme


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
