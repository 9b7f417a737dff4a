"""PSNR and the linear method (PCA projection) against independent computations. No Qt."""

import math

import numpy as np
import pytest

from engine.digits.denoising_quality import PCADenoiser, psnr


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
