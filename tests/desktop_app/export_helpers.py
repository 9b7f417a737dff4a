"""A trained main window for the export tests, and small readers for what they write."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import torch
from PySide6.QtWidgets import QApplication, QMenu

from desktop_app.main_window import MainWindow

SVG = "{http://www.w3.org/2000/svg}"


def trained_window(qtbot):
    """A shown main window after 60 epochs of the workbench (use as a fixture body)."""
    torch.set_num_threads(1)
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.controller.step(60) is None
    w.controller.wait_until_idle(60)
    yield w
    w.controller.shutdown()


def read_csv(path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def svg_paths(path) -> list[str]:
    return [p.get("d", "") for p in ET.parse(path).getroot().iter(f"{SVG}path")]


def svg_lines(path) -> list[list[tuple[float, float]]]:
    """The vertices of every straight-line shape: paths of M/L steps and polylines (Qt
    writes a plot curve as either, depending on how pyqtgraph drew it)."""
    root = ET.parse(path).getroot()
    lines = [path_points(p.get("d", "")) for p in root.iter(f"{SVG}path")]
    for poly in root.iter(f"{SVG}polyline"):
        lines.append([tuple(float(v) for v in pair.split(",")) for pair in poly.get("points", "").split()])
    return [line for line in lines if line]


def joined(lines: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Lines that continue one another (one ends where the next starts) joined into one:
    pyqtgraph may draw a long curve as many short segments."""
    out: list[list[tuple[float, float]]] = []
    for line in lines:
        if out and np.allclose(out[-1][-1], line[0]):
            out[-1] = out[-1] + line[1:]
        else:
            out.append(list(line))
    return out


def svg_texts(path) -> list[str]:
    return ["".join(t.itertext()).strip() for t in ET.parse(path).getroot().iter(f"{SVG}text")]


def path_points(d: str) -> list[tuple[float, float]]:
    """The vertices of an SVG path of straight lines, "M x,y L x,y …" (pyqtgraph's and
    Qt's form); a path with curves or other commands gives []."""
    points = []
    for token in d.split():
        if token[0] not in "ML" or "," not in token:
            return []
        x, y = token[1:].split(",")
        points.append((float(x), float(y)))
    return points


def open_popup() -> QMenu | None:
    popup = QApplication.activePopupWidget()
    return popup if isinstance(popup, QMenu) else None


def entries(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if a.text()]
