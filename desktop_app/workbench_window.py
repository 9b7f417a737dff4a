"""The workbench: the lecture's 2x2 network, its controls, latent space and loss panels.

Composition only: every piece is built elsewhere and talks to the controller.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from desktop_app.controller import TrainingController
from desktop_app.dock_tab_bars import install_tab_bar_tidy
from desktop_app.frames.layout_firewall import LayoutFirewall
from desktop_app.panels import build_panels
from desktop_app.theme import Theme
from desktop_app.views.backprop_tools import install_backprop
from desktop_app.views.latent_explorer import LatentExplorer
from desktop_app.views.workbench import WorkbenchPage
from desktop_app.widgets.controls import ControlsBar


class WorkbenchWindow(QMainWindow):
    """A main window nested in the app's first tab, so its docks can be rearranged."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbench")
        self.controller = controller
        self.controls = ControlsBar(controller, theme, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.controls)
        self.page = WorkbenchPage(controller, theme, self)
        self.setCentralWidget(LayoutFirewall(self.page))  # see layout_firewall.py: no full-window repaints
        self.latent = LatentExplorer(controller, theme, self)
        self.docks: dict[str, QDockWidget] = {}
        self._dock("latent", "Latent space", self.latent, Qt.DockWidgetArea.RightDockWidgetArea)
        previous = None
        for panel in build_panels(controller, theme, self):
            dock = self._dock(panel.objectName(), panel.windowTitle(), panel, Qt.DockWidgetArea.RightDockWidgetArea)
            if previous is not None:
                self.tabifyDockWidget(previous, dock)
            previous = dock
        if previous is not None:
            self.splitDockWidget(self.docks["latent"], self._first_panel_dock(), Qt.Orientation.Vertical)
        self.backprop = install_backprop(self)
        install_tab_bar_tidy(self)

    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{key}Dock")
        dock.setWidget(LayoutFirewall(widget))
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        self.docks[key] = dock
        return dock

    def _first_panel_dock(self) -> QDockWidget:
        return next(d for k, d in self.docks.items() if k != "latent")

    def show_panel(self, key: str, visible: bool = True) -> None:
        """Show or hide a view by name (for the lesson path and scripts)."""
        dock = self.docks[key]
        dock.setVisible(visible)
        if visible:
            dock.raise_()
