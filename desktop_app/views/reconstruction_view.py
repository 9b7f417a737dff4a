"""How well each image comes back: original, (for a denoiser) the damaged input, the
reconstruction, and each pixel's share of the loss, for the followed image; and a
strip of every image over its reconstruction.

The per-pixel terms come from the engine's loss breakdowns (``engine.lecture.loss_breakdowns``), the
same ones the teaching panels use, so they add up to the loss printed beside them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from desktop_app.views.opaque import paints_own_background
from desktop_app.views.pixel_grid import PixelGrid, tiles_image
from engine.core.snapshot import EpochSnapshot
from engine.lecture import loss_breakdowns

ERROR_CAPTIONS = {"mse": "error (x − y)²", "logloss": "log-loss terms"}
ERROR_SCALE = {"mse": 0.05, "logloss": 1.0}  # a pixel term this large is drawn at full heat


def pixel_terms(snapshot: EpochSnapshot, index: int) -> loss_breakdowns.LossBreakdown:
    """Each pixel's share of the reconstruction loss of image ``index`` (the engine's maths)."""
    x, y = snapshot.images[index], snapshot.reconstructions[index]
    return loss_breakdowns.mse(x, y) if snapshot.config.loss == "mse" else loss_breakdowns.log_loss(x, y)


class ImageStrip(QWidget):
    """Every image (top) over its reconstruction (bottom); click a column to follow it."""

    columnClicked = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        paints_own_background(self)  # redrawn every frame while training
        self.theme = theme
        self.originals = np.zeros((0, 4))
        self.reconstructions = np.zeros((0, 4))
        self.selected = 0
        self._image: QImage | None = None
        self.tile = int(round(30 * theme.scale))
        self.gap = int(round(6 * theme.scale))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def apply_theme(self, theme: Theme) -> None:
        """Tiles at another theme's size (desktop_app.theming calls this)."""
        self.theme = theme
        self.tile = int(round(30 * theme.scale))
        self.gap = int(round(6 * theme.scale))
        self.set_images(self.originals, self.reconstructions, self.selected)
        self.updateGeometry()
        self.adjustSize()

    def set_images(self, originals: np.ndarray, reconstructions: np.ndarray, selected: int) -> None:
        resized = len(originals) != len(self.originals)
        self.originals, self.reconstructions, self.selected = originals, reconstructions, selected
        self._image = tiles_image(np.stack([originals, reconstructions]), self.tile, self.gap,
                                  self.palette().window().color(), self.theme.muted)
        if resized:
            self.updateGeometry()
            self.adjustSize()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        n = len(self.originals)
        return QSize(self.gap + n * (self.tile + self.gap), 2 * self.tile + 3 * self.gap)

    def column_rects(self, index: int) -> tuple[QRectF, QRectF]:
        x = self.gap + index * (self.tile + self.gap)
        top = QRectF(x, self.gap, self.tile, self.tile)
        return top, top.translated(0, self.tile + self.gap)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        if self._image is not None:
            painter.drawImage(0, 0, self._image)
        if 0 <= self.selected < len(self.originals):
            top, bottom = self.column_rects(self.selected)
            pen = QPen(self.theme.accent, self.theme.line(1.2))
            painter.setPen(pen)
            painter.drawRect(top.united(bottom).adjusted(-2, -2, 0, 0))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        step = self.tile + self.gap
        index = int((event.position().x() - self.gap / 2) // step)
        if 0 <= index < len(self.originals):
            self.columnClicked.emit(index)


class ReconstructionView(QWidget):
    """The followed image's way through the network, and every image's result at a glance."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reconstructionView")
        self.setAccessibleName("reconstructionView")
        self.controller = controller
        self._stale = False  # a snapshot arrived while hidden
        self.theme = theme
        self.title = QLabel()
        self.title.setFont(theme.font(1.15, bold=True))
        self.original = PixelGrid(theme, caption="original x", cell_px=40)
        self.original.setToolTip("The image as it is in the training set: the target.")
        self.noisy = PixelGrid(theme, caption="noisy input", cell_px=40)
        self.noisy.setToolTip("What the denoiser is fed: the image with noise added. Its target is the clean original.")
        self.reconstruction = PixelGrid(theme, caption="output y", cell_px=40)
        self.reconstruction.setToolTip("The reconstruction: what the network rebuilds from its two latent numbers.")
        self.error = PixelGrid(theme, caption=ERROR_CAPTIONS["logloss"], decimals=4, cell_px=40)
        self.error.setToolTip("Each pixel's part of the reconstruction loss; together they add up to it.")
        self.total = QLabel()
        self.total.setObjectName("reconstructionLoss")
        paints_own_background(self.total)
        self.total.setFont(theme.font(1.0))
        self.total.setAlignment(Qt.AlignmentFlag.AlignCenter)

        grids = QHBoxLayout()
        widest = max(g.sizeHint().width() for g in (self.original, self.noisy, self.reconstruction, self.error))
        for grid in (self.original, self.noisy, self.reconstruction, self.error):
            grid.setMinimumWidth(widest)  # the same size for all four, whatever their captions
            grids.addWidget(grid, 1)
        self.strip = ImageStrip(theme)
        self.strip.setObjectName("reconstructionStrip")
        self.strip.setToolTip("Every training image (top) over its reconstruction (bottom); click one to follow it.")
        self.strip.columnClicked.connect(controller.select_image)
        scroll = QScrollArea()
        scroll.setWidget(self.strip)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedHeight(self.strip.sizeHint().height() + scroll.horizontalScrollBar().sizeHint().height() + 2)
        self.scroll = scroll
        strip_caption = QLabel("All images: original above, reconstruction below")
        strip_caption.setFont(theme.font(0.9))
        strip_caption.setStyleSheet(f"color: {theme.muted.name()};")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(grids, 1)
        layout.addWidget(self.total)
        layout.addWidget(strip_caption)
        layout.addWidget(scroll)

        controller.snapshotChanged.connect(self.render)
        controller.selectionChanged.connect(lambda _i: self.render(controller.snapshot))
        self.render(controller.snapshot)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self.render(self.controller.snapshot)

    def render(self, snapshot: EpochSnapshot) -> None:  # noqa: A003 (the views' shared verb)
        if not self.isVisible():  # hidden (another tab, a lesson step): catch up when shown
            self._stale = True
            return
        self._stale = False
        index = min(self.controller.selected_index, len(snapshot.images) - 1)
        self.title.setText(f"Reconstruction of image {index + 1}")
        self.original.set_values(snapshot.images[index])
        denoising = snapshot.config.model == "dae"
        self.noisy.setVisible(denoising)
        if denoising:
            self.noisy.set_values(snapshot.inputs[index])
        self.reconstruction.set_values(snapshot.reconstructions[index])
        terms = pixel_terms(snapshot, index)
        scale = max(ERROR_SCALE[snapshot.config.loss], float(np.max(terms.terms)))
        heat = [self.theme.heat_colour(t / scale) for t in terms.terms]
        self.error.set_values(terms.terms, colours=heat)
        self.error.set_caption(ERROR_CAPTIONS[snapshot.config.loss])
        name = "MSE" if snapshot.config.loss == "mse" else "log-loss"
        self.total.setText(f"{name} of this image = Σ of the four = {fmt.fixed(terms.total)}")
        self.strip.set_images(np.asarray(snapshot.images), np.asarray(snapshot.reconstructions), index)
