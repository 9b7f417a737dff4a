"""The engine's digit VAE against a plain PyTorch loop, in one process, epoch by epoch.

Both train the generation study's VAE (``engine.commands.reference_vae`` says what the
reference is) for the same time budget, whole epochs while the next is expected to end
within it (the quality benchmark's rule), on the same split with the same thread
count. Their epochs alternate, so a change in the machine's load falls on both alike.
Reported: seconds per epoch of each and their ratio (engine / reference; budget 1.05),
and the held-out loss each reached within the budget. The engine's epoch is a
``TrainingSession.step``, snapshot for the window included, as the app pays it.
"""

from __future__ import annotations

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
    plain = TimedRun(reference.step, reference.held_out_loss, seconds)
    while engine.wants_more or plain.wants_more:
        for run in (engine, plain):
            if run.wants_more:
                run.step()
    ratio = engine.summary()["seconds_per_epoch"] / max(1e-9, plain.summary()["seconds_per_epoch"])
    return {"model": "784-512-256-2-256-512-784 (the app's sizes), logloss + KL, Adam 1e-3, batch 64",
            "threads": threads, "budget_seconds": seconds, "engine": engine.summary(),
            "reference": plain.summary(), "seconds_per_epoch_ratio": round(ratio, 3)}
