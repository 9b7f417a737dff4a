"""The latent space explorer: the canvas you click to generate, and what goes with it.

Composition of reusable pieces: ``LatentCanvas`` (the plane), ``DecodedImageView`` and
``LatentCoordLabel`` (what the probe decodes to, and where it is), ``DataPlane`` (the
2x2 world's own plane, linked by hover and selection), the interpolation panel, the
prior-samples panel, and a side-by-side comparison of the plain autoencoder and the
VAE trained on the same data with the same seed (a second ``TrainingController``, so
the engine trains it; this widget only keeps its epoch in step with the main one).

Works for the 2x2 models and the digit models alike: what only makes sense for 2x2
images (the data plane, pattern and pixel backgrounds, the data grid) hides itself.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.companion_run import CompanionRun
from desktop_app.controller import TrainingController
from desktop_app.frames.opaque import paints_own_background
from desktop_app.panels import formatting as fmt
from desktop_app.state.latent_map import LatentMapState
from desktop_app.state_binding import bind_check, bind_choice, bind_number
from desktop_app.theme import Theme
from desktop_app.views.data_plane import DataPlane
from desktop_app.views.decoded_image import DecodedImageView, LatentCoordLabel
from desktop_app.views.interpolation_strip import ImageStrip, InterpolationPanel
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.widgets.number_box import NumberBox, WholeNumberBox
from desktop_app.widgets.wrapping_rows import WrappingRows
from engine.core.config import LIVE_CHANGES, MAX_BETA, MODEL_TITLES, World, check_beta
from engine.core.snapshot import EpochSnapshot
from engine.latent import space as latent
from engine.lecture.datasets import PIXEL_NAMES

BACKGROUND_CHOICES = (
    ("No background", "none"),
    ("Colour of what decodes there (a, b)", "pattern"),
    ("How unlike the data it decodes to", "distance"),
    *((f"Decoded pixel: {name}", f"pixel{k}") for k, name in enumerate(PIXEL_NAMES)),
)
BACKGROUND_ORDER = tuple(key for _text, key in BACKGROUND_CHOICES)
BACKGROUND_KEYS = {
    "none": "",
    "pattern": "Each point coloured like the dots: by the two numbers (a, b) of the image it decodes to.",
    "distance": "Dark: decodes to something like a training image. Yellow: like none of them (squared "
                "distance to the nearest ≥ {level:.3g}, " f"{latent.DISTANCE_FACTOR:g}× the usual gap between "
                "neighbouring images). Yellow regions are holes.",
    "pixel": "The chosen pixel of the decoded image: black 0, white 1.",
}
# β of a VAE compared with a plain autoencoder run (whose own β means nothing): at β = 1
# the 2x2 VAE collapses (its summed reconstruction loss, ~0.2 nats, is less than any
# informative code costs in KL); about 0.1 keeps both units informative.
COMPARE_BETA = 0.1
COMPARE_SYNC_S = 0.2  # while the main run trains, the comparison catches up five times a second
SAMPLE_TILES = 12


def _error_label(theme: Theme, parent: QWidget) -> QLabel:
    label = QLabel("", parent)
    label.setWordWrap(True)
    label.setFont(theme.font(0.85))
    label.setStyleSheet(f"color: {theme.error.name()}")
    return label


def _hint(text: str, theme: Theme, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setFont(theme.font(0.85))
    label.setStyleSheet(f"color: {theme.muted.name()}")
    return label


def collapse_message(snapshot: EpochSnapshot) -> str:
    """What to say when a VAE's latent units stopped carrying information."""
    if snapshot.epoch == 0:
        return ""
    units = latent.collapsed_units(snapshot)
    if not units:
        return ""
    if len(units) == snapshot.latent_dim:
        return (f"Posterior collapse: every image is encoded as almost exactly the prior N(0, I) (KL per unit "
                f"< {latent.COLLAPSE_KL:g}), so the codes cannot tell images apart and the decoder learns the "
                f"average image. β = {snapshot.config.beta:g} outweighs the reconstruction loss here; try a "
                "smaller β.")
    names = " and ".join(f"z{k + 1}" for k in units)
    return (f"{names} carries almost no information (KL < {latent.COLLAPSE_KL:g}): its means vary far less "
            "than their spread, so the decoder cannot rely on it.")


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


class MapControls(QWidget):
    """Layers of the canvas: decoded map (grid size, range), background, trails, spreads, data grid.

    They show the first canvas's state and follow it (a lesson step or an opened session
    sets the state); a learner's change goes to every canvas's state (the comparison's
    map shows the same layers)."""

    def __init__(self, canvases: list[LatentCanvas], theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latentMapControls")
        self.canvases = canvases
        self.theme = theme
        self.overlay = QCheckBox("Decoded map", self)
        self.overlay.setToolTip("A grid of decoded images over the plane: the classic manifold picture")
        self.overlay.setObjectName("latentOverlayCheck")
        self.grid_size = WholeNumberBox(self, what="The grid size")
        self.grid_size.setObjectName("latentGridSize")
        self.grid_size.setRange(2, latent.MAX_GRID)
        self.grid_size.setSuffix(" × n")
        self.grid_size.setPrefix("n = ")
        self.fit_range = QCheckBox("fit", self)
        self.fit_range.setToolTip("Cover the box that fits the model; untick to choose the range (both axes)")
        self.fit_range.setChecked(True)
        self.range_from = NumberBox(self, what="The range’s start")
        self.range_to = NumberBox(self, what="The range’s end")
        for spin, name in ((self.range_from, "latentRangeFrom"), (self.range_to, "latentRangeTo")):
            spin.setObjectName(name)
            spin.setRange(-50.0, 50.0)
            spin.setDecimals(2)
            spin.setSingleStep(0.25)
            spin.setEnabled(False)
        self.range_message = _error_label(theme, self)
        self.range_message.setObjectName("latentRangeMessage")
        self.range_message.setVisible(False)
        for spin in (self.range_from, self.range_to):
            spin.refused.connect(self._say_range)
        self.background = QComboBox(self)
        self.background.setObjectName("latentBackground")
        for text, key in BACKGROUND_CHOICES:
            self.background.addItem(text, key)
        self.background_key = _hint("", theme, self)
        self.trails = QCheckBox("Trails", self)
        self.trails.setToolTip("Where each code went over the past epochs (the selected image's in orange)")
        self.trails.setObjectName("latentTrailsCheck")
        self.spreads = QCheckBox("Spreads (VAE)", self)
        self.spreads.setToolTip("Each image's 1σ ellipse around its mean code")
        self.spreads.setObjectName("latentSpreadsCheck")
        self.spreads.setChecked(True)
        self.data_grid = QCheckBox("Data grid", self)
        self.data_grid.setToolTip("The data plane's straight lines, as the encoder bends them into the latent plane")
        self.data_grid.setObjectName("latentDataGridCheck")

        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setVerticalSpacing(2)
        overlay_row = QHBoxLayout()
        overlay_row.addWidget(self.overlay)
        overlay_row.addWidget(self.grid_size)
        overlay_row.addSpacing(8)
        overlay_row.addWidget(QLabel("range", self))
        overlay_row.addWidget(self.fit_range)
        overlay_row.addWidget(self.range_from)
        overlay_row.addWidget(QLabel("to", self))
        overlay_row.addWidget(self.range_to)
        overlay_row.addWidget(self.range_message, 1)
        overlay_row.addStretch(1)
        grid.addLayout(overlay_row, 0, 0, 1, 2)
        grid.addWidget(QLabel("Background:", self), 1, 0)
        grid.addWidget(self.background, 1, 1)
        grid.addWidget(self.background_key, 2, 0, 1, 2)
        checks = QHBoxLayout()
        for box in (self.trails, self.spreads, self.data_grid):
            checks.addWidget(box)
        checks.addStretch(1)
        grid.addLayout(checks, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        state = canvases[0].state
        for box, name in ((self.overlay, "overlay_on"), (self.trails, "trails_on"), (self.spreads, "spreads_on"),
                          (self.data_grid, "data_grid_on")):
            bind_check(box, state, name, lambda on, n=name: self._set(**{n: bool(on)}))
        bind_number(self.grid_size, state, "grid_size", lambda n: self._set(grid_size=int(n)))
        bind_choice(self.background, state, "background", BACKGROUND_ORDER, self._on_background)
        self._show_range(state.map_box)
        state.events.map_box.connect(self._show_range)
        self.fit_range.toggled.connect(self._on_fit_toggled)
        self.range_from.valueChanged.connect(self._apply_range)
        self.range_to.valueChanged.connect(self._apply_range)

    def _set(self, **settings: object) -> None:
        for canvas in self.canvases:
            canvas.state.update(**settings)

    def settings(self) -> dict:
        """The layer settings, for a canvas added later (the comparison)."""
        return self.canvases[0].state.layers()

    def _show_range(self, box: latent.Box | None) -> None:
        """Mirror the state's range (None: fit) without reading the spin boxes back."""
        for widget in (self.fit_range, self.range_from, self.range_to):
            widget.blockSignals(True)
        self.fit_range.setChecked(box is None)
        if box is not None:
            self.range_from.setValue(min(box.x0, box.y0))
            self.range_to.setValue(max(box.x1, box.y1))
            self.range_message.setVisible(False)
        for widget in (self.fit_range, self.range_from, self.range_to):
            widget.blockSignals(False)
        self.range_from.setEnabled(box is not None)
        self.range_to.setEnabled(box is not None)
        self._set(map_box=box)

    def _on_fit_toggled(self, fit: bool) -> None:
        self.range_from.setEnabled(not fit)
        self.range_to.setEnabled(not fit)
        if fit:
            self.range_message.setVisible(False)
            self._set(map_box=None)
        else:
            box = self.canvases[0].current_map_box()
            if box is not None:
                for spin, value in ((self.range_from, min(box.x0, box.y0)), (self.range_to, max(box.x1, box.y1))):
                    spin.blockSignals(True)
                    spin.setValue(value)
                    spin.blockSignals(False)
            self._apply_range()

    def _apply_range(self) -> None:
        if self.fit_range.isChecked():
            return
        try:
            box = latent.Box.square(self.range_from.value(), self.range_to.value())
        except ValueError as exc:
            changed = self.sender()
            if isinstance(changed, NumberBox):  # the refused end goes back to what it was
                changed.refuse(str(exc))
            self._say_range(str(exc))
            return
        self.range_message.setVisible(False)
        self._set(map_box=box)

    def _say_range(self, message: str) -> None:
        self.range_message.setText(message)
        self.range_message.setVisible(bool(message))

    def _on_background(self, index: int) -> None:
        self._set(background=self.background.itemData(index))
        self._describe_background()

    def _describe_background(self) -> None:
        key = self.background.currentData()
        canvas = self.canvases[0]
        level = canvas.distance_level if canvas.snapshot is not None else 0.0
        self.background_key.setText(BACKGROUND_KEYS["pixel" if key.startswith("pixel") else key].format(level=level))
        self.background_key.setVisible(key != "none")

    def adapt(self, snapshot: EpochSnapshot) -> None:
        """Offer only what fits this model: 2x2-only layers, spreads only for a VAE."""
        small = snapshot.world is World.LECTURE
        view = self.background.view()
        for row in range(self.background.count()):
            key = self.background.itemData(row)
            view.setRowHidden(row, not small and key != "none")
        if not small and self.background.currentData() != "none":
            self.background.setCurrentIndex(0)
        self.data_grid.setVisible(small)
        self.spreads.setEnabled(any(c.snapshot is not None and c.snapshot.is_variational for c in self.canvases))
        self._describe_background()


class PriorPanel(QWidget):
    """Samples from the prior N(0, I), drawn on the canvas and decoded."""

    def __init__(self, canvas: LatentCanvas, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latentPriorPanel")
        self.canvas = canvas
        self.theme = theme
        self.count = WholeNumberBox(self, what="The number of samples")
        self.count.setObjectName("priorCount")
        self.count.setRange(1, latent.MAX_SAMPLES)
        self.count.setValue(40)
        self.count.setSuffix(" samples")
        self.seed = WholeNumberBox(self, what="The seed")
        self.seed.setObjectName("priorSeed")
        self.seed.setRange(0, 1_000_000)
        self.seed.setPrefix("seed ")
        self.draw_button = QPushButton("Draw from N(0, I)", self)
        self.draw_button.setObjectName("priorDrawButton")
        self.clear_button = QPushButton("Clear", self)
        self.note = _hint("", theme, self)
        self.strip = ImageStrip(theme, self, name="priorStrip",
                                empty_text="Draw samples: each × on the canvas is a point from N(0, I); "
                                           "their decoded images appear here.")
        row = QHBoxLayout()
        for w in (self.count, self.seed, self.draw_button, self.clear_button):
            row.addWidget(w)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.strip)
        layout.addStretch(1)
        self.draw_button.clicked.connect(self.draw)
        self.clear_button.clicked.connect(self.clear)
        self.strip.tileClicked.connect(self._look_at)

    def draw(self) -> None:
        self.canvas.state.samples = latent.prior_samples(self.count.value(), 2, self.seed.value())
        self._refresh_current()

    def clear(self) -> None:
        self.canvas.state.samples = None
        self._refresh_current()

    def _refresh_current(self) -> None:
        if self.canvas.snapshot is not None:
            self.refresh(self.canvas.snapshot)

    def refresh(self, snapshot: EpochSnapshot) -> None:
        """Decode the first samples with this epoch's decoder (they change as it learns)."""
        samples = self.canvas.state.samples
        if snapshot.is_variational:
            self.note.setText("A VAE's codes are pulled toward N(0, I), so samples from it land where the "
                              "decoder has learnt something. Click a × to decode it large.")
        else:
            self.note.setText("A plain autoencoder has no prior: nothing pulls its codes toward N(0, I), so "
                              "most of these samples land where no image was ever encoded.")
        if samples is None or snapshot.latent_dim != 2:
            self.strip.set_images(None)
            return
        shown = samples[:SAMPLE_TILES]
        self.strip.set_images(snapshot.decode(shown), [f"#{k + 1}" for k in range(len(shown))])

    def _look_at(self, k: int) -> None:
        samples = self.canvas.state.samples
        if samples is not None and k < len(samples):
            self.canvas.set_probe(samples[k])


class ComparePane(QWidget):
    """The other model (AE beside VAE) on the same data with the same seed, kept at the
    main run's epoch by its own controller, so the engine does all the training."""

    def __init__(self, main: TrainingController, theme: Theme, settings: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latentComparePane")
        self.main = main
        if main.config.model == "vae":
            config = main.config.replace(model="ae")
        else:
            config = main.config.replace(model="vae", beta=COMPARE_BETA)
        self.controller = TrainingController(config, parent=self)
        self.controller.new_session(config, main.train_images)
        self.run = CompanionRun(main, self.controller, looks_back=True)
        self.title = QLabel(self)
        self.title.setFont(theme.font(1.0, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status = _hint("", theme, self)
        self.canvas = LatentCanvas(self.controller, theme, self, name="latentCanvasCompare")
        self.canvas.state.update(**settings)
        self.collapse_note = _error_label(theme, self)
        self.collapse_note.setVisible(False)
        self.beta = NumberBox(self, what="β")
        self.beta.setObjectName("compareBetaSpin")
        self.beta.setDecimals(3)
        self.beta.setRange(0.0, MAX_BETA)
        self.beta.setSingleStep(0.01)
        self.beta.setPrefix("β = ")
        self.beta.setToolTip("The weight of the VAE's latent loss (KL) in this comparison")
        self.beta.setValue(config.beta)
        self.beta.setMaximumWidth(int(130 * theme.scale))
        self.beta_message = _error_label(theme, self)
        self.beta.refused.connect(self.beta_message.setText)
        self.readout = ProbeReadout(self.canvas, theme, self, suffix="Compare")
        self.readout.image.setMinimumSize(int(80 * theme.scale), int(80 * theme.scale))
        self.readout.setMaximumWidth(int(130 * theme.scale))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.collapse_note)
        below = QHBoxLayout()
        info = QVBoxLayout()
        info.addWidget(self.status)
        if config.model == "vae":
            info.addWidget(self.beta)
            info.addWidget(self.beta_message)
        else:  # a plain autoencoder has no β: without this, the spin box floated over the title
            self.beta.hide()
            self.beta_message.hide()
        info.addStretch(1)
        below.addLayout(info, 1)
        below.addWidget(self.readout)
        layout.addLayout(below)
        self.title.setText(f"{MODEL_TITLES[config.model]} (same data, same seed)")
        main.snapshotChanged.connect(self._follow_main)
        main.configChanged.connect(self._on_main_config)
        main.selectionChanged.connect(self.controller.select_image)
        self.canvas.imageClicked.connect(main.select_image)
        self.controller.runningChanged.connect(lambda running: None if running else self.sync())
        self.controller.snapshotChanged.connect(self._on_own_snapshot)
        self.beta.valueChanged.connect(self._on_beta)
        self.controller.select_image(main.selected_index)
        self.canvas.set_probe(None, image=main.selected_index)
        self.sync()

    def _follow_main(self, _snapshot: EpochSnapshot) -> None:
        """Catch up with the main run now and then while it trains (each catch-up is a
        short run of its own and a redraw), at once when it steps or looks back."""
        self.main.draw_later(self, self.sync, every_s=COMPARE_SYNC_S)

    def sync(self, *args: object) -> None:
        """Bring the companion to the main run's epoch: train on, or look back."""
        main, mine = self.main, self.controller
        if mine.running:
            return  # called again when this run ends
        images, own = main.train_images, mine.train_images
        if images.shape != own.shape or not np.array_equal(images, own):
            mine.set_images(images)
        target = self.run.keep_up()
        if target is not None:
            self.status.setText(f"training to epoch {target:,}…")
        if not mine.running:
            self.status.setText(f"epoch {mine.snapshot.epoch:,}   loss {fmt.result(mine.snapshot.loss)}")

    def _on_own_snapshot(self, snapshot: EpochSnapshot) -> None:
        self.collapse_note.setText(collapse_message(snapshot))
        self.collapse_note.setVisible(bool(self.collapse_note.text()))

    def _on_beta(self, value: float) -> None:
        """β of the compared VAE, for this comparison only: applies from the next epoch, so
        the comparison starts again from the random start to stay fair."""
        try:
            config = self.controller.config.replace(beta=check_beta(value))
        except ValueError as exc:  # the engine's own limits and words
            self.beta.refuse(str(exc))
            return
        self.beta_message.clear()
        self.controller.new_session(config, self.main.train_images)
        self.sync()

    def _on_main_config(self, config) -> None:
        """Live settings follow the main run (a companion VAE keeps its own β)."""
        mine = self.controller.config
        keys = [k for k in LIVE_CHANGES if k != "beta" or mine.model != "vae"]
        changes = {k: getattr(config, k) for k in keys if getattr(config, k) != getattr(mine, k)}
        if changes:
            error = self.controller.change(**changes)
            if error:
                self.status.setText(error)

    def shutdown(self) -> None:
        for signal, slot in ((self.main.snapshotChanged, self._follow_main),
                             (self.main.configChanged, self._on_main_config),
                             (self.main.selectionChanged, self.controller.select_image)):
            signal.disconnect(slot)
        self.controller.shutdown()


class _FittingStack(QStackedWidget):
    """A stack as tall as the page shown, not the tallest page, so the canvas keeps the room."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


def name_controls(root: QWidget) -> None:
    """Give every named control the same accessible name (screen readers, tests, lessons)."""
    for widget in root.findChildren(QWidget):
        if widget.objectName() and not widget.accessibleName():
            widget.setAccessibleName(widget.objectName())


class LatentExplorer(QWidget):
    """The workbench's latent dock: canvas, decoded image, data plane, layers, paths, prior."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None, *,
                 state: LatentMapState | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("latentExplorer")
        self.setWindowTitle("Latent space")
        self.controller = controller
        self.theme = theme
        self.compare: ComparePane | None = None

        self.canvas = LatentCanvas(controller, theme, self, state=state)  # its controls all set this state
        self.readout = ProbeReadout(self.canvas, theme, self)
        self.data_plane = DataPlane(controller, theme, self)
        self.main_title = QLabel(self)
        self.main_title.setFont(theme.font(1.0, bold=True))
        self.main_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.main_title.setVisible(False)
        self.collapse_note = _error_label(theme, self)
        self.collapse_note.setObjectName("latentCollapseNote")
        self.collapse_note.setVisible(False)
        self.plane_caption = _hint("Data plane: (a, b, b, a) ↦ (a, b)\n○ reconstruction  + decoded", theme, self)
        self.data_plane.setToolTip("The 2x2 images are secretly two numbers: image (a, b, b, a) is the point (a, b). "
                                   "Small circles: where each reconstruction lands. Cross: the image decoded on the "
                                   "latent canvas. The colours are the dots' colours on the canvas.")
        self.canvas.setToolTip("Click or drag anywhere to decode that point; click a dot to pick its image; arrow "
                               "keys nudge (Shift: 10×). Wheel zooms, Shift-drag pans.")
        self.reset_button = QPushButton("Reset view", self)
        self.reset_button.setObjectName("latentResetViewButton")
        self.compare_button = QPushButton("Compare AE | VAE", self)
        self.compare_button.setObjectName("latentCompareButton")
        self.compare_button.setCheckable(True)
        self.compare_button.setToolTip("Train the other model on the same data with the same seed and show both "
                                       "latent spaces side by side")

        self.map_controls = MapControls([self.canvas], theme, self)
        self.path_panel = InterpolationPanel(self.canvas, theme, self)
        self.prior_panel = PriorPanel(self.canvas, theme, self)
        self.sections = _FittingStack(self)
        self.sections.setObjectName("latentSections")
        self.section_buttons: dict[str, QToolButton] = {}
        for key, title, page in (("map", "Map layers", self.map_controls), ("path", "Path", self.path_panel),
                                 ("prior", "Prior samples", self.prior_panel)):
            self.sections.addWidget(page)
            button = QToolButton(self)
            button.setObjectName(f"latent{key.capitalize()}SectionButton")
            button.setText(title)
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setArrowType(Qt.ArrowType.RightArrow)
            button.toggled.connect(lambda on, k=key: self.show_section(k if on else None))
            self.section_buttons[key] = button
        # one row when the dock is wide, two on a narrow one (a projector at a presentation scale)
        header = WrappingRows({"sections": list(self.section_buttons.values()),
                               "actions": [self.compare_button, self.reset_button]},
                              [[["sections", "actions"]], [["sections"], ["actions"]]], theme, parent=self)
        header.setObjectName("latentHeader")
        self.sections.setVisible(False)
        self.sections.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        main_column = QWidget(self)
        main_layout = QVBoxLayout(main_column)
        main_layout.setContentsMargins(0, 0, 0, 0)
        main_layout.addWidget(self.main_title)
        main_layout.addWidget(self.canvas, 1)
        main_layout.addWidget(self.collapse_note)
        self.canvas.setMinimumSize(int(170 * theme.scale), int(170 * theme.scale))  # small enough for a projector
        self.readout.setMaximumWidth(int(150 * theme.scale))
        self.readout.setMinimumWidth(int(90 * theme.scale))
        self.data_plane.setMinimumSize(int(110 * theme.scale), int(110 * theme.scale))
        plane_column = QWidget(self)
        plane_layout = QVBoxLayout(plane_column)
        plane_layout.setContentsMargins(0, 0, 0, 0)
        plane_layout.addWidget(self.data_plane, 1)
        plane_layout.addWidget(self.plane_caption)
        self.plane_column = plane_column
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("latentSplitter")
        for k, widget in enumerate((main_column, self.readout, plane_column)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(k, (3, 0, 2)[k])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(header)
        layout.addWidget(self.sections)

        self.reset_button.clicked.connect(self.reset_view)
        self.compare_button.toggled.connect(self.set_compare)
        self.canvas.imageHovered.connect(self.data_plane.set_hover)
        self.data_plane.imageHovered.connect(self.canvas.set_hover)
        self.canvas.probeChanged.connect(lambda z, values: self.data_plane.show_decoded(values))
        controller.snapshotChanged.connect(self._on_snapshot)
        controller.sessionReplaced.connect(self._on_session)
        self._on_snapshot(controller.snapshot)
        self._probe_selected()
        name_controls(self)

    def _probe_selected(self) -> None:
        """Start with the selected image's code decoded, so the panel never opens empty."""
        if self.controller.snapshot.latent_dim == 2:
            self.canvas.set_probe(None, image=self.controller.selected_index)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Room for a canvas you can aim at, beside the decoded image and the data plane."""
        return QSize(int(600 * self.theme.scale), int(620 * self.theme.scale))

    # ----- following the run --------------------------------------------------------------------
    def _on_snapshot(self, snapshot: EpochSnapshot) -> None:
        small = snapshot.world is World.LECTURE
        self.data_plane.setVisible(small)
        self.plane_column.setVisible(small)
        self.collapse_note.setText(collapse_message(snapshot))
        self.collapse_note.setVisible(bool(self.collapse_note.text()))
        self.compare_button.setVisible(small)
        self.map_controls.adapt(snapshot)
        self.prior_panel.refresh(snapshot)

    def _on_session(self, session) -> None:
        """A new model or dataset: the comparison is rebuilt for it."""
        self._probe_selected()
        if self.compare is not None:
            self.set_compare(False)
            self.set_compare(True)

    # ----- actions (also for the lesson path and scripts) ----------------------------------------------
    def show_section(self, key: str | None) -> None:
        """Open the controls of one section ("map", "path", "prior") or close them (None)."""
        for name, button in self.section_buttons.items():
            button.blockSignals(True)
            button.setChecked(name == key)
            button.setArrowType(Qt.ArrowType.DownArrow if name == key else Qt.ArrowType.RightArrow)
            button.blockSignals(False)
        if key is not None:
            self.sections.setCurrentIndex(list(self.section_buttons).index(key))
            self.sections.updateGeometry()
        self.sections.setVisible(key is not None)

    def reset_view(self) -> None:
        self.canvas.reset_view()
        if self.compare is not None:
            self.compare.canvas.reset_view()

    def _share_width(self) -> None:
        """The two latent maps side by side get equal room (a new splitter pane would
        otherwise start as narrow as it may be)."""
        panes = [self.splitter.widget(i) for i in range(self.splitter.count())]
        weights = [0 if pane is self.readout else 2 if pane is self.plane_column else 3 for pane in panes]
        room = max(self.splitter.width(), sum(self.splitter.sizes())) - self.readout.width()
        self.splitter.setSizes([self.readout.width() if w == 0 else room * w // sum(weights) for w in weights])

    def set_compare(self, on: bool) -> None:
        """Show the plain autoencoder and the VAE side by side (trained with the same seed)."""
        if self.compare_button.isChecked() != on:
            self.compare_button.setChecked(on)  # re-enters through the toggled signal
            return
        if on and self.compare is None and not self.controller.config.is_digits:
            self.compare = ComparePane(self.controller, self.theme, self.map_controls.settings(), self)
            self.map_controls.canvases.append(self.compare.canvas)
            self.map_controls.adapt(self.controller.snapshot)
            self.compare.canvas.imageHovered.connect(self.canvas.set_hover)
            self.compare.canvas.imageHovered.connect(self.data_plane.set_hover)
            self.canvas.imageHovered.connect(self.compare.canvas.set_hover)
            self.compare.canvas.setMinimumSize(self.canvas.minimumSize())
            self.splitter.insertWidget(1, self.compare)
            self.splitter.setStretchFactor(1, 3)
            self._share_width()
            self.main_title.setText(f"{MODEL_TITLES[self.controller.config.model]} (this run)")
            self.main_title.setVisible(True)
        elif not on and self.compare is not None:
            pane, self.compare = self.compare, None
            self.map_controls.canvases.remove(pane.canvas)
            self.map_controls.adapt(self.controller.snapshot)
            self.canvas.imageHovered.disconnect(pane.canvas.set_hover)
            pane.shutdown()
            pane.setParent(None)
            pane.deleteLater()
            self.main_title.setVisible(False)
