"""PSNR and the linear method (PCA projection) against independent computations. No Qt."""

import math
import tracemalloc

import numpy as np
import pytest

from engine.digits.denoising_quality import PCADenoiser, psnr, psnr_against
from engine.digits.study_figures import RememberingDenoiser


def test_psnr_by_hand():
    clean = np.array([[0.0, 0.5, 1.0, 0.25]])
    output = np.array([[0.1, 0.5, 0.8, 0.25]])
    mse = (0.1**2 + 0.0 + 0.2**2 + 0.0) / 4  # 0.0125
    assert psnr(clean, output)[0] == pytest.approx(10 * math.log10(1 / mse))
    assert psnr(clean, output)[0] == pytest.approx(19.0309, abs=1e-4)


def test_psnr_is_per_image_for_flat_and_square_images():
    rng = np.random.default_rng(0)
    clean = rng.random((5, 28, 28))
    output = np.clip(clean + rng.normal(0, 0.1, clean.shape), 0, 1)
    expected = [10 * np.log10(1 / np.mean((c - o) ** 2)) for c, o in zip(clean, output, strict=True)]
    np.testing.assert_allclose(psnr(clean, output), expected)
    np.testing.assert_allclose(psnr(clean.reshape(5, -1), output.reshape(5, -1)), expected)
    assert psnr(clean[0].ravel(), output[0].ravel()) == pytest.approx(expected[0])


def test_psnr_of_a_perfect_copy_is_infinite_without_warnings():
    x = np.full((2, 4), 0.3)
    with np.errstate(all="raise"):
        scores = psnr(x, x)
    assert np.all(np.isposinf(scores))


def test_psnr_every_tenfold_smaller_error_adds_10_db():
    clean = np.zeros((1, 100))
    assert psnr(clean, clean + 0.1)[0] == pytest.approx(20.0)
    assert psnr(clean, clean + 0.01)[0] == pytest.approx(40.0)


def test_psnr_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        psnr(np.zeros((2, 4)), np.zeros((2, 5)))


def _held_out_like(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """500 digit-sized float32 images and three outputs, as a case study's snapshot holds them."""
    rng = np.random.default_rng(seed)
    clean = rng.random((500, 784), dtype=np.float32)
    noisy, out, projected = (np.clip(clean + rng.normal(0, s, clean.shape), 0, 1).astype(np.float32)
                             for s in (0.4, 0.1, 0.2))
    return clean, noisy, out, projected


def test_psnr_of_several_outputs_together_equals_each_computed_alone_in_float64():
    """The figures computed once per epoch are the old three computations' values, to the
    last bit: each as a whole-array float64 computation of its own."""
    clean, *outputs = _held_out_like()
    together = psnr_against(clean, *outputs)
    assert len(together) == 3
    for output, scores in zip(outputs, together, strict=True):
        alone = 10.0 * np.log10(1.0 / ((clean.astype(np.float64) - output.astype(np.float64)) ** 2).mean(axis=1))
        np.testing.assert_array_equal(scores, alone)
        np.testing.assert_array_equal(psnr(clean, output), alone)
    first, second = psnr_against(clean[0], outputs[0][0], outputs[1][0])  # one 1-D image: one number each
    assert first == together[0][0] and second == together[1][0]
    with pytest.raises(ValueError, match="shape"):
        psnr_against(clean, outputs[0], outputs[1][:, :10])


def test_psnr_of_500_digits_makes_no_megabyte_temporaries():
    """Whole-array float64 copies of 500 digits (3 MB each) were mapped afresh page by page
    on every epoch: ~10 ms of the window's time for 1 ms of arithmetic."""
    clean, noisy, out, projected = _held_out_like()
    tracemalloc.start()
    try:
        psnr_against(clean, noisy, out, projected)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"psnr_against held {peak / 1e6:.1f} MB at once"


def test_a_remembering_denoiser_answers_an_equal_copy_at_once_and_a_changed_input_afresh():
    clean, noisy, _out, _projected = _held_out_like()
    remembering = RememberingDenoiser(PCADenoiser.fit(clean[:300], 5))
    first = remembering.denoise(noisy)
    np.testing.assert_array_equal(first, remembering.denoiser.denoise(noisy))
    assert remembering.denoise(noisy.copy()) is first  # the next epoch's copy of the same inputs
    changed = noisy.copy()
    changed[123, 456] = 1.0 - changed[123, 456]  # one pixel of one digit
    other = remembering.denoise(changed)
    assert other is not first
    np.testing.assert_array_equal(other, remembering.denoiser.denoise(changed))
    noisy[0, 0] = 0.5  # the caller's array changing later does not change what was remembered
    assert remembering.denoise(noisy) is not first
    assert not first.flags.writeable


@pytest.fixture(scope="module")
def cloud():
    """200 points near a 3-D plane in 16-D, in [0, 1]."""
    rng = np.random.default_rng(1)
    basis = np.linalg.qr(rng.normal(size=(16, 3)))[0].T  # 3 orthonormal rows
    codes = rng.normal(0, 0.1, (200, 3))
    return (0.5 + codes @ basis + rng.normal(0, 0.005, (200, 16))).astype(np.float32)


def test_pca_matches_an_independent_svd_reconstruction(cloud):
    k = 3
    pca = PCADenoiser.fit(cloud, k)
    x = cloud.astype(np.float64)
    mean = x.mean(0)
    # Principal directions from numpy's SVD of the centred data (fit uses torch's eigh).
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    top = vt[:k]
    expected = np.clip((x - mean) @ top.T @ top + mean, 0, 1)
    np.testing.assert_allclose(pca.denoise(cloud), expected, atol=1e-5)
    np.testing.assert_allclose(pca.mean, mean, atol=1e-6)
    assert pca.k == 3 and pca.components.shape == (3, 16)
    np.testing.assert_allclose(pca.components @ pca.components.T, np.eye(3), atol=1e-5)


def test_pca_with_every_component_gives_back_the_image(cloud):
    pca = PCADenoiser.fit(cloud, 16)
    np.testing.assert_allclose(pca.denoise(cloud), cloud, atol=1e-5)


def test_pca_with_no_component_gives_the_mean_image(cloud):
    pca = PCADenoiser.fit(cloud, 0)
    np.testing.assert_allclose(pca.denoise(cloud[:3]), np.tile(cloud.mean(0), (3, 1)), atol=1e-6)


def test_pca_removes_noise_off_the_plane(cloud):
    rng = np.random.default_rng(2)
    noisy = np.clip(cloud + rng.normal(0, 0.05, cloud.shape), 0, 1).astype(np.float32)
    cleaned = PCADenoiser.fit(cloud, 3).denoise(noisy)
    assert psnr(cloud, cleaned).mean() > psnr(cloud, noisy).mean() + 5


def test_pca_outputs_stay_in_pixel_range(cloud):
    out = PCADenoiser.fit(cloud, 2).denoise(np.ones((4, 16), np.float32) * 5)
    assert out.min() >= 0 and out.max() <= 1 and out.dtype == np.float32


@pytest.mark.parametrize("k", [-1, 17, 2.5, True])
def test_pca_refuses_a_bad_k(cloud, k):
    with pytest.raises(ValueError, match="k must"):
        PCADenoiser.fit(cloud, k)


def test_pca_refuses_images_of_another_size(cloud):
    with pytest.raises(ValueError, match="pixels"):
        PCADenoiser.fit(cloud, 2).denoise(np.zeros((1, 9), np.float32))
