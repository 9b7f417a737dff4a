"""A coloured frame around the views a lesson step talks about.

The frame is a child of the view itself, transparent to the mouse and kept the view's
size by an event filter, so it moves, resizes, hides and shows with the view and never
takes a click or a key from it. Its colour and width come from the window's theme, also
after a live theme switch (``apply_theme``, which ``desktop_app.theming`` calls).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from desktop_app.theme import Theme


def frame_pen(theme: Theme) -> tuple[QColor, float]:
    """The frame's colour and line width in ``theme``: its accent, 4 px at 100 %."""
    return QColor(theme.accent), max(3.0, 4.0 * theme.scale)


class HighlightFrame(QWidget):
    """A rounded outline over its parent's whole area."""

    def __init__(self, target: QWidget, theme: Theme) -> None:
        super().__init__(target)
        self.setObjectName("lessonHighlight")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.colour, self.width = frame_pen(theme)
        target.installEventFilter(self)
        self._fit()
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.ChildAdded):
            self._fit()
        return False

    def apply_theme(self, theme: Theme) -> None:
        """A live theme switch: the new theme's accent and width."""
        self.colour, self.width = frame_pen(theme)
        self.update()

    def _fit(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self.colour, self.width)
        painter.setPen(pen)
        inset = self.width / 2 + 0.5
        painter.drawRoundedRect(self.rect().toRectF().adjusted(inset, inset, -inset, -inset), 6, 6)
        painter.end()


class Highlighter:
    """Frames the views of the step shown; ``clear`` removes every frame."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self.frames: dict[str, HighlightFrame] = {}

    def set_theme(self, theme: Theme) -> None:
        """Frames drawn from now on in ``theme`` (those shown restyle themselves)."""
        self.theme = theme

    def show(self, targets: dict[str, QWidget]) -> None:
        self.clear()
        for name, widget in targets.items():
            if widget is not None:
                self.frames[name] = HighlightFrame(widget, self.theme)

    def clear(self) -> None:
        for frame in self.frames.values():
            frame.parentWidget().removeEventFilter(frame)
            frame.hide()
            frame.deleteLater()
        self.frames.clear()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.frames)
