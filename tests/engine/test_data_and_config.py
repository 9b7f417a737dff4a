"""Datasets, corruption and config validation, including property-based checks."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.config import TrainingConfig, check_beta, check_learning_rate
from engine.lecture.corruption import corrupt
from engine.lecture.datasets import diagonal_dataset, random_dataset, validate_images


def test_diagonal_images_are_a_b_b_a_and_seeded():
    images = diagonal_dataset(30, seed=5)
    assert images.shape == (30, 4) and images.dtype == np.float32
    assert np.array_equal(images[:, 0], images[:, 3]) and np.array_equal(images[:, 1], images[:, 2])
    assert np.allclose(images[0], [0.6, 0.4, 0.4, 0.6])
    assert np.array_equal(images, diagonal_dataset(30, seed=5))
    assert not np.array_equal(images, diagonal_dataset(30, seed=6))


def test_random_images_are_not_diagonal():
    images = random_dataset(30, seed=1)
    assert not np.allclose(images[:, 0], images[:, 3])
    assert images.min() >= 0 and images.max() <= 1


@pytest.mark.parametrize("bad, fragment", [
    ([], "four pixel"), (np.empty((0, 4)), "at least one"), ([[0.1, 0.2, 0.3]], "four pixel"),
    ([[0.1, 0.2, 0.3, float("nan")]], "not a number"), ([[0.1, -0.2, 0.3, 0.4]], "between 0 and 1"),
    ([[0.1, 2, 0.3, 0.4]], "between 0 and 1"), ([["a", 0, 0, 0]], "number"),
])
def test_bad_user_images_get_a_clear_message(bad, fragment):
    with pytest.raises(ValueError, match=fragment):
        validate_images(bad)


@pytest.mark.parametrize("kind", ["gaussian", "salt-pepper", "mask"])
def test_corruption_is_seeded_clipped_and_leaves_the_clean_image_alone(kind):
    x = torch.rand(50, 4, generator=torch.Generator().manual_seed(0))
    clean = x.clone()
    a = corrupt(x, kind, 0.4, torch.Generator().manual_seed(1))
    b = corrupt(x, kind, 0.4, torch.Generator().manual_seed(1))
    assert torch.equal(a, b) and torch.equal(x, clean)
    assert a.min() >= 0 and a.max() <= 1 and not torch.equal(a, x)


def test_salt_pepper_and_mask_hit_about_the_requested_fraction():
    x = torch.full((200, 50), 0.5)
    masked = corrupt(x, "mask", 0.3, torch.Generator().manual_seed(2))
    salted = corrupt(x, "salt-pepper", 0.3, torch.Generator().manual_seed(2))
    assert abs((masked == 0).float().mean().item() - 0.3) < 0.02
    assert abs((salted != 0.5).float().mean().item() - 0.3) < 0.02
    assert set(salted[salted != 0.5].unique().tolist()) == {0.0, 1.0}


def test_gaussian_noise_has_the_requested_spread():
    x = torch.full((400, 100), 0.5)
    noisy = corrupt(x, "gaussian", 0.1, torch.Generator().manual_seed(3))  # rarely clipped at 0.1
    assert abs((noisy - x).std().item() - 0.1) < 0.005


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_learning_rate_validation_accepts_exactly_finite_positive_values(value):
    ok = math.isfinite(value) and 0 < value <= 10
    try:
        assert check_learning_rate(value) == value and ok
    except ValueError as exc:
        assert not ok and "learning rate" in str(exc)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_beta_validation(value):
    ok = math.isfinite(value) and 0 <= value <= 100
    try:
        check_beta(value)
        assert ok
    except ValueError:
        assert not ok


@settings(max_examples=60)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=4, max_size=4))
def test_validate_images_accepts_exactly_values_in_the_unit_interval(values):
    ok = all(math.isfinite(v) and 0 <= v <= 1 for v in values)
    try:
        out = validate_images(values)
        assert ok and out.shape == (1, 4)
    except ValueError:
        assert not ok


@pytest.mark.parametrize("changes", [{"model": "rbm"}, {"seed": -1},
                                     {"latent_dim": 3}, {"optimizer": "lbfgs"}, {"batch_size": 0},
                                     {"noise_type": "blur"}, {"learning_rate": True}])
def test_config_refuses_bad_settings(changes):
    with pytest.raises(ValueError):
        TrainingConfig(**changes)


@pytest.mark.parametrize("model", ["ae", "vae"])
def test_gradients_of_the_small_models_match_finite_differences(model):
    from engine.core.losses import reconstruction_loss, vae_loss
    from engine.lecture.models import TinyAutoencoder, TinyVAE

    torch.manual_seed(0)
    net = (TinyAutoencoder() if model == "ae" else TinyVAE()).double().eval()  # eval: VAE decodes μ
    x = torch.rand(6, 4, dtype=torch.float64)

    def loss_of(*params):
        state = dict(zip([n for n, _ in net.named_parameters()], params, strict=True))
        out = torch.func.functional_call(net, state, (x,))
        if model == "ae":
            return reconstruction_loss(out.reconstruction, x, "logloss")
        return vae_loss(out.reconstruction, x, out.mu, out.log_var, "mse", 0.7)[0]

    params = tuple(p.detach().clone().requires_grad_(True) for p in net.parameters())
    assert torch.autograd.gradcheck(loss_of, params)
