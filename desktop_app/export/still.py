"""Still pictures of a view: PNG at a chosen scale, SVG as vectors.

PNG: the widget paints itself into an image ``scale`` times its size on screen (2x by
default, sharp on a projector), so hidden docks and the window's other tabs play no
part and nothing is read from the screen. SVG: a pyqtgraph plot goes through
pyqtgraph's own ``SVGExporter`` (its curves become paths, whatever cache the live plot
uses); every other view paints itself into Qt's ``QSvgGenerator``.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView, QWidget

from desktop_app.export.files import atomic_file
from desktop_app.export.pyqtgraph_svg import export_plot_svg

DEFAULT_SCALE = 2.0
MAX_PIXELS = 12_000  # a side longer than this is a typo, not a slide


def check_scale(scale: object, size: QSize) -> float:
    """A positive, finite scale that keeps the picture below MAX_PIXELS a side."""
    try:
        value = float(scale)
    except (TypeError, ValueError):
        raise ValueError("The scale must be a number, e.g. 2 for twice the size on screen.") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError("The scale must be a positive number, e.g. 2 for twice the size on screen.")
    if max(size.width(), size.height()) * value > MAX_PIXELS:
        raise ValueError(f"At {value:g}x the picture would be wider than {MAX_PIXELS:,} pixels.")
    return value


def widget_image(widget: QWidget, scale: float = DEFAULT_SCALE) -> QImage:
    """The widget as it looks now, painted at ``scale`` times its size (not a screen grab)."""
    size = widget.size()
    scale = check_scale(scale, size)
    image = QImage(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(widget.palette().window().color())
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform)
    try:  # QWidget's own render: the views name their snapshot method render() too
        QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        painter.end()
    return image


def write_image(image: QImage, path: str, fmt: bytes = b"png") -> None:
    """Write through Qt's QImageWriter, atomically; a clear message when it fails."""
    with atomic_file(path) as temporary:
        writer = QImageWriter(temporary, fmt)
        if not writer.write(image):
            raise OSError(f"Could not write {path}: {writer.errorString()}")


def write_png(widget: QWidget, path: str, scale: float = DEFAULT_SCALE) -> QSize:
    """Save the widget as a PNG at ``scale`` times its size; returns the size in pixels."""
    image = widget_image(widget, scale)
    write_image(image, path)
    return image.size()


def write_svg(widget: QWidget, path: str, plot: pg.PlotItem | None = None, title: str = "") -> None:
    """Save the view as SVG: a pyqtgraph plot through its exporter, anything else painted."""
    with atomic_file(path) as temporary:
        if plot is not None:
            export_plot_svg(plot, temporary)
        else:
            _paint_svg(widget, temporary, title)


def _paint_svg(widget: QWidget, path: str, title: str) -> None:
    size = widget.size()
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title or widget.windowTitle() or widget.objectName())
    generator.setDescription("Exported from Autoencoder Lab")
    painter = QPainter(generator)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    try:
        if isinstance(widget, QGraphicsView):  # the scene itself, item by item: pure vectors
            painter.fillRect(QRectF(0, 0, size.width(), size.height()), widget.backgroundBrush())
            QGraphicsView.render(widget, painter, QRectF(0, 0, size.width(), size.height()),
                                 widget.viewport().rect())
        else:
            QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        painter.end()
