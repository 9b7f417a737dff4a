"""TrainingSession: stepping, running, determinism, divergence, rewind, decoding."""

import numpy as np
import pytest
import torch

from engine.core.config import TrainingConfig
from engine.core.session import TrainingDiverged, TrainingSession
from engine.lecture.datasets import SLIDE_EXAMPLE


def losses(session_or_snaps):
    return [s.loss for s in session_or_snaps]


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_step_runs_exactly_one_epoch(model):
    session = TrainingSession(TrainingConfig(model=model))
    snapshot = session.step()
    assert snapshot.epoch == session.epoch == 1
    assert len(session.history) == 1
    assert session.history.column("loss")[0] == snapshot.loss


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_same_seed_same_numbers_stepped_or_run(model):
    config = TrainingConfig(model=model, seed=7)
    stepped = TrainingSession(config)
    by_step = [stepped.step().loss for _ in range(40)]
    by_run = losses(TrainingSession(config).run(40))
    assert by_step == by_run


def test_different_seed_different_numbers():
    a = losses(TrainingSession(TrainingConfig(seed=1)).run(5))
    b = losses(TrainingSession(TrainingConfig(seed=2)).run(5))
    assert a != b


def test_run_stops_at_epoch_and_at_loss_threshold():
    session = TrainingSession(TrainingConfig())
    assert [s.epoch for s in session.run(until_epoch=5)] == [1, 2, 3, 4, 5]
    snaps = list(session.run(loss_below=10.0))  # already below: stops after one epoch
    assert len(snaps) == 1 and snaps[-1].loss < 10.0


def test_request_stop_pauses_after_the_current_epoch():
    session = TrainingSession(TrainingConfig())
    seen = []
    for snapshot in session.run():
        seen.append(snapshot.epoch)
        if snapshot.epoch == 3:
            session.request_stop()
    assert seen == [1, 2, 3] and session.epoch == 3


def test_a_stop_between_asking_for_a_run_and_its_first_epoch_still_counts():
    """A GUI asks for a run on one thread; the window may close before the worker thread
    starts the first epoch. That stop must not be forgotten."""
    session = TrainingSession(TrainingConfig())
    epochs = session.run(1000)
    session.abort()
    assert list(epochs) == [] and session.epoch == 0
    assert len(list(session.run(2))) == 2  # a new run starts afresh


def test_autoencoder_learns_the_lecture_diagonals():
    session = TrainingSession(TrainingConfig())
    first = session.latest.image_losses.mean()
    for _ in session.run(1500):
        pass
    assert session.latest.image_losses.mean() < 0.01 < first


def test_snapshot_numbers_match_an_independent_forward_pass():
    session = TrainingSession(TrainingConfig())
    snap = list(session.run(20))[-1]
    p = {k: torch.from_numpy(np.array(v)) for k, v in snap.params.items()}
    x = torch.from_numpy(np.array(snap.images))
    z = torch.sigmoid(x @ p["encoder.weight"].T + p["encoder.bias"])
    y = torch.sigmoid(z @ p["decoder.weight"].T + p["decoder.bias"])
    assert np.allclose(snap.codes, z.numpy(), atol=1e-6)
    assert np.allclose(snap.reconstructions, y.numpy(), atol=1e-6)
    assert np.allclose(snap.image_losses, ((y - x) ** 2).sum(1).numpy(), atol=1e-6)
    assert np.allclose(snap.decode(z[0].numpy()), y[0].numpy(), atol=1e-6)


def test_snapshots_are_frozen_copies():
    session = TrainingSession(TrainingConfig())
    snap = session.step()
    before = np.array(snap.params["encoder.weight"])
    session.step()
    assert np.array_equal(snap.params["encoder.weight"], before)
    with pytest.raises(ValueError):
        snap.codes[0, 0] = 5.0


def test_dataset_contains_the_slide_example_and_follows_the_pattern():
    session = TrainingSession(TrainingConfig())
    images = session.latest.images
    assert np.allclose(images[0], SLIDE_EXAMPLE)
    assert np.allclose(images[:, 0], images[:, 3]) and np.allclose(images[:, 1], images[:, 2])


def test_divergence_keeps_the_last_finite_epoch():
    session = TrainingSession(TrainingConfig(optimizer="sgd", learning_rate=0.5))
    for _ in session.run(3):
        pass
    good = {k: np.array(v) for k, v in session.latest.params.items()}
    with torch.no_grad():  # poison the model as a blown-up update would
        session.model.decoder.weight.fill_(float("inf"))
    with pytest.raises(TrainingDiverged) as info:
        session.step()
    assert info.value.last_finite_epoch == 3 and "epoch 3" in str(info.value)
    assert session.epoch == 3 and len(session.history) == 3
    assert all(np.array_equal(good[k], v.numpy()) for k, v in session.model.state_dict().items())
    session.change(learning_rate=0.01)
    assert session.step().epoch == 4  # training can go on


def test_huge_learning_rate_diverges_cleanly():
    session = TrainingSession(TrainingConfig(model="vae", optimizer="sgd", learning_rate=10.0, beta=1.0))
    with pytest.raises(TrainingDiverged):
        for _ in session.run(200):
            pass
    assert np.isfinite(session.latest.loss)
    assert all(torch.isfinite(p).all() for p in session.model.parameters())


def test_learning_rate_change_applies_without_reset():
    session = TrainingSession(TrainingConfig(learning_rate=0.05))
    session.step()
    session.change(learning_rate=0.001)
    assert session.config.learning_rate == 0.001
    session.step()
    assert session.optimizer.param_groups[0]["lr"] == 0.001 and session.epoch == 2


@pytest.mark.parametrize("bad", [{"learning_rate": float("nan")}, {"learning_rate": -1.0}, {"beta": -2.0},
                                 {"noise_level": 5.0}, {"model": "vae"}])
def test_bad_live_changes_are_refused_and_change_nothing(bad):
    session = TrainingSession(TrainingConfig())
    with pytest.raises(ValueError):
        session.change(**bad)
    assert session.config == TrainingConfig()


def test_go_back_and_continue_reproduces_the_same_numbers():
    config = TrainingConfig(model="vae", seed=3)
    original = TrainingSession(config)
    full = losses(original.run(30))
    original.go_to_epoch(10)
    assert original.epoch == 10 and len(original.history) == 10
    again = losses(original.run(20))
    assert again == full[10:]


def test_checkpoints_are_thinned_but_keep_first_and_latest():
    session = TrainingSession(TrainingConfig())
    session.checkpoints.cap = 16
    for _ in session.run(200):
        pass
    epochs = session.checkpoints.epochs
    assert len(epochs) <= 16 and epochs[0] == 0 and epochs[-1] == 200
    assert session.snapshot_at(150).epoch <= 150
    assert len(session.history) == 200  # losses are never thinned


def test_editing_images_takes_effect_and_is_validated():
    session = TrainingSession(TrainingConfig())
    with pytest.raises(ValueError, match="between 0 and 1"):
        session.set_images([[0.1, 0.2, 0.3, 1.5]])
    with pytest.raises(ValueError, match="at least one"):
        session.set_images(np.empty((0, 4)))
    session.set_images([[0.2, 0.7, 0.7, 0.2]])
    snap = session.refresh()
    assert snap.images.shape == (1, 4) and snap.epoch == 0
    assert session.step().images.shape == (1, 4)


def test_denoiser_trains_on_corrupted_inputs_with_clean_targets():
    session = TrainingSession(TrainingConfig(model="dae", noise_type="mask", noise_level=0.5))
    snap = session.latest
    assert not np.array_equal(snap.inputs, snap.images)
    assert np.array_equal(snap.images, session.train_images)
    session.change(noise_level=0.0)
    assert np.array_equal(session.refresh().inputs, snap.images)


def test_vae_snapshot_has_spreads_and_samples():
    session = TrainingSession(TrainingConfig(model="vae"))
    snap = session.step()
    assert snap.is_variational and snap.spreads.shape == snap.codes.shape
    assert np.allclose(snap.spreads, np.exp(0.5 * snap.log_vars))
    assert snap.samples.shape == snap.codes.shape and not np.allclose(snap.samples, snap.codes)


def test_abort_mid_run_keeps_a_consistent_session():
    session = TrainingSession(TrainingConfig())
    for snap in session.run():
        if snap.epoch == 2:
            session.abort()
    assert session.epoch == 2
    assert session.step().epoch == 3
