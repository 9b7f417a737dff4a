"""The GUI benchmark's measurements as figures with budgets (``engine.commands.budgets``).

``gui_figures(details)`` reads the raw measurements ``desktop_app.benchmark`` collects
(kept in the report as ``details``) and names each figure; the budget and the met or
missed verdict come from the budgets table by name. Plain dictionaries in, so the
tests hand it made-up measurements. No Qt, no torch.
"""

from __future__ import annotations

from engine.commands.budgets import Figure, figure, ratio

LAG_PLACES = {
    "workbench_ae_full_speed": "workbench tab, 2x2 autoencoder at full speed",
    "workbench_dae_full_speed": "workbench tab, 2x2 denoising autoencoder at full speed",
    "workbench_vae_full_speed": "workbench tab, 2x2 VAE at full speed",
    "workbench_ae_30_epochs_per_second": "workbench tab, 2x2 autoencoder at 30 epochs/s",
    "denoising_study": "denoising case study tab while its denoiser trains",
    "generation_study": "generation case study tab while its VAE trains",
}
LATENT_PLACES = {"2x2": "the workbench's 2x2 map", "digit_vae": "the generation study's digit VAE map"}
MODEL_NAMES = {"ae": "autoencoder", "dae": "denoising autoencoder", "vae": "VAE"}


def _get(details: dict, *keys: str) -> float | None:
    """details[k1][k2]...; None where anything along the way is missing."""
    value: object = details
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def first_paint_figures(d: dict) -> list[Figure]:
    return [figure("first_paint_app_s", "first window painted, app (median)", _get(d, "first_paint", "app_median_s"),
                   "s"),
            figure("first_paint_bare_s", "first window painted, bare PySide6 + pyqtgraph (median)",
                   _get(d, "first_paint", "bare_median_s"), "s"),
            figure("first_paint_ratio", "first paint, app / bare window", _get(d, "first_paint", "ratio"), "x")]


def _in_app_headless(d: dict, section: str, model: str, unit: str) -> tuple[float | None, float | None]:
    """(in-app, headless) figures of ``model`` in ``d[section]``, in ``unit``."""
    return _get(d, section, model, f"in_app_{unit}"), _get(d, section, model, f"headless_{unit}")


def training_figures(d: dict) -> list[Figure]:
    figures = []
    for model, name in MODEL_NAMES.items():
        in_app, headless = _in_app_headless(d, "training", model, "epochs_per_second")
        if in_app is None and headless is None:
            continue
        figures += [figure(f"training_in_app_eps_{model}", f"2x2 {name} in the app, full speed", in_app, "epochs/s"),
                    figure(f"training_headless_eps_{model}", f"2x2 {name} headless", headless, "epochs/s"),
                    figure(f"training_speed_ratio_{model}", f"2x2 {name}: in-app speed / headless (median of pairs)",
                           _pairs_ratio(d, "training", model, in_app, headless), "x")]
    return figures


def _pairs_ratio(d: dict, section: str, model: str, speed: float | None, yardstick: float | None) -> float | None:
    """The median of the rounds' speed ratios (``benchmark_speed``: in-app over headless
    speed); a report from before the rounds were paired has only the two medians."""
    paired = _get(d, section, model, "speed_ratio")
    return paired if paired is not None else ratio(speed, yardstick)


def digit_figures(d: dict) -> list[Figure]:
    figures = []
    for model, name in MODEL_NAMES.items():
        in_app, headless = _in_app_headless(d, "digits", model, "seconds_per_epoch")
        if in_app is None and headless is None:
            continue
        threads = _in_app_headless(d, "digits", model, "threads")
        figures += [
            figure(f"digit_seconds_per_epoch_in_app_{model}", f"digit {name} in the app", in_app, "s/epoch"),
            figure(f"digit_seconds_per_epoch_headless_{model}", f"digit {name} headless", headless, "s/epoch"),
            figure(f"digit_speed_ratio_{model}", f"digit {name}: headless s/epoch / in-app s/epoch (median of pairs)",
                   _pairs_ratio(d, "digits", model, headless, in_app), "x"),
            figure(f"digit_threads_ratio_{model}", f"digit {name}: threads in the app / headless",
                   ratio(*threads), "x")]
    return figures


def latent_figures(d: dict) -> list[Figure]:
    figures = []
    for place, title in LATENT_PLACES.items():
        for gesture in ("click", "drag"):
            value = _get(d, "latent", f"{gesture}_{place}", "p95_ms")
            if value is not None or f"{gesture}_{place}" in d.get("latent", {}):
                figures.append(figure(f"latent_{gesture}_p95_ms_{place}",
                                      f"latent {gesture} to decoded image repainted, {title} (p95)", value, "ms"))
    return figures


def lag_figures(d: dict) -> list[Figure]:
    figures = []
    for place, title in LAG_PLACES.items():
        if place in d.get("lag", {}):
            figures += [figure(f"lag_p95_ms_{place}", f"event-loop lag p95, {title}",
                               _get(d, "lag", place, "p95_ms"), "ms"),
                        figure(f"lag_max_ms_{place}", f"event-loop lag max, {title}",
                               _get(d, "lag", place, "max_ms"), "ms")]
    return figures


def other_figures(d: dict) -> list[Figure]:
    figures = []
    if "lesson_step_entry" in d:
        figures.append(figure("lesson_step_entry_max_s", "entering a lesson step, worst entry of any step",
                              _get(d, "lesson_step_entry", "slowest_step_s"), "s"))
    if "export_gif" in d:
        figures.append(figure("export_gif_seconds", "export a 200-frame 1280x720 GIF",
                              _get(d, "export_gif", "seconds"), "s"))
    return figures


def gui_figures(details: dict) -> list[Figure]:
    """Every figure of the GUI benchmark, in the order the table shows them."""
    return [*first_paint_figures(details), *training_figures(details), *digit_figures(details),
            *latent_figures(details), *lag_figures(details), *other_figures(details)]
