"""A word-wrapped line of rich text (coloured terms) that changes every frame.

Why not a QLabel (measured): a rich-text QLabel lays its text out again each time its
layout asks how tall it would be at some width (its minimum size, its height for the
width it has), and every such layout repaints the label. The loss readout, which
changes every frame, was painted three times a frame that way. Here the text is a
``QTextDocument`` that nothing repaints on its own: a new text paints once, and a size
asked at the width the widget has costs no new layout.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPainter, QPaintEvent, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QWidget


class RichReadout(QWidget):
    """``setText(html)`` / ``text()`` as a QLabel's; wraps at any width, as tall as its text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._document = QTextDocument(self)
        self._document.setDocumentMargin(0)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)

    def text(self) -> str:
        return self._text

    def setText(self, html: str) -> None:  # noqa: N802 (as QLabel's)
        if html == self._text:
            return
        self._text = html
        self._document.setHtml(html)
        self.updateGeometry()
        self.update()

    def setFont(self, font: QFont) -> None:  # noqa: N802 (Qt's name)
        super().setFont(font)
        self._document.setDefaultFont(font)
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        self._document.setTextWidth(max(1, width))
        return round(self._document.size().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        self._document.setTextWidth(-1)  # one line per paragraph: as wide as the text
        width = round(self._document.idealWidth())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(1, self.fontMetrics().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        self._document.setTextWidth(self.width())  # no new layout when asked at this width before
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = self.palette()  # the theme's text colour, as a label's
        context.clip = QRectF(event.rect())
        painter = QPainter(self)
        painter.setClipRect(event.rect())
        self._document.documentLayout().draw(painter, context)
