"""The 2x2 world's own plane (``dataPlane``): each image (a, b, b, a) is the point (a, b).

The lecture's images are secretly two-dimensional; this view shows that picture of
the dataset beside the latent canvas. The background is the colour key the latent
canvas uses for its dots, reconstructions are drawn where they land, and the point
decoded on the canvas shows up here too, so the learner can watch the latent map
turn into a warped copy of this plane as training goes on.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from desktop_app.frames.live_view import SECOND_HALF, LiveView
from desktop_app.theme import Theme
from desktop_app.views.plane_axes import plane_axes
from desktop_app.views.plane_points import dot_at, same_data
from engine.core.config import World
from engine.core.snapshot import EpochSnapshot
from engine.latent import space as latent

KEY_RESOLUTION = 48


def plane_minimum_width(scale: float) -> int:
    """The plane's narrowest width at ``scale``: 110 px at 100 % (the workbench beside the
    lesson path at 1280x720 has no more), 140 px for every 100 % from 200 % up. At 110 for every 100 %,
    a 200 % lecture squeezed its unit square to 140 px in a column 740 px tall."""
    return round((110 + 30 * min(1.0, max(0.0, scale - 1.0))) * scale)


class DataPlane(LiveView, pg.PlotWidget):
    """Docked beside the latent canvas (``LiveView``, second half of the frame): out of
    sight it draws nothing and catches up when shown."""

    imageHovered = Signal(int)  # -1 for none
    imageClicked = Signal(int)
    frame_half = SECOND_HALF
    wants_drawing = LiveView.in_sight_of_its_window

    def __init__(self, controller=None, theme: Theme | None = None, parent: QWidget | None = None, *,
                 name: str = "dataPlane") -> None:
        self.theme = theme or Theme()
        super().__init__(parent, background=self.theme.background)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self._controller = None
        self._snapshot: EpochSnapshot | None = None
        self._selected = 0
        self._hovered = -1
        self._drawn_images: np.ndarray | None = None
        self._build_items()
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.scene().sigMouseClicked.connect(self._on_click)
        if controller is not None:
            self.set_controller(controller)

    def apply_theme(self, theme: Theme) -> None:
        """A new scale (presentation mode): the minimum width of that scale, not the old
        one scaled (the plane needs more than its share at a lecture's scales)."""
        self.theme = theme
        self.setMinimumWidth(plane_minimum_width(theme.scale))

    def _build_items(self) -> None:
        t = self.theme
        plot = self.getPlotItem()
        plot.setMouseEnabled(False, False)
        vb = plot.getViewBox()
        vb.setAspectLocked(True)
        vb.setRange(xRange=(-0.04, 1.04), yRange=(-0.04, 1.04), padding=0)
        for side in ("bottom", "left"):
            plot.getAxis(side).setTicks([[(v, f"{v:g}") for v in (0.0, 0.5, 1.0)]])
        plane_axes(plot, t, ("a", "b"), 0.85, 0.8)
        centres = (np.arange(KEY_RESOLUTION) + 0.5) / KEY_RESOLUTION
        ga, gb = np.meshgrid(centres, centres)
        self.key_item = pg.ImageItem(t.pattern_rgb(np.stack([ga, gb], axis=2)), axisOrder="row-major",
                                     levels=(0, 255))
        self.key_item.setRect(0, 0, 1, 1)
        self.key_item.setOpacity(0.45)
        link = QColor(t.muted)
        link.setAlpha(170)
        self.links_item = pg.PlotDataItem(pen=pg.mkPen(link, width=t.line(0.5)), connect="finite")
        self.reconstructions_item = pg.ScatterPlotItem(size=t.marker(0.55), pen=pg.mkPen(t.foreground, width=1),
                                                       brush=None)
        self.points_item = pg.ScatterPlotItem(size=t.marker(), pen=pg.mkPen(QColor("#303030"), width=0.8))
        self.hover_item = pg.ScatterPlotItem(size=t.marker(1.9), pen=pg.mkPen(t.foreground, width=t.line(0.8)),
                                             brush=None)
        self.selected_item = pg.ScatterPlotItem(size=t.marker(2.1), pen=pg.mkPen(t.accent, width=t.line(1.3)),
                                                brush=None)
        self.probe_item = pg.ScatterPlotItem(pos=np.zeros((1, 2)), symbol="+", size=t.marker(2.2),
                                             pen=pg.mkPen(t.accent, width=t.line(1.0)),
                                             brush=None)
        for z, item in enumerate((self.key_item, self.links_item, self.reconstructions_item,
                                  self.points_item, self.hover_item, self.selected_item, self.probe_item)):
            item.setZValue(z - 10)
            vb.addItem(item, ignoreBounds=True)
        self.getPlotItem().showGrid(x=False, y=False)

    # ----- following a controller -----------------------------------------------------------
    def set_controller(self, controller) -> None:
        self._controller = controller
        self.follow_frames(controller)
        controller.selectionChanged.connect(self.set_selected)
        self._selected = controller.selected_index
        self.render(controller.snapshot)

    # ----- drawing ----------------------------------------------------------------------------
    def draw(self, snapshot: EpochSnapshot) -> None:
        self._snapshot = snapshot
        if snapshot.world is not World.LECTURE:
            return
        ab = latent.pattern_coordinates(snapshot.images)
        if not same_data(self._drawn_images, snapshot.images):  # the dots move only when the data does
            self._drawn_images = snapshot.images
            brushes = [pg.mkBrush(*map(int, c)) for c in self.theme.pattern_rgb(ab)]
            self.points_item.setData(x=ab[:, 0], y=ab[:, 1], brush=brushes, data=np.arange(len(ab)))
            self._selected = min(self._selected, len(ab) - 1)
            self._draw_marks()
        rec = latent.pattern_coordinates(snapshot.reconstructions)
        self.reconstructions_item.setData(pos=rec)
        self.links_item.setData(*latent.polylines(np.stack([ab, rec], axis=1)))

    def _draw_marks(self) -> None:
        ab = self.points()
        self.selected_item.setData(pos=ab[self._selected: self._selected + 1])
        hovered = ab[self._hovered: self._hovered + 1] if 0 <= self._hovered < len(ab) else np.empty((0, 2))
        self.hover_item.setData(pos=hovered)

    def points(self) -> np.ndarray:
        """The (a, b) of each shown image, as drawn."""
        if self._snapshot is None:
            return np.empty((0, 2))
        return latent.pattern_coordinates(self._snapshot.images)

    def show_decoded(self, values: np.ndarray | None) -> None:
        """Mark where the image decoded on the latent canvas sits in this plane."""
        if values is None or np.size(values) != 4:
            self.probe_item.setVisible(False)
        else:
            a, b = latent.pattern_coordinates(values)[0]
            self.probe_item.setPos(float(a), float(b))  # moved, not rebuilt: cheap on every click
            self.probe_item.setVisible(True)

    def decoded_point(self) -> np.ndarray | None:
        """Where the decoded probe is marked, (a, b)."""
        if not self.probe_item.isVisible():
            return None
        p = self.probe_item.pos()
        return np.array([p.x(), p.y()])

    def set_selected(self, index: int) -> None:
        self._selected = int(index)
        if self._snapshot is not None:
            self._draw_marks()

    @property
    def hovered(self) -> int:
        """The image lit up by hovering (here or on the canvas), -1 for none."""
        return self._hovered

    def set_hover(self, index: int) -> None:
        self._hovered = int(index)
        if self._snapshot is not None:
            self._draw_marks()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        vb = self.getPlotItem().getViewBox()
        found = dot_at(vb, scene_pos, self.points(), self.theme.marker()) if self._snapshot is not None else None
        index = -1 if found is None else found
        if index != self._hovered:
            self.set_hover(index)
            self.imageHovered.emit(index)

    def _on_click(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or self._snapshot is None:
            return
        vb = self.getPlotItem().getViewBox()
        index = dot_at(vb, ev.scenePos(), self.points(), self.theme.marker())
        if index is not None:
            self.imageClicked.emit(index)
            if self._controller is not None:
                self._controller.select_image(index)
