"""(initial scaffold, to be replaced by the control bar)"""
from PySide6.QtWidgets import QToolBar


class ControlsBar(QToolBar):
    def __init__(self, controller, theme, parent=None):
        super().__init__(parent)
