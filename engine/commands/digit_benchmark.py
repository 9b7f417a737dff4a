"""Quality of the digit case studies within a time budget, as the app and the CLI train them.

    python -m engine.commands.digit_benchmark [--vae-seconds 10] [--dae-seconds 15] [--seed 0]

Each run is a ``TrainingSession`` with the settings a case study starts with
(``engine.digits.training.case_study_config``, also the defaults of ``python -m engine
train --dataset mnist``), trained epoch by epoch through the project's one loop, so
the figures are what a learner gets. Targets (issue 7, 2-core laptop): the 2-D VAE
reaches a held-out loss of at most 165 within 10 s of training; the denoiser, under
Gaussian noise of std 0.5, a held-out PSNR of at least 19.5 dB within 15 s.

Whole epochs only, as in the app: a new epoch is started only if it is expected (at
the mean pace so far) to end within the budget. An epoch's time includes the snapshot
the app draws from; scoring the held-out digits between epochs does not count.
Held-out figures are those ``python -m engine train`` prints
(``engine.digits.training.held_out_report``): the same seed and epochs give the same
numbers. Timings depend on what else the machine runs: the table prints the load
average so a slow run can be told from a slow model.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np

from engine.core.config import TrainingConfig
from engine.core.runtime import threads_for, use_threads_for
from engine.core.session import TrainingDiverged, TrainingSession
from engine.digits.data import load_digits, split_digits
from engine.digits.denoising_quality import PCADenoiser, psnr
from engine.digits.study_figures import denoising_figures, held_out_loss
from engine.digits.training import case_study_config, corrupt_held_out, evaluate, held_out_report

VAE_TARGET_LOSS = 165.0
DAE_TARGET_PSNR = 19.5
PCA_K_SCAN = tuple(range(1, 101)) + tuple(range(110, 401, 10))


def train_within(session: TrainingSession, seconds: float,
                 score: Callable[[TrainingSession], float]) -> dict:
    """Whole epochs of ``session`` while the next is expected to end within ``seconds``;
    ``score`` (held-out, not timed) after each one."""
    use_threads_for(session.config)
    session.optimizer.zero_grad()  # made now: its first use imports torch._dynamo (~2 s), as the app does at start-up
    trained, curve, diverged = 0.0, [], False
    while session.epoch == 0 or trained * (session.epoch + 1) / session.epoch <= seconds:
        start = time.perf_counter()
        try:
            session.step()
        except TrainingDiverged:  # the session stays at its last finite epoch, which is scored
            diverged = True
            break
        finally:
            trained += time.perf_counter() - start
        curve.append(round(score(session), 3))
    return {"epochs": session.epoch, "seconds": round(trained, 2), "curve": curve, "diverged": diverged}


def _settings(config: TrainingConfig) -> dict[str, object]:
    return {"learning_rate": config.learning_rate, "loss": config.loss, "batch_size": config.batch_size,
            "beta": config.beta, "optimizer": config.optimizer, "seed": config.seed,
            "threads": threads_for(config)}


def run_vae_benchmark(seconds: float = 10, seed: int = 0) -> dict:
    """The generation case study's VAE (2-D latent) for at most ``seconds``."""
    config = case_study_config("vae").replace(seed=seed)
    session = TrainingSession(config)
    test = split_digits(load_digits())[1].images

    def held_out(s: TrainingSession) -> float:
        return evaluate(s.model, test, loss=config.loss, beta=config.beta)["loss"]

    run = train_within(session, seconds, held_out)
    figures = evaluate(session.model, test, loss=config.loss, beta=config.beta)
    report = held_out_report(session)
    return {
        "model": f"DigitVAE(latent_dim={config.latent_dim}, hidden={session.model.hidden})",
        "settings": _settings(config),
        "budget_seconds": seconds,
        "epochs": run["epochs"],
        "seconds": run["seconds"],
        "train_loss": round(session.latest.loss, 3),
        "test_loss": report["test_loss"],
        "test_reconstruction": round(figures["reconstruction"], 3),
        "test_kl": round(figures["kl"], 3),
        "shown_in_app": round(held_out_loss(session.latest).total, 3),
        "test_loss_per_epoch": run["curve"],
        "target": VAE_TARGET_LOSS,
        "reached": report["test_loss"] <= VAE_TARGET_LOSS,
    }


def pca_scan(train_images: np.ndarray, clean: np.ndarray, noisy: np.ndarray,
             ks: tuple[int, ...] = PCA_K_SCAN) -> dict[int, float]:
    """Mean held-out PSNR of the projection onto k principal components, for each k."""
    full = PCADenoiser.fit(train_images, max(ks))
    scores = {}
    for k in ks:
        projected = PCADenoiser(full.mean, full.components[:k]).denoise(noisy)
        scores[k] = float(np.mean(psnr(clean, projected)))
    return scores


def run_denoiser_benchmark(seconds: float = 15, seed: int = 0) -> dict:
    """The denoising case study's network (Gaussian noise, std 0.5) for at most ``seconds``."""
    config = case_study_config("dae").replace(seed=seed)
    session = TrainingSession(config)
    train, test = split_digits(load_digits())
    noisy = corrupt_held_out(test.images, config.noise_type, config.noise_level)

    def held_out(s: TrainingSession) -> float:
        return evaluate(s.model, test.images, loss=config.loss, noisy_inputs=noisy)["psnr"]

    run = train_within(session, seconds, held_out)
    figures = evaluate(session.model, test.images, loss=config.loss, noisy_inputs=noisy)
    report = held_out_report(session)
    scan = pca_scan(train.images, test.images, noisy.numpy())
    best_k = max(scan, key=scan.get)
    shown = session.latest
    return {
        "model": f"DigitDenoiser(latent_dim={config.latent_dim})",
        "settings": {**_settings(config), "noise": f"{config.noise_type} {config.noise_level:g}"},
        "budget_seconds": seconds,
        "epochs": run["epochs"],
        "seconds": run["seconds"],
        "train_loss": round(shown.loss, 3),
        "test_loss": report["test_loss"],
        "test_psnr": report["test_psnr"],
        "input_psnr": round(figures["input_psnr"], 3),
        "shown_in_app": round(denoising_figures(shown, None, np.arange(1)).mean_all[1], 3),
        "pca_psnr": report["pca_psnr"],
        "pca_k": config.latent_dim,
        "pca_best_psnr": round(scan[best_k], 3),
        "pca_best_k": best_k,
        "test_psnr_per_epoch": run["curve"],
        "target": DAE_TARGET_PSNR,
        "reached": report["test_psnr"] >= DAE_TARGET_PSNR,
    }


def _print_vae(r: dict) -> None:
    print(f"\n2-D VAE  {r['model']}  {r['settings']}")
    print(f"  {r['epochs']} epochs in {r['seconds']:.1f} s (budget {r['budget_seconds']:g} s)")
    print(f"  held-out loss per image (z = mu) {r['test_loss']:.2f} "
          f"= reconstruction {r['test_reconstruction']:.2f} + KL {r['test_kl']:.2f}"
          f"   target <= {r['target']:g}: {'reached' if r['reached'] else 'NOT reached'}")
    print(f"  the case study's headline shows {r['shown_in_app']:.1f}; per epoch: {r['test_loss_per_epoch']}")


def _print_denoiser(r: dict) -> None:
    print(f"\nDenoiser  {r['model']}  {r['settings']}")
    print(f"  {r['epochs']} epochs in {r['seconds']:.1f} s (budget {r['budget_seconds']:g} s)")
    print(f"  held-out PSNR: noisy input {r['input_psnr']:.2f} dB, denoiser "
          f"{r['test_psnr']:.2f} dB   target >= {r['target']:g}: "
          f"{'reached' if r['reached'] else 'NOT reached'}")
    print(f"  PCA projection: k={r['pca_k']} {r['pca_psnr']:.2f} dB, "
          f"best k={r['pca_best_k']} {r['pca_best_psnr']:.2f} dB")
    print(f"  the case study shows {r['shown_in_app']:.2f} dB (its own noise draw); "
          f"per epoch: {r['test_psnr_per_epoch']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.commands.digit_benchmark",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--vae-seconds", type=float, default=10.0)
    parser.add_argument("--dae-seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=("vae", "dae"))
    args = parser.parse_args(argv)
    print(f"load average {_load():.2f} at start")
    if args.only != "dae":
        _print_vae(run_vae_benchmark(args.vae_seconds, args.seed))
    if args.only != "vae":
        _print_denoiser(run_denoiser_benchmark(args.dae_seconds, args.seed))
    print(f"\nload average {_load():.2f} at end (2 cores: above ~2 means the runs shared the CPU)")
    return 0


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


if __name__ == "__main__":
    raise SystemExit(main())
