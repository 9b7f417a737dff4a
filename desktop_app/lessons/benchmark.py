"""The lesson path's figure for ``python -m desktop_app --benchmark``: how long entering
each step takes, from the key press to the window repainted with the step set up.

Measured twice on the same window: "ahead", as a learner meets it (the trained steps'
sessions made on the background thread while the first steps are read; the figure is
the slowest step, the budget is one second), and "cold", every trained session made on
the spot (a learner jumping straight to a late step before the background is done). The
learner's own progress is left alone: the walk writes to a throw-away settings folder.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.settings import settings


def _entry_seconds(app: QApplication, navigator, index: int) -> float:
    start = time.perf_counter()
    navigator.go_to(index)
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        app.processEvents()
    return time.perf_counter() - start


def _walk(app: QApplication, navigator, indices: list[int]) -> dict[str, float]:
    return {navigator.steps[k].id: _entry_seconds(app, navigator, k) for k in indices}


def lesson_step_entry(app: QApplication, window) -> dict:
    navigator = getattr(window, "lessons", None)
    if navigator is None or not navigator.steps:
        return {}
    user_folder = str(Path(settings().fileName()).parent.parent)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    try:
        navigator.sessions = StepSessions()
        trained = [k for k, step in enumerate(navigator.steps) if step.screen.epoch]
        navigator.prepare_ahead = lambda: None  # cold: nothing made ahead
        cold = _walk(app, navigator, trained)
        del navigator.prepare_ahead  # the class's own again
        navigator.sessions = StepSessions()
        started = time.perf_counter()
        navigator.go_to(0)  # starts making the trained sessions ahead
        navigator.sessions.wait()
        ahead_s = time.perf_counter() - started
        walk = _walk(app, navigator, list(range(len(navigator.steps))))
        navigator.leave()
    finally:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, user_folder)
    slowest = max(walk, key=walk.get)
    cold_slowest = max(cold, key=cold.get)
    return {"steps": len(walk), "slowest_step": slowest, "slowest_step_s": round(walk[slowest], 3),
            "median_step_s": round(statistics.median(walk.values()), 3),
            "made_ahead_in_background_s": round(ahead_s, 2),
            "cold_slowest_step": cold_slowest, "cold_slowest_step_s": round(cold[cold_slowest], 3)}


def main() -> int:
    """Only this figure: ``python -m desktop_app.lessons.benchmark``."""
    import json

    import torch
    import torch._dynamo  # noqa: F401  (the app loads this in the background after its first paint)

    torch.set_num_threads(1)
    app = QApplication.instance() or QApplication([])
    from desktop_app.main_window import MainWindow

    window = MainWindow()
    window.show()
    app.processEvents()
    print(json.dumps(lesson_step_entry(app, window), indent=2))
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
