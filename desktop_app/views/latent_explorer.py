"""(initial scaffold, to be replaced by the latent explorer)"""
from PySide6.QtWidgets import QWidget


class LatentExplorer(QWidget):
    def __init__(self, controller, theme, parent=None):
        super().__init__(parent)
