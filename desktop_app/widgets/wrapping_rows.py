"""Groups of controls in as few rows as the width allows.

A bar of controls laid out in fixed rows is as wide as its longest row at every scale:
at 150 % on a 1280-pixel projector the workbench's bar alone was 1450 pixels wide and
pushed the window off the screen. Here the groups move to more rows when the bar is
narrower than a row, so the bar's minimum width is that of its narrowest arrangement.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from desktop_app.theme import Theme

Arrangement = list[list[str]]  # rows of group names


class WrappingRows(QWidget):
    """Named groups of widgets in rows: the first given arrangement whose rows fit the width,
    or (none given) as many groups to a row as fit."""

    def __init__(self, groups: dict[str, list[QWidget]], arrangements: list[Arrangement], theme: Theme,
                 first_row_end: QWidget | None = None, footer: QWidget | None = None,
                 parent: QWidget | None = None, expanding: tuple[QWidget, ...] = ()) -> None:
        super().__init__(parent)
        self.groups, self.arrangements, self.theme = groups, arrangements, theme
        self.expanding = expanding  # widgets that take a row's spare width (a progress bar)
        self.first_row_end, self.footer = first_row_end, footer
        for widget in self._widgets():
            widget.setParent(self)
        self._layout = QVBoxLayout(self)
        self.current: Arrangement | None = None
        self.arrange(self.arrangements[0] if self.arrangements else [list(self.groups)])

    def _widgets(self) -> list[QWidget]:
        extra = [w for w in (self.first_row_end, self.footer) if w is not None]
        return [w for group in self.groups.values() for w in group] + extra

    # ----- widths ----------------------------------------------------------------------
    def _spacing(self) -> int:
        return int(6 * self.theme.scale)

    def _group_gap(self) -> int:
        return int(16 * self.theme.scale)

    def _row_width(self, names: list[str], first: bool) -> int:
        shown = [w for name in names for w in self.groups[name] if not w.isHidden()]
        if first and self.first_row_end is not None:
            shown.append(self.first_row_end)
        widths = sum(max(w.minimumSizeHint().width(), w.minimumWidth()) for w in shown)  # what the row needs
        return widths + self._spacing() * max(0, len(shown) - 1) + self._group_gap() * len(names) + 12

    def arrangement_width(self, rows: Arrangement) -> int:
        return max(self._row_width(row, i == 0) for i, row in enumerate(rows))

    def choice(self, width: int) -> Arrangement:
        """The first given arrangement that fits ``width`` (the last one if none does); with
        none given, the groups in order, as many to a row as fit."""
        if self.arrangements:
            return next((rows for rows in self.arrangements if self.arrangement_width(rows) <= width),
                        self.arrangements[-1])
        rows: Arrangement = []
        for name in self.groups:
            if rows and self._row_width(rows[-1] + [name], len(rows) == 1) <= width:
                rows[-1].append(name)
            else:
                rows.append([name])
        return rows

    def _narrowest(self) -> Arrangement:
        return self.arrangements[-1] if self.arrangements else [[name] for name in self.groups]

    # ----- layout ----------------------------------------------------------------------
    def arrange(self, rows: Arrangement, force: bool = False) -> None:
        if rows == self.current and not force:
            return
        self.current = rows
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.layout() is not None:
                while item.layout().count():
                    item.layout().takeAt(0)
                item.layout().deleteLater()
        margin = int(4 * self.theme.scale)
        self._layout.setContentsMargins(margin + 2, margin, margin + 2, margin)
        self._layout.setSpacing(self._spacing())
        for i, names in enumerate(rows):
            row = QHBoxLayout()
            row.setSpacing(self._spacing())
            for name in names:
                for widget in self.groups[name]:
                    row.addWidget(widget, 1 if widget in self.expanding else 0)
                row.addSpacing(self._group_gap())
            if not any(w in self.expanding for name in names for w in self.groups[name]):
                row.addStretch(1)
            if i == 0 and self.first_row_end is not None:
                row.addWidget(self.first_row_end)
            self._layout.addLayout(row)
        if self.footer is not None:
            self._layout.addWidget(self.footer)
        self.updateGeometry()  # a new row count changes the height the parent must give

    def apply_theme(self, theme: Theme) -> None:
        """Spacing follows the theme; the rows are chosen again for the new sizes."""
        self.theme = theme
        self.arrange(self.choice(self.width()), force=True)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """As narrow as the narrowest arrangement, as tall as the rows shown now."""
        narrowest = self.arrangement_width(self._narrowest())
        return QSize(narrowest, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.arrange(self.choice(event.size().width()))


def wrap_layout(row: QHBoxLayout, theme: Theme, parent: QWidget | None = None) -> WrappingRows:
    """A row built as a QHBoxLayout, made to wrap: its spacings mark where groups end, and
    a widget added with a stretch keeps taking the spare width."""
    groups: list[list[QWidget]] = [[]]
    expanding = []
    while row.count():
        index = 0
        stretch = row.stretch(index)
        item = row.takeAt(index)
        if item.widget() is not None:
            groups[-1].append(item.widget())
            if stretch > 0:
                expanding.append(item.widget())
        elif item.spacerItem() is not None and groups[-1]:
            groups.append([])
    named = {f"group{i}": group for i, group in enumerate(g for g in groups if g)}
    row.deleteLater()
    return WrappingRows(named, [], theme, parent=parent, expanding=tuple(expanding))
