"""(initial scaffold, to be replaced by the case studies)"""
from PySide6.QtWidgets import QWidget


class DenoisingStudy(QWidget):
    def __init__(self, theme, parent=None):
        super().__init__(parent)


class GenerationStudy(QWidget):
    def __init__(self, theme, parent=None):
        super().__init__(parent)
