"""What the latent dock says in small print: a probe's decoded image and coordinates
(``ProbeReadout``), and the dock's hint and error labels.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.frames.opaque import paints_own_background
from desktop_app.theme import Theme
from desktop_app.views.decoded_image import DecodedImageView, LatentCoordLabel
from desktop_app.views.latent_canvas import LatentCanvas


def error_label(theme: Theme, parent: QWidget) -> QLabel:
    label = QLabel("", parent)
    label.setWordWrap(True)
    label.setFont(theme.font(0.85))
    label.setStyleSheet(f"color: {theme.error.name()}")
    return label


def hint(text: str, theme: Theme, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setFont(theme.font(0.85))
    label.setStyleSheet(f"color: {theme.muted.name()}")
    return label


class ProbeReadout(QWidget):
    """A decoded image with the coordinates it was decoded at, wired to one canvas."""

    def __init__(self, canvas: LatentCanvas, theme: Theme, parent: QWidget | None = None, *, suffix: str = "") -> None:
        super().__init__(parent)
        paints_own_background(self)  # redrawn on every click and frame
        self.canvas = canvas
        self.image = DecodedImageView(theme, self, name=f"decodedImage{suffix}")
        self.coords = LatentCoordLabel(theme, self, name=f"latentCoordLabel{suffix}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.image)
        layout.addWidget(self.coords)
        layout.addStretch(1)
        canvas.probeChanged.connect(self._show)

    def _show(self, z: np.ndarray, values: np.ndarray) -> None:
        index = self.canvas.probe_image
        source = f"image {index + 1}" if index is not None else ""
        self.image.set_values(values, "Decoded")
        self.coords.show_point(z, source)
