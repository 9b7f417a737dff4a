"""The latent map's controls (``MapControls``): the decoded-map overlay and its grid, the
range shown, the background, trails, spreads and the data grid. They show the first
canvas's ``LatentMapState`` and write the learner's changes to every canvas's.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from desktop_app.state_binding import bind_check, bind_choice, bind_number
from desktop_app.theme import Theme
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.views.latent_readout import error_label, hint
from desktop_app.widgets.number_box import NumberBox, WholeNumberBox
from engine.core.config import World
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
        self.range_message = error_label(theme, self)
        self.range_message.setObjectName("latentRangeMessage")
        self.range_message.setVisible(False)
        for spin in (self.range_from, self.range_to):
            spin.refused.connect(self._say_range)
        self.background = QComboBox(self)
        self.background.setObjectName("latentBackground")
        for text, key in BACKGROUND_CHOICES:
            self.background.addItem(text, key)
        self.background_key = hint("", theme, self)
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
