"""The case-study figures against independent computations. These tests do not require Qt."""

from __future__ import annotations

import math
from concurrent.futures import Future

import numpy as np
import pytest
import torch
from digit_oracles import independent_pca, independent_psnr

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.digits import data as digit_data
from engine.digits.denoising_quality import psnr_against
from engine.digits.drawing import blank, frame_like_mnist, stroke
from engine.digits.study_figures import (
    PCABank,
    RememberingDenoiser,
    RunProgress,
    denoising_figures,
    drawn_digit_figures,
    format_duration,
    prior_digits,
    shown_rows,
)
from engine.lecture.noise import corrupt_for_display

K = 6
EVERY = 9  # train on every 9th training digit (500, every class): an epoch in about a second
_REAL_SPLIT = digit_data.split_digits


def small_split(dataset):
    train, held_out = _REAL_SPLIT(dataset)
    return train.subset(np.arange(0, len(train), EVERY)), held_out


@pytest.fixture(scope="module", autouse=True)
def _small_digit_world():
    """The session and the PCA bank both read the split; the held-out 500 stay real."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(digit_data, "split_digits", small_split)
        patch.setattr("engine.digits.study_figures.split_digits", small_split)
        yield


@pytest.fixture(scope="module")
def digits(_small_digit_world):
    return digit_data.split_digits(digit_data.load_digits())


@pytest.fixture(scope="module")
def snapshot(_small_digit_world):
    torch.set_num_threads(1)
    session = TrainingSession(TrainingConfig(dataset="mnist", model="dae", latent_dim=K, batch_size=500,
                                             loss="logloss", learning_rate=2e-3, noise_level=0.4, seed=1))
    return session.step()


@pytest.fixture(scope="module")
def pca(digits):
    return PCABank(digits[0].images).denoiser(K, timeout=120)


def test_shown_rows_take_one_held_out_digit_of_each_class(digits):
    assert len(digits[0]) == 500 and len(digits[1]) == 500
    labels = digits[1].labels
    rows = shown_rows(labels)
    assert [int(labels[r]) for r in rows] == list(range(10))
    again = shown_rows(labels, offset=1)
    assert [int(labels[r]) for r in again] == list(range(10)) and not np.array_equal(rows, again)
    np.testing.assert_array_equal(shown_rows(labels, offset=50), rows)  # 50 of each: wraps around


def test_psnr_figures_equal_numpy_on_the_snapshot_arrays(snapshot, pca):
    rows = shown_rows(snapshot.labels)
    f = denoising_figures(snapshot, pca, rows)
    np.testing.assert_array_equal(f.clean, snapshot.images[rows])
    np.testing.assert_array_equal(f.corrupted, snapshot.inputs[rows])
    np.testing.assert_array_equal(f.denoised, snapshot.reconstructions[rows])
    np.testing.assert_allclose(f.input_psnr, independent_psnr(f.clean, f.corrupted), rtol=1e-9)
    np.testing.assert_allclose(f.network_psnr, independent_psnr(f.clean, f.denoised), rtol=1e-9)
    np.testing.assert_allclose(f.pca_psnr, independent_psnr(f.clean, f.projected), rtol=1e-9)
    every = independent_psnr(snapshot.images, snapshot.reconstructions)
    assert f.mean_all[1] == pytest.approx(every.mean(), rel=1e-9) and f.count == 500
    assert f.mean_rows[0] == pytest.approx(independent_psnr(f.clean, f.corrupted).mean(), rel=1e-9)
    assert f.k == K and sorted(f.labels) == list(range(10))


def test_pca_projection_equals_an_independent_svd_projection(snapshot, pca, digits):
    assert len(pca.mean) == 784
    rows = shown_rows(snapshot.labels)
    f = denoising_figures(snapshot, pca, rows)
    expected = independent_pca(digits[0].images, K, snapshot.inputs)
    np.testing.assert_allclose(f.projected, expected[rows], atol=1e-4)
    assert f.mean_all[2] == pytest.approx(independent_psnr(snapshot.images, expected).mean(), abs=1e-3)


def test_without_pca_yet_the_network_figures_still_come(snapshot):
    f = denoising_figures(snapshot, None, shown_rows(snapshot.labels))
    assert f.projected is None and f.pca_psnr is None and f.mean_all[2] is None
    assert math.isfinite(f.mean_all[1])


def test_the_pca_bank_fits_in_the_background_once_per_k(digits):
    bank = PCABank()  # reads the training digits itself
    assert bank.ready(3) is None or bank.ready(3).k == 3
    future = bank.request(3)
    assert bank.request(3) is future  # asked twice, fitted once
    fitted = bank.denoiser(3, timeout=60)
    assert bank.ready(3) is fitted and fitted.k == 3
    expected = independent_pca(digits[0].images, 3, digits[1].images[:5])
    answer = fitted.denoise(digits[1].images[:5])
    np.testing.assert_allclose(answer, expected, atol=1e-4)
    assert fitted.denoise(digits[1].images[:5].copy()) is answer  # the same input: remembered
    other = fitted.denoise(digits[1].images[5:9])
    np.testing.assert_allclose(other, independent_pca(digits[0].images, 3, digits[1].images[5:9]), atol=1e-4)
    assert not answer.flags.writeable


def test_the_figures_from_remembered_scores_equal_the_figures_computed_afresh(snapshot, pca):
    """An epoch's figures come from scores remembered for its inputs: the same to the last
    bit as PCA's projection and the PSNRs computed together (as every epoch did before)."""
    rows = shown_rows(snapshot.labels)
    fresh = RememberingDenoiser(pca.denoiser)
    f = denoising_figures(snapshot, fresh, rows)
    projected = pca.denoiser.denoise(snapshot.inputs)
    input_all, network_all, pca_all = psnr_against(snapshot.images, snapshot.inputs, snapshot.reconstructions,
                                                   projected)
    np.testing.assert_array_equal(f.projected, projected[rows])
    np.testing.assert_array_equal(f.input_psnr, input_all[rows])
    np.testing.assert_array_equal(f.network_psnr, network_all[rows])
    np.testing.assert_array_equal(f.pca_psnr, pca_all[rows])
    assert f.mean_all == (float(np.mean(input_all)), float(np.mean(network_all)), float(np.mean(pca_all)))
    scores = fresh.scores(snapshot.images.copy(), snapshot.inputs.copy())  # the next epoch's copies
    assert denoising_figures(snapshot, fresh, rows).mean_all == f.mean_all
    assert scores is fresh.scores(snapshot.images, snapshot.inputs)  # remembered, not computed again
    assert not scores.projected.flags.writeable and not scores.pca_psnr.flags.writeable
    changed = snapshot.inputs.copy()
    changed[3, 300] = 1.0 - changed[3, 300]  # other noise: scored afresh
    other = fresh.scores(snapshot.images, changed)
    assert other is not scores
    np.testing.assert_array_equal(other.projected, pca.denoiser.denoise(changed))


def test_prepare_fits_and_scores_the_inputs_in_the_background_before_any_figure_asks(digits, snapshot,
                                                                                     monkeypatch):
    """What a screen waiting for PCA starts: once the future is done, the figures for those
    inputs (any copy of them) project nothing: the window's first epoch with PCA is cheap."""
    bank = PCABank(digits[0].images)
    future = bank.prepare(K, snapshot.images, snapshot.inputs)
    assert bank.prepare(K, snapshot.images.copy(), snapshot.inputs.copy()) is future  # the same job
    denoiser = future.result(timeout=120)
    assert bank.ready(K) is denoiser
    projections = []
    real = denoiser.denoiser.denoise
    monkeypatch.setattr(denoiser.denoiser, "denoise", lambda x: projections.append(x) or real(x))
    f = denoising_figures(snapshot, bank.ready(K), shown_rows(snapshot.labels))
    assert projections == []  # scored in the background already
    np.testing.assert_allclose(f.projected, independent_pca(digits[0].images, K, snapshot.inputs)[f.rows],
                               atol=1e-4)
    other = snapshot.inputs.copy()
    other[0, 0] = 0.5
    assert bank.prepare(K, snapshot.images, other) is not future  # new noise: a new job
    failing = PCABank(np.zeros((3, 784), np.float32))
    with pytest.raises(ValueError):
        failing.prepare(5, snapshot.images, snapshot.inputs).result(timeout=60)  # the fit's error, handed on


def test_inputs_replaced_while_the_fit_runs_are_not_scored(snapshot, pca, monkeypatch):
    """A noise slider dragged while PCA is fitted: each position asks, only the last is scored."""
    bank = PCABank(np.zeros((1, 784), np.float32))
    fit: Future = Future()
    monkeypatch.setattr(bank, "request", lambda k: fit)  # the fit finishes when the test says so
    denoiser = RememberingDenoiser(pca.denoiser)
    scored = []
    real = denoiser.scores
    monkeypatch.setattr(denoiser, "scores", lambda clean, noisy: scored.append(noisy[0, 0]) or real(clean, noisy))
    moved = [snapshot.inputs.copy() for _ in range(3)]
    for position, noisy in enumerate(moved):
        noisy[0, 0] = position / 10
    futures = [bank.prepare(K, snapshot.images, noisy) for noisy in moved]
    fit.set_result(denoiser)
    assert [future.result(timeout=60) for future in futures] == [denoiser] * 3
    assert scored == [np.float32(0.2)]


def test_a_drawn_digit_is_framed_corrupted_with_fixed_noise_and_denoised(snapshot, pca):
    drawing = stroke(stroke(blank(), (9, 6), (19, 6)), (19, 6), (13, 23))
    d = drawn_digit_figures(snapshot, pca, drawing)
    np.testing.assert_array_equal(d.framed, frame_like_mnist(drawing))
    c = snapshot.config
    noisy = corrupt_for_display(d.framed[None], c.noise_type, c.noise_level, 7)[0]  # the window's numpy noise
    np.testing.assert_array_equal(d.corrupted, noisy)
    np.testing.assert_allclose(d.denoised, snapshot.reconstruct(noisy[None])[0], atol=1e-6)
    np.testing.assert_allclose(d.projected, pca.denoise(noisy[None])[0], atol=1e-6)
    assert d.network_psnr == pytest.approx(independent_psnr(d.framed[None], d.denoised[None])[0], rel=1e-9)
    again = drawn_digit_figures(snapshot, pca, drawing)
    np.testing.assert_array_equal(again.corrupted, d.corrupted)  # the same noise every time
    unframed = drawn_digit_figures(snapshot, None, drawing, frame=False)
    np.testing.assert_array_equal(unframed.framed, drawing)
    assert unframed.projected is None and unframed.pca_psnr is None


def test_prior_digits_decode_points_drawn_from_a_standard_normal():
    session = TrainingSession(TrainingConfig(dataset="mnist", model="vae", latent_dim=2, batch_size=500,
                                             loss="logloss", learning_rate=1e-3))
    snap = session.latest
    z, images = prior_digits(snap, 16, seed=5)
    assert z.shape == (16, 2) and images.shape == (16, 784)
    np.testing.assert_allclose(z, np.random.default_rng(5).standard_normal((16, 2)))
    np.testing.assert_allclose(images, snap.decode(z), atol=1e-6)
    np.testing.assert_array_equal(prior_digits(snap, 16, seed=5)[1], images)


def test_run_progress_counts_epochs_of_this_run_and_the_time_left():
    p = RunProgress(epoch=13, start_epoch=10, target_epoch=30, epochs_per_second=2.0)
    assert (p.run_length, p.done) == (20, 3)
    assert p.seconds_left == pytest.approx(8.5)
    assert p.bar_text == "3 of 20 epochs" and RunProgress(1, 0, 1).bar_text == "1 of 1 epoch"
    assert p.time_text(running=True) == "about 8 s left"  # 8.5 rounds to even
    assert RunProgress(13, 10, 30, 0.0).time_text(True) == "estimating time left…"
    assert RunProgress(30, 10, 30, 1.0).time_text(False) == "done"
    assert "keeps what it learned" in RunProgress(13, 10, 30, 1.0).time_text(False)
    assert RunProgress(0, 0, 0).bar_text == "not started" and RunProgress(0, 0, 0).time_text(False) == ""
    assert RunProgress(40, 10, 30).done == 20  # never more than the run
    assert format_duration(125.4) == "2 min 5 s" and format_duration(-3) == "0 s"
