"""The case studies' figures, computed in numpy in the window, give today's torch
numbers: the held-out loss, digits decoded from the prior, a drawn digit's framing;
and the numpy noise the views show is the kind the settings name."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.core import losses
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.digits.drawing import resize_antialiased
from engine.digits.study_figures import held_out_loss, prior_digits
from engine.lecture.noise import corrupt_for_display


@pytest.fixture(scope="module", params=["vae", "ae"])
def digit_session(request):
    torch.set_num_threads(1)
    session = TrainingSession(TrainingConfig(dataset="mnist", model=request.param, latent_dim=2, batch_size=500,
                                             loss="logloss", learning_rate=2e-3, seed=3, beta=0.7))
    session.step()
    return session


def test_held_out_loss_equals_the_torch_loss_on_the_held_out_digits(digit_session):
    snapshot, model = digit_session.latest, digit_session.model.eval()
    x = torch.from_numpy(np.array(snapshot.images))
    with torch.no_grad():
        out = model(x)
        reconstruction = losses.per_image_reconstruction(out.reconstruction, x, "logloss").double().mean()
        kl = losses.latent_kl(out.mu.double(), out.log_var.double()) if out.mu is not None else torch.tensor(0.0)
    beta = snapshot.config.beta if out.mu is not None else 0.0
    figure = held_out_loss(snapshot)
    assert figure.reconstruction == pytest.approx(float(reconstruction), rel=1e-6)
    assert figure.kl == pytest.approx(float(kl), rel=1e-6, abs=1e-9)
    assert figure.total == pytest.approx(float(reconstruction + beta * kl), rel=1e-6)


def test_prior_digits_equal_the_torch_decoder(digit_session):
    z, images = prior_digits(digit_session.latest, 30, seed=4)
    with torch.no_grad():
        expected = digit_session.model.eval().decode(torch.from_numpy(z.astype(np.float32))).numpy()
    np.testing.assert_allclose(images, expected, rtol=0, atol=1e-6)


def test_antialiased_resize_equals_torchs_interpolate():
    """Every crop size the framing can meet (1..28 pixels) to every size it asks for
    (1..20). Torch gets an output 1 pixel wide wrong whenever the height changes too
    (rows 0, 1, 2, 3 shrunk to 5 rows come out all 0), so those are checked on a
    constant and a ramp instead: the mean must be kept and the ramp must stay a ramp."""
    rng = np.random.default_rng(0)
    for _ in range(400):
        (h, w), (new_h, new_w) = rng.integers(1, 29, 2), rng.integers(1, 21, 2)
        crop = rng.random((h, w), dtype=np.float32)
        mine = resize_antialiased(crop, new_h, new_w)
        assert mine.shape == (new_h, new_w) and mine.dtype == np.float32
        if new_w == 1 and new_h != h:
            continue
        expected = F.interpolate(torch.from_numpy(crop)[None, None], size=(int(new_h), int(new_w)), mode="bilinear",
                                 align_corners=False, antialias=True)[0, 0].numpy()
        np.testing.assert_allclose(mine, expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(resize_antialiased(np.ones((4, 9)), 5, 1), 1.0, atol=1e-7)
    ramp = resize_antialiased(np.repeat(np.arange(4.0)[:, None], 9, axis=1), 5, 1)[:, 0]
    assert np.all(np.diff(ramp) > 0) and ramp.mean() == pytest.approx(1.5)


@pytest.mark.parametrize("kind, level", [("gaussian", 0.1), ("mask", 0.4), ("salt-pepper", 0.25)])
def test_the_shown_noise_is_the_kind_the_settings_name(kind, level):
    clean = np.full((200, 784), 0.5, dtype=np.float32)
    noisy = corrupt_for_display(clean, kind, level, seed=11)
    assert noisy.dtype == np.float32 and noisy.min() >= 0 and noisy.max() <= 1
    assert np.array_equal(noisy, corrupt_for_display(clean, kind, level, seed=11))  # fixed: it holds still
    changed = noisy != clean
    if kind == "gaussian":
        assert np.std(noisy - clean) == pytest.approx(level, rel=0.05) and changed.mean() > 0.99
    else:
        assert changed.mean() == pytest.approx(level, abs=0.01)
        values = set(np.unique(noisy[changed]).tolist())
        assert values == ({0.0} if kind == "mask" else {0.0, 1.0})
    assert np.array_equal(corrupt_for_display(clean, kind, 0.0, seed=11), clean)
