"""F1 or "?": every keyboard shortcut of the window in one overlay, readable from the
back of the room. The list is collected from the window's own QActions and QShortcuts
each time it is shown, so a shortcut added anywhere appears without being typed here.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from desktop_app.widgets.window_cover import WindowCover

OVERLAY_FONT = 2.0  # times the theme's font: large enough for the back row
SHOW_KEYS = ("F1", "?")


def _text(action_text: str) -> str:
    return action_text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "").strip()


def _where(obj: QObject, tabs: QTabWidget | None) -> str:
    """The tab a shortcut belongs to ("" when it works everywhere)."""
    if tabs is None or not isinstance(obj.parent(), QWidget):
        return ""
    widget = obj.parent()
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if widget is page or page.isAncestorOf(widget):
            return tabs.tabText(index).split(":")[0]
    return ""


def _shortcut_name(shortcut: QShortcut) -> str:
    """A QShortcut's description: its whatsThis or objectName, or the name its owner keeps it under."""
    if shortcut.whatsThis():
        return shortcut.whatsThis()
    if shortcut.objectName():
        return shortcut.objectName()
    owned = getattr(shortcut.parent(), "shortcuts", {})
    for name, value in owned.items() if isinstance(owned, dict) else ():
        if value is shortcut:
            return name.replace("_", " ").capitalize()
    return "Shortcut"


def _keys(sequences: list[QKeySequence]) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in sequences if not k.isEmpty())


def collect_shortcuts(window: QWidget) -> list[tuple[str, str, str]]:
    """(keys, what it does, where) for every QAction and QShortcut with a key in the window."""
    tabs = window.findChild(QTabWidget)
    rows: dict[tuple[str, str, str], None] = {}
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if keys:
            rows[(keys, _text(action.text()), _where(action, tabs))] = None
    for shortcut in window.findChildren(QShortcut):
        keys = _keys(shortcut.keys())
        if keys:
            rows[(keys, _shortcut_name(shortcut), _where(shortcut, tabs))] = None
    return sorted(rows, key=lambda row: (row[2], row[1].lower()))


def _two_columns(rows: list[tuple[str, str, str]]) -> list[list[list[tuple[str, str, str]]]]:
    """The rows grouped by place, the groups split into two columns of about equal height,
    so that the table can use a larger font on a wide screen."""
    groups: list[list[tuple[str, str, str]]] = []
    for row in rows:  # sorted by place
        if not groups or groups[-1][0][2] != row[2]:
            groups.append([])
        groups[-1].append(row)
    total = sum(len(group) + 1 for group in groups)
    left: list[list[tuple[str, str, str]]] = []
    while groups and sum(len(g) + 1 for g in left) + (len(groups[0]) + 1) / 2 <= total / 2:
        left.append(groups.pop(0))
    return [left, groups]


def _column_html(groups: list[list[tuple[str, str, str]]], muted: str) -> str:
    cells = []
    for group in groups:  # one heading per place
        cells.append(f"<tr><td colspan='2' style='color:{muted}; padding-top:0.4em'>"
                     f"{escape(group[0][2] or 'Everywhere')}</td></tr>")
        cells.extend(f"<tr><td align='right' style='padding-right:1em'><b>{escape(keys)}</b></td>"
                     f"<td>{escape(what)}</td></tr>" for keys, what, _where in group)
    return f"<table cellspacing='4'>{''.join(cells)}</table>"


class ShortcutOverlay(WindowCover):
    """A dimmed cover with the shortcut table; any key or click closes it."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window, "shortcutOverlay")
        self.window_ = window
        self.table = QLabel(self)
        self.table.setObjectName("shortcutTable")
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 0, Qt.AlignmentFlag.AlignCenter)
        self.rows: list[tuple[str, str, str]] = []

    def open(self) -> None:
        self.rows = collect_shortcuts(self.window_)
        theme = self.window_.theme
        columns = _two_columns(self.rows)
        tallest = max(sum(len(group) + 1 for group in column) for column in columns)
        fitted = min(OVERLAY_FONT, self._fitting_factor(tallest))
        self.table.setFont(theme.font(fitted))
        colour, muted = theme.foreground.name(), theme.muted.name()
        halves = "".join(f"<td valign='top' style='padding:0 1.5em'>{_column_html(column, muted)}</td>"
                         for column in columns if column)
        self.table.setText(f"<div style='color:{colour}'><h2>Keyboard shortcuts</h2>"
                           f"<table><tr>{halves}</tr></table>"
                           f"<p style='color:{muted}'>Any key closes this.</p></div>")
        self.cover()

    def _fitting_factor(self, rows: int) -> float:
        """The largest font factor at which every row fits the window's height."""
        from PySide6.QtGui import QFontMetrics

        line = QFontMetrics(self.window_.theme.font(1.0)).lineSpacing() + 8
        return max(1.0, self.window_.height() * 0.85 / max(1, rows + 4) / line)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        background = self.window_.theme.background
        background.setAlpha(240)
        painter.fillRect(self.rect(), background)



def install_shortcut_overlay(window: QMainWindow, help_menu) -> ShortcutOverlay:
    """Help > Keyboard shortcuts (F1, ?)."""
    overlay = ShortcutOverlay(window)
    action = QAction("&Keyboard shortcuts", window)
    action.setObjectName("shortcutOverlayAction")
    action.setShortcuts([QKeySequence(k) for k in SHOW_KEYS])
    action.triggered.connect(overlay.open)
    window.addAction(action)
    help_menu.addAction(action)
    window.shortcut_overlay = overlay
    return overlay
