"""``python -m desktop_app --benchmark [--json]``: which figures it reports, their
budgets, and its met/missed verdicts, from made-up measurements (the timings
themselves live in the benchmark, not in tests)."""

import json

import pytest

from desktop_app import benchmark, benchmark_speed
from desktop_app.app import parse_args
from desktop_app.benchmark_figures import gui_figures
from desktop_app.benchmark_paint import summary
from engine.core.config import TrainingConfig

BUDGETED = {
    "first_paint_ratio",
    *(f"training_speed_ratio_{m}" for m in ("ae", "dae", "vae")),
    *(f"digit_speed_ratio_{m}" for m in ("dae", "vae")), *(f"digit_threads_ratio_{m}" for m in ("dae", "vae")),
    *(f"latent_{g}_p95_ms_{p}" for g in ("click", "drag") for p in ("2x2", "digit_vae")),
    *(f"lag_{s}_ms_{place}" for s in ("p95", "max") for place in (
        "workbench_ae_full_speed", "workbench_dae_full_speed", "workbench_vae_full_speed",
        "workbench_ae_30_epochs_per_second", "denoising_study", "generation_study")),
    "lesson_step_entry_max_s",
}


def details(**changes) -> dict:
    """A whole run's measurements, every budget just met, with ``changes`` on top."""
    lag = {"p95_ms": 15.0, "max_ms": 49.0, "samples": 400}
    result = {
        "first_paint": summary([0.6, 0.65, 0.7], [0.5, 0.55, 0.6]),
        "training": {m: {"in_app_epochs_per_second": 900.0, "headless_epochs_per_second": 1000.0}
                     for m in ("ae", "dae", "vae")},
        "digits": {m: {"in_app_seconds_per_epoch": 1.1, "headless_seconds_per_epoch": 1.0, "in_app_threads": 2,
                       "headless_threads": 2} for m in ("dae", "vae")},
        "latent": {f"{g}_{p}": {"p95_ms": 7.9, "max_ms": 9.0} for g in ("click", "drag") for p in ("2x2", "digit_vae")},
        "lag": {place: dict(lag) for place in ("workbench_ae_full_speed", "workbench_dae_full_speed",
                                               "workbench_vae_full_speed", "workbench_ae_30_epochs_per_second",
                                               "denoising_study", "generation_study")},
        "lesson_step_entry": {"slowest_step_s": 0.8},
        "export_gif": {"seconds": 11.0},
    }
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        place = result
        for key in parents:
            place = place[key]
        place[leaf] = value
    return result


def by_name(measured: dict) -> dict:
    return {f.name: f for f in gui_figures(measured)}


def test_every_budget_of_the_issue_is_a_figure_and_all_are_met_on_a_good_run():
    figures = by_name(details())
    assert set(figures) >= BUDGETED
    assert {name for name, f in figures.items() if f.budget is not None} == BUDGETED
    assert all(figures[name].met is True for name in BUDGETED)
    assert figures["first_paint_ratio"].value == pytest.approx(0.65 / 0.55, abs=1e-3)  # rounded to ms
    assert figures["training_speed_ratio_ae"].value == pytest.approx(0.9)
    assert figures["digit_speed_ratio_vae"].value == pytest.approx(1.0 / 1.1)  # headless s/epoch over in-app
    assert figures["export_gif_seconds"].budget is None and figures["export_gif_seconds"].met is None


@pytest.mark.parametrize(("change", "missed"), [
    ({"first_paint": summary([1.4], [1.0])}, "first_paint_ratio"),
    ({"training__vae__in_app_epochs_per_second": 899.0}, "training_speed_ratio_vae"),
    ({"digits__dae__in_app_seconds_per_epoch": 1.2}, "digit_speed_ratio_dae"),
    ({"digits__vae__in_app_threads": 1}, "digit_threads_ratio_vae"),
    ({"latent__drag_digit_vae__p95_ms": 8.1}, "latent_drag_p95_ms_digit_vae"),
    ({"lag__denoising_study__max_ms": 80.0}, "lag_max_ms_denoising_study"),
    ({"lag__workbench_vae_full_speed__p95_ms": 16.5}, "lag_p95_ms_workbench_vae_full_speed"),
    ({"lesson_step_entry__slowest_step_s": 1.2}, "lesson_step_entry_max_s"),
])
def test_one_figure_over_its_budget_is_missed_and_the_others_stay_met(change, missed):
    figures = by_name(details(**change))
    assert figures[missed].met is False
    assert all(f.met is True for name, f in figures.items() if name in BUDGETED and name != missed)


def test_what_was_not_measured_is_reported_as_such_not_as_met():
    figures = by_name(details(first_paint=summary([None, None], [0.5, 0.5]),
                              digits__vae={"in_app_seconds_per_epoch": None, "headless_seconds_per_epoch": 1.0}))
    assert figures["first_paint_ratio"].value is None and figures["first_paint_ratio"].met is None
    assert figures["digit_speed_ratio_vae"].met is None and figures["digit_threads_ratio_vae"].met is None


def test_first_paint_takes_medians_of_the_launches_that_painted():
    result = summary([2.0, None, 1.0, 3.0], [0.5, 0.4, 0.6, None])
    assert result["app_median_s"] == 2.0 and result["bare_median_s"] == 0.5 and result["ratio"] == 4.0
    assert result["failed"] == 2 and result["app_s"][1] is None


def test_the_json_report_of_a_run(qapp, monkeypatch, capsys):
    class Window:
        closed = False

        def show(self):
            pass

        def close(self):
            Window.closed = True

    monkeypatch.setattr(benchmark, "collect", lambda app, window, plan: details(lag__generation_study__max_ms=70.0))
    assert benchmark.run_gui_benchmark(Window(), qapp, as_json=True) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"schema", "source", "figures", "machine", "details"}
    assert result["source"] == "python -m desktop_app --benchmark" and Window.closed
    verdicts = {f["name"]: f["met"] for f in result["figures"]}
    assert verdicts["lag_max_ms_generation_study"] is False and verdicts["lag_p95_ms_generation_study"] is True
    assert result["machine"]["qt_platform"] == qapp.platformName()
    assert benchmark.run_gui_benchmark(Window(), qapp) == 0
    table = capsys.readouterr().out
    assert "lag_max_ms_generation_study" in table and "MISSED" in table and "budget" in table


def test_json_goes_with_benchmark_only(capsys):
    assert parse_args(["--benchmark", "--json"]).json
    with pytest.raises(SystemExit):
        parse_args(["--json"])
    assert "--json and --quick go with --benchmark" in capsys.readouterr().err
    assert parse_args(["--benchmark", "--quick"]).quick


def test_a_headless_round_that_overruns_leaves_its_figures_unmeasured(monkeypatch, capsys):
    headless = benchmark_speed.HeadlessTrainer()
    monkeypatch.setattr(benchmark_speed, "ANSWER_TIMEOUT_S", 0.0)
    try:
        assert headless.digit_round("vae", 1) == {}  # a digit round takes far longer than no time at all
    finally:
        headless._process.kill()
        headless.close()
    assert "headless speed round failed (Empty)" in capsys.readouterr().err
    figures = by_name(details(training__ae__headless_epochs_per_second=None))
    assert figures["training_speed_ratio_ae"].met is None


def test_a_2x2_training_speed_is_the_median_of_paired_rounds(monkeypatch):
    """The machine's speed drifts within a minute: a headless round and an in-app round
    a second apart make a pair, and the figure is the median of the pairs' ratios, so a
    fast or slow stretch that falls on one pair decides nothing."""
    headless_speeds = iter([1000.0, 600.0, 900.0, None, 800.0, 700.0, 1000.0, 500.0])
    in_app_speeds = iter([850.0, 500.0, 700.0, 650.0, 800.0, 560.0, 950.0, 300.0])
    order = []

    class FakeHeadless:
        def epochs_per_second(self, model, epochs):
            order.append(("headless", model, epochs))
            return next(headless_speeds)

    def fake_round(app, window, seconds, lags):
        order.append(("app", seconds))
        lags.extend([float(len(order))] * 10)
        return next(in_app_speeds)

    class Controller:
        config = TrainingConfig()

        def __getattr__(self, name):
            return lambda *args, **kwargs: True

    class Window:
        controller = Controller()
        tabs = type("Tabs", (), {"setCurrentIndex": lambda self, i: None})()

    monkeypatch.setattr(benchmark_speed, "in_app_round", fake_round)
    lag, speed = benchmark_speed.speed_rounds(None, Window(), FakeHeadless(), "dae", seconds=8.0, epochs=4800)
    assert order == [("headless", "dae", 600), ("app", 1.0)] * benchmark_speed.ROUNDS
    ratios = sorted([0.85, 500 / 600, 700 / 900, 1.0, 0.8, 0.95, 0.6])  # the round without a headless figure left out
    assert speed["speed_ratio"] == pytest.approx(ratios[3], abs=1e-3)  # 0.833, the fourth of seven
    assert speed["headless_epochs_per_second"] == 800.0 and speed["in_app_epochs_per_second"] == 675.0
    assert speed["rounds"]["headless"][3] is None and len(speed["rounds"]["in_app"]) == 8
    assert lag["samples"] == 80 and lag["max_ms"] == 16.0  # every round's ticks
    figure = by_name(details(training__dae=speed))["training_speed_ratio_dae"]
    assert figure.value == pytest.approx(ratios[3], abs=1e-3) and figure.met is False  # not 675 / 800 = 0.844


def test_a_report_without_paired_rounds_takes_the_ratio_of_its_medians():
    figure = by_name(details())["training_speed_ratio_ae"]
    assert figure.value == pytest.approx(0.9) and figure.met is True


def test_the_headless_side_trains_continuing_sessions_in_a_process_that_stays():
    headless = benchmark_speed.HeadlessTrainer()
    try:
        first = headless.epochs_per_second("ae", 30)
        pid = headless._process.pid
        second = headless.epochs_per_second("ae", 30)
        assert first > 0 and second > 0 and headless._process.pid == pid and headless._process.poll() is None
    finally:
        headless.close()
    assert headless._process.poll() == 0  # closing its input ends it


def test_a_headless_side_that_died_leaves_its_rounds_unmeasured(capsys):
    headless = benchmark_speed.HeadlessTrainer()
    headless._process.kill()
    headless._process.wait()
    assert headless.epochs_per_second("ae", 30) is None
    assert "headless speed round failed" in capsys.readouterr().err
    headless.close()


class FakeStudy:
    """What ``digit_rounds`` asks of a case study: its controller, start, step, stop."""

    def __init__(self):
        self.controller = type("Controller", (), {"latest_epoch": 0, "running": False})()
        self.steps = []

    def start(self):
        pass

    def step(self, epochs):
        self.steps.append(epochs)

    def stop(self):
        pass

    def wait_until_idle(self):
        return True


def test_a_digit_models_speed_is_the_median_of_paired_rounds(qapp, monkeypatch):
    """As for the 2x2 models: a headless round then the study's round in the window, and
    the figure is the median of the pairs' ratios (headless s/epoch over in-app)."""
    headless_answers = iter([{"seconds_per_epoch": 0.6, "threads": 2}, {},  # a failed round
                             {"seconds_per_epoch": 0.5, "threads": 2}, {"seconds_per_epoch": 0.9, "threads": 2}])
    in_app = iter([0.66, 0.7, 1.0, 0.9])
    order = []

    class FakeHeadless:
        def digit_round(self, model, epochs):
            order.append(("headless", model, epochs))
            return next(headless_answers)

    def fake_round(app, study, epochs, timeout, lags):
        order.append(("app", epochs))
        lags.extend([float(len(order))] * 5)
        return next(in_app)

    window = type("Window", (), {"tabs": type("Tabs", (), {"setCurrentWidget": lambda self, w: None,
                                                           "setCurrentIndex": lambda self, i: None})()})()
    monkeypatch.setattr(benchmark_speed, "in_app_digit_round", fake_round)
    monkeypatch.setattr(benchmark_speed, "DIGIT_ROUNDS", 4)
    lag, speed = benchmark_speed.digit_rounds(qapp, window, FakeStudy(), FakeHeadless(), "vae", 2, 60.0)
    assert order == [("headless", "vae", 2), ("app", 2)] * benchmark_speed.DIGIT_ROUNDS
    ratios = sorted([0.6 / 0.66, 0.5 / 1.0, 1.0])  # the round without a headless figure left out
    assert speed["speed_ratio"] == pytest.approx(ratios[1], abs=1e-3)
    assert speed["headless_seconds_per_epoch"] == 0.6 and speed["in_app_seconds_per_epoch"] == pytest.approx(0.8)
    assert speed["headless_threads"] == 2 and speed["rounds"]["headless"][1] is None
    assert lag["samples"] == 20 and lag["max_ms"] == 8.0  # every round's ticks
    figure = by_name(details(digits__vae={**speed, "in_app_threads": 2}))["digit_speed_ratio_vae"]
    assert figure.value == pytest.approx(ratios[1], abs=1e-3) and figure.met is True  # not 0.6 / 0.8 = 0.75


def test_a_studys_round_is_timed_from_its_first_epochs_arrival_to_its_last(qapp, monkeypatch):
    """One untimed epoch, then ``epochs`` timed: the seconds between the arrivals of the
    round's first and last epochs, over the epochs between them."""
    study = FakeStudy()
    clock = iter([10.0, 10.5, 12.0])  # the arrivals of epochs 1 (the untimed one's end), 2 and 3

    def fake_lateness(app, timeout, until, on_tick):
        while not until():
            study.controller.latest_epoch += 1
            on_tick()
        return [1.0, 2.0]

    monkeypatch.setattr(benchmark_speed, "timer_lateness", fake_lateness)
    monkeypatch.setattr(benchmark_speed.time, "perf_counter", lambda: next(clock))
    lags: list[float] = []
    assert benchmark_speed.in_app_digit_round(qapp, study, 2, 60.0, lags) == pytest.approx(1.0)  # (12.0 - 10.0) / 2
    assert study.steps == [3] and lags == [1.0, 2.0]
