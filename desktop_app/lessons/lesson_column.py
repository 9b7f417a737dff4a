"""The presented lesson column's width: what the step's text needs to be read without
scrolling, at least ``COLUMN_SHARE`` of the screen, at most what the views' minimum
widths leave (see presenting.py for the whole presented layout)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from desktop_app.fit import settle
from desktop_app.workbench_views import lay_out_now

COLUMN_SHARE = 0.22  # of the screen's width for the lesson column, at least (the control bar's row takes the rest)
GIVE_BACK = 16  # pixels the column gives back to a squeezed view (or takes for its words) at a time
COLUMN_TRIES = 3  # the column is measured again after it was sized: the button rows may have wrapped


def settle_window(window) -> None:
    """Every nested layout passes its new minimum up (a bar in the workbench's toolbar
    takes several rounds to reach the window), then the window's layout settles."""
    lay_out_now()
    settle(window)


class LessonColumn:
    """Sizes one window's lesson dock for the presented step's words."""

    def __init__(self, window) -> None:
        self.window = window
        self.width = 0  # the column's width, as last asked of the window

    def start(self, screen_width: int) -> None:
        """The narrowest presented column: ``COLUMN_SHARE`` of the screen."""
        self.width = self.least(screen_width)
        self.apply()

    @staticmethod
    def least(screen_width: int) -> int:
        return int(screen_width * COLUMN_SHARE)

    def apply(self) -> None:
        self.window.resizeDocks([self.window.lesson_dock], [self.width], Qt.Orientation.Horizontal)

    def fit(self, screen_width: int) -> None:
        """Size the column for the step's text, and again once the window has taken it in
        (the button rows may wrap); then widen it while its words still scroll as laid out
        (the estimate can be a line short), as far as the views leave room."""
        for _ in range(COLUMN_TRIES):
            column = self._for_text(screen_width)
            if column == self.width and self.width == self.window.lesson_dock.width():
                break
            self.width = column
            self.apply()
            settle_window(self.window)
        highest = screen_width - self.views_width()
        while self._scrolls() and self.width + GIVE_BACK <= highest:
            self.width += GIVE_BACK
            self.apply()
            settle_window(self.window)

    def _scrolls(self) -> bool:
        """Whether the step's words, as laid out now, need the column's scroll bar."""
        body = self.window.lessons.body
        port = body.viewport()
        return body.verticalScrollBar().isVisible() or body.widget().heightForWidth(port.width()) > port.height()

    def give_back(self, squeezed, screen_width: int) -> None:
        """Narrow the column, down to its least, while ``squeezed()`` says a view is below
        its minimum height (a case study's headline wrapped to more lines in a narrower
        page and squeezed the rows under it)."""
        least = max(self.least(screen_width), self.window.lesson_dock.minimumSizeHint().width())
        while squeezed() and self.width > least:
            self.width = max(least, self.width - GIVE_BACK)
            self.apply()
            settle_window(self.window)

    def text_fits(self, column: int | None = None) -> bool:
        """Whether the step's words are read without scrolling in a column ``column`` wide
        (the column as it is, if not given)."""
        navigator, dock = self.window.lessons, self.window.lesson_dock
        column = dock.width() if column is None else column
        return navigator.text_fits(column - (dock.width() - navigator.body.width()))

    def views_width(self) -> int:
        """The width the step's views need: the tabs' minimum (a case study's page: its
        content's, below which it scrolls), and the dock's separator."""
        settle_window(self.window)
        window, tabs = self.window, self.window.tabs
        separator = window.width() - window.lesson_dock.width() - tabs.width()
        scroll = tabs.currentWidget().findChild(QScrollArea) if tabs.currentWidget() is not window.workbench else None
        page = scroll.widget().minimumSizeHint().width() if scroll is not None else 0  # a study page scrolls below it
        return max(tabs.minimumSizeHint().width(), page) + max(0, separator)

    def _for_text(self, screen_width: int) -> int:
        """The narrowest column (from ``COLUMN_SHARE`` of the screen up to what the views
        leave) in which the step's text is read without scrolling; the widest there is if
        none is."""
        dock = self.window.lesson_dock
        lowest = max(self.least(screen_width), dock.minimumSizeHint().width())
        highest = max(screen_width - self.views_width(), dock.minimumSizeHint().width())
        if lowest >= highest:
            return highest
        text = self.window.lessons.text_fits
        margin = dock.width() - self.window.lessons.body.width()  # the dock's frame, the navigator's margins
        if text(lowest - margin) or not text(highest - margin):
            return lowest if text(lowest - margin) else highest
        while highest - lowest > 4:  # bisect: a wider column never needs more lines
            middle = (lowest + highest) // 2
            lowest, highest = (lowest, middle) if text(middle - margin) else (middle, highest)
        return highest
