"""The training host's life: a killed host is reported by every controller, which keeps
its mirror and restarts from it; closing the window ends the host within a second; a
window killed with SIGKILL leaves no host behind. Each test makes its own host (the
shared one stays up for the rest of the suite)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop_app.controller import HOST_LOST, TrainingController
from desktop_app.training_process import HostDied, TrainingHost, client
from desktop_app.training_process.lifetime import end_host_with
from engine.core.config import TrainingConfig
from tests.desktop_app.workbench_helpers import Bench

ROOT = Path(__file__).resolve().parents[2]


def process_gone(pid: int) -> bool:
    """No such process, or only its exit status left (a zombie nobody reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


@pytest.fixture
def own_host():
    host = TrainingHost()
    host.start()
    yield host
    host.shutdown()


def train_to(controller: TrainingController, qtbot, epoch: int) -> None:
    assert controller.step(epoch - controller.session.epoch) is None
    qtbot.waitUntil(lambda: not controller.running and controller.session.epoch >= epoch, timeout=60_000)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_host_is_reported_everywhere_and_restart_goes_on_from_the_mirrors(qtbot, own_host):
    bench = Bench(TrainingController(TrainingConfig(), host=own_host))
    qtbot.addWidget(bench)
    bench.show()
    other = TrainingController(TrainingConfig(model="vae"), host=own_host)
    workbench = bench.controller
    train_to(workbench, qtbot, 12)
    train_to(other, qtbot, 7)
    kept = [(c.session.history.as_array(), c.snapshot, c.session.checkpoints.epochs) for c in (workbench, other)]
    workbench.play()
    qtbot.waitUntil(lambda: workbench.snapshot.epoch > 14, timeout=30_000)
    pid = own_host.process_id
    with qtbot.waitSignals([workbench.diverged, other.diverged], timeout=10_000):
        os.kill(pid, signal.SIGKILL)
    assert not workbench.running and not other.running
    for controller in (workbench, other):
        assert controller.divergence.remedy == "restart" and HOST_LOST in controller.divergence.message
    np.testing.assert_array_equal(other.session.history.as_array(), kept[1][0])
    assert other.snapshot is kept[1][1] and other.session.checkpoints.epochs == kept[1][2]
    reached = workbench.session.epoch
    assert reached > 14 and workbench.snapshot.epoch == reached  # what had arrived is kept and shown
    banner = bench.page.banner
    assert banner.isVisible() and HOST_LOST in banner.text.text()
    assert banner.restart_button.isVisible() and not banner.lower_button.isVisible()
    assert workbench.step(1) is None and not workbench.running  # nothing to train in: it says so
    with pytest.raises(HostDied):
        own_host.call("ping")

    qtbot.mouseClick(banner.restart_button, Qt.MouseButton.LeftButton)
    assert own_host.alive and own_host.process_id != pid and not banner.isVisible()
    assert workbench.divergence is None and other.divergence is None
    train_to(workbench, qtbot, reached + 3)
    train_to(other, qtbot, 10)
    assert workbench.session.epoch == reached + 3 and other.session.epoch == 10
    np.testing.assert_array_equal(other.session.history.as_array()[:7], kept[1][0])
    straight = TrainingController(TrainingConfig(model="vae"))  # never interrupted, on the app's host
    train_to(straight, qtbot, 10)
    np.testing.assert_array_equal(other.session.history.as_array(), straight.session.history.as_array())
    other.shutdown()


def test_closing_the_window_ends_the_host_within_a_second(qtbot, monkeypatch, own_host):
    """As the app does (``end_host_with``), with the app's one host replaced by this test's."""
    from desktop_app.main_window import MainWindow

    monkeypatch.setattr(client, "_HOST", own_host)
    window = MainWindow()
    end_host_with(window, own_host)
    qtbot.addWidget(window)
    window.session_files.ask_on_close = False
    window.controller.play()
    qtbot.waitUntil(lambda: window.controller.snapshot.epoch > 3, timeout=60_000)
    pid = own_host.process_id
    start = time.perf_counter()
    window.close()
    qtbot.waitUntil(lambda: process_gone(pid), timeout=1_000)
    assert time.perf_counter() - start < 1.0


SCRIPT = textwrap.dedent("""
    import time
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from desktop_app.controller import TrainingController
    from desktop_app.training_process import training_host
    controller = TrainingController()
    controller.play()
    end = time.monotonic() + 60
    while controller.latest_epoch < 3 and time.monotonic() < end:
        app.processEvents()
    print(training_host().process_id, controller.latest_epoch, flush=True)
    while True:
        app.processEvents()
        time.sleep(0.01)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_window_killed_with_sigkill_leaves_no_host_behind(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    window = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        host_pid, epoch = (int(word) for word in window.stdout.readline().split())
        assert epoch >= 3 and not process_gone(host_pid)  # it trained in the host
        window.send_signal(signal.SIGKILL)
        window.wait(10)
        deadline = time.monotonic() + 5.0
        while not process_gone(host_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process_gone(host_pid), "the host outlived its window"
    finally:
        window.kill()
