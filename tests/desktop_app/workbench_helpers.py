"""A bare workbench for tests: the real control bar and page around a real controller,
without the docked panels (owned elsewhere), so these tests exercise only the workbench."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QMainWindow

from desktop_app.controller import TrainingController
from desktop_app.theme import Theme
from desktop_app.views.pixel_grid import cell_rect
from desktop_app.views.workbench import WorkbenchPage
from desktop_app.widgets.controls import ControlsBar
from engine.core.config import TrainingConfig


def shown_bench(qtbot) -> Iterator[Bench]:
    """A bench with a fresh controller, shown (views skip work while hidden, as on another
    tab), its controller shut down afterwards: a fixture's body (``yield from``)."""
    torch.set_num_threads(1)
    bench = Bench(TrainingController(TrainingConfig()))
    qtbot.addWidget(bench)
    bench.show()
    qtbot.waitExposed(bench)
    yield bench
    bench.controller.shutdown()


class Bench(QMainWindow):
    def __init__(self, controller: TrainingController, theme: Theme | None = None) -> None:
        super().__init__()
        theme = theme or Theme()
        self.theme = theme
        self.controller = controller
        self.controls = ControlsBar(controller, theme, self)
        self.addToolBar(self.controls)
        self.page = WorkbenchPage(controller, theme, self)
        self.setCentralWidget(self.page)
        self.resize(1400, 900)
        # Tests answer the "discard training?" questions themselves.
        self.answers: list[str] = []
        self.answer = True
        for widget in (self.controls, self.page.dataset, self.page.timeline):
            widget.confirm_discard = self._confirm

    def theme_colour(self, curve: str) -> str:
        return self.theme.curve_colour(curve).name()

    def _confirm(self, question: str) -> bool:
        self.answers.append(question)
        return self.answer


def choose(combo: QComboBox, data: object) -> None:
    """Pick an item the way a user does (``activated`` fires, unlike setCurrentIndex)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def wait_for_epoch(qtbot, controller: TrainingController, epoch: int, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: not controller.running and controller.snapshot.epoch == epoch, timeout=timeout)


def click_editor_pixel(qtbot, bench: Bench, pixel: int) -> None:
    editor = bench.page.dataset.editor
    centre = cell_rect(editor.grid_rect(), 2, pixel).center()
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))


def colour_value(colour) -> float:
    """The grey level of a pixel colour, 0..1."""
    return float(np.mean([colour.redF(), colour.greenF(), colour.blueF()]))


def wait_idle(qtbot, controller: TrainingController, timeout: int = 10_000) -> None:
    """Until the worker has stopped and its last epoch is on screen."""
    qtbot.waitUntil(lambda: not controller.running and controller.snapshot is controller.session.latest,
                    timeout=timeout)
