"""Exports: pictures (PNG, SVG), the data behind a view (CSV) and training animations.

``install_exports(window)`` is the one call the main window makes: the right-click menu
on every registered view and File > Export view / window as PNG / animation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt is imported when a window installs its menus, not by ``--help``
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow, QMenu

    from desktop_app.export.menus import ExportMenus


def install_exports(window: QMainWindow) -> ExportMenus:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from desktop_app.export.menus import ExportMenus

    menus = ExportMenus(window)
    menus.install()
    window.export_menus = menus
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and "File" in a.text())
    anchor = _before_quit(file_menu)
    views = QMenu("&Export view", file_menu)
    views.setObjectName("exportViewMenu")
    views.aboutToShow.connect(lambda: menus.fill_file_menu(views))
    file_menu.insertMenu(anchor, views)
    whole = QAction("Export &window as PNG…", window)
    whole.triggered.connect(lambda: menus.export_window())
    animation = QAction("Export &animation…", window)
    animation.setObjectName("exportAnimationAction")
    animation.triggered.connect(lambda: open_animation_dialog(window))
    file_menu.insertActions(anchor, [whole, animation])
    file_menu.insertSeparator(anchor)
    tabs = getattr(window, "tabs", None)
    if tabs is not None:  # views a tab builds later get their menu when it is shown (its own widgets only:
        tabs.currentChanged.connect(lambda i: menus.install(tabs.widget(i)))  # a lesson step switches tabs)
    return menus


def open_animation_dialog(window: QMainWindow):
    from PySide6.QtCore import Qt

    from desktop_app.export.animation_dialog import AnimationDialog

    dialog = AnimationDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    window.animation_dialog = dialog
    return dialog


def _before_quit(menu: QMenu) -> QAction | None:
    """The separator above Quit (or Quit itself): exports go just before it."""
    actions = menu.actions()
    for i, action in enumerate(actions):
        if "Quit" in action.text():
            return actions[i - 1] if i and actions[i - 1].isSeparator() else action
    return None
