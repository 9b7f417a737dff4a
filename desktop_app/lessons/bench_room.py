"""A presented lesson step on the workbench (see presenting.py): the moves that make room
for its views and its words, each undone by showing again what it returns (or by the
presented layout's reset at the next step)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from desktop_app.lessons.lesson_column import settle_window
from desktop_app.lessons.screen_setup import view_widget


def panel_parts_aside(window, docks: list[QDockWidget]) -> list[QWidget]:
    """A presented panel whose parts the step highlights shows only those parts (the
    sigmoid panel whole, curve, the slide's table and a perceptron step, is two screens
    tall at 150 %); returns the parts hidden."""
    named = [w for w in (view_widget(window, n) for n in window.lessons.step.highlight) if w is not None]
    hidden: list[QWidget] = []
    for dock in docks:
        panel = dock.widget().child
        if not any(panel.isAncestorOf(w) for w in named):
            continue
        parts = [panel.columns.itemAt(i).widget() for i in range(panel.columns.count())]
        aside = [p for p in parts if not p.isHidden() and not any(p is w or p.isAncestorOf(w) for w in named)]
        for part in aside:
            part.hide()
        hidden += aside
        panel.body.updateGeometry()
    return hidden


def stack_bottom(window) -> None:
    """The reconstruction above the loss curve, unless that makes the page too tall."""
    bottom = window.workbench.page.splitters["bottom"]
    bottom.setOrientation(Qt.Orientation.Vertical)
    settle_window(window)
    if window.minimumSizeHint().height() > window.screen().geometry().height():
        bottom.setOrientation(Qt.Orientation.Horizontal)


def bar_in_two_rows(window) -> list[QWidget]:
    """The control bar in two rows (it leaves the column more width, also on a case
    study's page: the tabs are as wide as their widest page), unless the workbench would
    then be taller than the screen."""
    controls = window.workbench.controls
    controls.set_compact(True, rows=2)
    settle_window(window)
    bench = window.workbench
    if bench.minimumSizeHint().height() > bench.height():
        controls.set_compact(True, rows=1)
        settle_window(window)
    return []


def data_plane_aside(window) -> list[QWidget]:
    """The latent view without its data plane (the codes and the decoded image stay):
    the last room a step's text can take from the views; returns what was hidden."""
    plane = window.workbench.latent.plane_column
    dock = window.workbench.docks["latent"]
    if not dock.isVisible() or plane.isHidden():
        return []
    plane.hide()
    window.workbench.latent.updateGeometry()  # its dock's firewall learns the new minimum
    settle_window(window)
    dock.layout().invalidate()  # and the dock takes it in (it keeps its minimum otherwise)
    dock.layout().activate()
    settle_window(window)
    return [plane]


def give_loss_room(window) -> None:
    """A presented loss curve takes at least half the height it shares with the diagram,
    and all the reconstruction above it leaves (the reconstruction's grids and strip
    gain nothing from more height): a short curve under a roomy diagram is hard to read."""
    page = window.workbench.page
    if page.loss_plot.isHidden():
        return
    centre, bottom = page.splitters["centre"], page.splitters["bottom"]
    if not page.diagram.isHidden():
        total = sum(centre.sizes())
        diagram = max(total // 2, page.diagram.minimumHeight())
        centre.setSizes([diagram, total - diagram])
    if bottom.orientation() == Qt.Orientation.Vertical and not page.reconstruction.isHidden():
        total = sum(bottom.sizes())
        above = page.reconstruction.minimumSizeHint().height()
        bottom.setSizes([above, total - above])
    settle_window(window)
