"""What to say and offer when training blows up: which numbers stopped being finite,
the last epoch whose numbers all are, and whether training can go on from it at all.

A run diverges when a number grows past what float32 holds (infinity) or stops
being a number (NaN). The session rolls back to the last epoch whose numbers are all
finite; ``next_step_problem`` (``engine.core.divergence_step``, the one part that needs
torch) asks whether that epoch is itself ruined, i.e. whether
its very next step blows up whatever the learning rate: the loss and the gradients
at a checkpoint do not depend on the learning rate, so if they are already infinite
(or every gradient is exactly zero), no smaller step can help and only a reset can.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

#: Why the next step from a stored train state blows up at any learning rate, or None:
#: ``engine.core.divergence_step.next_step_problem`` (torch), or a request to the
#: training process that runs it.
StepProblem = Callable[[dict], "str | None"]

# What a snapshot holds, in the words the message uses, in the order they are checked.
SNAPSHOT_FIELDS = (
    ("loss", "the loss"),
    ("reconstruction_loss", "the reconstruction loss"),
    ("kl", "the KL loss"),
    ("params", "the weights"),
    ("log_vars", "the latent spread σ"),
    ("spreads", "the latent spread σ"),
    ("codes", "the latent codes"),
    ("samples", "the sampled latent points z"),
    ("reconstructions", "the reconstructions"),
    ("image_losses", "the loss of an image"),
)


LOG_VAR_SIGMA_LIMIT = 177.0  # σ = exp(½ ln σ²) passes float32's 3.4×10³⁸ near ln σ² = 177.4


class NonFinite(ArithmeticError):
    """A number in training stopped being finite; ``cause`` says which, in words."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


def words_for(values: Iterable[float] | np.ndarray | float) -> str:
    """"is not a number" or "grew too large to compute", for a group with a bad value."""
    array = np.asarray(values, dtype=np.float64)
    return "stopped being a number" if np.isnan(array).any() else "grew too large to compute"


def all_finite(values: object) -> bool:
    if values is None:
        return True
    if isinstance(values, dict):
        return all(all_finite(v) for v in values.values())
    if hasattr(values, "detach"):  # a tensor (duck-typed: this module needs no torch)
        values = values.detach().cpu().numpy()
    array = np.asarray(values)
    return array.dtype.kind not in "fc" or bool(np.isfinite(array).all())


def snapshot_problem(snapshot: object) -> str | None:
    """Which of a snapshot's numbers are not finite, in words ("the latent spread σ grew
    too large to compute (infinite)"), or None when every number is finite and may be shown.

    σ is checked as shown (exp(½ ln σ²)): a finite ln σ² of 609 is a σ of infinity.
    Called on every epoch, so the common case (all finite) is one sum per array."""
    if _quickly_all_finite(snapshot):
        return None
    for name, words in SNAPSHOT_FIELDS:
        if name == "spreads":
            log_vars = getattr(snapshot, "log_vars", None)
            if log_vars is None:
                continue
            with np.errstate(over="ignore", invalid="ignore"):
                values = np.exp(0.5 * np.asarray(log_vars, dtype=np.float32))
        else:
            values = getattr(snapshot, name, None)
        if not all_finite(values):
            bad = np.concatenate([np.ravel(v) for v in values.values()]) if isinstance(values, dict) else values
            return f"{words} {words_for(bad)}"
    return None


def _quickly_all_finite(snapshot: object) -> bool:
    """True when a sum of every number is finite (NaN and infinity spread into a sum) and
    no ln σ² is large enough for σ to overflow float32; False leaves it to the full check
    (a sum of large finite numbers may overflow on its own)."""
    total = 0.0
    for name, _words in SNAPSHOT_FIELDS:
        values = getattr(snapshot, name, None) if name != "spreads" else None
        if values is None:
            continue
        if isinstance(values, dict):
            total += sum(float(np.sum(v, dtype=np.float64)) for v in values.values())
        elif isinstance(values, float | int):
            total += values
        else:
            total += float(np.sum(values, dtype=np.float64))
    log_vars = getattr(snapshot, "log_vars", None)
    if log_vars is not None and np.size(log_vars) and float(np.max(log_vars)) >= LOG_VAR_SIGMA_LIMIT:
        return False
    return math.isfinite(total)


@dataclass(frozen=True)
class DivergenceReport:
    """What happened and what can be done, for the window's banner and the status line.

    ``failed_epoch``: the epoch that blew up (None for a stored epoch found non-finite,
    e.g. in a file); ``last_finite``: the newest stored epoch whose numbers are all
    finite (None if there is none); ``at_last_finite``: the session already stands
    there; ``ruined``: why training cannot go on from it at any learning rate, or None.
    """

    failed_epoch: int | None
    cause: str
    last_finite: int | None
    at_last_finite: bool
    ruined: str | None

    @property
    def remedy(self) -> str:
        """"lower" (a smaller learning rate will do), "go back" (to the last finite
        epoch first) or "reset" (nothing stored can be trained on)."""
        if self.last_finite is None or self.ruined is not None:
            return "reset"
        return "lower" if self.at_last_finite else "go back"

    @property
    def message(self) -> str:
        where = f"Training diverged in epoch {self.failed_epoch:,}" if self.failed_epoch is not None \
            else "Training had diverged in this session"
        said = f"{where}: {self.cause}."
        if self.last_finite is None:
            return f"{said} No stored epoch has finite numbers: press Reset to start again from fresh random weights."
        epoch = f"epoch {self.last_finite:,}"
        if self.ruined is not None:
            return (f"{said} Going back does not help: at {epoch}, the last epoch with finite numbers, {self.ruined}, "
                    "so training from there blows up at any learning rate. Press Reset to start again from fresh "
                    "random weights.")
        if self.at_last_finite:
            return f"{said} The network is back at {epoch}, the last epoch with finite numbers; " \
                   "try a smaller learning rate."
        return f"{said} Go back to {epoch}, the last epoch with finite numbers, and try a smaller learning rate."


def diagnose(checkpoints: Iterable, current_epoch: int, failed_epoch: int | None, cause: str,
             step_problem: StepProblem | None = None) -> DivergenceReport:
    """The report for a session whose stored epochs are ``checkpoints`` (oldest first)
    and which stands at ``current_epoch``: the newest finite stored epoch at or before
    it, and whether that one is ruined (``step_problem``; None: ``next_step_problem``
    run here, which imports torch)."""
    finite = [c for c in checkpoints if c.snapshot.epoch <= current_epoch and snapshot_problem(c.snapshot) is None]
    if not finite:
        return DivergenceReport(failed_epoch, cause, None, False, None)
    last = finite[-1]
    if step_problem is None:
        from engine.core.divergence_step import next_step_problem as step_problem
    return DivergenceReport(failed_epoch, cause, last.snapshot.epoch, last.snapshot.epoch == current_epoch,
                            step_problem(last.train_state))


def first_bad_history_epoch(history_rows: np.ndarray) -> int | None:
    """The first epoch (1-based) whose stored losses are not finite, or None."""
    bad = ~np.isfinite(np.asarray(history_rows, dtype=np.float64)).all(axis=1)
    return int(np.argmax(bad)) + 1 if bad.any() else None


def settle(session, step_problem: StepProblem | None = None) -> DivergenceReport | None:
    """Make a session (e.g. one just opened from a file) stand on its last epoch whose
    numbers are all finite, in its stored snapshots and its loss history alike; returns
    what was found, or None when every number was finite. When no stored epoch is finite
    the session is left as it was and the report's ``last_finite`` is None."""
    bad_history = first_bad_history_epoch(session.history.as_array())
    problem = snapshot_problem(session.latest)
    if bad_history is None and problem is None:
        return None
    if bad_history is None:
        limit, cause = session.epoch, problem
    else:
        row = session.history.as_array()[bad_history - 1]
        limit, cause = bad_history - 1, f"the loss stored for epoch {bad_history:,} {words_for(row)}"
    report = diagnose(list(session.checkpoints), limit, None, cause, step_problem)
    if report.last_finite is None:
        return report
    session.go_to_epoch(report.last_finite)
    return DivergenceReport(None, cause, report.last_finite, True, report.ruined)


def __getattr__(name: str) -> object:
    """``next_step_problem`` is still importable from here, loaded (with torch) only when
    asked for, so importing this module never loads torch."""
    if name == "next_step_problem":
        from engine.core.divergence_step import next_step_problem

        return next_step_problem
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
