"""Themes set the application's palette, the live window follows a theme change, the
shortcut overlay lists every shortcut of the window, preferences persist, and the window
fits the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QDialogButtonBox, QWidget

from desktop_app.fit import fit_views, show_again
from desktop_app.main_window import MainWindow
from desktop_app.preferences import KEYS, Preferences, PreferencesDialog, startup_theme
from desktop_app.settings import read_bool, settings
from desktop_app.theme import SCALES, THEME_NAMES, Theme
from desktop_app.theming import apply_to_application
from desktop_app.window_layout import PREFERRED, first_size

ROLE = QPalette.ColorRole


def _lightness(role: QPalette.ColorRole) -> float:
    return QApplication.palette().color(role).lightnessF()


@pytest.mark.parametrize("name", THEME_NAMES)
def test_every_theme_sets_the_application_palette(qapp, name):
    theme = Theme.named(name)
    apply_to_application(theme)
    palette = QApplication.palette()
    for role in (ROLE.Window, ROLE.Base, ROLE.Button, ROLE.WindowText, ROLE.Text, ROLE.ButtonText):
        assert palette.color(role) == theme.palette().color(role)
    assert palette.color(ROLE.Text) == theme.foreground
    if name == "dark":  # buttons, inputs and the window are dark, their text light
        assert max(_lightness(ROLE.Window), _lightness(ROLE.Base), _lightness(ROLE.Button)) < 0.3
        assert _lightness(ROLE.Text) > 0.8 and _lightness(ROLE.ButtonText) > 0.8
    else:
        assert min(_lightness(ROLE.Window), _lightness(ROLE.Base), _lightness(ROLE.Button)) > 0.85
        assert _lightness(ROLE.Text) < 0.2
    if name == "contrast":  # pure black on white, black frames
        assert palette.color(ROLE.Text).name() == "#000000" and palette.color(ROLE.Base).name() == "#ffffff"
        assert palette.color(ROLE.Mid).name() == "#000000"
    apply_to_application(Theme())


def test_a_theme_change_restyles_the_live_window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.presentation.choose_theme("dark")
    dark = Theme.named("dark")
    assert window.theme.name == "dark" and Preferences.load().theme == "dark"
    assert QApplication.palette().color(ROLE.Button) == dark.palette().color(ROLE.Button)
    diagram = window.workbench.page.diagram
    assert diagram.backgroundBrush().color() == dark.background
    assert window.workbench.page.loss_plot.plot.backgroundBrush().color() == dark.background
    axis = window.workbench.page.loss_plot.plot.getAxis("left")
    assert axis.textPen().color() == dark.foreground
    image = diagram.grab().toImage()  # what is on screen is dark too
    assert image.pixelColor(2, 2).lightnessF() < 0.2
    window.controller.shutdown()


def test_negative_weights_are_dashed_so_the_sign_reads_in_greyscale(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    diagram = window.workbench.page.diagram
    edges = [e for row in diagram.encoder_edges + diagram.decoder_edges for e in row]
    assert {e.weight >= 0 for e in edges} == {True, False}  # both signs present at epoch 0
    for edge in edges:
        dashed = edge.pen().style() == Qt.PenStyle.DashLine
        assert dashed == (edge.weight < 0)
    window.controller.shutdown()


def _menu_shortcuts(window: QWidget) -> set[str]:
    keys = set()
    for obj in window.findChildren(QAction) + window.findChildren(QShortcut):
        sequences = obj.shortcuts() if isinstance(obj, QAction) else obj.keys()
        keys |= {k.toString(QKeySequence.SequenceFormat.NativeText) for k in sequences if not k.isEmpty()}
    return keys


@pytest.mark.parametrize("key", [Qt.Key.Key_F1, Qt.Key.Key_Question])
def test_the_shortcut_overlay_lists_every_shortcut_of_the_window(qtbot, key):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3_000)
    qtbot.keyClick(window, key)
    overlay = window.shortcut_overlay
    assert overlay.isVisible()
    listed = {part.strip() for keys, _what, _where in overlay.rows for part in keys.split(", ")}
    expected = _menu_shortcuts(window)
    assert {"F5", "Esc", "B", ".", "F1", "?", "Space", "Right", "Ctrl+R"} <= expected
    assert listed == expected
    text = overlay.table.text()
    for word in ("Presentation mode", "Blank the screen", "Play or pause training", "Workbench", "Everywhere"):
        assert word in text
    # for the back row: larger than the window's text, as large as fits the window
    assert overlay.table.font().pointSizeF() >= 1.25 * window.theme.font().pointSizeF()
    assert overlay.table.sizeHint().height() <= window.height()
    qtbot.keyClick(overlay, Qt.Key.Key_A)
    assert not overlay.isVisible()
    window.controller.shutdown()


def test_preferences_persist_and_the_dialog_saves_them(qtbot):
    dialog = PreferencesDialog(Preferences.load())
    qtbot.addWidget(dialog)
    assert dialog.preferences() == Preferences()  # defaults on a fresh store, autosave on
    assert read_bool(settings(), KEYS["autosave"], True)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("contrast"))
    dialog.scale_combo.setCurrentIndex(dialog.scale_combo.findData(2.0))
    dialog.speed_combo.setCurrentIndex(dialog.speed_combo.findData(None))
    dialog.autosave.setChecked(False)
    dialog.layer_checks["trails"].setChecked(True)
    dialog.reopen_tab.setChecked(False)
    dialog.preferences().save()
    loaded = Preferences.load()
    assert (loaded.theme, loaded.presentation_scale, loaded.speed, loaded.autosave, loaded.trails,
            loaded.reopen_last_tab) == ("contrast", 2.0, None, False, True, False)
    assert settings().value("autosave/enabled") in (False, "false")
    assert startup_theme().name == "contrast"
    assert startup_theme(scale=1.25, dark=True) == Theme.named("dark", 1.25)  # the flags win for one run


def test_bad_stored_values_fall_back_to_defaults(qapp):
    store = settings()
    for key, value in (("theme", "purple"), ("presentation_scale", "huge"), ("speed", "-3"), ("last_tab", "x")):
        store.setValue(KEYS[key], value)
    store.sync()
    loaded = Preferences.load()
    default = Preferences()
    assert (loaded.theme, loaded.presentation_scale, loaded.speed, loaded.last_tab) == \
        (default.theme, default.presentation_scale, default.speed, default.last_tab)
    store.setValue(KEYS["presentation_scale"], 1.6)
    assert Preferences.load().presentation_scale in SCALES


def test_edit_preferences_applies_to_the_live_window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    dialog = next(a for a in window.findChildren(QAction) if a.objectName() == "preferencesAction")
    dialog.trigger()
    form = window.findChild(PreferencesDialog)
    form.theme_combo.setCurrentIndex(form.theme_combo.findData("dark"))
    form.speed_combo.setCurrentIndex(form.speed_combo.findData(100.0))
    form.layer_checks["data_grid"].setChecked(True)
    form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert window.theme.name == "dark"
    assert window.workbench.controls.speed_combo.currentData() == 100.0
    assert window.workbench.latent.map_controls.data_grid.isChecked()
    second = MainWindow()  # a new window starts with them
    qtbot.addWidget(second)
    assert second.theme.name == "dark" and second.workbench.controls.speed_combo.currentData() == 100.0
    assert second.workbench.latent.map_controls.data_grid.isChecked()
    for w in (window, second):
        w.controller.shutdown()


def test_last_tab_and_layout_are_restored_and_reset(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(2)
    window.workbench.docks["latent"].hide()
    window.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.tabs.currentIndex() == 2
    assert second.workbench.docks["latent"].isHidden()
    reset = next(a for a in second.findChildren(QAction) if a.objectName() == "resetLayoutAction")
    reset.trigger()
    assert not second.workbench.docks["latent"].isHidden()
    assert settings().value("window/state") is None
    second.controller.shutdown()


def test_the_first_window_fits_the_screen(qtbot):
    """No longer the fixed 1500x950: the preferred size shrunk to the available area."""
    assert first_size(PREFERRED * 2) == PREFERRED
    projector = first_size(QSize(1280, 800))
    assert projector.width() <= 1280 and projector.height() <= 800 - 32
    window = MainWindow()
    qtbot.addWidget(window)
    available = window.screen().availableGeometry().size()
    assert window.size() == first_size(available)  # what it asks for; its minimum size may still exceed it
    window.controller.shutdown()


def _outside(window: QWidget) -> list[str]:
    """Visible views whose geometry is not inside the window, and shown scroll bars of the main content."""
    box = window.rect()
    problems = []
    for name in ("networkDiagram", "lossPlot", "latentCanvas", "datasetView", "reconstructionView",
                 "playPauseButton", "epochLabel"):
        widget = window.findChild(QWidget, name)
        if widget is not None and widget.isVisible():
            top_left = widget.mapTo(window, widget.rect().topLeft())
            if not box.contains(top_left) or not box.contains(widget.mapTo(window, widget.rect().bottomRight())):
                problems.append(name)
    page = window.workbench.centralWidget()
    for area in page.findChildren(QAbstractScrollArea):
        if area.parentWidget() is page or area is page:
            for bar in (area.horizontalScrollBar(), area.verticalScrollBar()):
                if bar.isVisible():
                    problems.append(f"scroll bar in {area.objectName()}")
    return problems


@pytest.mark.parametrize(("width", "height", "scale"), [(1280, 720, 1.5), (1920, 1080, 2.0)])
def test_the_workbench_fits_a_projector_at_its_scale(qtbot, width, height, scale):
    """As presentation mode leaves it: content only (no menu or status bar), the least needed
    views hidden until the window's minimum size fits; nothing outside, no page scroll bar."""
    window = MainWindow(Theme(scale=scale))
    qtbot.addWidget(window)
    window.menuBar().hide()
    window.statusBar().hide()
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    hidden = fit_views(window, QSize(width, height))
    assert window.workbench.page.diagram in [w for w in window.findChildren(QWidget) if w.isVisible()]
    assert window.workbench.page.diagram not in hidden and window.workbench.page.dataset not in hidden
    qtbot.waitUntil(lambda: window.minimumSizeHint().width() <= width  # nested layouts catch up
                    and window.minimumSizeHint().height() <= height, timeout=3_000)
    window.resize(width, height)
    qtbot.wait(100)
    assert window.size() == QSize(width, height), window.size()
    assert _outside(window) == []
    show_again(hidden)
    window.controller.shutdown()


def test_at_100_percent_nothing_is_hidden_on_a_1280x800_projector(qtbot):
    window = MainWindow(Theme())
    qtbot.addWidget(window)
    window.resize(1280, 800 - 32)
    window.show()
    assert fit_views(window, QSize(1280, 800 - 32)) == []
    assert window.minimumSizeHint().width() <= 1280 and window.minimumSizeHint().height() <= 800 - 32
    window.controller.shutdown()
