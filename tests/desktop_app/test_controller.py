"""The controller: validation, the worker thread, throttled rendering, files, shutdown."""

import numpy as np
import pytest
from controller_helpers import controller_for

from desktop_app.controller import TrainingController
from engine.core.config import TrainingConfig


@pytest.fixture
def controller(qapp):
    yield from controller_for()


def test_step_runs_exactly_one_epoch_on_the_worker(controller, qtbot):
    shown = []
    controller.snapshotChanged.connect(lambda s: shown.append(s.epoch))
    assert controller.step(1) is None
    qtbot.waitUntil(lambda: not controller.running and controller.snapshot.epoch == 1, timeout=5000)
    assert controller.session.epoch == 1 and shown[-1] == 1


def test_play_and_pause_stop_after_the_current_epoch(controller, qtbot):
    controller.play()
    qtbot.waitUntil(lambda: controller.snapshot.epoch >= 20, timeout=10000)
    controller.pause()
    qtbot.waitUntil(lambda: not controller.running, timeout=5000)
    stopped = controller.session.epoch
    qtbot.wait(100)
    assert controller.session.epoch == stopped == controller.snapshot.epoch


def test_renders_are_throttled_however_fast_training_runs(controller, qtbot):
    renders = []
    controller.snapshotChanged.connect(lambda s: renders.append(s.epoch))
    with qtbot.waitSignal(controller.runningChanged, timeout=120000, check_params_cb=lambda r: r is False):
        controller.step(1500)
    # 1500 epochs rendered at ≤ ~30 Hz: far fewer renders than epochs, the last one shown
    assert len(renders) < 1500 / 3 and renders[-1] == 1500


@pytest.mark.parametrize("bad", [float("nan"), -0.1, 0.0, float("inf"), 1e9])
def test_bad_learning_rate_is_refused_with_a_message(controller, bad):
    message = controller.change(learning_rate=bad)
    assert message and "learning rate" in message.lower()
    assert controller.config.learning_rate == TrainingConfig().learning_rate


def test_bad_step_counts_and_speeds_are_refused(controller):
    assert "epochs" in controller.step(0)
    assert "epochs" in controller.step(-5)
    assert controller.set_speed(float("nan"))
    assert controller.set_stop_at(loss=-1.0)
    assert not controller.running


def test_stop_at_epoch(controller, qtbot):
    controller.set_stop_at(epoch=12)
    controller.play()
    qtbot.waitUntil(lambda: not controller.running and controller.session.epoch == 12, timeout=10000)


def test_pixel_edit_while_paused_updates_the_snapshot_at_once(controller):
    assert controller.edit_pixel(0, 1, 0.95) is None
    assert controller.snapshot.images[0, 1] == pytest.approx(0.95)
    assert "0 and 1" in controller.edit_pixel(0, 1, 1.5)
    assert "number" in controller.edit_pixel(0, 1, "abc")
    assert controller.snapshot.images[0, 1] == pytest.approx(0.95)


def test_editing_while_training_is_safe(controller, qtbot):
    controller.play()
    qtbot.waitUntil(lambda: controller.snapshot.epoch > 5, timeout=5000)
    assert controller.add_image([0.2, 0.8, 0.8, 0.2]) is None
    assert controller.delete_image(0) is None
    controller.pause()
    assert controller.wait_until_idle()
    assert len(controller.snapshot.images) == 24
    assert np.allclose(controller.snapshot.images[-1], [0.2, 0.8, 0.8, 0.2])
    assert np.allclose(controller.session.train_images, controller.snapshot.images)


def test_divergence_pauses_and_says_so(qtbot, qapp):
    c = TrainingController(TrainingConfig(model="vae", optimizer="sgd", learning_rate=10.0, beta=1.0))
    with qtbot.waitSignal(c.diverged, timeout=20000) as signal:
        c.play()
    assert "diverged" in signal.args[0] and "epoch" in signal.args[0]
    qtbot.waitUntil(lambda: not c.running, timeout=5000)
    assert np.isfinite(c.snapshot.loss)
    c.shutdown()


def test_bad_file_keeps_the_current_session(controller, qtbot, tmp_path):
    controller.step(3)
    controller.wait_until_idle()
    before = controller.session
    bad = tmp_path / "bad.aelab"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    message = controller.open(str(bad))
    assert message and "session" in message
    assert controller.session is before and controller.snapshot.epoch == 3


def test_save_and_open_round_trip(controller, tmp_path):
    controller.step(4)
    controller.wait_until_idle()
    path = str(tmp_path / "s.aelab")
    assert controller.save(path) is None
    controller.reset()
    assert controller.snapshot.epoch == 0
    assert controller.open(path) is None
    assert controller.snapshot.epoch == 4 and len(controller.session.history) == 4


def test_going_back_in_time_and_continuing(controller):
    controller.step(30)
    controller.wait_until_idle()
    controller.show_epoch(10)
    assert controller.snapshot.epoch == 10 and controller.session.epoch == 30
    controller.continue_from_shown()
    assert controller.session.epoch == 10


def test_shutdown_during_training_ends_the_worker_within_a_second(controller, qtbot):
    controller.play()
    qtbot.waitUntil(lambda: controller.snapshot.epoch > 3, timeout=5000)
    assert controller.shutdown(timeout=1.0)
    assert not controller.running
