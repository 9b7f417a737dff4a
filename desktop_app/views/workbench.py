"""(initial scaffold, to be replaced by the workbench views)"""
from PySide6.QtWidgets import QWidget


class WorkbenchPage(QWidget):
    def __init__(self, controller, theme, parent=None):
        super().__init__(parent)
