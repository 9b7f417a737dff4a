"""One model's latent map in case study 2: its title, the map, a status line, and the
digit its probe decodes to (laid out by the study beside the maps).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.case_studies.curves import steady_axes
from desktop_app.controller import TrainingController
from desktop_app.state.latent_map import LatentMapState
from desktop_app.state.studies import GENERATION_MAP
from desktop_app.theme import Theme
from desktop_app.views.decoded_image import DecodedImageView, LatentCoordLabel
from desktop_app.views.latent_canvas import LatentCanvas
from engine.digits.data import N_PIXELS


class MapPane(QWidget):
    """One model's latent map with a title, and the digit its probe decodes to."""

    def __init__(self, theme: Theme, title: str, suffix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title, self)
        self.title.setFont(theme.font(1.1, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.canvas = LatentCanvas(None, theme, self, name=f"generationLatentCanvas{suffix}",
                                   state=LatentMapState(**GENERATION_MAP))
        # room for labels such as "-2.5" from the start: the first epochs spread the codes
        # out, and an axis that widened in the middle of a paint painted the map twice more
        steady_axes(self.canvas.getPlotItem(), theme.font(0.85), "-0.0")
        self.decoded = DecodedImageView(theme, self, name=f"generationDecodedImage{suffix}", pixels=N_PIXELS)
        self.decoded.setMinimumSize(int(80 * theme.scale), int(64 * theme.scale))  # grows with the room
        self.coords = LatentCoordLabel(theme, self, name=f"generationLatentCoordLabel{suffix}")
        self.status = QLabel("", self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status.setWordWrap(True)  # a long status wraps; it never sets the map's width
        self.status.setStyleSheet(f"color: {theme.muted.name()}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.status)
        self.canvas.probeChanged.connect(self._show)

    def _show(self, z: np.ndarray, values: np.ndarray) -> None:
        index = self.canvas.probe_image
        caption = f"held-out digit {index + 1}'s code" if index is not None else "decoded at the probe"
        self.decoded.set_values(values, caption)
        self.coords.show_point(z)

    def follow(self, controller: TrainingController) -> None:
        self.canvas.set_controller(controller)
        self.probe_origin()

    def probe_origin(self) -> None:
        """Start the probe at the centre of the prior, so a digit shows at once."""
        snapshot = self.canvas.snapshot
        if snapshot is not None and snapshot.latent_dim == 2:
            self.canvas.set_probe((0.0, 0.0))
