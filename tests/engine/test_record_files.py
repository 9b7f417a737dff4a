"""Files and the window's mirrors (``SessionRecord``): a file opens into a record
without torch whose every stored snapshot is, to the bit, the one the training session
made; a record saves exactly the file its session saves."""

import numpy as np
import pytest
import torch

from engine.core.config import TrainingConfig
from engine.core.record import SessionRecord
from engine.core.session import TrainingSession
from engine.files.persistence import load_bundle, load_session, save_bundle, save_session
from engine.files.session_file_checks import GENERATOR_BYTES

SHOWN = ("images", "inputs", "codes", "reconstructions", "image_losses", "log_vars", "samples", "labels")


def _members(path):
    with np.load(path, allow_pickle=False) as archive:
        return {k: archive[k] for k in archive.files}


def _same_snapshot(a, b) -> None:
    assert (a.epoch, a.config, a.loss, a.reconstruction_loss, a.kl) == (b.epoch, b.config, b.loss,
                                                                       b.reconstruction_loss, b.kl)
    for name in SHOWN:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None) and (x is None or np.array_equal(x, y)), name
    assert all(np.array_equal(a.params[k], v) for k, v in b.params.items())


def test_the_generator_state_size_is_torchs():
    assert torch.Generator().get_state().numel() == GENERATOR_BYTES


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_a_file_opens_into_a_record_with_the_sessions_own_snapshots(tmp_path, model):
    session = TrainingSession(TrainingConfig(model=model, noise_type="salt-pepper", noise_level=0.3, seed=5))
    for _ in session.run(9):
        pass
    record = load_session(save_session(session, tmp_path / "run.aelab"))
    assert isinstance(record, SessionRecord) and record.epoch == 9
    assert record.checkpoints.epochs == session.checkpoints.epochs
    for mine, theirs in zip(record.checkpoints, session.checkpoints, strict=True):
        _same_snapshot(mine.snapshot, theirs.snapshot)
        for part in ("encoder", "decoder", "log_var"):
            a, b = getattr(mine.snapshot.weights, part), getattr(theirs.snapshot.weights, part)
            assert (a is None) == (b is None) and (a is None or np.array_equal(a.weight, b.weight))


def test_a_digit_file_opens_into_the_sessions_snapshot(tmp_path):
    session = TrainingSession(TrainingConfig(dataset="mnist", model="dae", latent_dim=8, noise_level=0.4))
    records, _state = load_bundle(save_bundle(tmp_path / "d.aelab", {"denoising": session}, {}))
    _same_snapshot(records["denoising"].latest, session.latest)
    assert records["denoising"].train_images is None  # the shipped digits: not in the mirror


@pytest.mark.parametrize("model, optimizer", [("vae", "adam"), ("dae", "sgd")])
def test_a_record_saves_the_very_file_its_session_saves(tmp_path, model, optimizer):
    session = TrainingSession(TrainingConfig(model=model, optimizer=optimizer, learning_rate=0.3))
    for _ in session.run(7):
        pass
    session.set_images([[0.2, 0.8, 0.8, 0.2]])
    session.step()
    from_session = _members(save_session(session, tmp_path / "s.aelab"))
    from_record = _members(save_session(session.record(), tmp_path / "r.aelab"))
    assert from_session.keys() == from_record.keys()
    for key, value in from_session.items():
        assert value.dtype == from_record[key].dtype and np.array_equal(value, from_record[key]), key


def test_a_reopened_record_saves_and_reopens_unchanged(tmp_path):
    session = TrainingSession(TrainingConfig(model="vae", seed=9))
    for _ in session.run(5):
        pass
    first = load_session(save_session(session, tmp_path / "a.aelab"))
    again = load_session(save_session(first, tmp_path / "b.aelab"))
    assert np.array_equal(again.history.as_array(), session.history.as_array())
    _same_snapshot(again.latest, session.latest)
    restored = TrainingSession.from_record(again)
    assert [s.loss for s in restored.run(3)] == [s.loss for s in session.run(3)]
