"""A short table shown whole: as tall as its header and its rows, each row as tall as its
font needs, at whatever scale the window is.

The sigmoid panel's slide table used to fix its height once, when built. Presentation
mode then doubled every font and every size set by hand: the table became twice as tall
while its rows kept their height, so the rows' text was squeezed and empty rows showed
under the last line. Here the heights are measured from the fonts each time they are
asked for, so a new theme (``desktop_app.theming``) is followed without a hook.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QSizePolicy, QTableWidget, QWidget

ROW_PADDING = 0.45  # a row's room around its text, as a share of the text's height (8 px at 100 %)


class WholeTable(QTableWidget):
    """A table that never scrolls and never shows space below its last row."""

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._fit_rows()

    def row_height(self) -> int:
        """What a row needs for the table's font."""
        text = QFontMetrics(self.font()).height()
        return text + round(ROW_PADDING * text)

    def _fit_rows(self) -> None:
        self.verticalHeader().setDefaultSectionSize(self.row_height())
        self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_rows()

    def _header_height(self) -> int:
        header = self.horizontalHeader()
        if header.isHidden():
            return 0
        return max(header.minimumHeight(), header.sizeHint().height())  # what QTableView leaves it

    def _whole_height(self) -> int:
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        return self._header_height() + rows + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().sizeHint().width(), self._whole_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().minimumSizeHint().width(), self._whole_height())
