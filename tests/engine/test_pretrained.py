"""The shipped pre-trained digit models: small, pickle-free, loaded at their epoch with
the case studies' own settings, and refused with a message when damaged."""

from __future__ import annotations

import numpy as np
import pytest

from engine.core.session import TrainingSession
from engine.digits.data import load_digits, split_digits
from engine.digits.pretrained import RECIPES, load_pretrained, pretrained_path, save_pretrained
from engine.digits.training import RECOMMENDED_LATENT_DIM, corrupt_held_out, evaluate, recommended_settings


@pytest.mark.parametrize("model", sorted(RECIPES))
def test_shipped_file_is_small_float16_and_pickle_free(model):
    path = pretrained_path(model)
    assert path.stat().st_size < 3_000_000
    with np.load(path, allow_pickle=False) as archive:
        weights = [archive[k] for k in archive.files if k.startswith("model/")]
    floats = [w for w in weights if w.dtype.kind == "f"]
    assert floats and all(w.dtype == np.float16 for w in floats)


@pytest.mark.parametrize("model", sorted(RECIPES))
def test_loaded_model_is_the_recipes_and_scores_like_its_history(model):
    config, epochs = RECIPES[model]
    assert config.model == model and config.dataset == "mnist" and config.seed == 0
    assert config.latent_dim == RECOMMENDED_LATENT_DIM[model]
    for key, value in recommended_settings(model).items():
        assert getattr(config, key) == value
    session = load_pretrained(pretrained_path(model))
    assert session.epoch == epochs == session.latest.epoch and len(session.history) == epochs
    assert session.config == config
    losses = session.history.column("loss")
    assert losses[-1] < losses[0]  # it learned
    # the held-out loss of the float16 weights, computed here, is close to the last training epoch's
    test = split_digits(load_digits())[1]
    noisy = corrupt_held_out(test.images, config.noise_type, config.noise_level) if model == "dae" else None
    held_out = evaluate(session.model, test.images, loss=config.loss, beta=config.beta, noisy_inputs=noisy)["loss"]
    assert held_out == pytest.approx(losses[-1], rel=0.25)
    again = load_pretrained(pretrained_path(model))
    np.testing.assert_array_equal(again.latest.reconstructions, session.latest.reconstructions)


def test_training_on_from_a_pretrained_model_uses_the_training_digits():
    session = load_pretrained(pretrained_path("vae"))
    train = split_digits(load_digits())[0]
    np.testing.assert_array_equal(session.train_images, train.images)
    snapshot = session.step()
    assert snapshot.epoch == RECIPES["vae"][1] + 1 and np.isfinite(snapshot.loss)


def test_save_then_load_keeps_the_weights_to_float16(tmp_path):
    config, _ = RECIPES["vae"]
    session = TrainingSession(config)
    path = save_pretrained(session, tmp_path / "vae.npz")
    loaded = load_pretrained(path)
    for name, tensor in session.model.state_dict().items():
        original = tensor.numpy()
        if original.dtype.kind == "f":
            np.testing.assert_array_equal(loaded.model.state_dict()[name].numpy(),
                                          original.astype(np.float16).astype(np.float32))
    assert loaded.epoch == 0


def test_damaged_files_are_refused_with_a_message(tmp_path):
    missing = tmp_path / "none.npz"
    with pytest.raises(ValueError, match="no pre-trained model"):
        load_pretrained(missing)
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip at all")
    with pytest.raises(ValueError, match="garbage.npz is not a usable pre-trained model"):
        load_pretrained(garbage)
    with np.load(pretrained_path("vae"), allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    name = next(k for k in arrays if k.startswith("model/") and arrays[k].dtype == np.float16)
    arrays[name] = arrays[name].copy()
    arrays[name].flat[0] = np.float16(np.inf)
    tampered = tmp_path / "tampered.npz"
    np.savez(tampered, **arrays)
    with pytest.raises(ValueError, match="not finite"):
        load_pretrained(tampered)
