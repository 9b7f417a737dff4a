"""The export menus: a right-click menu on every registered view, and File > Export.

Installed from one place (``ExportMenus.install``). A view that is a pyqtgraph plot, or
holds one, opens the menu on a right *click* (pyqtgraph's own click event), so a right
*drag* still zooms the latent space; a pyqtgraph plot whose own menu is switched on gets
our entries added to that menu instead. Every other view uses Qt's context menu.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QCursor
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from desktop_app.export.registry import ExportTarget, exportable_views, target_for
from desktop_app.export.still import DEFAULT_SCALE, write_png, write_svg
from desktop_app.settings import settings

HOOKED = "exportMenuHooked"  # a dynamic property: a widget gets its menu once
OTHER_SCALES = (1.0, 3.0, 4.0)
FOLDER_KEY = "export/folder"

AskPath = Callable[[QWidget, str, str, str], str]  # parent, caption, suggested path, filter -> path or ""


def ask_save_path(parent: QWidget, caption: str, suggested: str, file_filter: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, file_filter)
    return path


def with_suffix(path: str, suffix: str) -> str:
    return path if path.lower().endswith(suffix) else path + suffix


class ExportMenus(QObject):
    """Builds the export menus of one main window and carries out what they ask for."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ask_path: AskPath = ask_save_path  # tests put a function here instead of a dialog
        self.last_menu: QMenu | None = None
        self.last_error = ""

    # ----- installing ------------------------------------------------------------------------
    def install(self, root: QWidget | None = None) -> None:
        """Give every registered view under ``root`` (the window) its menu (again safe:
        views added since, e.g. a comparison canvas built on demand, are picked up)."""
        for view in exportable_views(root or self.window):
            if not view.property(HOOKED):
                view.setProperty(HOOKED, True)
                self._hook(view)

    def _hook(self, view: QWidget) -> None:
        plots = [view] if isinstance(view, pg.GraphicsView) else []
        plots += view.findChildren(pg.GraphicsView)
        for plot in plots:
            self._hook_plot(plot)
        if not isinstance(view, pg.GraphicsView):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self.popup(v, v.mapToGlobal(pos)))

    def _hook_plot(self, plot: pg.GraphicsView) -> None:
        # Qt's context menu event comes on the press: it would open a second menu (or
        # interrupt a right-drag), so the plot stops it and pyqtgraph's click opens ours.
        plot.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        scene = plot.scene()
        scene.sigMouseClicked.connect(lambda event, p=plot: self._plot_clicked(p, event))
        if any(box.menuEnabled() for box in _view_boxes(scene)):  # pyqtgraph's own menu is on
            action = QAction("Export this view", scene)
            submenu = QMenu(plot)
            submenu.aboutToShow.connect(lambda m=submenu, p=plot: self._fill(m, target_for(p)))
            action.setMenu(submenu)
            scene.contextMenu.append(action)  # pyqtgraph adds these to every menu of its scene

    def _plot_clicked(self, plot: pg.GraphicsView, event) -> None:
        if event.button() != Qt.MouseButton.RightButton or event.isAccepted():
            return  # a left click, or pyqtgraph showed its own menu (with our entries)
        event.accept()
        screen = event.screenPos()
        self.popup(plot, QPoint(round(screen.x()), round(screen.y())))

    # ----- menus -----------------------------------------------------------------------------
    def popup(self, widget: QWidget, global_pos: QPoint | None = None) -> QMenu | None:
        """Open the export menu of the view ``widget`` belongs to."""
        target = target_for(widget)
        if target is None:
            return None
        menu = QMenu(widget)
        menu.setObjectName("exportContextMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._fill(menu, target)
        self.last_menu = menu
        menu.popup(global_pos if global_pos is not None else QCursor.pos())
        return menu

    def _fill(self, menu: QMenu, target: ExportTarget | None) -> None:
        menu.clear()
        if target is None:
            return
        header = menu.addAction(f"Export the {target.title}")
        header.setEnabled(False)
        menu.addAction(f"PNG, {DEFAULT_SCALE:g}x for slides…", lambda: self.export_png(target, DEFAULT_SCALE))
        sizes = menu.addMenu("PNG at another size")
        for scale in OTHER_SCALES:
            label = f"{scale:g}x (as on screen)…" if scale == 1 else f"{scale:g}x…"
            sizes.addAction(label, lambda s=scale: self.export_png(target, s))
        menu.addAction("SVG (vectors)…", lambda: self.export_svg(target))
        for name in target.tables:
            menu.addAction(f"CSV: {name}…", lambda n=name: self.export_csv(target, n))
        if target.plot is not None:
            menu.addSeparator()
            menu.addAction("More formats (pyqtgraph)…", lambda: _pyqtgraph_dialog(target.plot))

    def fill_file_menu(self, menu: QMenu) -> None:
        """File > Export view: a submenu per view on the tab being shown."""
        menu.clear()
        self.install()
        page = getattr(self.window, "tabs", None)
        root = page.currentWidget() if page is not None else self.window
        views = [v for v in exportable_views(root) if v.isVisible()]
        for view in views:
            target = target_for(view)
            if target is not None:
                self._fill(menu.addMenu(target.title[:1].upper() + target.title[1:]), target)
        if not views:
            menu.addAction("Nothing to export on this tab").setEnabled(False)

    # ----- doing it --------------------------------------------------------------------------
    def export_png(self, target: ExportTarget, scale: float = DEFAULT_SCALE) -> str | None:
        path = self._ask("PNG picture", f"{target.file_stem}.png", "PNG pictures (*.png)", ".png")
        return path and self._run(lambda: write_png(target.widget, path, scale), path)

    def export_svg(self, target: ExportTarget) -> str | None:
        path = self._ask("SVG drawing", f"{target.file_stem}.svg", "SVG drawings (*.svg)", ".svg")
        return path and self._run(lambda: write_svg(target.widget, path, target.plot, target.title), path)

    def export_csv(self, target: ExportTarget, name: str) -> str | None:
        stem = "-".join(name.lower().split())
        path = self._ask(f"CSV of the {name}", f"{stem}.csv", "CSV tables (*.csv)", ".csv")
        return path and self._run(lambda: target.tables[name]().write(path), path)

    def export_window(self, scale: float = DEFAULT_SCALE) -> str | None:
        path = self._ask("PNG of the window", "autoencoder-lab.png", "PNG pictures (*.png)", ".png")
        return path and self._run(lambda: write_png(self.window, path, scale), path)

    def _ask(self, what: str, name: str, file_filter: str, suffix: str) -> str:
        store = settings()
        folder = str(store.value(FOLDER_KEY, "") or "")
        path = self.ask_path(self.window, f"Export {what}", os.path.join(folder, name) if folder else name,
                             file_filter)
        if not path:
            return ""
        path = with_suffix(path, suffix)
        store.setValue(FOLDER_KEY, str(Path(path).parent))
        return path

    def _run(self, write: Callable[[], object], path: str) -> str | None:
        """Write, then say so in the status bar; a failure gets a message, never a crash."""
        try:
            write()
        except (OSError, ValueError) as exc:
            self.last_error = str(exc)
            self.report_error(str(exc))
            return None
        self.window.statusBar().showMessage(f"Exported {path}", 8000)
        return path

    def report_error(self, message: str) -> None:
        QMessageBox.warning(self.window, "Could not export", message)


def _view_boxes(scene) -> list[pg.ViewBox]:
    return [item for item in scene.items() if isinstance(item, pg.ViewBox)]


def _pyqtgraph_dialog(plot: pg.PlotItem) -> None:
    """pyqtgraph's own export dialog (its image, SVG, CSV, Matplotlib and HDF5 exporters)."""
    scene = plot.scene()
    scene.contextMenuItem = plot
    scene.showExportDialog()
