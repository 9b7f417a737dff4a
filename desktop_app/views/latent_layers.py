"""What the latent canvas draws from a snapshot and its state (a mixin of
``LatentCanvas``): the codes in their colours and the legend, the selection and hover
marks, the range shown, the frame of the codes' reachable region, spreads, samples,
and the heavy layers (trails, the decoded map, the background, the data grid), which
redraw at most every ``HEAVY_LAYER_INTERVAL_S`` while snapshots stream in.
"""

from __future__ import annotations

import functools
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from desktop_app.views.plane_points import put_points, same_data
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


@functools.cache
def _distance_lut() -> np.ndarray:
    """Viridis: perceptually even and readable with colour-vision deficiencies."""
    return pg.colormap.get("viridis").getLookupTable(nPts=256)



class LatentLayers:
    """Drawing, for ``LatentCanvas`` (it holds the items, the state and the snapshot)."""

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
        put_points(self.hover_item, pos=hovered)

    def _codes(self) -> np.ndarray:
        return np.asarray(self._snapshot.codes, dtype=np.float64)[:, :2]

    def _draw_frame(self, snapshot: EpochSnapshot) -> None:
        """Where codes can live: the sigmoid's unit square, or the prior's 1σ and 2σ circles."""
        if latent.codes_are_sigmoid(snapshot):
            put_points(self.frame_item, [0, 1, 1, 0, 0], [0, 0, 1, 1, 0])
        elif snapshot.is_variational:
            xs, ys = latent.ellipse_outlines(np.zeros((2, 2)), np.array([[1.0, 1.0], [2.0, 2.0]]), 96)
            put_points(self.frame_item, xs, ys)
        else:
            put_points(self.frame_item)

    def _draw_spreads(self) -> None:
        spreads = self._snapshot.spreads
        if self.state.spreads_on and spreads is not None:
            put_points(self.ellipse_item, *latent.ellipse_outlines(self._codes(), spreads))
        else:
            put_points(self.ellipse_item)

    def _draw_trails(self) -> None:
        if not self.state.trails_on or self._history is None:
            put_points(self.trail_item)
            put_points(self.selected_trail_item)
            return
        trails = latent.code_trails(self._history(), self._snapshot, TRAIL_STEPS)
        put_points(self.trail_item, *latent.polylines(trails))
        mine = trails[self._selected]
        put_points(self.selected_trail_item, mine[:, 0], mine[:, 1])

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
            put_points(self.grid_items[0], *latent.polylines(warped[:half]))
            put_points(self.grid_items[1], *latent.polylines(warped[half:]))
        else:
            for item in self.grid_items:
                put_points(item)

    def _draw_samples(self) -> None:
        samples = self.state.samples
        if samples is None:
            put_points(self.samples_item)
        else:
            put_points(self.samples_item, pos=samples[:, :2])
