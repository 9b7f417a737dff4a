"""``python -m engine bench``: headless speed, memory on long runs, and digit quality.

Figures go to stdout as a small table and to ``--json`` as one object, so the GUI
benchmark (``python -m desktop_app --benchmark``) can compare against the same loop.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

from engine.commands.budgets import Figure, figure, load_average, machine, report, text_table
from engine.core.config import TrainingConfig
from engine.core.runtime import use_threads_for
from engine.core.session import TrainingSession

PROGRESS_EVERY = 50_000


def headless_run(config: TrainingConfig, epochs: int) -> tuple[TrainingSession, float]:
    """``epochs`` epochs of a fresh session, headless, as ``python -m engine train`` runs
    them: the session and the seconds they took."""
    use_threads_for(config)
    session = TrainingSession(config)
    session.optimizer.zero_grad()  # made now: its first use imports torch._dynamo (~2 s), as the app does at start-up
    start = time.perf_counter()
    for _ in session.run(epochs):
        pass
    return session, time.perf_counter() - start


def epochs_per_second(config: TrainingConfig, epochs: int = 2000) -> float:
    """The engine's own loop, headless: the yardstick for training inside the app."""
    _session, seconds = headless_run(config, epochs)
    return epochs / seconds


def long_run_memory(epochs: int) -> dict:
    """Resident memory added by a long run of the 2x2 autoencoder.

    Losses cost 24 bytes an epoch; stored snapshots are capped (thinned), so the rest
    stays flat. Reports the growth measured and the extrapolation to a million epochs.
    """
    config = TrainingConfig()
    use_threads_for(config)
    at_start = _rss_mb()
    session = TrainingSession(config)
    for _ in session.run(min(epochs, 3000)):  # warm up: snapshot store fills to its cap
        pass
    before = _rss_mb()
    start = time.perf_counter()
    for snapshot in session.run(max(0, epochs - session.epoch)):
        if snapshot.epoch % PROGRESS_EVERY == 0:  # a run of hours says how it goes
            print(f"epoch {snapshot.epoch:,}: {_rss_mb() - at_start:+.1f} MB since the start, "
                  f"{time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    grown = _rss_mb() - before
    per_epoch_mb = grown / max(1, epochs - 3000)
    return {
        "epochs": session.epoch,
        "seconds": round(seconds, 1),
        "epochs_per_second": round((session.epoch - 3000) / max(seconds, 1e-9), 1),
        "rss_at_start_mb": round(at_start, 1),
        "rss_growth_mb": round(grown, 1),
        "rss_growth_since_start_mb": round(_rss_mb() - at_start, 1),
        "stored_snapshots": len(session.checkpoints),
        "history_mb_per_million_epochs": 24.0,
        "extrapolated_mb_per_million_epochs": round(per_epoch_mb * 1_000_000, 1),
        "timeline": timeline_check(session),
    }


def timeline_check(session: TrainingSession, looks: int = 200) -> dict:
    """After a long run, the timeline still works: every epoch maps to a stored one at or
    before it, spread over the whole run; the loss plot's thinned history is quick; going
    back to the middle and training on gives the next epoch. Times in milliseconds."""
    latest = session.epoch
    stored = session.checkpoints.epochs
    start = time.perf_counter()
    for k in range(looks):
        epoch = latest * k // (looks - 1)
        shown = session.snapshot_at(epoch)
        if not 0 <= epoch - shown.epoch <= max(b - a for a, b in zip(stored, stored[1:], strict=False)):
            raise AssertionError(f"the timeline shows epoch {shown.epoch} for epoch {epoch}")
    look_ms = (time.perf_counter() - start) / looks * 1000
    start = time.perf_counter()
    epochs, rows = session.history.thinned(2000)
    thinned_ms = (time.perf_counter() - start) * 1000
    middle = session.go_to_epoch(latest // 2)
    after = session.step()
    return {
        "stored_epochs": len(stored),
        "first_stored": stored[0],
        "last_stored": stored[-1],
        "largest_gap": max(b - a for a, b in zip(stored, stored[1:], strict=False)),
        "snapshot_at_ms": round(look_ms, 3),
        "thinned_plot_rows": int(len(epochs)),
        "thinned_plot_ms": round(thinned_ms, 2),
        "went_back_to": middle.epoch,
        "stepped_to": after.epoch,
    }


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_figures(results: dict) -> list[Figure]:
    """The figures of ``results`` (the report's ``details``) with their budgets."""
    figures = [figure(f"engine_eps_{model}", f"2x2 {model} headless", results.get(f"{model}_epochs_per_second"),
                      "epochs/s") for model in ("ae", "dae", "vae") if f"{model}_epochs_per_second" in results]
    if "long_run" in results:
        figures.append(figure("memory_mb_per_million_epochs", "memory added per million epochs (2x2, headless)",
                              results["long_run"].get("extrapolated_mb_per_million_epochs"), "MB"))
    if "digit_vae" in results:
        figures.append(figure("digit_vae_held_out_loss_in_10_s", "digit VAE held-out loss within 10 s",
                              results["digit_vae"].get("test_loss"), "per image"))
    if "digit_denoiser" in results:
        figures.append(figure("digit_denoiser_held_out_psnr_in_15_s", "digit denoiser held-out PSNR within 15 s",
                              results["digit_denoiser"].get("test_psnr"), "dB"))
    comparison = results.get("digit_vae_reference")
    if comparison:
        engine, reference, budget = comparison["engine"], comparison["reference"], comparison["budget_seconds"]
        figures += [
            figure("engine_vs_reference_seconds_per_epoch_ratio", "digit VAE: engine s/epoch / plain PyTorch s/epoch",
                   comparison["seconds_per_epoch_ratio"], "x"),
            figure("engine_vs_fused_reference_seconds_per_epoch_ratio",
                   "digit VAE: engine s/epoch / plain PyTorch with the same fused Adam",
                   comparison.get("same_optimiser_ratio"), "x"),
            figure("engine_seconds_per_epoch_digit_vae", "digit VAE, engine", engine["seconds_per_epoch"], "s/epoch"),
            figure("reference_seconds_per_epoch_digit_vae", "digit VAE, plain PyTorch loop",
                   reference["seconds_per_epoch"], "s/epoch"),
            figure("engine_held_out_loss_same_time", f"digit VAE held-out loss, engine, {budget:g} s",
                   engine["test_loss"], "per image"),
            figure("reference_held_out_loss_same_time", f"digit VAE held-out loss, plain PyTorch, {budget:g} s",
                   reference["test_loss"], "per image")]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine bench")
    parser.add_argument("--long-epochs", type=int, default=100_000, help="epochs for the memory run")
    parser.add_argument("--skip-digits", action="store_true", help="skip the digit quality benchmarks")
    parser.add_argument("--skip-reference", action="store_true",
                        help="skip the digit VAE against a plain PyTorch loop")
    parser.add_argument("--reference-seconds", type=float, default=10.0,
                        help="training time each loop gets in that comparison")
    parser.add_argument("--reference-threads", type=int, default=None,
                        help="torch threads for both loops of that comparison (default: as engine train)")
    parser.add_argument("--reference-processes", type=int, default=3,
                        help="fresh processes that comparison runs in (the median one is reported)")
    parser.add_argument("--only-long-run", action="store_true",
                        help="only the memory run (e.g. --long-epochs 1000000) and its timeline check")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (engine.commands.budgets)")
    args = parser.parse_args(argv)
    if (args.long_epochs < 1 or not args.reference_seconds > 0 or (args.reference_threads or 1) < 1
            or args.reference_processes < 1):
        parser.error("--long-epochs, --reference-seconds, --reference-threads and --reference-processes "
                     "must be positive.")
    load_at_start = load_average()
    results: dict[str, object] = {}
    if not args.only_long_run:
        for model in ("ae", "dae", "vae"):
            results[f"{model}_epochs_per_second"] = round(epochs_per_second(TrainingConfig(model=model)), 1)
    results["long_run"] = long_run_memory(args.long_epochs)
    if not (args.skip_digits or args.only_long_run):
        from engine.commands import digit_benchmark

        results["digit_vae"] = digit_benchmark.run_vae_benchmark()
        results["digit_denoiser"] = digit_benchmark.run_denoiser_benchmark()
    if not (args.skip_reference or args.only_long_run):
        from engine.commands.reference_comparison import compare_in_processes

        results["digit_vae_reference"] = compare_in_processes(args.reference_seconds, threads=args.reference_threads,
                                                              processes=args.reference_processes)
    result = report("python -m engine bench", engine_figures(results), machine(load_at_start), results)
    print(json.dumps(result, indent=2) if args.json else text_table(result))
    return 0
