"""The digit networks and their training step: shapes, ranges, gradients, that training
on a few hundred digits helps on held-out ones, and that denoising targets stay clean.
No Qt needed."""

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from engine.core import epoch as core_epoch
from engine.core import losses as core_losses
from engine.core.config import TrainingConfig
from engine.digits.data import load_digits, split_digits
from engine.digits.models import (
    DigitAutoencoder,
    DigitDenoiser,
    DigitVAE,
    make_digit_model,
)
from engine.digits.training import (
    corrupt_held_out,
    evaluate,
    held_out_report,
    recommended_settings,
)
from engine.lecture.models import ModelOutput


def train_epoch(model, optimizer, images, *, kind, loss, beta=1.0, noise_kind="gaussian", noise_level=0.0,
                batch_size=64, generator, stop=None) -> dict:
    """The project's one epoch loop (``engine.core.epoch``), asked with these tests' words."""
    config = TrainingConfig(model=kind, dataset="mnist", loss=loss, beta=beta, noise_type=noise_kind,
                            noise_level=noise_level, batch_size=batch_size, latent_dim=model.latent_dim)
    return dataclasses.asdict(core_epoch.train_epoch(model, optimizer, images, config, generator, stop=stop))


@pytest.fixture(scope="module")
def split():
    train, test = split_digits(load_digits())
    return torch.from_numpy(train.images), torch.from_numpy(test.images)


@pytest.fixture
def batch(split):
    return split[0][:16]


def _model(kind: str, latent: int) -> torch.nn.Module:
    torch.manual_seed(0)
    return make_digit_model(kind, latent)


# ----- the protocol -------------------------------------------------------------------


@pytest.mark.parametrize("kind, cls", [("ae", DigitAutoencoder), ("dae", DigitDenoiser),
                                       ("vae", DigitVAE)])
@pytest.mark.parametrize("latent", [1, 2, 8])
def test_models_follow_the_shared_protocol(kind, cls, latent, batch):
    model = _model(kind, latent)
    assert isinstance(model, cls) and model.latent_dim == latent
    assert model.is_variational == (kind == "vae")
    out = model(batch)
    assert isinstance(out, ModelOutput)
    assert out.reconstruction.shape == (16, 784) and out.reconstruction.dtype == torch.float32
    assert out.z.shape == (16, latent) and out.code.shape == (16, latent)
    assert (out.mu is None) == (kind != "vae") and (out.log_var is None) == (kind != "vae")
    assert torch.all(out.reconstruction > 0) and torch.all(out.reconstruction < 1)
    decoded = model.decode(torch.zeros(3, latent))
    assert decoded.shape == (3, 784) and torch.all((decoded > 0) & (decoded < 1))


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="ae, dae, vae"):
        make_digit_model("gan", 2)


def test_vae_encodes_to_mean_and_log_variance(batch):
    model = _model("vae", 2)
    mu, log_var = model.encode(batch)
    assert mu.shape == log_var.shape == (16, 2)


def test_vae_samples_from_its_own_generator_while_training_and_uses_the_mean_otherwise(batch):
    model = _model("vae", 2)
    mu, log_var = model.encode(batch)
    model.generator = torch.Generator().manual_seed(5)
    first = model.reparameterize(mu, log_var)
    model.generator = torch.Generator().manual_seed(5)
    torch.manual_seed(123)  # the global stream must not matter
    again = model.reparameterize(mu, log_var)
    torch.testing.assert_close(first, again)
    eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(5))
    torch.testing.assert_close(first, mu + torch.exp(0.5 * log_var) * eps)
    model.eval()
    torch.testing.assert_close(model(batch).z, mu)


def test_models_start_near_the_average_pixel_not_at_grey(batch):
    """The output bias starts at the logit of MNIST's mean pixel (about 0.13)."""
    for kind in ("ae", "dae", "vae"):
        model = _model(kind, 2).eval()
        with torch.no_grad():
            assert 0.05 < float(model(batch).reconstruction.mean()) < 0.3


@pytest.mark.parametrize("kind", ["ae", "dae", "vae"])
def test_gradients_reach_every_parameter(kind, batch):
    model = _model(kind, 4)
    out = model(batch)
    loss = torch.nn.functional.binary_cross_entropy(out.reconstruction, batch)
    if out.mu is not None:
        loss = loss + (out.mu**2 + out.log_var.exp()).mean()
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
        assert p.grad.abs().sum() > 0, name


def test_denoiser_trains_on_a_single_image(batch):
    """Batch normalisation over each channel's map: a batch of one still trains."""
    model = _model("dae", 8)
    out = model(batch[:1])
    out.reconstruction.sum().backward()
    model.eval()
    assert model(batch[:1]).reconstruction.shape == (1, 784)


# ----- training and evaluation ------------------------------------------------------


def _short_run(kind, split, loss, epochs=2, noise=0.0, latent=2, lr=2e-3, n_train=400):
    x_train, x_test = split[0][:n_train], split[1][::5]  # 100 held-out, all digits
    model = _model(kind, latent)
    generator = torch.Generator().manual_seed(0)
    if kind == "vae":
        model.generator = generator
    noisy = corrupt_held_out(x_test, "gaussian", noise) if kind == "dae" else None
    before = evaluate(model, x_test, loss=loss, noisy_inputs=noisy)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    parts = [train_epoch(model, optimizer, x_train, kind=kind, loss=loss, noise_kind="gaussian",
                         noise_level=noise, batch_size=32, generator=generator)
             for _ in range(epochs)]
    after = evaluate(model, x_test, loss=loss, noisy_inputs=noisy)
    return before, after, parts


def test_a_short_vae_run_lowers_the_held_out_loss(split):
    before, after, parts = _short_run("vae", split, "logloss")
    assert after["loss"] < before["loss"] - 20
    assert parts[-1]["loss"] < parts[0]["loss"]
    for p in parts:
        assert p["loss"] == pytest.approx(p["reconstruction"] + p["kl"], rel=1e-5)
        assert p["kl"] > 0 and p["images"] == 400


def test_a_short_autoencoder_run_lowers_the_held_out_loss(split):
    before, after, parts = _short_run("ae", split, "mse")
    assert after["loss"] < before["loss"] - 10  # about 78 -> 64
    assert all(p["kl"] == 0 for p in parts)


def test_a_short_denoiser_run_raises_held_out_psnr(split):
    before, after, _ = _short_run("dae", split, "mse", epochs=3, noise=0.5, latent=16)
    assert after["input_psnr"] == pytest.approx(before["input_psnr"])
    assert 8.5 < after["input_psnr"] < 10.5  # std 0.5 noise: about 9.4 dB
    assert after["psnr"] > before["psnr"] + 1  # about 10.2 -> 11.6 dB
    assert after["psnr"] > after["input_psnr"] + 2
    assert after["outputs"].shape == (100, 784)


def test_training_is_repeatable(split):
    a = _short_run("vae", split, "logloss", epochs=1, n_train=128)[2]
    b = _short_run("vae", split, "logloss", epochs=1, n_train=128)[2]
    assert a == b


def test_denoising_feeds_corrupted_inputs_and_scores_against_clean_targets(split, monkeypatch):
    clean = split[0][:64].clone()
    kept = clean.clone()
    seen_inputs, seen_targets = [], []
    real_loss = core_losses.reconstruction_loss

    def spy(y, x, kind):
        seen_targets.append(x.clone())
        return real_loss(y, x, kind)

    monkeypatch.setattr(core_losses, "reconstruction_loss", spy)
    model = _model("dae", 4)
    original_forward = model.forward
    model.forward = lambda x: (seen_inputs.append(x.clone()), original_forward(x))[1]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
    train_epoch(model, optimizer, clean, kind="dae", loss="mse", noise_kind="salt-pepper",
                noise_level=0.3, batch_size=64, generator=torch.Generator().manual_seed(1))
    torch.testing.assert_close(clean, kept)  # the training images are never changed
    (inputs,), (targets,) = seen_inputs, seen_targets
    rows = {r.numpy().tobytes() for r in clean}
    assert all(t.numpy().tobytes() in rows for t in targets)  # targets: the clean digits
    assert not any(i.numpy().tobytes() in rows for i in inputs)  # inputs: corrupted
    changed = (inputs != targets).float().mean()
    assert 0.1 < float(changed) < 0.3  # about 30 % hit, some already at 0 or 1


def test_plain_models_see_the_clean_images(split):
    x = split[0][:32]
    inputs = []
    model = _model("ae", 2)
    original_forward = model.forward
    model.forward = lambda batch: (inputs.append(batch), original_forward(batch))[1]
    train_epoch(model, torch.optim.SGD(model.parameters(), lr=0.0), x, kind="ae", loss="mse",
                noise_level=0.5, batch_size=32, generator=torch.Generator().manual_seed(0))
    rows = {r.numpy().tobytes() for r in x}
    assert all(r.numpy().tobytes() in rows for r in inputs[0])


def test_stop_ends_an_epoch_early_and_reports_how_much_was_seen(split):
    x = split[0][:256]
    model = _model("ae", 2)
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) >= 3

    parts = train_epoch(model, torch.optim.Adam(model.parameters()), x, kind="ae", loss="mse",
                        batch_size=32, generator=torch.Generator().manual_seed(0), stop=stop)
    assert parts["images"] == 96 and np.isfinite(parts["loss"])  # asked before batches 2, 3, 4


def test_a_diverging_epoch_stops_before_updating(split):
    model = _model("ae", 2)
    with torch.no_grad():
        model.decoder[-1].bias.fill_(float("nan"))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    parts = train_epoch(model, torch.optim.Adam(model.parameters()), split[0][:64], kind="ae",
                        loss="mse", batch_size=32, generator=torch.Generator().manual_seed(0))
    assert not np.isfinite(parts["loss"])
    for k, v in model.state_dict().items():
        torch.testing.assert_close(v, before[k], equal_nan=True)


def test_evaluate_uses_the_mean_code_and_restores_training_mode(split):
    x = split[1][:50]
    model = _model("vae", 2)
    model.train()
    first = evaluate(model, x, loss="logloss", beta=2.0)
    second = evaluate(model, x, loss="logloss", beta=2.0)
    assert model.training
    assert first["loss"] == second["loss"]  # no sampling: z = mu
    assert first["loss"] == pytest.approx(first["reconstruction"] + 2.0 * first["kl"])
    mu, log_var = model.encode(x)
    expected = torch.nn.functional.binary_cross_entropy(model.decode(mu), x, reduction="sum") / 50
    assert first["reconstruction"] == pytest.approx(expected.item(), rel=1e-5)


def test_evaluate_refuses_mismatched_noisy_inputs(split):
    with pytest.raises(ValueError, match="differ in shape"):
        evaluate(_model("dae", 4), split[1][:10], loss="mse", noisy_inputs=split[1][:9])


def test_held_out_inputs_are_corrupted_the_same_way_every_time(split):
    a = corrupt_held_out(split[1], "gaussian", 0.5)
    b = corrupt_held_out(split[1], "gaussian", 0.5)
    torch.testing.assert_close(a, b)
    assert not torch.equal(a, split[1]) and a.min() >= 0 and a.max() <= 1


# ----- what the command line and the session use ------------------------------------


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_recommended_settings_make_a_valid_config(model):
    config = TrainingConfig(model=model, dataset="mnist", **recommended_settings(model))
    assert config.is_digits
    with pytest.raises(ValueError):
        recommended_settings("gan")


def test_held_out_report_for_a_denoiser_and_a_vae():
    torch.manual_seed(0)
    dae = SimpleNamespace(config=TrainingConfig(model="dae", dataset="mnist", latent_dim=8,
                                                noise_level=0.5, loss="mse"),
                          model=make_digit_model("dae", 8))
    report = held_out_report(dae)
    assert set(report) == {"test_loss", "test_psnr", "pca_psnr"}
    assert 10 < report["pca_psnr"] < 16 and report["test_loss"] > 0
    vae = SimpleNamespace(config=TrainingConfig(model="vae", dataset="mnist", loss="logloss"),
                          model=make_digit_model("vae", 2))
    assert set(held_out_report(vae)) == {"test_loss"}
