"""A walk through the latent space: the strip of images decoded along a path.

``InterpolationPanel`` lets the learner pick the two ends on a ``LatentCanvas`` (a
clicked point or a training image, which then follows its code as training moves
it), choose linear or spherical, and shows what the canvas's path decodes to.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from desktop_app.panels import formatting as fmt
from desktop_app.state_binding import bind_choice, bind_number
from desktop_app.theme import Theme
from desktop_app.views.decoded_points import DecodedPointsPanel, ImageStrip
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.widgets.number_box import WholeNumberBox
from engine.latent.space import COORD_DECIMALS, INTERPOLATIONS, MAX_STRIP


class InterpolationPanel(DecodedPointsPanel):
    """Pick A and B on the canvas, linear or spherical, and see the walk decoded."""

    def __init__(self, canvas: LatentCanvas, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(canvas, theme, "interpolationPanel", parent)
        self.start_button = QPushButton("A ← probe", self)
        self.end_button = QPushButton("B ← probe", self)
        self.clear_button = QPushButton("Clear", self)
        for button, tip in ((self.start_button, "Start the path at the point (or image) you clicked last"),
                            (self.end_button, "End the path at the point (or image) you clicked last"),
                            (self.clear_button, "Remove the path")):
            button.setToolTip(tip)
        self.start_button.setObjectName("pathStartButton")
        self.end_button.setObjectName("pathEndButton")
        self.kind = QComboBox(self)
        self.kind.setObjectName("pathKind")
        self.kind.addItems([k.capitalize() for k in INTERPOLATIONS])
        self.kind.setToolTip("Spherical turns around the centre (the prior's mean for a VAE) instead of cutting "
                             "straight through it")
        self.steps = WholeNumberBox(self, what="The number of images")
        self.steps.setObjectName("pathSteps")
        self.steps.setRange(2, MAX_STRIP)
        self.steps.setSuffix(" images")
        self.message = QLabel("Click a point or an image, press “A ← probe”; click another, press “B ← probe”.", self)
        self.message.setWordWrap(True)
        self.message.setFont(theme.font(0.85))
        self.ends_label = QLabel("", self)
        self.ends_label.setFont(theme.font(0.85))
        self.ends_label.setVisible(False)
        self.strip = ImageStrip(theme, self, empty_text="The images along the path appear here.")

        self.lay_out((self.start_button, self.end_button, self.kind, self.steps, self.clear_button),
                     (self.ends_label, self.message))

        self.start_button.clicked.connect(lambda: self._set_end(0))
        self.end_button.clicked.connect(lambda: self._set_end(1))
        self.clear_button.clicked.connect(self._clear)
        bind_choice(self.kind, canvas.state, "path_kind", INTERPOLATIONS)
        bind_number(self.steps, canvas.state, "path_steps")
        canvas.state.events.path_ends.connect(self._describe_ends)
        canvas.pathChanged.connect(self._on_path)

    def _set_end(self, which: int) -> None:
        end = self.canvas.path_end_from_probe()
        if end is None:
            self._say("Click the latent space (a point or an image) first, then press this button.", error=True)
            return
        self.canvas.set_path_end(which, end)
        self._say("Click a tile to look at it large; training images as ends follow their codes.")

    def _clear(self) -> None:
        self.canvas.state.path_ends = (None, None)

    def _describe_ends(self, _ends: object = None) -> None:
        parts = []
        for name, end in zip("AB", self.canvas.state.path_ends, strict=True):
            if end is None:
                parts.append(f"{name}: not set")
            elif end[0] == "image":
                parts.append(f"{name}: image {end[1] + 1}")
            else:
                parts.append(f"{name}: {fmt.point(end[1], COORD_DECIMALS)}")
        self.ends_label.setText("    ".join(parts))
        self.ends_label.setVisible(any(end is not None for end in self.canvas.state.path_ends))

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {self.theme.error.name()}" if error else "")

    def _on_path(self, points: np.ndarray | None, images: np.ndarray | None) -> None:
        n = 0 if points is None else len(points)
        self.show_points(points, images, [f"t={k / (n - 1):.2f}" for k in range(n)])
