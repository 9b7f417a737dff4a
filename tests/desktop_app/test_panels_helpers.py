"""Helpers for the panel tests (no tests here): drive the teaching panels as a learner
does (keys into combos and cells, clicks and drags on plots) and read numbers back off
the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QWidget

from desktop_app.panels.formatting import parse_shown


def show(qtbot, panel: QWidget, width: int = 620, height: int = 1100) -> QWidget:
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    qtbot.waitUntil(panel.isVisible)
    return panel


def choose(qtbot, panel: QWidget, key: str) -> None:
    """Pick a source in the panel's combo with the arrow keys, as a keyboard user would."""
    combo = panel.findChild(QComboBox, "sourceCombo")
    target = combo.findData(key)
    assert target >= 0, key
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentIndex() == target:
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
    assert combo.currentData() == key


def type_into(qtbot, cell: QLineEdit, text: str) -> None:
    """Click the cell, select what is there, delete it, type, press Return."""
    qtbot.mouseClick(cell, Qt.MouseButton.LeftButton)
    cell.setFocus()
    qtbot.keyClick(cell, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(cell, Qt.Key.Key_Delete)
    qtbot.keyClicks(cell, text)
    qtbot.keyClick(cell, Qt.Key.Key_Return)


def label(panel: QWidget, name: str) -> QLabel:
    widget = panel.findChild(QLabel, name)
    assert widget is not None, name
    return widget


def number(panel: QWidget, name: str) -> float:
    return parse_shown(label(panel, name).text())


def term_values(panel: QWidget, count: int) -> list[float]:
    return [number(panel, f"termValue{i}") for i in range(count)]


def cell(panel: QWidget, name: str) -> QLineEdit:
    widget = panel.findChild(QLineEdit, name)
    assert widget is not None, name
    return widget


def hover(qtbot, widget: QWidget) -> None:
    """Move the mouse onto a widget (and send the Enter event a real pointer would)."""
    qtbot.mouseMove(widget)
    QApplication.sendEvent(widget, QEvent(QEvent.Type.Enter))


def drag(view: QWidget, start: QPointF, end: QPointF, steps: int = 6) -> None:
    """Press, move with the left button held, release: a real drag on a plot's viewport."""
    viewport = view.viewport()
    start, end = QPointF(start), QPointF(end)

    def send(kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton, buttons: Qt.MouseButton) -> None:
        global_pos = QPointF(viewport.mapToGlobal(QPoint(round(pos.x()), round(pos.y()))))
        QApplication.sendEvent(viewport, QMouseEvent(kind, pos, global_pos, button, buttons,
                                                     Qt.KeyboardModifier.NoModifier))

    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send(QEvent.Type.MouseButtonPress, start, left, left)
    for k in range(1, steps + 1):
        send(QEvent.Type.MouseMove, start + (end - start) * (k / steps), none, left)
    send(QEvent.Type.MouseButtonRelease, end, left, none)
    QApplication.processEvents()


def click(view: QWidget, pos: QPointF) -> None:
    drag(view, pos, pos, steps=0)
