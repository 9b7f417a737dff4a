"""The latent plane you click to generate (``latentCanvas``).

Reusable for any model with a 2-D latent space: the 2x2 workbench and the digit VAE.
It draws a frozen snapshot (every shown image at its code, coloured by what it is),
keeps a probe point that the snapshot's own decoder turns into an image, and offers
layers computed by ``engine.latent.space``: a decoded-map overlay, a background coloured by
what decodes there, spreads, trails, prior samples and an interpolation path.

Mouse: press anywhere to decode there, on an image's dot to select it, drag to decode
continuously; Shift- or middle-drag pans, the wheel or right-drag zooms.
Arrow keys nudge the probe (Shift: ten times as far).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from desktop_app.frames.live_view import SECOND_HALF, LiveView
from desktop_app.state.latent_map import LAYERS, LatentMapState
from desktop_app.theme import Theme
from desktop_app.views.latent_layers import LatentLayers
from desktop_app.views.latent_pointer import LatentPointer
from desktop_app.views.plane_axes import plane_axes
from engine.core.snapshot import EpochSnapshot
from engine.latent.space import Box


class LatentCanvas(LatentPointer, LatentLayers, LiveView, pg.PlotWidget):
    """A latent plane that follows a controller (or, without one, whatever ``render`` gets)
    and renders its ``LatentMapState``: every layer, the probe, the path and the samples
    come from the state, and a click or a key sends the new probe back through it.

    A docked view (``LiveView``, second half of the frame): out of sight it draws
    nothing and catches up when shown; what the window reads (``snapshot``) follows at once.
    Its drawing is ``LatentLayers``'s, its answers to the mouse and keys ``LatentPointer``'s.
    """

    frame_half = SECOND_HALF
    wants_drawing = LiveView.in_sight_of_its_window

    probeChanged = Signal(object, object)  # the latent point decoded, its decoded image
    imageHovered = Signal(int)  # index of the image under the mouse, -1 for none
    imageClicked = Signal(int)
    pathChanged = Signal(object, object)  # points along the interpolation path, their images

    def __init__(self, controller=None, theme: Theme | None = None, parent: QWidget | None = None, *,
                 name: str = "latentCanvas", state: LatentMapState | None = None) -> None:
        self.theme = theme or Theme()
        self._vb = pg.ViewBox()
        super().__init__(parent, background=self.theme.background, viewBox=self._vb)
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._controller = None
        self._history: Callable[[], Iterable[EpochSnapshot]] | None = None
        self._snapshot: EpochSnapshot | None = None
        self._drawn: EpochSnapshot | None = None  # the snapshot last drawn, not drawn twice
        self._heavy_now = False  # the next draw draws the heavy layers at once
        self._box: Box | None = None
        self._user_view = False
        self._selected = 0
        self._hovered = -1
        self._probing = False  # the left button is down on the plane: moves decode
        self._heavy_drawn_at = -1.0
        self._heavy_timer = QTimer(self)
        self._heavy_timer.setSingleShot(True)
        self._heavy_timer.timeout.connect(self._draw_heavy_layers_in_frame)
        self._probe: np.ndarray | None = None  # where the state's probe is on this snapshot
        self._colour_key: object = None
        self._brushes: list = []
        self._distance_key: object = None
        self._distance_level = 1.0
        self.state = state if state is not None else LatentMapState()
        self._build_items()
        self._listen(self.state)
        self._vb.sigRangeChangedManually.connect(self._on_user_range)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        if controller is not None:
            self.set_controller(controller)

    # ----- building ----------------------------------------------------------------------------
    def _build_items(self) -> None:
        t = self.theme
        plot = self.getPlotItem()
        plot.showGrid(x=True, y=True, alpha=0.15)
        plane_axes(plot, t, ("z₁", "z₂"), 1.0, 0.85)
        self._vb.setAspectLocked(True)
        self._vb.disableAutoRange()
        muted = QColor(t.muted)

        self.background_item = pg.ImageItem(axisOrder="row-major")
        self.overlay_item = pg.ImageItem(axisOrder="row-major")
        self.overlay_item.setOpacity(0.92)
        self.frame_item = pg.PlotDataItem(pen=pg.mkPen(muted, width=t.line(0.6), style=Qt.PenStyle.DashLine),
                                          connect="finite")
        self.grid_items = (pg.PlotDataItem(pen=pg.mkPen(QColor(t.pattern_corners[1]), width=t.line(0.6)),
                                           connect="finite"),
                           pg.PlotDataItem(pen=pg.mkPen(QColor(t.pattern_corners[2]).darker(115),
                                                        width=t.line(0.6)), connect="finite"))
        trail = QColor(muted)
        trail.setAlpha(150)
        self.trail_item = pg.PlotDataItem(pen=pg.mkPen(trail, width=t.line(0.5)), connect="finite")
        self.selected_trail_item = pg.PlotDataItem(pen=pg.mkPen(t.accent, width=t.line(0.9)))
        spread = QColor(t.curve_reconstruction)
        spread.setAlpha(110)
        self.ellipse_item = pg.PlotDataItem(pen=pg.mkPen(spread, width=t.line(0.5)), connect="finite")
        self.path_item = pg.PlotDataItem(pen=pg.mkPen(t.accent, width=t.line(1.0), style=Qt.PenStyle.DashLine),
                                         symbol="o", symbolSize=t.marker(0.45), symbolBrush=t.accent,
                                         symbolPen=None)
        self.path_labels = [pg.TextItem(name, color=t.accent, anchor=(0.5, 1.3)) for name in ("A", "B")]
        self.samples_item = pg.ScatterPlotItem(symbol="x", size=t.marker(0.9), pen=pg.mkPen(t.curve_kl, width=1.5),
                                               brush=pg.mkBrush(t.curve_kl))
        self.codes_item = pg.ScatterPlotItem(size=t.marker(), pen=pg.mkPen(QColor("#303030"), width=t.line(0.6)))
        self.hover_item = pg.ScatterPlotItem(size=t.marker(1.9), pen=pg.mkPen(t.foreground, width=t.line(0.8)),
                                             brush=None)
        self.selected_item = pg.ScatterPlotItem(size=t.marker(2.1), pen=pg.mkPen(t.accent, width=t.line(1.3)),
                                                brush=None)
        # Built once at the origin and moved with setPos: the cheapest way to follow a click.
        self.probe_item = pg.ScatterPlotItem(pos=np.zeros((2, 2)), symbol=["o", "+"],
                                             size=[t.marker(1.6), t.marker(2.4)],
                                             pen=pg.mkPen(t.accent, width=t.line(1.0)), brush=None)
        self.message_item = pg.TextItem("", color=t.foreground, anchor=(0.5, 0.5))
        items = (self.background_item, self.overlay_item, self.frame_item, *self.grid_items, self.trail_item,
                 self.selected_trail_item, self.ellipse_item, self.path_item, self.samples_item,
                 self.codes_item, self.hover_item, self.selected_item, self.probe_item, *self.path_labels,
                 self.message_item)
        for z, item in enumerate(items):
            item.setZValue(z - 10)
            self._vb.addItem(item, ignoreBounds=True)
        for item in (self.background_item, self.overlay_item, *self.path_labels, self.message_item, self.probe_item):
            item.setVisible(False)
        self._steady_items = [i for i in items if i.isVisible()]
        self.legend: pg.LegendItem | None = None
        self._legend_theme: Theme | None = None  # the theme the legend was made in

    def _listen(self, state: LatentMapState) -> None:
        """A layer, the range, the samples or the path's form changed: redraw at once (a
        learner's change shows in the same frame); the probe and the path's ends redraw
        only themselves."""
        for name in (*LAYERS, "samples", "path_kind", "path_steps"):
            getattr(state.events, name).connect(self._redraw)
        state.events.probe.connect(self._on_probe)
        state.events.path_ends.connect(self._on_path_ends)

    def _redraw(self, _value: object = None) -> None:
        if self._snapshot is not None:
            self._render(self._snapshot, heavy_now=True)

    def _on_probe(self, _probe: object) -> None:
        if self._snapshot is not None and self._snapshot.latent_dim == 2:
            self._show_probe()

    def _on_path_ends(self, _ends: object) -> None:
        if self._snapshot is not None and self._snapshot.latent_dim == 2:
            self._update_path()

    # ----- the controller (optional) -------------------------------------------------------------
    def set_controller(self, controller) -> None:
        """Follow a TrainingController: its snapshots, selection and session changes."""
        if self._controller is not None:
            for signal, slot in self._connections():
                signal.disconnect(slot)
        self._controller = self._live_controller = controller
        self._history = controller.stored_snapshots
        for signal, slot in self._connections():
            signal.connect(slot)
        self._selected = controller.selected_index
        self.reset(controller.snapshot)

    def _connections(self) -> list:
        c = self._controller
        return [(c.snapshotChanged, self._follow), (c.selectionChanged, self.set_selected),
                (c.sessionReplaced, self._on_session)]

    def _follow(self, snapshot: EpochSnapshot) -> None:
        """Draw the controller's snapshot in the second half of the frame (a docked view);
        not again when it is already drawn (a new session's first snapshot, which the
        session change drew with its heavy layers a moment before)."""
        if snapshot is self._drawn:
            return
        if not self.wants_drawing():
            self._snapshot = snapshot
        self.frame_arrived()

    @property
    def snapshot(self) -> EpochSnapshot | None:
        return self._snapshot

    @property
    def box(self) -> Box | None:
        """The window that fits the model (what 'reset view' shows)."""
        return self._box

    def _on_session(self, session) -> None:
        self.reset(self._controller.snapshot)

    def reset(self, snapshot: EpochSnapshot | None = None) -> None:
        """A new model or dataset: fit the axes again, forget the probe, path and samples."""
        self._box = None
        self._user_view = False
        self._snapshot = None  # nothing to redraw while the old places are forgotten
        self.state.forget_places()
        self._colour_key = None
        if snapshot is not None:
            self._render(snapshot, heavy_now=True)

    # ----- rendering -------------------------------------------------------------------------------
    def render(self, snapshot: EpochSnapshot) -> None:
        """Draw a snapshot: codes, selection, every layer switched on, and the probe."""
        self._render(snapshot, heavy_now=False)

    def _render(self, snapshot: EpochSnapshot, heavy_now: bool) -> None:
        """What the window reads follows at once; the drawing waits while out of sight."""
        self._snapshot = snapshot
        self._heavy_now = heavy_now
        LiveView.render(self, snapshot)

    def mark_stale(self) -> None:
        super().mark_stale()
        self._drawn = None
        self._heavy_timer.stop()

    def catch_up(self) -> None:
        """The newest snapshot: the controller's, or the last one given."""
        snapshot = self._controller.snapshot if self._controller is not None else self._snapshot
        if snapshot is not None:
            self.render(snapshot)

    def draw(self, snapshot: EpochSnapshot) -> None:
        self._drawn = snapshot
        heavy_now, self._heavy_now = self._heavy_now, False
        if snapshot.latent_dim != 2:
            self._show_message(f"This model's latent space has {snapshot.latent_dim} dimensions;\n"
                               "the canvas draws two-dimensional ones.")
            return
        if self.message_item.isVisible():
            self.message_item.setVisible(False)
            for item in self._steady_items:
                item.setVisible(True)
        self._fit_axes(snapshot)
        codes = np.asarray(snapshot.codes, dtype=np.float64)
        self.codes_item.setData(x=codes[:, 0], y=codes[:, 1], brush=self._code_brushes(snapshot),
                                data=np.arange(len(codes)))
        self._selected = min(self._selected, len(codes) - 1)
        self._draw_marks()
        self._draw_frame(snapshot)
        self._draw_spreads()
        if heavy_now:
            self._heavy_timer.stop()
            self._draw_heavy_layers()
        else:
            self._schedule_heavy_layers()
        self._draw_samples()
        self._update_path()
        probe = self.state.probe
        if probe is not None and probe[0] == "image" and probe[1] >= len(codes):
            self.state.probe = None  # an image this data set does not have
        elif probe is not None:
            self._show_probe()

