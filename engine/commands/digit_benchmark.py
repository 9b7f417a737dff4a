"""Quality of the digit case studies within a time budget, on this machine's CPU.

    python -m engine.commands.digit_benchmark [--vae-seconds 10] [--dae-seconds 15] [--seed 0]

Targets (issue 7, 2-core laptop): the 2-D VAE reaches a held-out loss of at most 165
within 10 s of training; the denoiser, under Gaussian noise of std 0.5, a held-out
PSNR of at least 19.5 dB within 15 s. Only training counts toward the budget; a new
epoch is started only if it is expected to end within it. Held-out figures are
computed as in ``engine.digits.training`` (VAE: z = μ; denoiser: inputs corrupted once
with a fixed seed). Timings depend on what else the machine is running: the table
prints the load average so a slow run can be told from a slow model.
"""

from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np
import torch

from engine.digits.data import load_digits, split_digits
from engine.digits.denoising_quality import PCADenoiser, psnr
from engine.digits.models import DigitDenoiser, DigitVAE
from engine.digits.training import (
    RECOMMENDED,
    RECOMMENDED_LATENT_DIM,
    corrupt_held_out,
    evaluate,
    train_epoch,
)

VAE_TARGET_LOSS = 165.0
DAE_TARGET_PSNR = 19.5
#: The benchmark's recipes: the app's recommended settings, except that the denoiser
#: starts at a higher rate and decays it along a cosine over the known time budget
#: (the app's sessions keep the rate a learner sets).
VAE_RECIPE = {**RECOMMENDED["vae"]}
DAE_RECIPE = {**RECOMMENDED["dae"], "learning_rate": 6e-3}
PCA_K_SCAN = tuple(range(1, 101)) + tuple(range(110, 401, 10))


def cosine_rate(base: float, fraction: float) -> float:
    """Learning rate decayed from ``base`` to 0 along half a cosine as ``fraction`` of the
    budget goes by (Loshchilov & Hutter, "SGDR", ICLR 2017, without restarts)."""
    return base * 0.5 * (1.0 + math.cos(math.pi * min(max(fraction, 0.0), 1.0)))


def _train_within(model, optimizer, train_images, seconds, curve_fn, *, decay: bool,
                  **epoch_kwargs) -> dict:
    """Whole epochs while time remains; the last one ends early at the deadline. With
    ``decay`` the learning rate follows ``cosine_rate`` over the budget (set per epoch)."""
    base_rates = [group["lr"] for group in optimizer.param_groups]
    deadline = time.perf_counter() + seconds
    trained, epochs, curve = 0.0, 0.0, []

    def out_of_time() -> bool:
        return time.perf_counter() >= deadline

    while not out_of_time():
        if decay:
            for group, base in zip(optimizer.param_groups, base_rates, strict=True):
                group["lr"] = cosine_rate(base, trained / seconds)
        start = time.perf_counter()
        parts = train_epoch(model, optimizer, train_images, stop=out_of_time, **epoch_kwargs)
        trained += time.perf_counter() - start
        epochs += parts["images"] / len(train_images)
        evaluating = time.perf_counter()
        curve.append(round(curve_fn(), 3))
        deadline += time.perf_counter() - evaluating  # evaluation is not training time
        if not np.isfinite(parts["loss"]):
            break
    return {"epochs": round(epochs, 2), "seconds": round(trained, 2), "curve": curve,
            "last": parts}


def run_vae_benchmark(seconds: float = 10, seed: int = 0, latent_dim: int = 2,
                      beta: float = 1.0, decay: bool = False) -> dict:
    """Train a ``DigitVAE`` on the 4,500 training digits for at most ``seconds``."""
    settings = VAE_RECIPE
    train, test = split_digits(load_digits())
    x_train, x_test = torch.from_numpy(train.images), torch.from_numpy(test.images)
    torch.manual_seed(seed)
    model = DigitVAE(latent_dim)
    generator = torch.Generator().manual_seed(seed)
    model.generator = generator
    optimizer = torch.optim.Adam(model.parameters(), lr=settings["learning_rate"])

    def held_out_loss() -> float:
        return evaluate(model, x_test, loss=settings["loss"], beta=beta)["loss"]

    run = _train_within(model, optimizer, x_train, seconds, held_out_loss, decay=decay, kind="vae",
                        loss=settings["loss"], beta=beta, batch_size=settings["batch_size"],
                        generator=generator)
    figures = evaluate(model, x_test, loss=settings["loss"], beta=beta)
    return {
        "model": f"DigitVAE(latent_dim={latent_dim}, hidden={model.hidden})",
        "settings": {**settings, "beta": beta, "optimizer": "adam",
                     "schedule": "cosine over the budget" if decay else "constant"},
        "budget_seconds": seconds,
        "epochs": run["epochs"],
        "seconds": run["seconds"],
        "train_loss": round(run["last"]["loss"], 3),
        "test_loss": round(figures["loss"], 3),
        "test_reconstruction": round(figures["reconstruction"], 3),
        "test_kl": round(figures["kl"], 3),
        "test_loss_per_epoch": run["curve"],
        "target": VAE_TARGET_LOSS,
        "reached": figures["loss"] <= VAE_TARGET_LOSS,
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


def run_denoiser_benchmark(seconds: float = 15, seed: int = 0, noise_std: float = 0.5,
                           latent_dim: int = RECOMMENDED_LATENT_DIM["dae"],
                           decay: bool = True) -> dict:
    """Train a ``DigitDenoiser`` under Gaussian noise for at most ``seconds``."""
    settings = DAE_RECIPE
    train, test = split_digits(load_digits())
    x_train, x_test = torch.from_numpy(train.images), torch.from_numpy(test.images)
    noisy = corrupt_held_out(x_test, "gaussian", noise_std)
    torch.manual_seed(seed)
    model = DigitDenoiser(latent_dim)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=settings["learning_rate"])

    def held_out_psnr() -> float:
        return evaluate(model, x_test, loss=settings["loss"], noisy_inputs=noisy)["psnr"]

    run = _train_within(model, optimizer, x_train, seconds, held_out_psnr, decay=decay, kind="dae",
                        loss=settings["loss"], noise_kind="gaussian", noise_level=noise_std,
                        batch_size=settings["batch_size"], generator=generator)
    figures = evaluate(model, x_test, loss=settings["loss"], noisy_inputs=noisy)
    scan = pca_scan(train.images, test.images, noisy.numpy())
    best_k = max(scan, key=scan.get)
    at_k = scan[latent_dim] if latent_dim in scan else pca_scan(
        train.images, test.images, noisy.numpy(), (latent_dim,))[latent_dim]
    return {
        "model": f"DigitDenoiser(latent_dim={latent_dim})",
        "settings": {**settings, "noise": f"gaussian std {noise_std}", "optimizer": "adam",
                     "schedule": "cosine over the budget" if decay else "constant"},
        "budget_seconds": seconds,
        "epochs": run["epochs"],
        "seconds": run["seconds"],
        "train_loss": round(run["last"]["loss"], 3),
        "test_loss": round(figures["loss"], 3),
        "test_psnr": round(figures["psnr"], 3),
        "input_psnr": round(figures["input_psnr"], 3),
        "pca_psnr": round(at_k, 3),
        "pca_k": latent_dim,
        "pca_best_psnr": round(scan[best_k], 3),
        "pca_best_k": best_k,
        "test_psnr_per_epoch": run["curve"],
        "target": DAE_TARGET_PSNR,
        "reached": figures["psnr"] >= DAE_TARGET_PSNR,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.commands.digit_benchmark",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--vae-seconds", type=float, default=10.0)
    parser.add_argument("--dae-seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=("vae", "dae"))
    parser.add_argument("--threads", type=int, default=2,
                        help="torch threads (default 2, the target machine's cores)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"load average {load:.2f} at start")
    if args.only != "dae":
        r = run_vae_benchmark(args.vae_seconds, args.seed)
        print(f"\n2-D VAE  {r['model']}  {r['settings']}")
        print(f"  {r['epochs']} epochs in {r['seconds']:.1f} s (budget {r['budget_seconds']:g} s)")
        print(f"  held-out loss per image (z = mu) {r['test_loss']:.2f} "
              f"= reconstruction {r['test_reconstruction']:.2f} + KL {r['test_kl']:.2f}"
              f"   target <= {r['target']:g}: {'reached' if r['reached'] else 'NOT reached'}")
        print(f"  per epoch: {r['test_loss_per_epoch']}")
    if args.only != "vae":
        r = run_denoiser_benchmark(args.dae_seconds, args.seed)
        print(f"\nDenoiser  {r['model']}  {r['settings']}")
        print(f"  {r['epochs']} epochs in {r['seconds']:.1f} s (budget {r['budget_seconds']:g} s)")
        print(f"  held-out PSNR: noisy input {r['input_psnr']:.2f} dB, denoiser "
              f"{r['test_psnr']:.2f} dB   target >= {r['target']:g}: "
              f"{'reached' if r['reached'] else 'NOT reached'}")
        print(f"  PCA projection: k={r['pca_k']} {r['pca_psnr']:.2f} dB, "
              f"best k={r['pca_best_k']} {r['pca_best_psnr']:.2f} dB")
        print(f"  per epoch: {r['test_psnr_per_epoch']}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nload average {load:.2f} at end (2 cores: above ~2 means the runs shared the CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
