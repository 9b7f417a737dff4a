"""``python -m desktop_app --benchmark [--json]``: the GUI budgets, measured in the real window.

- first paint: ``python -m desktop_app --exit-after-paint`` against a bare PySide6 +
  pyqtgraph window, fresh processes, alternating (``desktop_app.benchmark_paint``);
- training speed in the app against the engine's own headless loop, run as a fresh
  process beside the window (``engine.commands.speed --serve``), as the median ratio
  of headless-then-app pairs (``desktop_app.benchmark_speed``: this machine's speed
  drifts within a minute): the 2x2 models at full speed in epochs a second, second-long
  rounds; the digit models in seconds per epoch, a few epochs a round, trained from
  their case study's tab (and their thread counts);
- event-loop lag on every tab while a model trains: the workbench (each 2x2 model at
  full speed, the autoencoder at 30 epochs/s) and both case studies;
- latent click and drag to decoded image repainted, on the 2x2 map and on the
  generation study's digit VAE map;
- entering a lesson step; exporting a 200-frame 1280x720 GIF.

Text output is a table of every figure with its budget and verdict; ``--json`` prints
the report of ``engine.commands.budgets`` (figures, machine, the raw ``details``).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.benchmark_figures import gui_figures
from desktop_app.benchmark_measures import (
    click_latency_ms,
    drag_latency_ms,
    lag_summary,
    settle,
    spin,
    timer_lateness,
)
from desktop_app.benchmark_paint import first_paint
from desktop_app.benchmark_speed import HeadlessTrainer, digit_rounds, speed_rounds
from engine.commands.budgets import load_average, machine, report, text_table
from engine.core.config import TrainingConfig

SOURCE = "python -m desktop_app --benchmark"
MODELS_2X2 = ("ae", "dae", "vae")


@dataclass(frozen=True)
class Plan:
    """How much of each measurement: the defaults are the published run's."""

    paint_runs: int = 5
    lag_seconds: float = 8.0  # of each 2x2 model training in the app, over all rounds
    headless_epochs: int = 4800  # of each 2x2 model headless, over all rounds
    digit_epochs: int = 1  # timed in each of a digit model's rounds, after one untimed (benchmark_speed)
    digit_timeout_s: float = 900.0  # a case study's round in the window (minutes on a busy machine)
    clicks: int = 60
    digits: bool = True  # the case studies' training (minutes on a busy machine)
    lessons: bool = True
    export: bool = True


#: ``--quick``: every figure, fewer repetitions (a busy machine, a first look).
QUICK = Plan(paint_runs=3, lag_seconds=3.0, headless_epochs=500, digit_epochs=1, clicks=30)


def workbench_run(app: QApplication, window, seconds: float, speed: float | None = None,
                  model: str = "ae", lags: list[float] | None = None) -> dict:
    """Lag while the workbench trains ``model`` at ``speed`` epochs a second (None: as
    fast as it can), from a fresh start after one epoch; and the epochs a second the
    window got. ``lags``: a list the ticks' lateness is added to as well."""
    controller = window.controller
    window.tabs.setCurrentIndex(0)
    controller.new_session(controller.config.replace(model=model))
    controller.step(1)  # first-use costs (the optimiser's first use imports torch._dynamo), as headless pays them
    controller.wait_until_idle(120)
    controller.set_speed(speed)
    controller.play()
    spin(app, 0.5)  # the first frames of a run
    first_epoch, start = controller.latest_epoch, time.perf_counter()
    ticks = timer_lateness(app, seconds)
    in_app = (controller.latest_epoch - first_epoch) / (time.perf_counter() - start)
    if lags is not None:
        lags.extend(ticks)
    controller.pause()
    controller.wait_until_idle()
    return {**lag_summary(ticks), "in_app_epochs_per_second": round(in_app, 1)}


def in_app_threads() -> int:
    """The threads torch trains with in the training host, asked after a run (the run set them)."""
    from desktop_app.training_process import training_host

    return int(training_host().call("torch_threads"))


def _digit_click_latency(app: QApplication, window, clicks: int = 60) -> dict:
    """The same click path on the generation case study's map, as a lesson shows it: the
    shipped pre-trained digit VAE, its 500 held-out digits as dots."""
    from desktop_app.training_process import training_host
    from engine.service.protocol import HostedSession

    study = window.generation
    window.tabs.setCurrentWidget(study)
    study.start(HostedSession(training_host().call("load_pretrained", "vae")))  # loaded in the host
    settle(app)
    pane = study.vae_pane
    result = {"latent_click_mnist": click_latency_ms(app, pane.canvas, pane.decoded, clicks)}
    window.tabs.setCurrentIndex(0)
    return result


def _digit_drag_latency(app: QApplication, window, moves: int = 60) -> dict:
    """A drag on the same map (after ``_digit_click_latency`` has shown it)."""
    pane = window.generation.vae_pane
    window.tabs.setCurrentWidget(window.generation)
    settle(app)
    result = drag_latency_ms(app, pane.canvas, pane.decoded, moves)
    window.tabs.setCurrentIndex(0)
    return result


def _workbench_latent(app: QApplication, window, clicks: int) -> dict:
    canvas = window.findChild(QWidget, "latentCanvas")
    image = window.findChild(QWidget, "decodedImage")
    window.tabs.setCurrentIndex(0)
    window.workbench.show_panel("latent")
    settle(app)
    return {"click_2x2": click_latency_ms(app, canvas, image, clicks),
            "drag_2x2": drag_latency_ms(app, canvas, image, clicks)}


def collect(app: QApplication, window, plan: Plan) -> dict:
    """Every measurement, as plain dictionaries (the report's ``details``)."""
    details: dict[str, dict] = {"first_paint": first_paint(plan.paint_runs)}
    details["lag"], details["training"], details["digits"] = {}, {}, {}
    headless = HeadlessTrainer()
    try:
        for model in MODELS_2X2:
            details["lag"][f"workbench_{model}_full_speed"], details["training"][model] = speed_rounds(
                app, window, headless, model, plan.lag_seconds, plan.headless_epochs)
        details["lag"]["workbench_ae_30_epochs_per_second"] = workbench_run(app, window, plan.lag_seconds, speed=30.0)
        window.controller.new_session(TrainingConfig())
        details["latent"] = _workbench_latent(app, window, plan.clicks)
        studies = (("denoising_study", window.denoising, "dae"), ("generation_study", window.generation, "vae"))
        for name, study, model in studies if plan.digits else ():
            details["lag"][name], speed = digit_rounds(app, window, study, headless, model, plan.digit_epochs,
                                                       plan.digit_timeout_s)
            details["digits"][model] = {**speed, "in_app_threads": in_app_threads()}
    finally:
        headless.close()
    details["latent"]["click_digit_vae"] = _digit_click_latency(app, window, plan.clicks)["latent_click_mnist"]
    details["latent"]["drag_digit_vae"] = _digit_drag_latency(app, window, plan.clicks)
    if plan.lessons:
        from desktop_app.lessons.benchmark import lesson_step_entry

        details["lesson_step_entry"] = lesson_step_entry(app, window)
    if plan.export:
        from desktop_app.export.benchmark import gif_export_seconds

        details["export_gif"] = gif_export_seconds()
    return details


def run_gui_benchmark(window, app: QApplication, as_json: bool = False, plan: Plan | None = None,
                      quick: bool = False) -> int:
    """Measure, print the report (a table, or JSON), close the window."""
    from desktop_app.frames.gc_policy import freeze_startup_objects

    freeze_startup_objects()  # as the app does after its first window
    load_at_start = load_average()
    window.show()
    app.processEvents()
    details = collect(app, window, plan or (QUICK if quick else Plan()))
    result = report(SOURCE, gui_figures(details), machine(load_at_start, qt_platform=app.platformName(),
                                                          display=os.environ.get("QT_QPA_PLATFORM", "")), details)
    print(json.dumps(result, indent=2) if as_json else text_table(result))
    window.close()
    return 0
