"""The 2x2 models' training speed in the app against the engine's own loop, in pairs.

This machine's speed drifts: the same headless loop ran 1,405 and 1,895 µs of CPU an
epoch a few seconds apart in one process, and whole runs a minute apart differed by a
third. A figure is therefore a pair's ratio, not a ratio of runs minutes apart: a
headless process that stays (``python -m engine.commands.speed --serve``, its session
continuing; idle between requests, so it takes nothing from the window) trains about a
second, then the app trains its own continuing session about a second, ``ROUNDS``
times. Reported: each side's median, every round, and the median of the rounds' ratios
(the figure the budget reads).
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time

import numpy as np
from PySide6.QtWidgets import QApplication

from desktop_app.benchmark_measures import lag_summary, spin, timer_lateness

ROUNDS = 8  # headless-then-app pairs for each 2x2 model
WARM_UP_S = 0.3  # of each in-app round before its clock starts: the run's first frames
ANSWER_TIMEOUT_S = 600.0  # a headless round on a very busy machine


class HeadlessTrainer:
    """The headless side: one ``engine.commands.speed --serve`` process, asked for rounds."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "engine.commands.speed", "--serve"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, bufsize=1)
        self._answers: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, name="headless answers", daemon=True).start()

    def _read(self) -> None:
        for line in self._process.stdout:
            self._answers.put(line)
        self._answers.put("")  # the process ended

    def epochs_per_second(self, model: str, epochs: int) -> float | None:
        """Train ``epochs`` more epochs of ``model`` headless: its epochs a second, or None
        (with a line on stderr) if the process failed or did not answer in time."""
        try:
            self._process.stdin.write(f"{model} {epochs}\n")
            self._process.stdin.flush()
            answer = json.loads(self._answers.get(timeout=ANSWER_TIMEOUT_S) or "{}")
        except (OSError, ValueError, queue.Empty) as exc:
            print(f"headless speed round failed ({type(exc).__name__}): its figure is not measured", file=sys.stderr)
            return None
        if "epochs_per_second" not in answer:
            print(f"headless speed round failed: {answer.get('error', 'the process ended')}", file=sys.stderr)
        return answer.get("epochs_per_second")

    def close(self) -> None:
        try:
            self._process.stdin.close()
            self._process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()


def in_app_round(app: QApplication, window, seconds: float, lags: list[float]) -> float:
    """The workbench's session trains flat out for ``seconds`` (after ``WARM_UP_S``):
    the epochs a second that reached the window; the event loop's lag goes to ``lags``."""
    controller = window.controller
    controller.play()
    spin(app, WARM_UP_S)
    first_epoch, start = controller.latest_epoch, time.perf_counter()
    lags.extend(timer_lateness(app, seconds))
    speed = (controller.latest_epoch - first_epoch) / (time.perf_counter() - start)
    controller.pause()
    controller.wait_until_idle()
    return speed


def speed_rounds(app: QApplication, window, headless: HeadlessTrainer, model: str, seconds: float,
                 epochs: int) -> tuple[dict, dict]:
    """``ROUNDS`` pairs for ``model``: ``epochs`` headless epochs, then ``seconds`` in the
    app (both sessions fresh at the first round and continuing after). Returns the lag
    over every in-app second and the speed figures with their rounds."""
    controller = window.controller
    window.tabs.setCurrentIndex(0)
    controller.new_session(controller.config.replace(model=model))
    controller.step(1)  # first-use costs, as the headless side pays them before its first round
    controller.wait_until_idle(120)
    controller.set_speed(None)
    per_round = max(1, epochs // ROUNDS)
    lags: list[float] = []
    pairs = [(headless.epochs_per_second(model, per_round), in_app_round(app, window, seconds / ROUNDS, lags))
             for _ in range(ROUNDS)]
    speed = speed_figures(pairs)
    return {**lag_summary(lags), "in_app_epochs_per_second": speed["in_app_epochs_per_second"]}, speed


def speed_figures(pairs: list[tuple[float | None, float]]) -> dict:
    """Each side's median, the rounds, and the median of the rounds' in-app / headless
    ratios (rounds without a headless figure are left out of the ratio)."""
    ratios = [a / h for h, a in pairs if h is not None and h > 0]
    return {"in_app_epochs_per_second": _median([a for _, a in pairs], 1),
            "headless_epochs_per_second": _median([h for h, _ in pairs if h is not None], 1),
            "speed_ratio": _median(ratios, 3),
            "rounds": {"headless": [h for h, _ in pairs], "in_app": [round(a, 1) for _, a in pairs]}}


def _median(values: list[float], digits: int) -> float | None:
    return round(float(np.median(values)), digits) if values else None
