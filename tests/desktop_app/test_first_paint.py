"""The first-paint yardstick (``python -m desktop_app.bare_window``) and the app's
``--exit-after-paint`` end on one watcher (``desktop_app.first_paint``): the bare
window still says "painted" and quits by itself, and it loads nothing of the app but
that watcher (it is the bare PySide6 + pyqtgraph reference the app is timed against)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
