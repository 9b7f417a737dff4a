"""The application window: tabs for the workbench and the two case studies. Composition only."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from desktop_app.case_studies import DenoisingStudy, GenerationStudy
from desktop_app.controller import TrainingController
from desktop_app.export import install_exports
from desktop_app.frames.opaque import paints_own_background
from desktop_app.lessons.install import install_lesson_path
from desktop_app.preferences import install_preferences, startup_theme
from desktop_app.presentation import install_presentation
from desktop_app.session_files import install_session_files
from desktop_app.shortcut_overlay import install_shortcut_overlay
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application
from desktop_app.window_layout import install_window_layout
from desktop_app.workbench_window import WorkbenchWindow
from engine.core.config import TrainingConfig
from engine.service.protocol import HostedSession


class MainWindow(QMainWindow):
    def __init__(self, theme: Theme | None = None, seed: int = 0, parent: QWidget | None = None,
                 session: HostedSession | None = None) -> None:
        """``session``: the workbench's first session, made in the training host ahead
        (``python -m desktop_app``: desktop_app.startup_window); else one is made now."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAccessibleName("mainWindow")
        self.setWindowTitle("Autoencoder Lab")
        self.theme = theme or startup_theme()
        apply_to_application(self.theme)  # Qt's own widgets in the theme's palette and font
        self.controller = TrainingController(TrainingConfig(seed=seed), parent=self, session=session)
        self.workbench = WorkbenchWindow(self.controller, self.theme, self)
        self.denoising = DenoisingStudy(self.theme, self)
        self.generation = GenerationStudy(self.theme, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.workbench, "Workbench: the 2x2 network")
        self.tabs.addTab(self.denoising, "Case study 1: denoising digits")
        self.tabs.addTab(self.generation, "Case study 2: generating digits")
        for page in (self.workbench, self.denoising, self.generation):
            # one background colour (the palette's), not the tab pane's lighter one, under
            # the views that paint their own background (frames/opaque.py)
            page.setAutoFillBackground(True)
        self.setCentralWidget(self.tabs)
        self._status = QLabel(self)
        paints_own_background(self._status)
        self.statusBar().addPermanentWidget(self._status, 1)
        self.controller.statusChanged.connect(self._status.setText)
        self.controller.diverged.connect(self._on_diverged)
        self._build_menu()
        install_lesson_path(self)
        install_exports(self)  # right-click and File menu exports (desktop_app/export/)
        # last, so that every dock (the lesson path's too) is part of the remembered layout
        install_window_layout(self, self.view_menu)  # fits the screen or restores last run's layout
        self.session_files.mark_clean()  # the whole window is built: nothing to save yet

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.session_files = install_session_files(self, file_menu)  # Open, Open recent, Save, Save As
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        edit_menu = self.menuBar().addMenu("&Edit")
        view_menu = self.view_menu = self.menuBar().addMenu("&View")
        for dock in self.workbench.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        full = self._action(view_menu, "&Full screen", QKeySequence("F11"), self._toggle_full_screen)
        full.setCheckable(True)
        install_presentation(self, view_menu)  # F5, Esc, B/".", View > Theme and Presentation scale
        install_preferences(self, edit_menu)
        install_shortcut_overlay(self, self.menuBar().addMenu("&Help"))  # F1, ?

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _on_diverged(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Ask about unsaved changes, keep an autosave, stop every worker within a second, then close."""
        if not self.session_files.confirm_close():
            event.ignore()
            return
        if getattr(self, "autosaver", None) is not None:
            self.autosaver.save_now()
        for controller in self.findChildren(TrainingController):
            controller.shutdown(timeout=1.0)
        super().closeEvent(event)
