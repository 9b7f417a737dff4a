"""The engine's digit VAE against a plain PyTorch loop, in one process, epoch by epoch.

Both train the generation study's VAE (``engine.commands.reference_vae`` says what the
reference is) for the same time budget, whole epochs while the next is expected to end
within it (the quality benchmark's rule), on the same split with the same thread
count. Their epochs alternate, so a change in the machine's load falls on both alike.
Reported: seconds per epoch of each and their ratio (engine / reference; budget 1.05),
and the held-out loss each reached within the budget. The engine's epoch is a
``TrainingSession.step``, snapshot for the window included, as the app pays it.

The engine trains with torch's fused Adam, the reference as pytorch/examples writes it
(torch's default Adam), so the ratio holds the app against the loop a learner would
write. A third loop, the reference given the fused Adam too, alternates with them:
``same_optimiser_ratio`` (engine / that loop) is what the engine's loop itself costs
(its snapshot for the window, its per-image losses), with the optimiser taken out.

Alternating epochs cancel the machine's drift within a process, but not what differs
from one process to the next: with the same code and bit-identical weights the ratio
measured 1.011, 1.039 and 1.118 in three processes. ``compare_in_processes`` runs the
comparison in fresh processes (``python -m engine.commands.reference_comparison``) and
reports the median process's figures, with every process's ratio beside them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable

import torch

from engine.commands.reference_vae import ReferenceRun
from engine.core.runtime import threads_for
from engine.core.session import TrainingSession
from engine.digits.data import load_digits, split_digits
from engine.digits.training import case_study_config, evaluate


class TimedRun:
    """Whole epochs within a budget: ``step`` trains one, ``score`` is not timed."""

    def __init__(self, step: Callable[[], object], score: Callable[[], float], budget_s: float) -> None:
        self._step, self._score, self.budget_s = step, score, budget_s
        self.seconds, self.epochs, self.curve = 0.0, 0, []

    @property
    def wants_more(self) -> bool:
        """True while the next epoch, at the mean pace so far, ends within the budget."""
        return self.epochs == 0 or self.seconds * (self.epochs + 1) / self.epochs <= self.budget_s

    def step(self) -> None:
        start = time.perf_counter()
        self._step()
        self.seconds += time.perf_counter() - start
        self.epochs += 1
        self.curve.append(round(self._score(), 3))

    def summary(self) -> dict:
        return {"epochs": self.epochs, "seconds": round(self.seconds, 2),
                "seconds_per_epoch": round(self.seconds / max(1, self.epochs), 3),
                "test_loss": self.curve[-1] if self.curve else None, "test_loss_per_epoch": self.curve}


def compare_with_reference(seconds: float = 10.0, seed: int = 0, threads: int | None = None) -> dict:
    """Both loops for ``seconds`` of training each, epochs alternating, on ``threads``
    torch threads (default: what ``python -m engine train`` uses). On a machine whose
    cores are already busy, torch's threads wait for each other: one thread measures
    the loops rather than the contention."""
    config = case_study_config("vae").replace(seed=seed)
    threads = threads or threads_for(config)
    torch.set_num_threads(threads)
    train, test = split_digits(load_digits())
    session = TrainingSession(config)
    session.optimizer.zero_grad()  # first use imports torch._dynamo (~2 s): paid before the clock
    reference = ReferenceRun(train.images, test.images, seed=seed, batch_size=config.batch_size,
                             learning_rate=config.learning_rate)
    engine = TimedRun(session.step, lambda: evaluate(session.model, test.images, loss=config.loss,
                                                     beta=config.beta)["loss"], seconds)
    same_adam = ReferenceRun(train.images, test.images, seed=seed, batch_size=config.batch_size,
                             learning_rate=config.learning_rate, fused=True)
    plain = TimedRun(reference.step, reference.held_out_loss, seconds)
    plain_fused = TimedRun(same_adam.step, same_adam.held_out_loss, seconds)
    runs = (engine, plain, plain_fused)
    while any(run.wants_more for run in runs):
        for run in runs:
            if run.wants_more:
                run.step()
    return {"model": "784-512-256-2-256-512-784 (the app's sizes), logloss + KL, Adam 1e-3, batch 64",
            "threads": threads, "budget_seconds": seconds, "engine": engine.summary(),
            "reference": plain.summary(), "reference_fused_adam": plain_fused.summary(),
            "seconds_per_epoch_ratio": _pace_ratio(engine, plain),
            "same_optimiser_ratio": _pace_ratio(engine, plain_fused)}


def _pace_ratio(run: TimedRun, reference: TimedRun) -> float:
    """``run``'s seconds per epoch over ``reference``'s."""
    return round(run.summary()["seconds_per_epoch"] / max(1e-9, reference.summary()["seconds_per_epoch"]), 3)


def compare_in_processes(seconds: float = 10.0, threads: int | None = None, processes: int = 3) -> dict:
    """``compare_with_reference`` in ``processes`` fresh processes, one after another: the
    figures of the process with the median ratio, and ``process_ratios`` (every one).
    A process that fails is left out (its error on stderr); None if every one failed."""
    command = [sys.executable, "-m", "engine.commands.reference_comparison", "--seconds", str(seconds)]
    if threads is not None:
        command += ["--threads", str(threads)]
    runs = []
    for _ in range(processes):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"a reference comparison failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
            continue
        runs.append(json.loads(done.stdout))
    if not runs:
        return None
    runs.sort(key=lambda run: run["seconds_per_epoch_ratio"])
    return {**runs[(len(runs) - 1) // 2], "process_ratios": [run["seconds_per_epoch_ratio"] for run in runs]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.commands.reference_comparison",
                                     description="The engine's digit VAE against a plain PyTorch loop (JSON).")
    parser.add_argument("--seconds", type=float, default=10.0, help="training time each loop gets")
    parser.add_argument("--threads", type=int, default=None, help="torch threads for both loops")
    args = parser.parse_args(argv)
    if not args.seconds > 0 or (args.threads or 1) < 1:
        parser.error("--seconds and --threads must be positive.")
    print(json.dumps(compare_with_reference(args.seconds, threads=args.threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
