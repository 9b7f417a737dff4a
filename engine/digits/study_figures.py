"""The figures the two case-study screens show, computed from frozen snapshots.

Denoising: for the shown held-out digits, clean | corrupted | denoised by the
network | denoised by the linear method the lecture contrasts (projection onto the
first k principal components of the training digits, k = the network's bottleneck),
each with its PSNR against the clean digit, and the means. Generation: digits decoded
from points drawn from the prior N(0, I). And the run's progress (epochs, time left).
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from engine.core.kl import gaussian_kl_terms
from engine.core.snapshot import EpochSnapshot
from engine.digits.data import N_CLASSES, load_digits, split_digits
from engine.digits.denoising_quality import PCADenoiser, psnr, psnr_against
from engine.digits.drawing import frame_like_mnist
from engine.latent.space import prior_samples
from engine.lecture.noise import corrupt_for_display

DRAWN_NOISE_SEED = 7  # the drawn digit is corrupted with fixed noise, so it holds still


# ----- the linear method ---------------------------------------------------------------
class PCABank:
    """PCA denoisers fitted on the 4,500 training digits, one per k, each fitted once.

    Fitting takes a moment (an SVD of 4,500 x 784), so ``request`` fits on a
    background thread and ``ready`` answers without waiting: a screen shows the
    network at once and the PCA column as soon as it is there.
    """

    def __init__(self, train_images: np.ndarray | None = None) -> None:
        self._train = train_images
        self._fits: dict[int, Future] = {}
        self._prepared: dict[int, tuple[np.ndarray, np.ndarray, Future]] = {}  # by k: the last inputs scored
        self._lock = threading.Lock()
        # Its own lock: the window asks ``ready`` and ``prepare`` while a fit loads the
        # digits (about 50 ms), and must not wait for that.
        self._train_lock = threading.Lock()

    def _training_digits(self) -> np.ndarray:
        with self._train_lock:
            if self._train is None:
                self._train = split_digits(load_digits())[0].images
            return self._train

    def request(self, k: int) -> Future:
        """Start fitting k components (if not already under way or done)."""
        with self._lock:
            if k not in self._fits:
                future: Future = Future()
                self._fits[k] = future
                # Not a daemon: a process ending mid-fit would abort inside the linear
                # algebra library ("terminate called"), so exit waits for the fit instead.
                threading.Thread(target=self._fit, args=(k, future), name=f"pca-{k}", daemon=False).start()
            return self._fits[k]

    def _fit(self, k: int, future: Future) -> None:
        try:
            future.set_result(RememberingDenoiser(PCADenoiser.fit(self._training_digits(), k)))
        except Exception as exc:  # handed to whoever waits for it
            future.set_exception(exc)

    def ready(self, k: int) -> RememberingDenoiser | None:
        """The fitted denoiser, or None while it is still being fitted."""
        future = self.request(k)
        return future.result() if future.done() else None

    def denoiser(self, k: int, timeout: float | None = None) -> RememberingDenoiser:
        """The fitted denoiser, waiting for the fit if needed."""
        return self.request(k).result(timeout)

    def prepare(self, k: int, clean: np.ndarray, noisy: np.ndarray) -> Future:
        """Fit k components (``request``) and then score these held-out inputs
        (``RememberingDenoiser.scores``), all in the background; the future gives the
        denoiser once both are done. Why: a screen waiting for the fit would otherwise
        project the 500 inputs in the turn that shows its first epoch (15 to 20 ms of
        the window's event loop, measured). Asked again for the same inputs, the same job."""
        clean, noisy = np.asarray(clean), np.asarray(noisy)
        with self._lock:
            known = self._prepared.get(k)
            if known is not None and _same(known[1], noisy) and _same(known[0], clean):
                return known[2]
            clean, noisy = _frozen_copy(clean), _frozen_copy(noisy)
            future: Future = Future()
            self._prepared[k] = (clean, noisy, future)
        fit = self.request(k)

        def work() -> None:
            try:
                denoiser = fit.result()
                with self._lock:
                    newest = self._prepared.get(k, (None, None, None))[2] is future
                if newest:  # inputs replaced meanwhile (a dragged noise slider): only the last are scored
                    denoiser.scores(clean, noisy)
                future.set_result(denoiser)
            except Exception as exc:  # handed to whoever waits for it
                future.set_exception(exc)

        threading.Thread(target=work, name=f"pca-{k}-scores", daemon=False).start()  # not a daemon: as ``request``
        return future


@dataclass(frozen=True)
class ReferenceScores:
    """What no epoch changes on the denoising screen, for one set of held-out inputs:
    PCA's projection of the noisy digits and the PSNRs (per image, in dB) of the noisy
    input and of that projection against the clean digits. Arrays are read-only."""

    projected: np.ndarray
    input_psnr: np.ndarray
    pca_psnr: np.ndarray


def reference_scores(pca: PCADenoiser | RememberingDenoiser, clean: np.ndarray, noisy: np.ndarray) -> ReferenceScores:
    """``pca``'s projection of ``noisy`` and the PSNRs of ``noisy`` and of it against ``clean``."""
    projected = pca.denoise(noisy)
    input_psnr, pca_psnr = psnr_against(clean, noisy, projected)
    for array in (input_psnr, pca_psnr):
        array.flags.writeable = False
    return ReferenceScores(projected, input_psnr, pca_psnr)


class RememberingDenoiser:
    """A fitted PCA denoiser that remembers its last few answers: the held-out inputs
    only change with the noise, while the screen asks again after every epoch (each
    epoch's snapshot brings its own copy of the same inputs). Safe to ask from two
    threads (``PCABank.prepare`` scores in the background): the second waits for the
    first's answer instead of computing it again."""

    def __init__(self, denoiser: PCADenoiser, remember: int = 2) -> None:
        self.denoiser = denoiser
        self._remember = remember
        self._answers: list[tuple[np.ndarray, np.ndarray]] = []  # (input, answer), oldest first
        self._scores: list[tuple[np.ndarray, np.ndarray, ReferenceScores]] = []  # (clean, noisy, scores)
        self._lock = threading.RLock()

    @property
    def k(self) -> int:
        return self.denoiser.k

    @property
    def mean(self) -> np.ndarray:
        return self.denoiser.mean

    def denoise(self, images: np.ndarray) -> np.ndarray:
        """``PCADenoiser.denoise`` (read-only result), computed once per distinct input.
        An input is recognised by comparing its values with a kept copy (0.2 ms for 500
        digits, where hashing them took 3 ms of the window's epoch)."""
        x = np.asarray(images, dtype=np.float32)
        with self._lock:
            for seen, answer in self._answers:
                if _same(seen, x):
                    return answer
            answer = self.denoiser.denoise(x)
            answer.flags.writeable = False
            _keep(self._answers, (_frozen_copy(x), answer), self._remember)
            return answer

    def scores(self, clean: np.ndarray, noisy: np.ndarray) -> ReferenceScores:
        """``reference_scores`` for these inputs, computed once per distinct pair."""
        clean, noisy = np.asarray(clean), np.asarray(noisy)
        with self._lock:
            for seen_clean, seen_noisy, scores in self._scores:
                if _same(seen_noisy, noisy) and _same(seen_clean, clean):
                    return scores
            scores = reference_scores(self, clean, noisy)
            _keep(self._scores, (_frozen_copy(clean), _frozen_copy(noisy), scores), self._remember)
            return scores


def _same(seen: np.ndarray, x: np.ndarray) -> bool:
    return seen.shape == x.shape and seen.dtype == x.dtype and np.array_equal(seen, x)


def _frozen_copy(x: np.ndarray) -> np.ndarray:
    kept = np.array(x, copy=True)
    kept.flags.writeable = False
    return kept


def _keep(memory: list, entry: tuple, remember: int) -> None:
    """Append ``entry``, forgetting the oldest beyond ``remember``."""
    memory.append(entry)
    del memory[:-remember]


# ----- case study 1: denoising -------------------------------------------------------------
def shown_rows(labels: np.ndarray, offset: int = 0) -> np.ndarray:
    """One held-out digit of each class (0..9): the ``offset``-th of each, wrapping."""
    rows = []
    for digit in range(N_CLASSES):
        where = np.flatnonzero(np.asarray(labels) == digit)
        if where.size:
            rows.append(where[offset % where.size])
    return np.asarray(rows, dtype=np.int64)


@dataclass(frozen=True)
class DenoisingFigures:
    """What the denoising screen shows for one snapshot. Rows are held-out digits."""

    epoch: int
    k: int
    rows: np.ndarray  # indices into the held-out digits
    labels: np.ndarray
    clean: np.ndarray  # (R, 784)
    corrupted: np.ndarray
    denoised: np.ndarray  # by the network
    projected: np.ndarray | None  # by PCA (None while PCA is still being fitted)
    input_psnr: np.ndarray  # (R,) dB of the corrupted input against clean
    network_psnr: np.ndarray
    pca_psnr: np.ndarray | None
    mean_rows: tuple[float, float, float | None]  # input, network, PCA over the shown rows
    mean_all: tuple[float, float, float | None]  # the same over all held-out digits
    count: int  # how many held-out digits ``mean_all`` averages


def denoising_figures(snapshot: EpochSnapshot, pca: PCADenoiser | RememberingDenoiser | None,
                      rows: np.ndarray) -> DenoisingFigures:
    """The network's outputs are the snapshot's own reconstructions of its corrupted
    held-out inputs; PCA projects the very same inputs. PSNRs are per image, and the
    means are means of those per-image figures."""
    k = snapshot.latent_dim
    clean, noisy, out = snapshot.images, snapshot.inputs, snapshot.reconstructions
    rows = np.asarray(rows, dtype=np.int64)
    network_all = psnr(clean, out)  # the only figure an epoch changes; the rest is remembered
    if pca is None:
        projected_all = pca_all = None
        input_all = psnr(clean, noisy)
    else:
        reference = pca.scores(clean, noisy) if isinstance(pca, RememberingDenoiser) else \
            reference_scores(pca, clean, noisy)
        projected_all, input_all, pca_all = reference.projected, reference.input_psnr, reference.pca_psnr
    return DenoisingFigures(
        epoch=snapshot.epoch, k=k, rows=rows,
        labels=np.asarray(snapshot.labels)[rows] if snapshot.labels is not None else np.full(len(rows), -1),
        clean=clean[rows], corrupted=noisy[rows], denoised=out[rows],
        projected=None if projected_all is None else projected_all[rows],
        input_psnr=input_all[rows], network_psnr=network_all[rows],
        pca_psnr=None if pca_all is None else pca_all[rows],
        mean_rows=(_mean(input_all[rows]), _mean(network_all[rows]), _mean_or_none(pca_all, rows)),
        mean_all=(_mean(input_all), _mean(network_all), _mean_or_none(pca_all)),
        count=len(clean),
    )


@dataclass(frozen=True)
class DrawnDigitFigures:
    """A learner's drawing, framed like MNIST, corrupted with the current noise, then
    denoised by the network and by PCA; PSNRs against the framed drawing."""

    framed: np.ndarray  # (784,)
    corrupted: np.ndarray
    denoised: np.ndarray
    projected: np.ndarray | None
    input_psnr: float
    network_psnr: float
    pca_psnr: float | None


def drawn_digit_figures(snapshot: EpochSnapshot, pca: PCADenoiser | RememberingDenoiser | None, drawing: np.ndarray,
                        frame: bool = True) -> DrawnDigitFigures:
    c = snapshot.config
    clean = frame_like_mnist(drawing) if frame else np.asarray(drawing, dtype=np.float32).reshape(-1)
    noisy = corrupt_for_display(clean[None], c.noise_type, c.noise_level, DRAWN_NOISE_SEED)[0]
    denoised = snapshot.reconstruct(noisy[None])[0]
    projected = None if pca is None else pca.denoise(noisy[None])[0]

    def score(output: np.ndarray) -> float:
        return float(psnr(clean[None], output[None])[0])

    return DrawnDigitFigures(clean, noisy, denoised, projected, score(noisy), score(denoised),
                             None if projected is None else score(projected))


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else math.nan


def _mean_or_none(values: np.ndarray | None, rows: np.ndarray | None = None) -> float | None:
    if values is None:
        return None
    return _mean(values if rows is None else values[rows])


# ----- case study 2: generation ------------------------------------------------------------
def prior_digits(snapshot: EpochSnapshot, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points drawn from the VAE's prior N(0, I) and the digits they decode to."""
    z = prior_samples(count, snapshot.latent_dim, seed)
    return z, snapshot.decode(z)


@dataclass(frozen=True)
class HeldOutLoss:
    """The training loss's definition on the held-out digits, per digit: reconstruction
    summed over pixels (decoding the mean code) plus β·KL for a VAE."""

    total: float
    reconstruction: float
    kl: float
    beta: float


def held_out_loss(snapshot: EpochSnapshot) -> HeldOutLoss:
    """From the snapshot's own per-image reconstruction losses and codes. KL of
    N(μ, σ²) from N(0, 1) per latent unit (``engine.core.kl``), summed over units,
    averaged over digits."""
    reconstruction = float(np.mean(snapshot.image_losses))
    kl = 0.0
    if snapshot.log_vars is not None:
        mu, log_var = np.asarray(snapshot.codes, np.float64), np.asarray(snapshot.log_vars, np.float64)
        kl = float(np.mean(np.sum(gaussian_kl_terms(mu, log_var), axis=1)))
    beta = float(snapshot.config.beta) if snapshot.log_vars is not None else 0.0
    return HeldOutLoss(reconstruction + beta * kl, reconstruction, kl, beta)


# ----- both: progress of a run ---------------------------------------------------------------
@dataclass(frozen=True)
class RunProgress:
    """Where a run of ``target_epoch - start_epoch`` epochs stands."""

    epoch: int
    start_epoch: int
    target_epoch: int
    epochs_per_second: float = 0.0

    @property
    def run_length(self) -> int:
        return max(0, self.target_epoch - self.start_epoch)

    @property
    def done(self) -> int:
        return int(min(max(self.epoch - self.start_epoch, 0), self.run_length))

    @property
    def seconds_left(self) -> float | None:
        """Epochs still to run over the measured pace; None until there is a pace."""
        if self.epochs_per_second <= 0 or not math.isfinite(self.epochs_per_second):
            return None
        return (self.run_length - self.done) / self.epochs_per_second

    @property
    def bar_text(self) -> str:
        if self.run_length == 0:
            return "not started"
        return f"{self.done} of {self.run_length} epoch{'' if self.run_length == 1 else 's'}"

    def time_text(self, running: bool) -> str:
        if not running:
            if self.run_length and self.done >= self.run_length:
                return "done"
            return "stopped: the model keeps what it learned" if self.done else ""
        seconds = self.seconds_left
        return "estimating time left…" if seconds is None else f"about {format_duration(seconds)} left"


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, secs = divmod(seconds, 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"
