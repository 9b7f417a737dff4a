"""``python -m desktop_app --open SESSION`` starts the app on a saved session; a bad
path or a damaged file exits with code 2 and a message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from desktop_app.app import parse_args
from desktop_app.main_window import MainWindow
from desktop_app.startup_session import start_session

REPO = Path(__file__).parents[2]


def run_app(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("make", [lambda tmp: tmp / "missing.aelab", lambda tmp: tmp])
def test_a_path_that_is_no_session_file_exits_2_with_a_message(tmp_path, capsys, make):
    with pytest.raises(SystemExit) as info:
        parse_args(["--open", str(make(tmp_path))])
    assert info.value.code == 2
    assert "--open: there is no session file at" in capsys.readouterr().err


def test_a_damaged_file_exits_2_with_the_reason(tmp_path):
    damaged = tmp_path / "damaged.aelab"
    damaged.write_bytes(b"PK\x03\x04 not really a session")
    result = run_app("--open", str(damaged))
    assert result.returncode == 2
    assert "--open:" in result.stderr and "damaged.aelab" in result.stderr


def test_the_window_starts_on_the_saved_session(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first = MainWindow()
    qtbot.addWidget(first)
    assert first.controller.step(12) is None and first.controller.wait_until_idle(120)
    first.controller.select_image(1)
    assert first.session_files.save_to(tmp_path / "lesson.aelab")

    window = MainWindow()
    qtbot.addWidget(window)
    assert start_session(window, str(tmp_path / "lesson.aelab"), autosave_interval_s=3600) is None
    window.show()
    kept = first.controller.session
    assert window.controller.session.epoch == 12 and window.controller.selected_index == 1
    np.testing.assert_array_equal(window.controller.session.history.as_array(), kept.history.as_array())
    assert window.session_files.path == tmp_path / "lesson.aelab" and not window.session_files.modified
    assert window.session_files.ask_on_close and window.autosaver is not None


def test_the_app_starts_on_a_saved_session_from_the_command_line(qtbot, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.session_files.save_to(tmp_path / "start.aelab")
    result = run_app("--open", str(tmp_path / "start.aelab"), "--exit-after-paint")
    assert result.returncode == 0, result.stderr
    assert "painted" in result.stdout
