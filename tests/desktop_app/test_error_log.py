"""Unexpected errors (issue 16, defect 8): logged to a rotating file in the user's log
folder, shown once per distinct error in a dialog that names the file and copies the
details; a training run that fails reports it and leaves the controls usable."""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from desktop_app import error_log
from desktop_app.controller import TrainingController
from desktop_app.training_process import training_host
from engine.core.config import TrainingConfig
from tests.desktop_app.workbench_helpers import Bench


@pytest.fixture
def reporter(qapp, tmp_path, monkeypatch):
    """The app's reporting, installed as the app installs it, its dialogs recorded."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    reporter = error_log.install_error_reporting(tmp_path)
    shown: list[tuple[str, str]] = []
    reporter.show = lambda summary, details: shown.append((summary, details))
    reporter.shown = shown
    yield reporter
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, RotatingFileHandler)]:
        root.removeHandler(handler)
        handler.close()


def fail_in_a_slot(qtbot, error: Exception) -> None:
    def slot() -> None:
        raise error

    QTimer.singleShot(0, slot)
    qtbot.wait(20)


def log_text(reporter) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return Path(reporter.log_path).read_text(encoding="utf-8")


def test_the_log_lives_in_the_users_app_data_folder(qapp):
    folder = error_log.log_folder()
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    assert folder == Path(base) / "logs" and folder.is_dir()


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_and_shown_once_however_often_it_repeats(qtbot, reporter):
    for _ in range(25):  # a learner clicking a broken button again and again
        fail_in_a_slot(qtbot, ValueError("the same thing broke"))
    assert len(reporter.shown) == 1 and reporter.shown[0][0] == "ValueError: the same thing broke"
    text = log_text(reporter)
    assert text.count("Traceback (most recent call last)") == 1 and "raise error" in text
    assert "24 repeats so far" in text
    fail_in_a_slot(qtbot, KeyError("something else"))  # a different error is shown
    assert len(reporter.shown) == 2 and "KeyError" in reporter.shown[1][0]


@pytest.mark.qt_no_exception_capture
def test_the_same_error_after_a_quiet_while_is_shown_again(qtbot, reporter, monkeypatch):
    clock = [0.0]
    reporter._clock = lambda: clock[0]
    fail_in_a_slot(qtbot, ValueError("again"))
    clock[0] += error_log.REPEAT_WINDOW_S + 1
    fail_in_a_slot(qtbot, ValueError("again"))
    assert len(reporter.shown) == 2


def test_the_dialog_names_the_log_file_and_copies_the_details(qtbot, reporter):
    box = reporter.build_dialog("ValueError: boom", "Traceback (most recent call last):\n  ...\nValueError: boom")
    qtbot.addWidget(box)
    box.show()
    assert str(reporter.log_path) in box.text() and "keeps running" in box.text()
    copy = box.findChild(QPushButton, "copyErrorDetailsButton")
    assert copy is not None and copy.text() == "Copy details"
    QApplication.clipboard().clear()
    copy.click()
    copied = QApplication.clipboard().text()
    assert "ValueError: boom" in copied and str(reporter.log_path) in copied
    assert box.isVisible()  # copying leaves the dialog open to read


def test_the_log_rotates(tmp_path, qapp):
    path = error_log.install_log_file(tmp_path)
    root = logging.getLogger()
    handler = next(h for h in root.handlers if isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path)
    try:
        assert handler.maxBytes == error_log.LOG_BYTES and handler.backupCount == error_log.LOG_BACKUPS
        assert error_log.install_log_file(tmp_path) == path  # no second handler
        assert sum(isinstance(h, RotatingFileHandler) for h in root.handlers) == 1
        for _ in range(2500):
            logging.getLogger("autoencoder_lab").info("x" * 1000)
        assert (tmp_path / f"{error_log.LOG_NAME}.1").exists()
        assert path.stat().st_size <= error_log.LOG_BYTES
    finally:
        root.removeHandler(handler)
        handler.close()


@pytest.mark.qt_no_exception_capture
def test_a_failing_training_run_is_reported_and_the_controls_come_back(qtbot, reporter, monkeypatch):
    bench = Bench(TrainingController(TrainingConfig()))
    qtbot.addWidget(bench)
    bench.show()
    controller, controls = bench.controller, bench.controls

    training_host().call("fail_epochs", controller.session_id, "the engine broke in the middle of an epoch")
    controller.play()
    qtbot.waitUntil(lambda: not controller.running and bool(reporter.shown), timeout=10_000)
    assert "the engine broke" in reporter.shown[0][0] + reporter.shown[0][1]
    assert "the engine broke" in log_text(reporter)
    assert controls.play_pause_button.text() == "Play" and controls.step_epoch_button.isEnabled()
    assert controls.run_epochs_button.isEnabled() and controller.session.epoch == 0
    monkeypatch.undo()
    training_host().call("fail_epochs", controller.session_id, None)
    monkeypatch.setattr(sys, "excepthook", reporter.excepthook)
    assert controller.step(2) is None  # the controls work again
    qtbot.waitUntil(lambda: not controller.running and controller.session.epoch == 2, timeout=60_000)
    controller.shutdown()
