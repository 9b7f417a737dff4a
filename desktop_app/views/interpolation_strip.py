"""A walk through the latent space: the strip of images decoded along a path.

``ImageStrip`` paints any row of decoded images (a path, or samples from the prior);
``InterpolationPanel`` lets the learner pick the two ends on a ``LatentCanvas`` (a
clicked point or a training image, which then follows its code as training moves
it), choose linear or spherical, and shows what the canvas's path decodes to.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.panels import formatting as fmt
from desktop_app.state_binding import bind_choice, bind_number
from desktop_app.theme import Theme
from desktop_app.views.decoded_image import grayscale_image, paint_image
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.widgets.number_box import WholeNumberBox
from engine.latent.space import COORD_DECIMALS, INTERPOLATIONS, MAX_STRIP


class ImageStrip(QWidget):
    """A row of decoded images with a caption under each; click one to look at it."""

    tileClicked = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None, *, name: str = "interpolationStrip",
                 empty_text: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.theme = theme
        self._values = np.empty((0, 0))
        self._images: list = []
        self._captions: list[str] = []
        self._empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(int(78 * theme.scale))

    def values(self) -> np.ndarray:
        """The images on screen, one row each."""
        return self._values.copy()

    def captions(self) -> list[str]:
        return list(self._captions)

    def set_images(self, values: np.ndarray | None, captions: list[str] | None = None) -> None:
        if values is None:
            self._values, self._images, self._captions = np.empty((0, 0)), [], []
        else:
            self._values = np.array(values, dtype=np.float64)
            self._images = [grayscale_image(v) if v.size > 16 else None for v in self._values]
            self._captions = list(captions) if captions is not None else [""] * len(self._values)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(int(400 * self.theme.scale), int(84 * self.theme.scale))

    def tile_rects(self) -> list[QRectF]:
        n = len(self._values)
        if n == 0:
            return []
        caption_h = self.fontMetrics().height() + 2
        pitch = self.width() / n
        side = max(6.0, min(pitch - 4.0, self.height() - caption_h - 4.0))
        return [QRectF(k * pitch + (pitch - side) / 2, 2, side, side) for k in range(n)]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setFont(self.theme.font(0.8))
        painter.setPen(self.theme.muted)
        if len(self._values) == 0:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._empty_text)
            painter.end()
            return
        numbers = len(self._values) <= 12
        for rect, values, image, caption in zip(self.tile_rects(), self._values, self._images, self._captions,
                                                strict=True):
            paint_image(painter, rect, values, self.theme, numbers=numbers, image=image)
            painter.setPen(self.theme.muted)
            painter.drawText(QRectF(rect.left() - 10, rect.bottom() + 1, rect.width() + 20, 16),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        for k, rect in enumerate(self.tile_rects()):
            if rect.contains(event.position()):
                self.tileClicked.emit(k)
                return
        super().mousePressEvent(event)


class InterpolationPanel(QWidget):
    """Pick A and B on the canvas, linear or spherical, and see the walk decoded."""

    def __init__(self, canvas: LatentCanvas, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("interpolationPanel")
        self.canvas = canvas
        self.theme = theme
        self._points: np.ndarray | None = None
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

        row = QHBoxLayout()
        for w in (self.start_button, self.end_button, self.kind, self.steps, self.clear_button):
            row.addWidget(w)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.ends_label)
        layout.addWidget(self.message)
        layout.addWidget(self.strip)
        layout.addStretch(1)

        self.start_button.clicked.connect(lambda: self._set_end(0))
        self.end_button.clicked.connect(lambda: self._set_end(1))
        self.clear_button.clicked.connect(self._clear)
        bind_choice(self.kind, canvas.state, "path_kind", INTERPOLATIONS)
        bind_number(self.steps, canvas.state, "path_steps")
        canvas.state.events.path_ends.connect(self._describe_ends)
        self.strip.tileClicked.connect(self._look_at)
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
        self._points = points
        if points is None:
            self.strip.set_images(None)
            return
        n = len(points)
        self.strip.set_images(images, [f"t={k / (n - 1):.2f}" for k in range(n)])

    def _look_at(self, k: int) -> None:
        if self._points is not None and k < len(self._points):
            self.canvas.set_probe(self._points[k])
