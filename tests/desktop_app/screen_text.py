"""Everything a window shows as text (labels, buttons, boxes, tooltips, scene texts,
the status bar), so a test can assert that no "nan" or "inf" ever reaches the screen."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGraphicsView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QWidget,
)

NON_FINITE = re.compile(r"(?<![a-z])(nan|inf|infinity)(?![a-z])|∞", re.IGNORECASE)


def screen_texts(root: QWidget) -> list[str]:
    widgets = [root, *root.findChildren(QWidget)]
    texts: list[str] = []
    for w in widgets:
        texts.append(w.toolTip())
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit, QAbstractSpinBox)):
            texts.append(w.text())
        if isinstance(w, QMainWindow) and w.statusBar() is not None:
            texts.append(w.statusBar().currentMessage())
        if isinstance(w, QGraphicsView) and w.scene() is not None:
            for item in w.scene().items():
                if isinstance(item, QGraphicsSimpleTextItem):
                    texts.append(item.text())
                elif isinstance(item, QGraphicsTextItem):
                    texts.append(item.toPlainText())
                texts.append(item.toolTip())
    return [t for t in texts if t]


def non_finite_on_screen(root: QWidget) -> list[str]:
    """The texts that show a number that is not finite (empty when all is well)."""
    return [t for t in screen_texts(root) if NON_FINITE.search(t)]
