"""The workbench driven through its real widgets: stepping, playing, pausing, resetting,
live settings, questions before discarding training, shortcuts, and closing mid-run."""

import time

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop_app.training_process import training_host
from engine.core.config import TrainingConfig
from tests.desktop_app.workbench_helpers import choose, shown_bench, wait_for_epoch, wait_idle


@pytest.fixture
def bench(qtbot):
    yield from shown_bench(qtbot)


def test_step_once_advances_the_epoch_label_and_the_loss_curve_by_one_point(bench, qtbot):
    controls, plot = bench.controls, bench.page.loss_plot
    assert controls.epoch_label.text() == "Epoch 0"
    assert len(plot.curve_data("loss")[0]) == 0
    qtbot.mouseClick(controls.step_epoch_button, Qt.MouseButton.LeftButton)
    wait_for_epoch(qtbot, bench.controller, 1)
    assert controls.epoch_label.text() == "Epoch 1"
    x, y = plot.curve_data("loss")
    assert list(x) == [1] and y[0] == pytest.approx(bench.controller.snapshot.loss)
    qtbot.mouseClick(controls.step_epoch_button, Qt.MouseButton.LeftButton)
    wait_for_epoch(qtbot, bench.controller, 2)
    assert controls.epoch_label.text() == "Epoch 2"
    assert list(plot.curve_data("loss")[0]) == [1, 2]


def test_play_runs_epochs_and_pause_stops_them(bench, qtbot):
    controls, controller = bench.controls, bench.controller
    controls.set_speed(None)
    qtbot.mouseClick(controls.play_pause_button, Qt.MouseButton.LeftButton)
    assert controller.running and "Pause" in controls.play_pause_button.text()
    qtbot.waitUntil(lambda: controller.snapshot.epoch >= 10, timeout=10_000)
    qtbot.mouseClick(controls.play_pause_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, controller)
    stopped = controller.session.epoch
    qtbot.wait(150)
    assert controller.session.epoch == stopped == controller.snapshot.epoch
    assert controls.epoch_label.text() == f"Epoch {stopped:,}"
    assert "Play" in controls.play_pause_button.text()
    assert len(bench.page.loss_plot.curve_data("loss")[0]) == stopped


def test_reset_starts_again_from_epoch_zero(bench, qtbot):
    controller = bench.controller
    controller.step(5)
    controller.wait_until_idle()
    first_weights = controller.session.checkpoints.at_or_before(0).snapshot.params["encoder.weight"].copy()
    qtbot.mouseClick(bench.controls.reset_button, Qt.MouseButton.LeftButton)
    assert controller.session.epoch == 0 and bench.controls.epoch_label.text() == "Epoch 0"
    assert len(bench.page.loss_plot.curve_data("loss")[0]) == 0
    # same seed, same start: reset is "again from the same random weights"
    assert np.array_equal(controller.snapshot.params["encoder.weight"], first_weights)


def test_run_n_epochs_runs_exactly_that_many(bench, qtbot):
    bench.controls.run_epochs_spin.setValue(7)
    qtbot.mouseClick(bench.controls.run_epochs_button, Qt.MouseButton.LeftButton)
    wait_for_epoch(qtbot, bench.controller, 7)
    assert len(bench.controller.session.history) == 7


def test_learning_rate_changes_mid_run_without_a_reset(bench, qtbot):
    controls, controller = bench.controls, bench.controller
    controls.set_speed(None)
    controller.play()
    qtbot.waitUntil(lambda: controller.snapshot.epoch >= 3, timeout=10_000)
    controls.learning_rate_spin.setValue(0.01)
    assert controller.config.learning_rate == pytest.approx(0.01)
    reached = controller.session.epoch
    qtbot.waitUntil(lambda: controller.snapshot.epoch >= reached + 2, timeout=10_000)
    controller.pause()
    wait_idle(qtbot, controller)
    assert controller.session.epoch > reached  # training went on, nothing was reset
    _kind, rates = training_host().call("optimizer", controller.session_id)
    assert all(rate == pytest.approx(0.01) for rate in rates)
    assert controls.message_label.text() == ""


def test_a_bad_learning_rate_is_refused_with_a_message_next_to_the_controls(bench):
    controls = bench.controls
    controls.learning_rate_spin.setValue(0.0)
    assert "learning rate" in controls.message_label.text().lower()
    assert not controls.message_label.isHidden()
    assert bench.controller.config.learning_rate == pytest.approx(0.05)
    controls.learning_rate_spin.setValue(0.02)
    assert controls.message_label.text() == "" and controls.message_label.isHidden()


def test_changing_the_model_asks_first_and_keeps_training_when_declined(bench, qtbot):
    controls, controller = bench.controls, bench.controller
    controller.step(3)
    controller.wait_until_idle()
    bench.answer = False
    choose(controls.model_selector, "vae")
    assert len(bench.answers) == 1 and "3 epochs" in bench.answers[0]
    assert controller.config.model == "ae" and controller.session.epoch == 3
    assert controls.model_selector.currentData() == "ae"  # the selector went back
    bench.answer = True
    choose(controls.model_selector, "vae")
    assert controller.config.model == "vae" and controller.session.epoch == 0
    assert controls.beta_spin.isEnabled() and not controls.noise_slider.isEnabled()
    choose(controls.model_selector, "dae")  # epoch 0: nothing to lose, no question
    assert len(bench.answers) == 2
    assert controls.noise_slider.isEnabled() and not controls.beta_spin.isEnabled()


def test_a_new_model_keeps_the_learners_images(bench):
    controller = bench.controller
    assert controller.edit_pixel(0, 0, 0.95) is None
    choose(bench.controls.model_selector, "dae")
    assert controller.session.train_images[0, 0] == pytest.approx(0.95)


def test_optimiser_and_seed_start_a_new_run_after_asking(bench):
    controls, controller = bench.controls, bench.controller
    controller.step(2)
    controller.wait_until_idle()
    choose(controls.optimizer_selector, "sgd")
    assert controller.config.optimizer == "sgd" and controller.session.epoch == 0
    assert training_host().call("optimizer", controller.session_id)[0] == torch.optim.SGD.__name__
    controller.step(1)
    controller.wait_until_idle()
    controls.seed_spin.setValue(7)
    assert controller.config.seed == 7 and controller.session.epoch == 0 and len(bench.answers) == 2


def test_noise_and_beta_change_live(bench):
    controls, controller = bench.controls, bench.controller
    choose(controls.model_selector, "dae")
    controls.noise_slider.setValue(30)
    assert controller.config.noise_level == pytest.approx(0.3)
    assert controls.noise_value.text() == "0.30"
    choose(controls.noise_type_combo, "mask")
    assert controller.config.noise_type == "mask"
    choose(controls.model_selector, "vae")
    controls.beta_spin.setValue(0.5)
    assert controller.config.beta == pytest.approx(0.5)
    controls.beta_spin.setValue(500.0)
    assert "β" in controls.message_label.text() and controller.config.beta == pytest.approx(0.5)


def test_stop_at_an_epoch_and_at_a_loss(bench, qtbot):
    controls, controller = bench.controls, bench.controller
    controls.set_speed(None)
    controls.stop_epoch_spin.setValue(6)
    controller.play()
    wait_for_epoch(qtbot, controller, 6)
    controls.stop_epoch_spin.setValue(0)
    controls.stop_loss_edit.setText("nonsense")
    controls.stop_loss_edit.editingFinished.emit()
    assert "not a number" in controls.message_label.text()
    controls.stop_loss_edit.setText("0.2")
    controls.stop_loss_edit.editingFinished.emit()
    assert controls.message_label.text() == ""
    controller.play()
    wait_idle(qtbot, controller)
    assert controller.snapshot.loss < 0.2
    assert controller.session.history.column("loss")[:-1].min() >= 0.2  # it stopped at the first one below


def test_speed_control_paces_training(bench, qtbot):
    controls, controller = bench.controls, bench.controller
    assert controls.speed_combo.currentData() == 30.0  # the newcomer's default: watchable
    choose(controls.speed_combo, 10.0)
    start = time.perf_counter()
    controller.play()
    qtbot.wait(600)
    controller.pause()
    wait_idle(qtbot, controller)
    elapsed = time.perf_counter() - start
    assert controller.session.epoch <= 10 * elapsed + 2


def test_divergence_is_shown_plainly_and_offers_a_smaller_rate(bench, qtbot):
    controller = bench.controller
    controller.new_session(TrainingConfig(model="vae", optimizer="sgd", learning_rate=10.0, beta=100.0))  # blows up
    controller.set_speed(None)
    with qtbot.waitSignal(controller.diverged, timeout=20_000):
        controller.play()
    wait_idle(qtbot, controller)
    banner = bench.page.banner
    assert banner.isVisibleTo(bench.page) and "diverged" in banner.text.text().lower()
    assert "smaller learning rate" in banner.text.text()
    qtbot.mouseClick(banner.lower_button, Qt.MouseButton.LeftButton)
    assert controller.config.learning_rate == pytest.approx(1.0)
    assert not banner.isVisibleTo(bench.page)
    assert bench.controls.learning_rate_spin.value() == pytest.approx(1.0)


def test_every_control_explains_itself_in_a_tooltip(bench):
    controls = bench.controls
    for name in ("playPauseButton", "stepEpochButton", "runEpochsButton", "runEpochsSpin", "resetButton",
                 "speedCombo", "stopEpochSpin", "stopLossEdit", "modelSelector", "lossSelector", "optimizerSelector",
                 "learningRateSpin", "seedSpin", "noiseTypeCombo", "noiseSlider", "betaSpin", "epochLabel"):
        widget = controls.findChild(QWidget, name)
        assert widget is not None and widget.objectName() == name == widget.accessibleName()
        tip = widget.toolTip()
        assert tip.endswith((".", ")")) and 15 < len(tip) < 160, (name, tip)


def _activate(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3_000)


def test_keyboard_space_right_and_ctrl_r(bench, qtbot):
    controller = bench.controller
    _activate(qtbot, bench)
    bench.controls.set_speed(None)
    qtbot.keyClick(bench, Qt.Key.Key_Right)
    wait_for_epoch(qtbot, controller, 1)
    qtbot.keyClick(bench, Qt.Key.Key_Space)
    assert controller.running
    qtbot.waitUntil(lambda: controller.snapshot.epoch >= 5, timeout=10_000)
    qtbot.keyClick(bench, Qt.Key.Key_Space)
    wait_idle(qtbot, controller)
    assert controller.session.epoch >= 5
    qtbot.keyClick(bench, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert controller.session.epoch == 0 and bench.controls.epoch_label.text() == "Epoch 0"


def test_typing_a_space_in_a_text_box_does_not_start_training(bench, qtbot):
    _activate(qtbot, bench)
    edit = bench.controls.stop_loss_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Space)
    assert not bench.controller.running and edit.text() == " "


def test_main_window_shortcuts_follow_the_tab_and_closing_mid_run_stops_within_a_second(qtbot):
    """One (costly) main window for both: the shortcuts act only on the workbench tab, and
    closing the window while training stops the worker within a second."""
    from desktop_app.main_window import MainWindow

    torch.set_num_threads(1)
    window = MainWindow()
    qtbot.addWidget(window)
    _activate(qtbot, window)
    controller = window.controller
    window.tabs.setCurrentIndex(1)  # a case study
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.wait(100)
    assert controller.session.epoch == 0 and not controller.running
    window.tabs.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    wait_for_epoch(qtbot, controller, 1)

    window.workbench.controls.set_speed(None)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.snapshot.epoch >= 4, timeout=10_000)
    assert controller.running
    start = time.perf_counter()
    window.close()
    assert time.perf_counter() - start < 1.0
    assert not controller.running
    assert not training_host().call("is_running", controller.session_id)
