"""The latent space explorer: the canvas you click to generate, and what goes with it.

Composition of reusable pieces: ``LatentCanvas`` (the plane), ``DecodedImageView`` and
``LatentCoordLabel`` (what the probe decodes to, and where it is), ``DataPlane`` (the
2x2 world's own plane, linked by hover and selection), the interpolation panel, the
prior-samples panel, and a side-by-side comparison of the plain autoencoder and the
VAE trained on the same data with the same seed (a second ``TrainingController``, so
the engine trains it; this widget only keeps its epoch in step with the main one).

The pieces around the canvas have their own modules: ``latent_map_controls``,
``latent_prior``, ``latent_compare`` and ``latent_readout``; this one arranges them in
the dock (sections, the comparison switch, sizes).

Works for the 2x2 models and the digit models alike: what only makes sense for 2x2
images (the data plane, pattern and pixel backgrounds, the data grid) hides itself.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.controller import TrainingController
from desktop_app.state.latent_map import LatentMapState
from desktop_app.theme import Theme
from desktop_app.views.data_plane import DataPlane, plane_minimum_width
from desktop_app.views.interpolation_strip import InterpolationPanel
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.views.latent_compare import ComparePane, collapse_message
from desktop_app.views.latent_map_controls import MapControls
from desktop_app.views.latent_prior import PriorPanel
from desktop_app.views.latent_readout import ProbeReadout, error_label, hint
from desktop_app.widgets.wrapping_rows import WrappingRows
from engine.core.config import MODEL_TITLES, World
from engine.core.snapshot import EpochSnapshot


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
        self.collapse_note = error_label(theme, self)
        self.collapse_note.setObjectName("latentCollapseNote")
        self.collapse_note.setVisible(False)
        self.plane_caption = hint("Data plane: (a, b, b, a) ↦ (a, b)\n○ reconstruction  + decoded", theme, self)
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
        self.data_plane.setMinimumSize(plane_minimum_width(theme.scale), int(110 * theme.scale))
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
