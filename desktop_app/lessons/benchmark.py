"""The lesson path's figure for ``python -m desktop_app --benchmark``: how long entering
each step takes, from the key press to the window repainted with the step set up.

Measured twice on the same window: "ahead", as a learner meets it (the trained steps'
sessions made on the background thread while the first steps are read), walking the
whole path ``ROUNDS`` times, so each step has a median and a worst entry, against the
budget of one second for the worst entry of any step; and "cold", every trained
session made on the spot (a learner jumping straight to a late step before the
background is done), each step timed alone; and "jump", the same with the background
under way: a fresh start on the first step, then straight to one trained step while the
sessions ahead are being made (the jumped-to step is made first). The machine's load
average is reported with the figures: on a shared machine they scale with it. The
learner's own progress is left alone: the walk writes to a throw-away settings folder.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.settings import settings

BUDGET_S = 1.0  # entering any step (issue 12)
ROUNDS = 5  # walks of the whole path: a median and a worst entry per step


def _entry_seconds(app: QApplication, navigator, index: int) -> float:
    start = time.perf_counter()
    navigator.go_to(index)
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        app.processEvents()
    return time.perf_counter() - start


def _walk(app: QApplication, navigator, indices: list[int]) -> dict[str, float]:
    return {navigator.steps[k].id: _entry_seconds(app, navigator, k) for k in indices}


def lesson_step_entry(app: QApplication, window, rounds: int = ROUNDS) -> dict:
    navigator = getattr(window, "lessons", None)
    if navigator is None or not navigator.steps:
        return {}
    user_folder = str(Path(settings().fileName()).parent.parent)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    load_before = os.getloadavg()[0]
    try:
        navigator.sessions = StepSessions()
        trained = [k for k, step in enumerate(navigator.steps) if step.screen.epoch]
        navigator.prepare_ahead = lambda: None  # cold: nothing made ahead
        cold = _walk(app, navigator, trained)
        del navigator.prepare_ahead  # the class's own again
        jump = {navigator.steps[k].id: _jump_seconds(app, navigator, k) for k in trained}
        navigator.sessions = StepSessions()
        started = time.perf_counter()
        navigator.go_to(0)  # starts making the trained sessions ahead
        navigator.sessions.wait()
        ahead_s = time.perf_counter() - started
        walks = [_walk(app, navigator, list(range(len(navigator.steps)))) for _ in range(rounds)]
        navigator.leave()
    finally:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, user_folder)
    return _summary(walks, cold, ahead_s, (load_before, os.getloadavg()[0]), jump)


def _jump_seconds(app: QApplication, navigator, index: int) -> float:
    """A learner's first move: the path opens on step 0 (making the sessions ahead
    starts), then they jump straight to step ``index``."""
    navigator.sessions = StepSessions()
    navigator.go_to(0)
    seconds = _entry_seconds(app, navigator, index)
    navigator.sessions.shutdown(timeout=30.0)
    return seconds


def _summary(walks: list[dict[str, float]], cold: dict[str, float], ahead_s: float,
             load: tuple[float, float], jump: dict[str, float] | None = None) -> dict:
    per_step = {step: {"median_s": round(statistics.median(w[step] for w in walks), 3),
                       "max_s": round(max(w[step] for w in walks), 3)} for step in walks[0]}
    slowest = max(per_step, key=lambda step: per_step[step]["max_s"])
    slowest_median = max(per_step, key=lambda step: per_step[step]["median_s"])
    cold_slowest = max(cold, key=cold.get)
    jump = jump or cold
    jump_slowest = max(jump, key=jump.get)
    return {"steps": len(per_step), "rounds": len(walks), "budget_s": BUDGET_S,
            "budget_met": per_step[slowest]["max_s"] < BUDGET_S,
            "slowest_step": slowest, "slowest_step_s": per_step[slowest]["max_s"],
            "slowest_median_step": slowest_median, "slowest_median_step_s": per_step[slowest_median]["median_s"],
            "median_step_s": round(statistics.median(v["median_s"] for v in per_step.values()), 3),
            "per_step": per_step,
            "made_ahead_in_background_s": round(ahead_s, 2),
            "cold_slowest_step": cold_slowest, "cold_slowest_step_s": round(cold[cold_slowest], 3),
            "cold_per_step_s": {step: round(s, 3) for step, s in cold.items()},
            "jump_slowest_step": jump_slowest, "jump_slowest_step_s": round(jump[jump_slowest], 3),
            "jump_per_step_s": {step: round(s, 3) for step, s in jump.items()},
            "load_average_1min": [round(v, 2) for v in load]}


def table(result: dict) -> str:
    """The figure as a learner's path: one row per step, then the verdict."""
    rows = [f"{'step':24s} {'median s':>9s} {'max s':>7s}"]
    rows += [f"{step:24s} {v['median_s']:9.3f} {v['max_s']:7.3f}" for step, v in result["per_step"].items()]
    verdict = "met" if result["budget_met"] else "MISSED"
    rows.append(f"slowest entry {result['slowest_step_s']:.3f} s ({result['slowest_step']}), budget "
                f"< {result['budget_s']:.0f} s: {verdict}; load average {result['load_average_1min']}")
    rows.append(f"cold (nothing made ahead): slowest {result['cold_slowest_step_s']:.3f} s "
                f"({result['cold_slowest_step']}); jump while the background makes the others: slowest "
                f"{result['jump_slowest_step_s']:.3f} s ({result['jump_slowest_step']})")
    return "\n".join(rows)


def main() -> int:
    """Only this figure: ``python -m desktop_app.lessons.benchmark``."""
    import json
    import sys

    app = QApplication.instance() or QApplication([])
    from desktop_app.main_window import MainWindow

    window = MainWindow()
    window.show()
    app.processEvents()
    result = lesson_step_entry(app, window)
    print(table(result), file=sys.stderr)
    print(json.dumps(result, indent=2))
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
