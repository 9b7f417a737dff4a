"""Animation frames rendered offscreen from stored epochs, never captured from the screen.

Fresh view widgets (the same classes the workbench uses) are built off-screen and fed
one stored snapshot after another through ``ReplayController``, which stands in for
the window's controller: it shows a frozen run as it was at each epoch (the loss
history up to that epoch, the stored epochs before it for the latent trails). Each
frame gets an epoch caption and is painted with ``QWidget.render`` into a QImage.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.theme import Theme
from desktop_app.views.loss_plot import LossPlot, nice_ceiling
from engine.core.history import LossHistory
from engine.core.snapshot import EpochSnapshot


@dataclass(frozen=True)
class StoredRun:
    """A frozen copy of what a session stored: snapshots by epoch and the loss history.

    Taken once when an export starts, so training on, rewinding or thinning the live
    session meanwhile changes nothing in the animation."""

    snapshots: dict[int, EpochSnapshot]
    losses: np.ndarray  # rows of (total, reconstruction, KL) for epochs 1..n

    @classmethod
    def of(cls, session) -> StoredRun:
        stored = {c.snapshot.epoch: c.snapshot for c in session.checkpoints}
        return cls(stored, session.history.as_array())

    @property
    def epochs(self) -> list[int]:
        return sorted(self.snapshots)


class ReplayController(QObject):
    """Stands in for ``TrainingController`` for views drawn offscreen: the same signals and
    read-only surface, showing a stored run epoch by epoch; it never trains."""

    snapshotChanged = Signal(object)
    selectionChanged = Signal(int)
    runningChanged = Signal(bool)
    sessionReplaced = Signal(object)
    configChanged = Signal(object)
    statusChanged = Signal(str)
    diverged = Signal(str)

    running = False
    epochs_per_second = 0.0

    def __init__(self, run: StoredRun, selected: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.selected_index = selected
        self.show(run.snapshots[run.epochs[0]])

    @property
    def config(self):
        return self.snapshot.config

    def show(self, snapshot: EpochSnapshot) -> None:
        """The run as it was after ``snapshot.epoch`` epochs: what the views read besides
        the snapshot (the controller's read-only facts) is cut at that epoch too."""
        self.snapshot = snapshot
        self.latest_epoch = snapshot.epoch
        self.loss_history = LossHistory.from_array(self.run.losses[: snapshot.epoch])
        self.train_images = np.array(snapshot.images)  # what the dataset view lists
        self._stored = [self.run.snapshots[e] for e in self.run.epochs if e <= snapshot.epoch]
        self.snapshotChanged.emit(snapshot)

    def stored_snapshots(self) -> list[EpochSnapshot]:
        return self._stored

    def stored_snapshot_at(self, epoch: int) -> EpochSnapshot:
        return max((s for s in self._stored if s.epoch <= epoch), key=lambda s: s.epoch, default=self._stored[0])

    def draw_later(self, _view: object, draw, every_s: float = 0.0) -> None:
        draw()  # nothing runs here: draw now, so the frame is complete when rendered

    @contextmanager
    def drawing(self) -> Iterator[None]:
        yield

    def select_image(self, index: int) -> None:
        """Views offer clicks; nobody clicks an offscreen frame."""

    def show_epoch(self, epoch: int) -> None:
        """The timeline's buttons: nobody presses them offscreen."""


def _titled(title: str, view: QWidget, theme: Theme) -> QWidget:
    box = QWidget()
    label = QLabel(title)
    label.setFont(theme.font(1.1, bold=True))
    layout = QVBoxLayout(box)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.addWidget(label)
    layout.addWidget(view, 1)
    return box


def build_view(key: str, controller: ReplayController, theme: Theme) -> QWidget:
    """A fresh view of the kind the workbench shows, following ``controller``."""
    from desktop_app.views.latent_canvas import LatentCanvas
    from desktop_app.views.loss_plot import LossPlot
    from desktop_app.views.network_diagram import NetworkDiagram
    from desktop_app.views.reconstruction_view import ReconstructionView
    from desktop_app.views.workbench import WorkbenchPage

    if key == "diagram":
        return NetworkDiagram(controller, theme)
    if key == "latent":
        return _titled("Latent space", LatentCanvas(controller, theme), theme)
    if key == "loss":
        return LossPlot(controller, theme)
    if key == "reconstruction":
        return ReconstructionView(controller, theme)
    if key == "workbench":
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(WorkbenchPage(controller, theme), 3)
        row.addWidget(_titled("Latent space", LatentCanvas(controller, theme), theme), 1)
        return page
    raise ValueError(f"Unknown view {key!r}.")


class Tiles(QWidget):
    """The views of a frame in fixed shares of its area (no layout negotiation: a view's
    wish to be taller, e.g. for a wrapped label, never squeezes its neighbour). One view
    fills the frame; two sit side by side; three: the first on the left, the other two
    stacked on the right; four: two by two."""

    GAP = 6

    def __init__(self, views: list[QWidget]) -> None:
        super().__init__()
        self.views = views
        for view in views:
            view.setParent(self)

    def cells(self) -> list[tuple[float, float, float, float]]:
        """(x, y, width, height) of each view as fractions of the area."""
        n = len(self.views)
        if n == 1:
            return [(0, 0, 1, 1)]
        if n == 2:
            return [(0, 0, 0.5, 1), (0.5, 0, 0.5, 1)]
        if n == 3:
            return [(0, 0, 0.5, 1), (0.5, 0, 0.5, 0.5), (0.5, 0.5, 0.5, 0.5)]
        rows = (n + 1) // 2
        return [((i % 2) / 2, (i // 2) / rows, 0.5, 1 / rows) for i in range(n)]

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        w, h, g = self.width(), self.height(), self.GAP
        for view, (x, y, cw, ch) in zip(self.views, self.cells(), strict=True):
            left, top = round(x * w), round(y * h)
            right, bottom = round((x + cw) * w), round((y + ch) * h)
            view.setGeometry(left + (g // 2 if left else 0), top + (g // 2 if top else 0),
                             right - left - (g // 2 if left else 0) - (g // 2 if right < w else 0),
                             bottom - top - (g // 2 if top else 0) - (g // 2 if bottom < h else 0))


class FrameRenderer:
    """Builds the chosen views once, offscreen, and paints one frame per stored epoch."""

    def __init__(self, run: StoredRun, views: tuple[str, ...], width: int, height: int,
                 theme: Theme | None = None, selected: int = 0) -> None:
        self.theme = theme or Theme()
        self.run = run
        self.width, self.height = width, height
        self.controller = ReplayController(run, selected)
        self.frame = QWidget()
        self.frame.setObjectName("animationFrame")
        self.frame.setAutoFillBackground(True)
        palette = self.frame.palette()
        palette.setColor(self.frame.backgroundRole(), self.theme.background)
        palette.setColor(self.frame.foregroundRole(), self.theme.foreground)
        self.frame.setPalette(palette)
        self.caption = QLabel()
        self.caption.setObjectName("animationCaption")
        self.caption.setFont(self.theme.font(1.3, bold=True))
        self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.views = [build_view(key, self.controller, self.theme) for key in views]
        layout = QVBoxLayout(self.frame)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.caption)
        layout.addWidget(Tiles(self.views), 1)
        # Laid out and "shown" without ever reaching the screen: views draw only when visible.
        self.frame.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.frame.setFixedSize(width, height)
        self.frame.show()
        self._loss_plots = self.frame.findChildren(LossPlot)
        for plot in self._loss_plots:
            plot.log_toggle.hide()  # a control, not part of the picture

    def _hold_loss_axes(self) -> None:
        """The loss axes of the whole run, from the first frame on: the curve grows across
        a still plot instead of the plot rescaling under it every frame."""
        losses = self.run.losses
        finite = losses[np.isfinite(losses)]
        top = nice_ceiling(float(finite.max()) * 1.04) if finite.size and finite.max() > 0 else 1.0
        x_top = nice_ceiling(max(10.0, float(self.run.epochs[-1])))
        for plot in self._loss_plots:
            plot.plot.getPlotItem().setRange(xRange=(0, x_top), yRange=(0, top), padding=0.02)

    def render(self, epoch: int) -> QImage:
        """The frame for a stored epoch, painted into a fresh image."""
        snapshot = self.run.snapshots[epoch]
        self.controller.show(snapshot)
        self._hold_loss_axes()
        self.caption.setText(caption(snapshot, self.run.epochs[-1]))
        self.frame.layout().activate()
        image = QImage(self.width, self.height, QImage.Format.Format_RGB32)
        image.fill(self.theme.background)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        try:
            self.frame.render(painter, QPoint(0, 0))
        finally:
            painter.end()
        return image

    def close(self) -> None:
        self.frame.close()
        self.frame.deleteLater()


def caption(snapshot: EpochSnapshot, last_epoch: int) -> str:
    c = snapshot.config
    model = {"ae": "autoencoder", "dae": "denoising autoencoder", "vae": "variational autoencoder"}[c.model]
    loss = "untrained" if snapshot.epoch == 0 else f"loss {snapshot.loss:.4g}"
    return f"Epoch {snapshot.epoch:,} of {last_epoch:,}   ·   {loss}   ·   {model}, learning rate {c.learning_rate:g}"


def rgb_array(image: QImage) -> np.ndarray:
    """An (H, W, 3) uint8 copy of a QImage, safe to hand to an encoding thread."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    h, w = rgb.height(), rgb.width()
    data = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    return data.reshape(h, rgb.bytesPerLine())[:, : w * 3].reshape(h, w, 3).copy()
