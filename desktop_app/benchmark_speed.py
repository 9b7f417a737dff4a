"""Training speed in the app against the engine's own loop, in pairs.

This machine's speed drifts: the same headless loop ran 1,405 and 1,895 µs of CPU an
epoch a few seconds apart in one process, and whole runs a minute apart differed by a
third. A figure is therefore a pair's ratio, not a ratio of runs minutes apart: a
headless process that stays (``python -m engine.commands.speed --serve``, its session
continuing; idle between requests, so it takes nothing from the window) trains about a
second, then the app trains its own continuing session about a second, ``ROUNDS``
times. Reported: each side's median, every round, and the median of the rounds' ratios
(the figure the budget reads).

The digit models are paired the same way, ``DIGIT_ROUNDS`` times: the same process
trains the case study's model one untimed epoch then a few timed ones, then the study
in the window does, timed from its first epoch's arrival to its last. (Timed once each,
minutes apart, the digit VAE's ratio read 1.08 and 0.79 in two runs of the same code;
the denoiser's headless epochs took 0.89 to 1.45 s within one minute, so its pairs are
short: one timed epoch each, eight of them.)
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

from desktop_app.benchmark_measures import lag_summary, settle, spin, timer_lateness
from engine.commands.speed import DIGITS

ROUNDS = 8  # headless-then-app pairs for each 2x2 model
DIGIT_ROUNDS = 8  # headless-then-app pairs for each digit model, a timed epoch or two each
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
        """Train ``epochs`` more epochs of the 2x2 ``model`` headless: its epochs a second,
        or None (with a line on stderr) if the process failed or did not answer in time."""
        return self._ask(f"{model} {epochs}", "epochs_per_second").get("epochs_per_second")

    def digit_round(self, model: str, epochs: int) -> dict:
        """One untimed epoch then ``epochs`` timed ones of the case study's digit ``model``:
        ``{"seconds_per_epoch", "threads", ...}``, or {} if the round failed."""
        return self._ask(f"{DIGITS}{model} {epochs}", "seconds_per_epoch")

    def _ask(self, request: str, key: str) -> dict:
        """The answer to one request line, or {} (with a line on stderr) if it has no ``key``."""
        try:
            self._process.stdin.write(f"{request}\n")
            self._process.stdin.flush()
            answer = json.loads(self._answers.get(timeout=ANSWER_TIMEOUT_S) or "{}")
        except (OSError, ValueError, queue.Empty) as exc:
            print(f"headless speed round failed ({type(exc).__name__}): its figure is not measured", file=sys.stderr)
            return {}
        if key not in answer:
            print(f"headless speed round failed: {answer.get('error', 'the process ended')}", file=sys.stderr)
            return {}
        return answer

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


def in_app_digit_round(app: QApplication, study, epochs: int, timeout: float, lags: list[float]) -> float | None:
    """The study trains one untimed epoch then ``epochs`` more, from its tab, as a learner
    does: the seconds per epoch between the arrivals of its first and last epochs (None
    if fewer than two arrived in ``timeout``); the event loop's lag goes to ``lags``."""
    controller = study.controller
    target = controller.latest_epoch + epochs + 1
    arrived: dict[int, float] = {}

    def note() -> None:
        arrived.setdefault(controller.latest_epoch, time.perf_counter())

    study.step(epochs + 1)
    lags.extend(timer_lateness(app, timeout, until=lambda: controller.latest_epoch >= target
                               and not controller.running, on_tick=note))
    study.wait_until_idle()
    first, last = target - epochs, max(arrived, default=0)
    return (arrived[last] - arrived[first]) / (last - first) if first in arrived and last > first else None


def digit_rounds(app: QApplication, window, study, headless: HeadlessTrainer, model: str, epochs: int,
                 timeout: float) -> tuple[dict, dict]:
    """``DIGIT_ROUNDS`` pairs for the study's digit ``model``: a headless round, then the
    study's round in the window (each one untimed epoch, then ``epochs`` timed). Returns
    the lag over every in-app round and the speed figures with their rounds."""
    window.tabs.setCurrentWidget(study)
    study.start()
    settle(app)
    lags: list[float] = []
    pairs, threads = [], None
    for _ in range(DIGIT_ROUNDS):
        answer = headless.digit_round(model, epochs)
        threads = answer.get("threads", threads)
        pairs.append((answer.get("seconds_per_epoch"), in_app_digit_round(app, study, epochs, timeout, lags)))
    study.stop()
    study.wait_until_idle()
    window.tabs.setCurrentIndex(0)
    ratios = [h / a for h, a in pairs if h and a]
    speed = {"in_app_seconds_per_epoch": _median([a for _, a in pairs if a], 3),
             "headless_seconds_per_epoch": _median([h for h, _ in pairs if h], 3),
             "speed_ratio": _median(ratios, 3), "headless_threads": threads,
             "rounds": {"headless": [h for h, _ in pairs], "in_app": [a and round(a, 3) for _, a in pairs]}}
    return lag_summary(lags), speed


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
