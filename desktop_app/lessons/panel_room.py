"""Room for the teaching panels a presented lesson step names: each shows all of itself,
neither scrolling sideways nor down.

A panel's parts stand side by side when it is wide (``panels.columns``), so a wider panel
is a shorter one. While a step is presented, each panel it names asks for the narrowest
width at which its body fits the height its dock has (its scroll area's minimum width);
where even the widest width the other views leave is not enough, its dock first takes
the height of the docks stacked with it, down to their minimum, then the panel's spare
parts step aside (``TeachingPanel.spare_parts``), least needed first. The fit test
(tests/desktop_app/test_lesson_fit.py) says which step still scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QScrollArea, QWidget

from desktop_app.lessons.lesson_column import settle_window


def needed_width(body: QWidget, height: int, widest: int) -> int:
    """The narrowest width up to ``widest`` at which ``body`` is at most ``height`` tall
    (``widest`` if none is): a wider body is never taller, so bisect."""
    lowest = body.minimumSizeHint().width()
    if lowest >= widest or body.heightForWidth(lowest) <= height:
        return lowest
    if body.heightForWidth(widest) > height:
        return widest
    while widest - lowest > 2:
        middle = (lowest + widest) // 2
        lowest, widest = (lowest, middle) if body.heightForWidth(middle) <= height else (middle, widest)
    return widest


class PanelRoom:
    """Holds the scroll areas of one window's presented panels at the width they need."""

    def __init__(self, window) -> None:
        self.window = window
        self._held: list[QScrollArea] = []
        self._aside: list[QWidget] = []  # spare parts set aside to fit (shown again on release)

    def hold(self, docks: list[QDockWidget], room: int) -> None:
        """Each panel in ``docks`` asks for the width its body needs to fit its height, out
        of ``room``, the workbench's width (its control bar may be wider than its views)."""
        self.release()
        for dock in docks:
            scroll = dock.findChild(QScrollArea)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self._held.append(scroll)
            settle_window(self.window)
            widest = room - self._beside(dock) - (dock.width() - scroll.width()) - self._frame(scroll)
            if self._hold_one(scroll, widest):
                continue
            self._take_height(dock)
            for part in [p for p in dock.widget().child.spare_parts() if not p.isHidden()]:
                if self._hold_one(scroll, widest):
                    break
                part.hide()
                self._aside.append(part)
            else:
                self._hold_one(scroll, widest)

    def _beside(self, dock: QDockWidget) -> int:
        """The width the workbench's other views beside ``dock`` need at least, with the
        separators between them."""
        bench = self.window.workbench
        central = bench.centralWidget()
        others = [d for d in bench.docks.values() if d is not dock and d.isVisible() and not _stacked(d, dock)]
        parts = ([central] if central.isVisible() else []) + others
        gaps = bench.width() - dock.width() - sum(w.width() for w in parts)
        return sum(w.minimumSizeHint().width() for w in parts) + max(0, gaps)

    def _frame(self, scroll: QScrollArea) -> int:
        return 2 * scroll.frameWidth()

    def _hold_one(self, scroll: QScrollArea, widest: int) -> bool:
        """Hold ``scroll`` at its body's width for its height; whether the body fits there."""
        settle_window(self.window)
        body, height = scroll.widget(), scroll.height() - self._frame(scroll)
        width = needed_width(body, height, widest)
        scroll.setMinimumWidth(width + self._frame(scroll))
        settle_window(self.window)
        return body.heightForWidth(width) <= height

    def _take_height(self, dock: QDockWidget) -> None:
        """Give ``dock`` the height of the shown docks above and below it, all but their minimum."""
        bench = self.window.workbench
        stacked = [d for d in bench.docks.values() if d is not dock and d.isVisible() and _stacked(d, dock)]
        if not stacked:
            return
        total = sum(d.height() for d in stacked) + dock.height()
        lows = [d.minimumSizeHint().height() for d in stacked]
        bench.resizeDocks(stacked + [dock], lows + [total - sum(lows)], Qt.Orientation.Vertical)

    def release(self) -> None:
        for scroll in self._held:
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            scroll.setMinimumWidth(0)
        self._held = []
        for part in self._aside:
            part.show()
        self._aside = []


def _stacked(a: QWidget, b: QWidget) -> bool:
    """Whether two docks share a column (one above the other)."""
    return a.x() < b.x() + b.width() and b.x() < a.x() + a.width()
