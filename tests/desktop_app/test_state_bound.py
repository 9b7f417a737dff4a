"""The run bar and the teaching panels render their state objects and write the
learner's changes back through them: drive the real widgets and read the state; set the
state and read the widgets (and what the controller was told)."""

from __future__ import annotations

import numpy as np
import pytest
from controller_helpers import controller_for
from PySide6.QtCore import Qt
from test_panels_helpers import cell, choose, label, show, type_into

from desktop_app.panels.kl_panel import KlPanel
from desktop_app.panels.mse_panel import MsePanel
from desktop_app.panels.sigmoid_panel import SigmoidPanel
from desktop_app.state.run_bar import RunBarState
from desktop_app.state.workbench import PanelState
from desktop_app.theme import Theme
from desktop_app.widgets.controls import ControlsBar
from engine.core.config import TrainingConfig


@pytest.fixture
def controller(qapp):
    yield from controller_for(TrainingConfig(seed=1))


def type_line(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


# ----- the run bar ------------------------------------------------------------------------------
def test_the_run_bar_writes_the_learners_inputs_to_its_state(qtbot, controller):
    bar = ControlsBar(controller, Theme())
    show(qtbot, bar, 1200, 120)
    bar.speed_combo.setFocus()
    qtbot.keyClick(bar.speed_combo, Qt.Key.Key_Down)  # 30 -> 100 epochs/s
    type_line(qtbot, bar.stop_epoch_spin.lineEdit(), "250")
    type_line(qtbot, bar.stop_loss_edit, "1e-3")
    type_line(qtbot, bar.run_epochs_spin.lineEdit(), "40")
    assert bar.state == RunBarState(speed=100.0, stop_epoch=250, stop_loss="1e-3", run_epochs=40)
    assert controller._stop_epoch == 250 and controller._stop_loss == pytest.approx(0.001)
    type_line(qtbot, bar.stop_loss_edit, "loss")  # refused: the state keeps the last valid threshold
    assert bar.state.stop_loss == "1e-3" and bar.stop_loss_edit.text() == "1e-3"
    assert "number" in bar.message_label.text()


def test_the_run_bar_follows_a_state_set_from_outside(qtbot, controller):
    state = RunBarState(speed=None, stop_epoch=7, run_epochs=3)
    bar = ControlsBar(controller, Theme(), state=state)  # given in the constructor: shown at once
    show(qtbot, bar, 1200, 120)
    assert bar.speed_combo.currentData() is None and bar.stop_epoch_spin.value() == 7
    assert controller._stop_epoch == 7
    state.update(speed=10.0, stop_epoch=0, stop_loss="0.2", run_epochs=12)
    assert bar.speed_combo.currentData() == 10.0 and bar.stop_epoch_spin.value() == 0
    assert bar.stop_loss_edit.text() == "0.2" and bar.run_epochs_spin.value() == 12
    assert controller._stop_epoch is None and controller._stop_loss == pytest.approx(0.2)
    qtbot.mouseClick(bar.run_epochs_button, Qt.MouseButton.LeftButton)  # Run trains the state's 12
    qtbot.waitUntil(lambda: not controller.running and controller.session.epoch == 12, timeout=20_000)


# ----- the teaching panels ------------------------------------------------------------------------
def test_a_loss_panels_picker_and_typed_numbers_land_in_its_state(qtbot, controller):
    panel = show(qtbot, MsePanel(controller, Theme()))
    assert panel.state.source == "slide:good"
    choose(qtbot, panel, "slide:bad")
    assert panel.state.source == "slide:bad"
    type_into(qtbot, cell(panel, "yCell0"), "0.5")
    assert panel.state.source == "own"
    np.testing.assert_allclose(np.asarray(panel.state.own[1]).ravel()[0], 0.5)
    np.testing.assert_allclose(np.asarray(panel.state.own, dtype=float), np.asarray(panel.numbers))


def test_a_loss_panel_follows_its_state_and_refuses_numbers_it_cannot_work_through(qtbot, controller):
    given = PanelState(own=(((1.0, 0.0), (0.0, 1.0)), ((0.5, 0.5), (0.5, 0.5))), source="own")
    panel = show(qtbot, MsePanel(controller, Theme(), state=given))
    assert panel.current_source == "own"
    assert [cell(panel, f"yCell{i}").text() for i in range(4)] == ["0.5"] * 4
    panel.state.source = "slide:bad"
    assert panel.source.currentData() == "slide:bad"
    panel.state.own = ((1.0, 0.0, 0.0, 1.0), (0.25, 0.25, 0.25, 0.25))  # a lesson step's pair
    assert panel.current_source == "own" and cell(panel, "yCell3").text() == "0.25"
    panel.state.own = ((2.0, 0.0, 0.0, 1.0), (0.5, 0.5, 0.5, 0.5))  # 2 is no pixel value
    assert label(panel, "messageLabel").text()  # said next to the numbers
    assert cell(panel, "xCell0").text() == "1" or float(cell(panel, "xCell0").text()) == 1.0
    np.testing.assert_allclose(np.asarray(panel.state.own, dtype=float).reshape(2, 4)[0], [1, 0, 0, 1])
    panel.state.source = "nowhere"  # not this panel's: it stays as it is
    assert panel.state.source == "own" == panel.current_source


def test_the_kl_panels_dragged_bars_and_state_agree(qtbot, controller):
    panel = show(qtbot, KlPanel(controller, Theme()))
    type_into(qtbot, cell(panel, "pCell0"), "0.5")
    assert panel.state.source == "own"
    np.testing.assert_allclose(np.asarray(panel.state.own[0], dtype=float), panel.distributions[0])
    panel.state.own = ((0.2,) * 5, (0.1, 0.2, 0.3, 0.2, 0.2))
    np.testing.assert_allclose(panel.distributions[1], [0.1, 0.2, 0.3, 0.2, 0.2])


def test_the_sigmoid_panels_x_and_unit_are_its_state(qtbot, controller):
    panel = show(qtbot, SigmoidPanel(controller, Theme(), state=PanelState(x=-2.0)))
    assert panel.x == -2.0 and "σ(-2" in label(panel, "sigmoidReadout").text().replace("−", "-")
    type_into(qtbot, cell(panel, "xEdit"), "0.5")
    assert panel.state.x == 0.5
    panel.state.x = 3.0
    assert panel.x == 3.0 and cell(panel, "xEdit").text() == "3"
    qtbot.waitUntil(lambda: panel.unit_combo.count() == 2)
    panel.unit_combo.setCurrentIndex(1)
    assert panel.state.unit == 1
    panel.state.unit = 0
    assert panel.unit_combo.currentIndex() == 0 and panel.perceptron is not None
    panel.state.unit = 5  # the model has no sixth unit: the state takes back the one shown
    assert panel.state.unit == 0 == panel.unit_combo.currentIndex()
