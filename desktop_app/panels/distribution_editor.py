"""A 5-bin distribution as a bar chart the learner can drag, with a typed cell per bar.

The editor only reports what the learner did (a dragged height, a typed text); the KL
panel checks it and sends back what it keeps, so a refused value never stays on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.panels.widgets import PixelCell, css, name_widget, style_axes
from desktop_app.theme import Theme

#: Dragged heights snap to this step, so the typed cells stay readable.
DRAG_STEP = 0.01


class _DragViewBox(pg.ViewBox):
    """A fixed view whose left-button clicks and drags set a bar's height."""

    def __init__(self, on_point: Callable[[QPointF, bool], None]) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=False, y=False)
        self._on_point = on_point

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph's name)
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self._on_point(self.mapSceneToView(ev.scenePos()), True)
        else:
            ev.ignore()

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802 (pyqtgraph's name)
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        self._on_point(self.mapSceneToView(ev.scenePos()), ev.isFinish())


class DistributionEditor(QWidget):
    """Bars 1…n of one distribution (p or q), draggable, and a typed cell per bar (placed by
    the panel, so that p's and q's cells can share one table)."""

    cellEdited = Signal(int, str)  # bar index, typed text
    barDragged = Signal(int, float, bool)  # bar index, new height, drag finished
    hovered = Signal(int)  # bar under the mouse, −1 for none

    def __init__(self, name: str, colour: QColor, theme: Theme, bins: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, f"{name}Editor")
        self._theme = theme
        self._colour = QColor(colour)
        self._values = np.zeros(bins)
        self._highlight = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        caption = QLabel(f"<b style='color:{css(colour)}'>{name}</b>", self)
        caption.setFont(theme.font(1.4))
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(caption)

        self.box = _DragViewBox(self._pointed)
        self.plot = name_widget(pg.PlotWidget(self, viewBox=self.box, background=theme.background), f"{name}Bars")
        self.plot.hideButtons()
        self.plot.setMinimumHeight(int(170 * theme.scale))
        self.plot.setMinimumWidth(int(120 * theme.scale))
        self.plot.getAxis("bottom").setTicks([[(i, str(i + 1)) for i in range(bins)]])
        style_axes(self.plot, theme, 0.95)
        self.plot.showGrid(y=True, alpha=0.25)
        self.plot.setXRange(-0.6, bins - 0.4, padding=0)
        self.bars = pg.BarGraphItem(x=np.arange(bins), height=self._values, width=0.7)
        self.plot.addItem(self.bars)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.plot.setToolTip(f"Drag a bar up or down to change {name}, or type its value below.")
        layout.addWidget(self.plot, 1)

        metrics = QFontMetrics(theme.font(1.05))
        size = (metrics.horizontalAdvance("0.000") + int(8 * theme.scale), metrics.height() + int(12 * theme.scale))
        self.cells: list[PixelCell] = []  # typed values; the panel lays them out (a p row and a q row)
        for i in range(bins):
            cell = PixelCell(i, size, theme, self, stretch=True)
            cell.setFont(theme.font(1.05))
            name_widget(cell, f"{name}Cell{i}")
            cell.setToolTip(f"bar {i + 1} of {name}: type a probability between 0 and 1")
            cell.editingFinished.connect(lambda c=cell: self._finished(c))
            cell.hovered.connect(self.hovered)
            self.cells.append(cell)
        self._dragging = False

    def set_values(self, values: np.ndarray, texts: Sequence[str]) -> None:
        self._values = np.asarray(values, dtype=np.float64).copy()
        for cell, text in zip(self.cells, texts, strict=True):
            if not (cell.hasFocus() and cell.isModified()) and cell.text() != text:
                cell.setText(text)
                cell.setCursorPosition(0)
        if not self._dragging:  # a steady axis while dragging, rescaled when let go
            self.plot.setYRange(0, 0.5 if self._values.max(initial=0) <= 0.45 else 1.0, padding=0.02)
        self._draw()

    def set_highlight(self, index: int) -> None:
        self._highlight = index
        self._draw()

    def bar_point(self, index: int, height: float) -> QPointF:
        """Where bar ``index`` at ``height`` is, in the plot widget's own pixels (for tests)."""
        scene = self.box.mapViewToScene(QPointF(index, height))
        return self.plot.mapFromScene(scene)

    def _draw(self) -> None:
        brushes, pens = [], []
        for i in range(len(self._values)):
            lit = i == self._highlight
            fill = QColor(self._colour)
            fill.setAlpha(255 if lit else 190)
            brushes.append(pg.mkBrush(fill))
            edge = self._theme.accent if lit else self._colour
            pens.append(pg.mkPen(edge, width=self._theme.line(2 if lit else 0.5)))
        self.bars.setOpts(height=self._values, brushes=brushes, pens=pens)
        for cell in self.cells:
            cell.set_look(self._theme.background, self._theme.foreground, cell.index == self._highlight)

    def _pointed(self, point: QPointF, finished: bool) -> None:
        index = int(round(point.x()))
        if not 0 <= index < len(self._values):
            return
        self._dragging = not finished
        height = min(1.0, max(0.0, round(point.y() / DRAG_STEP) * DRAG_STEP))
        self.barDragged.emit(index, float(height), finished)

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.plot.sceneBoundingRect().contains(scene_pos):
            return
        x = self.box.mapSceneToView(scene_pos).x()
        index = int(round(x))
        self.hovered.emit(index if 0 <= index < len(self._values) and abs(x - index) <= 0.35 else -1)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.hovered.emit(-1)
        super().leaveEvent(event)

    def _finished(self, cell: PixelCell) -> None:
        if cell.isModified():
            cell.setModified(False)
            self.cellEdited.emit(cell.index, cell.text())
