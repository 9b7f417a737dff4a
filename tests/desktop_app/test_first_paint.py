"""The first-paint yardstick (``python -m desktop_app.bare_window``) and the app's
``--exit-after-paint`` end on one watcher (``desktop_app.first_paint``): the bare
window still says "painted" and quits by itself, and it loads nothing of the app but
that watcher (it is the bare PySide6 + pyqtgraph reference the app is timed against)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).parents[2]

BARE_RUN = """
import json, sys
from desktop_app import bare_window
code = bare_window.main()
print(json.dumps({"code": code, "torch": "torch" in sys.modules,
                  "app": sorted(m for m in sys.modules if m.startswith("desktop_app"))}))
"""


def test_the_bare_window_paints_quits_and_loads_only_the_shared_watcher():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", BARE_RUN], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines()
    assert lines[0] == "painted", result.stderr
    report = json.loads(lines[-1])
    assert report["code"] == 0
    assert report["app"] == ["desktop_app", "desktop_app.bare_window", "desktop_app.first_paint"]
    assert not report["torch"]


APP_RUN = """
import json, multiprocessing, sys
from PySide6.QtCore import QEvent
import desktop_app.first_paint as first_paint

class Watcher(first_paint.PaintWatcher):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(json.dumps({"engines": len(multiprocessing.active_children()),
                              "torch": "torch" in sys.modules}), flush=True)
        return super().eventFilter(watched, event)

first_paint.PaintWatcher = Watcher
from desktop_app.app import main
sys.exit(main(["--exit-after-paint"]))
"""


def test_the_app_paints_before_it_starts_the_training_engine(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO),
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", APP_RUN], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert json.loads(lines[0]) == {"engines": 0, "torch": False}
    assert lines[1] == "painted"


def test_the_engine_starts_once_right_after_the_first_paint(qtbot, monkeypatch):
    from desktop_app import startup_window

    monkeypatch.setattr(startup_window, "UNPAINTED_START_MS", 60_000)  # only the paint starts it here
    window = startup_window.StartingWindow()
    qtbot.addWidget(window)
    painted, runs = [], []
    watcher = first_paint_recorder(window, painted)
    startup_window._AfterFirstPaint(window, lambda: runs.append(len(painted)))
    qtbot.wait(50)
    assert runs == []  # not before the window is shown and painted
    window.show()
    qtbot.waitUntil(lambda: bool(runs), timeout=5000)
    window.update()
    qtbot.wait(100)
    assert runs == [1] and watcher is not None  # once, after the paint


def test_a_window_that_is_never_painted_still_starts_the_engine(qtbot, monkeypatch):
    from desktop_app import startup_window

    monkeypatch.setattr(startup_window, "UNPAINTED_START_MS", 300)
    window = startup_window.StartingWindow()  # never shown, as a window that starts minimised
    qtbot.addWidget(window)
    runs = []
    start = time.perf_counter()
    startup_window._AfterFirstPaint(window, lambda: runs.append(time.perf_counter() - start))
    qtbot.waitUntil(lambda: bool(runs), timeout=5000)
    qtbot.wait(100)
    assert len(runs) == 1 and runs[0] >= 0.25  # a coarse timer may fire up to 5 % early


def first_paint_recorder(window, painted: list):
    """An event filter that appends to ``painted`` at each paint of ``window``."""
    from PySide6.QtCore import QEvent, QObject

    class Recorder(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint:
                painted.append(1)
            return False

    recorder = Recorder(window)
    window.installEventFilter(recorder)
    return recorder
