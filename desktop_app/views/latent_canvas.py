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

import functools
import time
from collections.abc import Callable, Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

from desktop_app.frames.live_view import SECOND_HALF, LiveView
from desktop_app.state.latent_map import LAYERS, LatentMapState
from desktop_app.theme import Theme
from desktop_app.views.plane_axes import plane_axes
from engine.core.config import World
from engine.core.snapshot import EpochSnapshot
from engine.latent import space as latent
from engine.latent.space import Box

RASTER = 64  # background resolution: 4,096 decoded points, ~1 ms for the 2x2 decoder
TRAIL_STEPS = 200
# Layers that decode thousands of points or gather the history (backgrounds, the decoded
# map, trails, the data grid) redraw at most this often while snapshots stream in, so
# training at full speed with every layer on leaves the GUI responsive.
HEAVY_LAYER_INTERVAL_S = 0.1


def dot_at(vb: pg.ViewBox, scene_pos: QPointF, points: np.ndarray, size_px: float) -> int | None:
    """The point drawn under a scene position (the nearest, if dots overlap), or None.

    Measured in screen pixels from the view's current scale, so it does not depend on
    whether the scatter has been painted since its last ``setData``."""
    if len(points) == 0:
        return None
    p = vb.mapSceneToView(scene_pos)
    pw, ph = vb.viewPixelSize()
    d2 = ((points[:, 0] - p.x()) / pw) ** 2 + ((points[:, 1] - p.y()) / ph) ** 2
    k = int(np.argmin(d2))
    return k if d2[k] <= (size_px / 2 + 2) ** 2 else None


def _put(item: pg.GraphicsObject, *args: object, **kwargs: object) -> None:
    """``setData``, hiding an item with nothing to draw: the scene skips hidden items when
    it looks for what lies under the mouse, which it does on every click and move."""
    data = kwargs.get("pos", args[0] if args else None)
    empty = data is None or len(data) == 0
    if empty:
        if item.isVisible():
            if isinstance(item, pg.ScatterPlotItem):
                item.setData(pos=np.empty((0, 2)))
            else:
                item.setData([], [])
            item.setVisible(False)
        return
    item.setData(*args, **kwargs)
    item.setVisible(True)


def same_data(a: np.ndarray | None, b: np.ndarray) -> bool:
    """The same data (each snapshot holds its own copy, so identity alone says little)."""
    return a is b or (a is not None and a.shape == b.shape and np.array_equal(a, b))


@functools.cache
def _distance_lut() -> np.ndarray:
    """Viridis: perceptually even and readable with colour-vision deficiencies."""
    return pg.colormap.get("viridis").getLookupTable(nPts=256)


class LatentCanvas(LiveView, pg.PlotWidget):
    """A latent plane that follows a controller (or, without one, whatever ``render`` gets)
    and renders its ``LatentMapState``: every layer, the probe, the path and the samples
    come from the state, and a click or a key sends the new probe back through it.

    A docked view (``LiveView``, second half of the frame): out of sight it draws
    nothing and catches up when shown; what the window reads (``snapshot``) follows at once.
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

    def _schedule_heavy_layers(self) -> None:
        """Draw the costly layers now, or (if they were drawn a moment ago) once the
        interval is over, for whatever snapshot is newest then; never skipped for good."""
        s = self.state
        if not (s.overlay_on or s.background != "none" or s.trails_on or s.data_grid_on):
            self._draw_heavy_layers()  # only hides them: cheap
            return
        wait = HEAVY_LAYER_INTERVAL_S - (time.perf_counter() - self._heavy_drawn_at)
        if wait <= 0:
            self._heavy_timer.stop()
            self._draw_heavy_layers()
        elif not self._heavy_timer.isActive():
            self._heavy_timer.start(max(1, int(wait * 1000)))

    def _draw_heavy_layers_in_frame(self) -> None:
        if self._controller is None:
            self._draw_heavy_layers()
        else:
            self._controller.draw_later(self._heavy_timer, self._draw_heavy_layers)

    def _draw_heavy_layers(self) -> None:
        if self._snapshot is None or self._snapshot.latent_dim != 2:
            return
        self._heavy_drawn_at = time.perf_counter()
        self._draw_trails()
        self._draw_map_layers()
        self._draw_data_grid()

    def _show_message(self, text: str) -> None:
        for item in self._vb.addedItems:
            item.setVisible(False)
        self.message_item.setText(text)
        self.message_item.setPos(0, 0)
        self.message_item.setVisible(True)
        self._vb.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0)

    def _fit_axes(self, snapshot: EpochSnapshot) -> None:
        """Fit once per session, then only grow when a code leaves the box, so motion shows."""
        box = latent.model_box(snapshot) if self._box is None else latent.grown_box(self._box, snapshot)
        if box != self._box:
            self._box = box
            if not self._user_view:
                self._apply_range(box)

    def _apply_range(self, box: Box) -> None:
        self._vb.setRange(xRange=(box.x0, box.x1), yRange=(box.y0, box.y1), padding=0)

    def reset_view(self) -> None:
        """Back to the box that fits the model, undoing zoom and pan."""
        self._user_view = False
        if self._box is not None:
            self._apply_range(self._box)

    def _on_user_range(self, *args) -> None:
        self._user_view = True

    def _code_brushes(self, snapshot: EpochSnapshot) -> list:
        """Colours by what each image is: the digit, or a 2x2 image's two numbers (a, b)."""
        labels = snapshot.labels
        key = snapshot.images if labels is None else labels
        if not same_data(self._colour_key, key):
            self._colour_key = key
            if labels is not None:
                palette = [pg.mkBrush(QColor(c)) for c in self.theme.digit_palette]
                self._brushes = [palette[int(d) % len(palette)] for d in labels]
                self._ensure_legend(palette)
            else:
                rgb = self.theme.pattern_rgb(latent.pattern_coordinates(snapshot.images))
                self._brushes = [pg.mkBrush(*map(int, c)) for c in rgb]
        return self._brushes

    def _ensure_legend(self, palette: list) -> None:
        if self.legend is not None:
            if self._legend_theme == self.theme:
                return
            scene = self.legend.scene()  # made in the theme before a live change (a dark box in light)
            if scene is not None:
                scene.removeItem(self.legend)
            self.legend = None
        self._legend_theme = self.theme
        self.legend = pg.LegendItem(offset=(-8, 8), labelTextColor=self.theme.foreground,
                                    brush=pg.mkBrush(self.theme.background), pen=pg.mkPen(self.theme.muted),
                                    colCount=2)
        self.legend.setParentItem(self._vb)
        for digit, brush in enumerate(palette):
            sample = pg.ScatterPlotItem(size=self.theme.marker(), brush=brush, pen=pg.mkPen("#303030", width=0.8))
            self.legend.addItem(sample, str(digit))

    def _draw_marks(self) -> None:
        codes = self._codes()
        self.selected_item.setData(pos=codes[self._selected: self._selected + 1])
        hovered = codes[self._hovered: self._hovered + 1] if 0 <= self._hovered < len(codes) else np.empty((0, 2))
        _put(self.hover_item, pos=hovered)

    def _codes(self) -> np.ndarray:
        return np.asarray(self._snapshot.codes, dtype=np.float64)[:, :2]

    def _draw_frame(self, snapshot: EpochSnapshot) -> None:
        """Where codes can live: the sigmoid's unit square, or the prior's 1σ and 2σ circles."""
        if latent.codes_are_sigmoid(snapshot):
            _put(self.frame_item, [0, 1, 1, 0, 0], [0, 0, 1, 1, 0])
        elif snapshot.is_variational:
            xs, ys = latent.ellipse_outlines(np.zeros((2, 2)), np.array([[1.0, 1.0], [2.0, 2.0]]), 96)
            _put(self.frame_item, xs, ys)
        else:
            _put(self.frame_item)

    def _draw_spreads(self) -> None:
        spreads = self._snapshot.spreads
        if self.state.spreads_on and spreads is not None:
            _put(self.ellipse_item, *latent.ellipse_outlines(self._codes(), spreads))
        else:
            _put(self.ellipse_item)

    def _draw_trails(self) -> None:
        if not self.state.trails_on or self._history is None:
            _put(self.trail_item)
            _put(self.selected_trail_item)
            return
        trails = latent.code_trails(self._history(), self._snapshot, TRAIL_STEPS)
        _put(self.trail_item, *latent.polylines(trails))
        mine = trails[self._selected]
        _put(self.selected_trail_item, mine[:, 0], mine[:, 1])

    @property
    def distance_level(self) -> float:
        """The squared distance at which the distance background turns fully 'far'."""
        images = self._snapshot.images
        if not same_data(self._distance_key, images):
            self._distance_key, self._distance_level = images, latent.distance_scale(images)
        return self._distance_level

    def current_map_box(self) -> Box:
        return self.state.map_box if self.state.map_box is not None else self._box

    def _draw_map_layers(self) -> None:
        snap, box = self._snapshot, self.current_map_box()
        if self.state.overlay_on:
            n = self.state.grid_size
            _, images = latent.decode_grid(snap, box, n)
            side = latent.image_side(images.shape[1])
            gap = 1 if side <= 4 else 2
            tiles = latent.mosaic(images, n, gap)
            # Tile k is centred on grid point k: one mosaic pixel is step / (side + gap) wide.
            step_x, step_y = box.width / (n - 1), box.height / (n - 1)
            px, py = step_x / (side + gap), step_y / (side + gap)
            self.overlay_item.setImage(tiles[::-1], levels=(0.0, 1.0), autoLevels=False)
            self.overlay_item.setRect(box.x0 - px * side / 2, box.y0 - py * side / 2,
                                      tiles.shape[1] * px, tiles.shape[0] * py)
        self.overlay_item.setVisible(self.state.overlay_on)
        mode = self.state.background
        if mode == "none":
            self.background_item.setVisible(False)
            return
        if mode == "pattern":
            raster = latent.decoded_raster(snap, box, RASTER)
            self.background_item.setImage(self.theme.pattern_rgb(latent.pattern_coordinates(
                raster.reshape(-1, raster.shape[2])).reshape(RASTER, RASTER, 2)), levels=(0, 255),
                autoLevels=False, lut=None)
        elif mode == "distance":
            self.background_item.setImage(latent.distance_map(snap, box, RASTER), levels=(0.0, self.distance_level),
                                          autoLevels=False, lut=_distance_lut())
        else:
            values = latent.pixel_map(snap, box, int(mode[5:]), RASTER)
            self.background_item.setImage(values, levels=(0.0, 1.0), autoLevels=False, lut=None)
        self.background_item.setRect(box.x0, box.y0, box.width, box.height)
        self.background_item.setVisible(True)

    def _draw_data_grid(self) -> None:
        snap = self._snapshot
        if self.state.data_grid_on and snap.world is World.LECTURE:
            warped = latent.encoded_data_grid(snap)
            half = len(warped) // 2
            _put(self.grid_items[0], *latent.polylines(warped[:half]))
            _put(self.grid_items[1], *latent.polylines(warped[half:]))
        else:
            for item in self.grid_items:
                _put(item)

    def _draw_samples(self) -> None:
        samples = self.state.samples
        if samples is None:
            _put(self.samples_item)
        else:
            _put(self.samples_item, pos=samples[:, :2])

    # ----- selection and hover ---------------------------------------------------------------------
    def set_selected(self, index: int) -> None:
        self._selected = int(index)
        if self._snapshot is not None:
            self._draw_marks()
            if self.state.trails_on:
                self._draw_trails()

    def set_hover(self, index: int) -> None:
        """Light up an image hovered elsewhere (the data plane)."""
        self._hovered = int(index)
        if self._snapshot is not None:
            self._draw_marks()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if self._snapshot is None or self._snapshot.latent_dim != 2:
            return
        inside = self._vb.sceneBoundingRect().contains(scene_pos)
        found = dot_at(self._vb, scene_pos, self._codes(), self.theme.marker()) if inside else None
        index = -1 if found is None else found
        if index != self._hovered:
            self.set_hover(index)
            self.imageHovered.emit(index)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._hovered != -1:
            self.set_hover(-1)
            self.imageHovered.emit(-1)
        super().leaveEvent(event)

    # ----- the probe -----------------------------------------------------------------------------------
    @property
    def probe(self) -> np.ndarray | None:
        """Where the probe is on the snapshot shown (an image's probe moves with its code)."""
        return None if self._probe is None or self.state.probe is None else self._probe.copy()

    @property
    def probe_image(self) -> int | None:
        """The image whose code the probe sits on (and follows), if any."""
        probe = self.state.probe
        return probe[1] if probe is not None and probe[0] == "image" else None

    def set_probe(self, z: np.ndarray | tuple | list, image: int | None = None) -> None:
        """Decode at ``z`` (snapped to the digits shown) or at an image's code."""
        if self._snapshot is None:
            return
        probe = ("image", int(image)) if image is not None else ("point", tuple(float(v) for v in latent.snap(z)))
        if probe == self.state.probe:
            self._show_probe()  # asked again (a click on the same place): decoded again
        else:
            self.state.probe = probe

    def _show_probe(self) -> None:
        probe = self.state.probe
        if probe is None:
            self._probe = None
            self.probe_item.setVisible(False)
            return
        z = self._resolve(probe)
        if z is None:
            return
        self._probe = z
        self.probe_item.setPos(float(z[0]), float(z[1]))
        self.probe_item.setVisible(True)
        self.probeChanged.emit(z.copy(), self._snapshot.decode(z))

    # Left clicks and drags on the plane are handled here, before pyqtgraph's scene: its
    # dispatch (which items lie near the mouse, hover and click events for each) costs a
    # few milliseconds per click with 500 dots, and a click must show its image within a
    # frame. Everything else (Shift/middle-drag pans, wheel and right-drag zoom) goes on
    # to pyqtgraph as usual.
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_probe_press(event):
            self._probing = True
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._pick(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self.mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._probing and event.buttons() & Qt.MouseButton.LeftButton:
            p = self._vb.mapSceneToView(self.mapToScene(event.position().toPoint()))
            self.set_probe((p.x(), p.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._probing and event.button() == Qt.MouseButton.LeftButton:
            self._probing = False
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _is_probe_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self._snapshot is None:
            return False
        if self._snapshot.latent_dim != 2:
            return False
        if event.modifiers() & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier):
            return False
        return self._vb.sceneBoundingRect().contains(self.mapToScene(event.position().toPoint()))

    def _pick(self, scene_pos: QPointF) -> None:
        """A press: on an image's dot, decode its code and select it; on a prior sample,
        decode the sample; anywhere else, decode that point."""
        index = dot_at(self._vb, scene_pos, self._codes(), self.theme.marker())
        if index is not None:
            self.set_probe(None, image=index)
            # Selecting redraws every view that follows the selection: let the decoded
            # image paint first, and select on the next turn of the event loop.
            QTimer.singleShot(0, lambda: self._select(index))
            return
        samples = self.state.samples
        if samples is not None:
            k = dot_at(self._vb, scene_pos, samples[:, :2], self.theme.marker(0.9))
            if k is not None:
                self.set_probe(samples[k, :2])
                return
        p = self._vb.mapSceneToView(scene_pos)
        self.set_probe((p.x(), p.y()))

    def _select(self, index: int) -> None:
        self.imageClicked.emit(index)
        if self._controller is not None:
            self._controller.select_image(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        moves = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, 1), Qt.Key.Key_Down: (0, -1)}
        move = moves.get(Qt.Key(event.key()))
        if move is None or self._box is None:
            super().keyPressEvent(event)
            return
        step = latent.nudge_step(self._box) * (10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        start = self._probe if self._probe is not None else np.array(
            [(self._box.x0 + self._box.x1) / 2, (self._box.y0 + self._box.y1) / 2])
        self.set_probe(start + step * np.asarray(move, dtype=np.float64))
        event.accept()

    # ----- interpolation ---------------------------------------------------------------------------------
    def set_path_end(self, which: int, end: tuple[str, object] | None) -> None:
        """Set endpoint 0 (A) or 1 (B): ("image", index) follows that image's code,
        ("point", z) stays put; None clears it."""
        ends = list(self.state.path_ends)
        ends[which] = end
        self.state.path_ends = tuple(ends)

    def path_end_from_probe(self) -> tuple[str, object] | None:
        return self.state.probe

    def _resolve(self, end: tuple[str, object]) -> np.ndarray | None:
        kind, value = end
        if kind == "image":
            codes = self._codes()
            return codes[value].copy() if 0 <= value < len(codes) else None
        return np.asarray(value, dtype=np.float64)

    def _update_path(self) -> None:
        ends = [self._resolve(e) if e is not None else None for e in self.state.path_ends]
        for label, z in zip(self.path_labels, ends, strict=True):
            label.setVisible(z is not None)
            if z is not None:
                label.setPos(float(z[0]), float(z[1]))
        if any(z is None for z in ends):
            _put(self.path_item)
            self.pathChanged.emit(None, None)
            return
        points = latent.interpolation_path(ends[0], ends[1], self.state.path_steps, self.state.path_kind,
                                           latent.interpolation_centre(self._snapshot))
        _put(self.path_item, points[:, 0], points[:, 1])
        self.pathChanged.emit(points, self._snapshot.decode(points))

    # ----- helpers for scripts and tests ------------------------------------------------------------------
    def viewport_pos(self, z: np.ndarray | tuple | list) -> QPoint:
        """Where the latent point ``z`` is, in the viewport's pixel coordinates."""
        scene = self._vb.mapViewToScene(QPointF(float(z[0]), float(z[1])))
        return self.mapFromScene(scene)
