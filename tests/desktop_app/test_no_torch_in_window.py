"""The window's process never imports torch (issue 15): the sessions live in the training
host. Proven on a fresh process (this test process has torch loaded already), offscreen:
building and showing the main window, a latent click, training, both case studies, lesson
steps, saving and opening a session file; and every window module imports without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "desktop_app"
#: Modules under desktop_app/ allowed to import torch, and why: none (every session lives
#: in the training host; command-line paths that draw with Qt train there too).
MAY_IMPORT_TORCH: dict[str, str] = {}


def _run(code_or_script: list[str], timeout: float) -> subprocess.CompletedProcess:
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]  # this tree's modules, not an installed copy
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join(paths)}
    return subprocess.run([sys.executable, *code_or_script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def window_modules() -> list[str]:
    names = []
    for path in sorted(DESKTOP.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if parts[-1] != "__main__" and name not in MAY_IMPORT_TORCH:
            names.append(name)
    return names


def test_every_window_module_imports_without_torch():
    modules = window_modules()
    assert "desktop_app.main_window" in modules and "desktop_app.lessons.step_sessions" in modules
    code = (
        "import importlib, sys\n"
        "late = []\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "    if 'torch' in sys.modules and not late: late.append(m)\n"
        "print(late[0] if late else 'none'); sys.exit(1 if late else 0)\n"
    )
    result = _run(["-c", code], timeout=300)
    assert result.returncode == 0, f"torch came with {result.stdout.strip()}\n{result.stderr[-3000:]}"


def test_the_window_and_everything_a_learner_does_leave_torch_out():
    result = _run([str(ROOT / "tests" / "desktop_app" / "no_torch_window.py")], timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-6000:]
    assert "torch not in sys.modules" in result.stdout
    assert "session saved and opened" in result.stdout
