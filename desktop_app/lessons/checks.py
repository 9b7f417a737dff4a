"""What "the learner really did it" means, one named predicate per check.

A lesson file names a check (``check = "reconstruction_below_0.01"``); this registry
is the only place that says what each name means. Every predicate reads ``Facts``, a
plain record the navigator gathers from the window, and every number it compares comes
from the engine (the snapshot's losses, ``engine.lecture.loss_breakdowns``, ``engine.lecture.sigmoid``), never
from what a label shows. Qt-free, so the predicates are tested on hand-made facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.core.snapshot import EpochSnapshot
from engine.lecture.examples import MSE_EXAMPLES
from engine.lecture.loss_breakdowns import log_loss, mse
from engine.lecture.sigmoid import sigmoid


@dataclass(frozen=True)
class Facts:
    """The window as the checks see it, gathered after every change that may matter.

    ``start_*`` are the values the step set up; ``probe_moved`` says the learner moved
    the latent probe (workbench or generation map) since the step began; ``probe_values``
    is what the probe decodes to now. ``mse_xy``/``logloss_xy`` are the numbers on the
    panels, ``logloss_hovered`` the pixel the mouse is on (−1: none)."""

    snapshot: EpochSnapshot | None = None
    start_epoch: int = 0
    selected: int = 0
    start_selected: int = 0
    probe_moved: bool = False
    probe_values: np.ndarray | None = None
    sources: dict[str, str] = field(default_factory=dict)
    mse_xy: tuple[np.ndarray, np.ndarray] | None = None
    logloss_xy: tuple[np.ndarray, np.ndarray] | None = None
    logloss_hovered: int = -1
    sigmoid_input: float | None = None
    network_psnr: float | None = None  # denoising case study, mean over the held-out digits
    pca_psnr: float | None = None
    drawn: bool = False  # a digit drawn on the denoising pad


Check = Callable[[Facts], bool]


def _trained_more(epochs: int) -> Check:
    def check(f: Facts) -> bool:
        return f.snapshot is not None and f.snapshot.epoch >= f.start_epoch + epochs
    return check


def reconstruction_below(threshold: float) -> Check:
    def check(f: Facts) -> bool:
        s = f.snapshot
        return s is not None and s.epoch > 0 and bool(np.isfinite(s.reconstruction_loss)) \
            and s.reconstruction_loss < threshold
    return check


def _probe_top_left_above(level: float) -> Check:
    def check(f: Facts) -> bool:
        return f.probe_moved and f.probe_values is not None and float(np.ravel(f.probe_values)[0]) > level
    return check


def _own_mse_below(threshold: float) -> Check:
    """Their own y: the source is "own" and y is none of the slides' reconstructions."""
    def check(f: Facts) -> bool:
        if f.sources.get("msePanel") != "own" or f.mse_xy is None:
            return False
        x, y = f.mse_xy
        if any(np.allclose(y, e.y_array) for e in MSE_EXAMPLES):
            return False
        return mse(x, y).total < threshold
    return check


def _costliest_logloss_pixel(f: Facts) -> bool:
    if f.logloss_xy is None or f.logloss_hovered < 0:
        return False
    terms = np.round(log_loss(*f.logloss_xy).terms.ravel(), 9)
    return bool(terms[f.logloss_hovered] == terms.max())


def _sigmoid_above(level: float) -> Check:
    def check(f: Facts) -> bool:
        return f.sigmoid_input is not None and float(sigmoid(np.float64(f.sigmoid_input))) >= level
    return check


def _source_is(panel: str, key: str) -> Check:
    def check(f: Facts) -> bool:
        return f.sources.get(panel) == key
    return check


def _selected_another(f: Facts) -> bool:
    return f.selected != f.start_selected


def _denoiser_beats_pca(f: Facts) -> bool:
    return f.network_psnr is not None and f.pca_psnr is not None and f.network_psnr > f.pca_psnr


CHECKS: dict[str, tuple[Check, str]] = {
    "selected_another_image": (_selected_another, "Select another image."),
    "trained_an_epoch": (_trained_more(1), "Train at least one epoch."),
    "trained_100_epochs": (_trained_more(100), "Train at least 100 more epochs."),
    "trained_300_epochs": (_trained_more(300), "Train at least 300 more epochs."),
    "reconstruction_below_0.01": (reconstruction_below(0.01), "Train until the reconstruction loss is below 0.01."),
    "sigmoid_at_least_0.99": (_sigmoid_above(0.99), "Give the sigmoid an input where it says 0.99 or more."),
    "own_mse_below_0.01": (_own_mse_below(0.01), "Type your own y into the MSE panel with a loss below 0.01."),
    "costliest_logloss_pixel": (_costliest_logloss_pixel, "Point at the pixel that costs most in log-loss."),
    "kl_far_example": (_source_is("klPanel", "slide:far"), "Show the slide's example where q is far from p."),
    "latent_top_left_above_0.8": (_probe_top_left_above(0.8),
                                  "Click a latent point that decodes to a top-left pixel above 0.8."),
    "probe_moved": (lambda f: f.probe_moved, "Click somewhere in the latent space."),
    "denoiser_beats_pca": (_denoiser_beats_pca, "See the autoencoder's PSNR above PCA's."),
    "digit_drawn": (lambda f: f.drawn, "Draw a digit on the pad."),
}


def check_holds(name: str, facts: Facts) -> bool:
    return CHECKS[name][0](facts)


def check_goal(name: str) -> str:
    """What the learner must do, in one sentence (shown while the check waits)."""
    return CHECKS[name][1]
