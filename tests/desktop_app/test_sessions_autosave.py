"""Nothing is lost: the autosave is written while something changed (on a worker
thread), on close, survives a hard kill of the app mid-training and a crash during
its own write, and the next start offers it back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from desktop_app.autosave import ENABLED_KEY, autosave_path, install_autosave, offer_restore
from desktop_app.main_window import MainWindow
from desktop_app.settings import settings
from engine.files.persistence import SessionFileError, load_bundle

REPO = Path(__file__).parents[2]
CHILD = """
import os, sys
import torch
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from desktop_app.main_window import MainWindow
from desktop_app.startup_session import start_session
window = MainWindow()
window.show()
start_session(window, None, autosave_interval_s=0.4)
window.controller.set_speed(40.0)
window.controller.play()
app.exec()
"""


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """Qt's data folder (QStandardPaths, through XDG_DATA_HOME) in a folder of this test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = autosave_path()
    assert path.is_relative_to(tmp_path)
    return path


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def train_to(window, epoch: int) -> None:
    assert window.controller.step(epoch - window.controller.session.epoch) is None
    assert window.controller.wait_until_idle(120)


def answer_restore(monkeypatch, restore: bool) -> list[str]:
    """Click Restore (or Start fresh) in the start-up question; returns its texts."""
    asked: list[str] = []

    def exec_(box):
        asked.append(box.text())
        return 0

    def clicked(box):
        wanted = "Restore" if restore else "Start fresh"
        return next(b for b in box.buttons() if b.text() == wanted)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "clickedButton", clicked)
    return asked


def test_autosave_writes_only_when_something_changed(window, data_folder):
    saver = install_autosave(window, interval_s=3600)
    assert saver.save_in_background() is None and not data_folder.exists()  # a fresh start: nothing to keep
    train_to(window, 4)
    job = saver.save_in_background()
    assert job is not None and job.wait(60)
    assert load_bundle(data_folder)[0]["workbench"].epoch == 4
    stamp = data_folder.stat().st_mtime_ns
    assert saver.save_in_background() is None  # unchanged since: no write
    assert data_folder.stat().st_mtime_ns == stamp


def test_autosave_runs_on_a_timer_and_on_close(window, data_folder, qtbot):
    saver = install_autosave(window, interval_s=0.05)
    train_to(window, 3)
    qtbot.waitUntil(data_folder.exists, timeout=30_000)
    saver.timer.stop()
    train_to(window, 6)
    assert window.close()  # closing writes what changed since
    assert load_bundle(data_folder)[0]["workbench"].epoch == 6


def test_the_setting_turns_autosave_off(window, data_folder):
    store = settings()
    store.setValue(ENABLED_KEY, False)
    store.sync()
    saver = install_autosave(window, interval_s=3600)
    train_to(window, 2)
    assert saver.save_in_background() is None and not saver.save_now()
    assert not data_folder.exists()


def test_a_crash_during_the_autosave_write_leaves_the_previous_one_whole(window, data_folder, monkeypatch):
    saver = install_autosave(window, interval_s=3600)
    train_to(window, 3)
    assert saver.save_now()
    before = data_folder.read_bytes()
    train_to(window, 8)

    def crash(handle, **arrays):
        handle.write(b"PK\x03\x04 the first bytes of a new autosave")
        raise RuntimeError("the process dies here")

    monkeypatch.setattr(np, "savez_compressed", crash)
    job = saver.save_in_background()
    assert job is not None and job.wait(60)
    assert data_folder.read_bytes() == before
    assert [p.name for p in data_folder.parent.iterdir()] == [data_folder.name]  # no half-written file
    assert load_bundle(data_folder)[0]["workbench"].epoch == 3


def test_declining_the_restore_keeps_the_fresh_window_and_the_autosave(window, data_folder, monkeypatch):
    saver = install_autosave(window, interval_s=3600)
    train_to(window, 3)
    assert saver.save_now()
    fresh = MainWindow()
    fresh.show()
    answer_restore(monkeypatch, restore=False)
    assert offer_restore(fresh) is None
    assert fresh.controller.session.epoch == 0 and data_folder.exists()
    fresh.close()


def test_an_autosave_from_a_killed_app_is_offered_and_restored(data_folder, qtbot, monkeypatch):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=REPO, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        epoch = 0
        while time.monotonic() < deadline and epoch < 20:
            time.sleep(0.3)
            try:
                epoch = load_bundle(data_folder)[0]["workbench"].epoch if data_folder.exists() else 0
            except SessionFileError as exc:  # an autosave is replaced whole: never half a file
                pytest.fail(f"a half-written autosave was readable: {exc}")
        assert epoch >= 20, "the app never autosaved while training"
        os.kill(child.pid, signal.SIGKILL)  # mid-training, no chance to save on close
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    killed_at = time.time()
    sessions, _state = load_bundle(data_folder)
    kept = sessions["workbench"]
    assert killed_at - data_folder.stat().st_mtime < 60  # at most the last minute is lost
    assert kept.epoch >= 20

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    asked = answer_restore(monkeypatch, restore=True)
    job = offer_restore(window)
    assert asked and "Restore" in asked[0]
    assert job is not None and job.wait(120)
    restored = window.controller.session
    assert restored.epoch == kept.epoch and window.controller.snapshot.epoch == kept.epoch
    np.testing.assert_array_equal(restored.history.as_array(), kept.history.as_array())
    for name, value in kept.latest.params.items():
        np.testing.assert_array_equal(restored.latest.params[name], value)
    assert window.session_files.path is None  # Save asks for a name: the autosave is not the learner's file
    assert window.session_files.modified
