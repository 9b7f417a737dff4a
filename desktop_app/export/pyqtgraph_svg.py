"""pyqtgraph's SVG exporter, made to work with the Qt we ship.

Qt 6 ends every closed outline in an SVG path with ``Z`` (a marker's circle, a legend's
box); pyqtgraph 0.14's ``correctCoordinates`` reads a path as "x,y" pairs only and
stops with "not enough values to unpack" on the ``Z`` (pyqtgraph issue #3485, open).
While one of our exports runs, that function gets paths without their ``Z`` and the
``Z`` is put back afterwards; everything else is pyqtgraph's own exporter.
"""

from __future__ import annotations

import importlib
import threading
from contextlib import contextmanager
from xml.dom import minidom

import pyqtgraph as pg

_svg_module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
_lock = threading.Lock()


def _closed_paths(node: minidom.Element) -> list[minidom.Element]:
    closed = []
    for path in node.getElementsByTagName("path"):
        d = path.getAttribute("d").strip()
        if d.endswith("Z"):
            path.setAttribute("d", d.replace(" Z", "").replace("Z", "").strip())
            closed.append(path)
    return closed


@contextmanager
def _paths_without_z():
    original = _svg_module.correctCoordinates

    def correct(node, defs, item, options):
        closed = _closed_paths(node)
        original(node, defs, item, options)
        for path in closed:
            path.setAttribute("d", path.getAttribute("d").strip() + " Z")

    with _lock:
        _svg_module.correctCoordinates = correct
        try:
            yield
        finally:
            _svg_module.correctCoordinates = original


def export_plot_svg(plot: pg.PlotItem, path: str) -> None:
    """Write ``plot`` (axes, curves, legend) as SVG through pyqtgraph's SVGExporter."""
    with _paths_without_z():
        _svg_module.SVGExporter(plot).export(fileName=path)
