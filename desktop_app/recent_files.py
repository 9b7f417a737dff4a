"""File > Open recent: the sessions saved or opened last, newest first, kept in QSettings."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desktop_app.settings import settings

KEY = "files/recent"
MAX_RECENT = 8


def recent_files() -> list[str]:
    """The remembered paths, newest first (files deleted since are still listed: opening
    one says it is gone, which tells the learner more than a silent disappearance)."""
    value = settings().value(KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list
        value = [value]
    return [str(v) for v in value or [] if str(v)][:MAX_RECENT]


def remember(path: str | os.PathLike) -> None:
    """Put ``path`` first in the list."""
    text = str(Path(path).resolve())
    paths = [text, *(p for p in recent_files() if p != text)][:MAX_RECENT]
    store = settings()
    store.setValue(KEY, paths)
    store.sync()


def forget_all() -> None:
    store = settings()
    store.remove(KEY)
    store.sync()


class RecentFilesMenu(QMenu):
    """Rebuilt from the settings each time it opens, so every window shows the same list."""

    def __init__(self, open_path: Callable[[str], None], parent=None) -> None:
        super().__init__("Open &recent", parent)
        self.setObjectName("recentFilesMenu")
        self._open_path = open_path
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        paths = recent_files()
        for k, path in enumerate(paths, start=1):
            action = QAction(f"&{k}  {Path(path).name}   ({Path(path).parent})", self)
            action.setData(path)
            action.setToolTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self._open_path(p))
            self.addAction(action)
        if not paths:
            empty = self.addAction("No recent sessions")
            empty.setEnabled(False)
            return
        self.addSeparator()
        clear = self.addAction("Clear the list")
        clear.triggered.connect(lambda: (forget_all(), self.rebuild()))
