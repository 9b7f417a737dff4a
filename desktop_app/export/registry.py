"""Which views can be exported, and as what: one table from view class to export target.

A right-click anywhere inside a registered view (on its plot, a label, a tile) finds the
nearest registered ancestor, so every view gets the same menu without a line of export
code in the view itself. CSV tables are built when asked for, from the engine objects
the view shows (see ``tables.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from desktop_app.case_studies.curves import CurvePlot
from desktop_app.case_studies.denoising_study import DenoisingStudy
from desktop_app.case_studies.digit_grid import DigitMosaic, DigitTable
from desktop_app.case_studies.live_study import LiveStudy
from desktop_app.export import tables
from desktop_app.export.tables import Table
from desktop_app.panels.widgets import TeachingPanel
from desktop_app.views.dataset_view import DatasetView
from desktop_app.views.decoded_image import DecodedImageView
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.views.loss_plot import LossPlot
from desktop_app.views.network_diagram import NetworkDiagram
from desktop_app.views.reconstruction_view import ReconstructionView


@dataclass
class ExportTarget:
    """What one view offers: a picture of ``widget`` and, by name, tables of its data."""

    title: str  # "loss curve": menu text and default file name
    widget: QWidget  # what PNG and SVG draw
    plot: pg.PlotItem | None = None  # set: SVG through pyqtgraph's exporter
    tables: dict[str, Callable[[], Table]] = field(default_factory=dict)

    @property
    def file_stem(self) -> str:
        return "-".join(self.title.lower().replace(",", "").split())


Describe = Callable[[QWidget], ExportTarget | None]


def _study(widget: QWidget) -> LiveStudy | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, LiveStudy):
        parent = parent.parentWidget()
    return parent if parent is not None and parent.started else None


def _diagram(w: NetworkDiagram) -> ExportTarget:
    return ExportTarget("network diagram", w,
                        tables={"weights and biases": lambda: tables.weights_table(w.controller.snapshot)})


def _dataset(w: DatasetView) -> ExportTarget:
    return ExportTarget("training images", w, tables={"training images": lambda: tables.images_table(
        w.controller.snapshot)})


def _reconstruction(w: ReconstructionView) -> ExportTarget:
    return ExportTarget("reconstruction", w, tables={"reconstructions": lambda: tables.reconstructions_table(
        w.controller.snapshot)})


def _loss_plot(w: LossPlot) -> ExportTarget:
    return ExportTarget("loss curve", w, w.plot.getPlotItem(), {
        "loss history": lambda: tables.loss_history_table(w.controller.session.history)})


def _latent_canvas(w: LatentCanvas) -> ExportTarget:
    target = ExportTarget("latent space", w, w.getPlotItem())
    snapshot = w.snapshot
    if snapshot is not None:
        target.tables["latent codes"] = lambda: tables.latent_codes_table(w.snapshot)
        if snapshot.latent_dim == 2 and w.current_map_box() is not None:
            target.tables["decoded grid"] = lambda: tables.decoded_grid_table(w.snapshot, w.current_map_box(),
                                                                              w.state.grid_size)
    return target


def _decoded_image(w: DecodedImageView) -> ExportTarget:
    target = ExportTarget("decoded image", w)
    canvas = _sibling_canvas(w)
    if canvas is not None and canvas.probe is not None and canvas.snapshot is not None:
        target.tables["decoded image"] = lambda: tables.decoded_point_table(
            canvas.probe, canvas.snapshot.decode(canvas.probe))
    return target


def _sibling_canvas(w: DecodedImageView) -> LatentCanvas | None:
    """The latent canvas whose probe this decoded image shows: the names pair up
    (decodedImage + suffix with latentCanvas + suffix, the same in the generation study)."""
    name = w.objectName()
    for image_prefix, canvas_prefix in (("generationDecodedImage", "generationLatentCanvas"),
                                        ("decodedImage", "latentCanvas")):
        if name.startswith(image_prefix):
            return w.window().findChild(LatentCanvas, canvas_prefix + name[len(image_prefix):])
    return None


def _panel(w: TeachingPanel) -> ExportTarget:
    return ExportTarget(w.windowTitle() or "panel", w)


def _curve_plot(w: CurvePlot) -> ExportTarget:
    title = w.titles[0] or "plot"  # the whole wording, whichever fits the plot on screen now
    target = ExportTarget(_plain(title), w, w.plot.getPlotItem())
    study = _study(w)
    if w.objectName().startswith("lossPlot") and study is not None:
        target.tables["loss history"] = lambda: tables.loss_history_table(study.controller.session.history)
    else:
        target.tables["curves"] = lambda: tables.curves_table(
            {key: _curve_xy(curve) for key, curve in w.curves.items()})
    return target


def _curve_xy(curve: pg.PlotDataItem) -> tuple[list, list]:
    x, y = curve.getData()
    return ([] if x is None else list(x)), ([] if y is None else list(y))


def _digit_table(w: DigitTable) -> ExportTarget:
    target = ExportTarget("digit table", w)
    study = _study(w)
    if isinstance(study, DenoisingStudy) and w is study.table:
        target.title = "held-out digits"
        target.tables["held-out PSNR per digit"] = lambda: _psnr_table(study)
    return target


def _psnr_table(study: DenoisingStudy) -> Table:
    snapshot = study.controller.snapshot
    pca = study.pca.ready(snapshot.latent_dim)
    return tables.held_out_psnr_table(snapshot, None if pca is None else pca.denoise(snapshot.inputs))


def _mosaic(w: DigitMosaic) -> ExportTarget:
    return ExportTarget("digits", w)


def _plain(html: str) -> str:
    """A plot title without its markup."""


    return re.sub(r"<[^>]+>", "", html).split("(")[0].strip() or "plot"


REGISTRY: list[tuple[type, Describe]] = [
    (NetworkDiagram, _diagram),
    (DatasetView, _dataset),
    (ReconstructionView, _reconstruction),
    (LossPlot, _loss_plot),
    (LatentCanvas, _latent_canvas),
    (DecodedImageView, _decoded_image),
    (TeachingPanel, _panel),
    (CurvePlot, _curve_plot),
    (DigitTable, _digit_table),
    (DigitMosaic, _mosaic),
]


def registered(widget: QWidget) -> Describe | None:
    for cls, describe in REGISTRY:
        if isinstance(widget, cls):
            return describe
    return None


def target_for(widget: QWidget | None) -> ExportTarget | None:
    """The export target of ``widget`` or of its nearest registered ancestor."""
    while widget is not None:
        describe = registered(widget)
        if describe is not None:
            return describe(widget)
        widget = widget.parentWidget()
    return None


def exportable_views(root: QWidget) -> list[QWidget]:
    """Every registered view under ``root`` (outermost only), in creation order."""
    found = [w for w in root.findChildren(QWidget) if registered(w) is not None]
    chosen = set(found)
    return [w for w in found if not _has_ancestor_in(w, chosen)]


def _has_ancestor_in(widget: QWidget, widgets: set[QWidget]) -> bool:
    """One walk up per view (a lesson step that switches tabs runs this on the tab)."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent in widgets:
            return True
        parent = parent.parentWidget()
    return False
