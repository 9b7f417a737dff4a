"""A cover over the whole window that any key or click takes away: the presentation's
blank screen and the shortcut overlay.

While shown it holds the keyboard and eats every shortcut (a key meant for the window
underneath, Space that would play the workbench, only takes the cover away), and it
follows the window's size.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget


class WindowCover(QWidget):
    """Hidden until ``cover()``; ``uncover()`` (or any key or click) hides it again.
    Subclasses paint it and put their content in it."""

    def __init__(self, window: QWidget, name: str) -> None:
        super().__init__(window)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hide()
        window.installEventFilter(self)

    def cover(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.grabKeyboard()

    def uncover(self) -> None:
        self.releaseKeyboard()
        self.hide()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self.isVisible():
            event.accept()  # every key, shortcuts included, comes here
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        self.uncover()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self.uncover()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False
