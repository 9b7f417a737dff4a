"""A teaching panel's parts side by side where the panel is wide, one under another where
it is narrow.

At 150 % on a 1280x720 projector a panel's parts stacked in one column (the formula, the
curve, the slide's table, the perceptron step) were two screens tall and scrolled inside
their dock. ``SectionColumns`` lays its sections (widgets, in reading order) out in as
many columns as the width holds, each column at least ``column_width`` wide, and splits
them where the tallest column is shortest; its height for a width is that column's. A
scroll area around it (``QScrollArea.setWidgetResizable``) asks that height, so a panel
given room enough never scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget

Plan = list[list[int]]  # columns of section indexes, in reading order


class SectionColumns(QLayout):
    """Sections in columns of equal width; a narrow width stacks them all in one."""

    def __init__(self, parent: QWidget | None = None, column_width: int = 0, gap: int = 16) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.column_width = column_width  # a column is never narrower than this (nor its widest section)
        self.gap = gap  # between columns, and between sections in a column

    # ----- QLayout's bookkeeping ---------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt's name)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt's name)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt's name)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt's name)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    # ----- sizes ------------------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _margins(self) -> tuple[int, int]:
        m = self.contentsMargins()
        return m.left() + m.right(), m.top() + m.bottom()

    def _narrowest_column(self) -> int:
        return max([self.column_width] + [item.minimumSize().width() for item in self._shown()])

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt's name)
        """As narrow as the widest section; as short as its tallest (any width does at least that)."""
        across, down = self._margins()
        shown = self._shown()
        tallest = max((item.minimumSize().height() for item in shown), default=0)
        return QSize(max((item.minimumSize().width() for item in shown), default=0) + across, tallest + down)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        across, _down = self._margins()
        width = self._narrowest_column() + across
        return QSize(width, self.heightForWidth(width))

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        across, down = self._margins()
        _plan, height = self.plan(width - across)
        return height + down

    @staticmethod
    def _height(item: QLayoutItem, width: int) -> int:
        wanted = item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()
        return max(wanted, item.minimumSize().height())

    def _column_height(self, items: list[QLayoutItem], width: int) -> int:
        return sum(self._height(item, width) for item in items) + self.gap * max(0, len(items) - 1)

    def columns_for(self, width: int) -> int:
        """How many columns ``width`` holds (at least one)."""
        count = len(self._shown())
        narrowest = max(1, self._narrowest_column())
        return max(1, min(count, (width + self.gap) // (narrowest + self.gap)))

    def plan(self, width: int) -> tuple[Plan, int]:
        """The split of the shown sections into columns at ``width`` (inside the margins)
        whose tallest column is shortest, and that column's height."""
        shown = self._shown()
        if not shown:
            return [], 0
        columns = self.columns_for(width)
        column = (width - self.gap * (columns - 1)) // columns
        best: tuple[Plan, int] | None = None
        for plan in _splits(len(shown), columns):
            height = max(self._column_height([shown[i] for i in col], column) for col in plan)
            if best is None or height < best[1]:
                best = (plan, height)
        return best

    # ----- placing ------------------------------------------------------------------------------
    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt's name)
        super().setGeometry(rect)
        m = self.contentsMargins()
        inner = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        shown = self._shown()
        plan, _height = self.plan(inner.width())
        if not plan:
            return
        column = (inner.width() - self.gap * (len(plan) - 1)) // len(plan)
        for k, indexes in enumerate(plan):
            x, y = inner.x() + k * (column + self.gap), inner.y()
            for i in indexes:  # each at its height: a plot that grew with spare room would move under a drag
                height = self._height(shown[i], column)
                shown[i].setGeometry(QRect(x, y, column, height))
                y += height + self.gap


def _splits(count: int, columns: int) -> list[Plan]:
    """Every way to cut ``count`` sections, in order, into ``columns`` non-empty columns."""
    if columns <= 1:
        return [[list(range(count))]]
    plans = []
    for first in range(1, count - columns + 2):
        for rest in _splits(count - first, columns - 1):
            plans.append([list(range(first))] + [[i + first for i in col] for col in rest])
    return plans


def side_by_side(widgets: list[QWidget], parent: QWidget, gap: int) -> QWidget:
    """``widgets`` in a row where the width holds them, one under another where not (a
    ``SectionColumns`` whose columns are as narrow as its widest widget)."""
    holder = QWidget(parent)
    columns = SectionColumns(holder, 0, gap)
    columns.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        columns.addWidget(widget)
    return holder


class LabelBeside(QWidget):
    """A label beside its control where the width holds both whole, above it where not.

    The control keeps its whole minimum width (the "Numbers from" picker shows its longest
    choice uncut) and the label moves up rather than cut it short: in a narrow dock the
    picker used to print "Slide: a bad reconstructio…". Placed by hand, not by a layout:
    a layout's height for a width would stand in for this widget's own."""

    def __init__(self, label: QWidget, control: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label, self.control = label, control
        for widget in (label, control):
            widget.setParent(self)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _gap(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing, None, self)

    def beside(self, width: int) -> bool:
        """Whether ``width`` holds the label and the whole control in one row."""
        return width >= self.label.sizeHint().width() + self._gap() + self.control.minimumSizeHint().width()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        label, control = self.label.sizeHint().height(), self.control.sizeHint().height()
        return max(label, control) if self.beside(width) else label + self._gap() + control

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = self.label.sizeHint().width() + self._gap() + self.control.sizeHint().width()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = max(self.label.minimumSizeHint().width(), self.control.minimumSizeHint().width())
        return QSize(width, self.heightForWidth(width))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a child's size changed (a new font)
            self.updateGeometry()
            self._place()
        return super().event(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        width, height, gap = self.width(), self.height(), self._gap()
        label_height, control_height = self.label.sizeHint().height(), self.control.sizeHint().height()
        if self.beside(width):
            label_width = self.label.sizeHint().width()
            self.label.setGeometry(0, 0, label_width, height)
            self.control.setGeometry(label_width + gap, (height - control_height) // 2,
                                     width - label_width - gap, control_height)
        else:
            self.label.setGeometry(0, 0, width, label_height)
            self.control.setGeometry(0, label_height + gap, width, control_height)
