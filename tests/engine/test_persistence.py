"""Saving and opening sessions: round trip, atomic write, and every kind of bad file."""

import json
import zipfile

import numpy as np
import pytest

from engine.config import TrainingConfig
from engine.persistence import SessionFileError, load_session, save_session
from engine.session import TrainingSession


@pytest.fixture
def trained():
    session = TrainingSession(TrainingConfig(model="vae", seed=4, learning_rate=0.02))
    for _ in session.run(25):
        pass
    session.change(learning_rate=0.01)
    session.step()
    return session


def test_round_trip_keeps_everything_and_continues_identically(trained, tmp_path):
    path = save_session(trained, tmp_path / "run.aelab")
    loaded = load_session(path)
    assert loaded.config == trained.config and loaded.epoch == trained.epoch == 26
    assert np.array_equal(loaded.history.as_array(), trained.history.as_array())
    assert np.array_equal(loaded.train_images, trained.train_images)
    assert loaded.checkpoints.epochs == trained.checkpoints.epochs
    for key, value in trained.latest.params.items():
        assert np.array_equal(loaded.latest.params[key], value)
    assert [s.loss for s in loaded.run(5)] == [s.loss for s in trained.run(5)]


def test_loaded_session_can_go_back_to_a_saved_epoch(trained, tmp_path):
    loaded = load_session(save_session(trained, tmp_path / "run.aelab"))
    expected = trained.history.column("loss")[12:17]
    loaded.go_to_epoch(12)
    assert [s.loss for s in loaded.run(5)] == pytest.approx(list(expected), abs=0, rel=0)


def test_edited_dataset_survives_saving(tmp_path):
    session = TrainingSession(TrainingConfig())
    session.set_images([[0.3, 0.6, 0.6, 0.3], [0.9, 0.1, 0.1, 0.9]])
    session.step()
    loaded = load_session(save_session(session, tmp_path / "mine.aelab"))
    assert np.allclose(loaded.train_images, [[0.3, 0.6, 0.6, 0.3], [0.9, 0.1, 0.1, 0.9]])


def test_save_is_atomic_and_leaves_no_temporary_file(trained, tmp_path):
    target = tmp_path / "run.aelab"
    target.write_bytes(b"previous good file")
    save_session(trained, target)
    assert [p.name for p in tmp_path.iterdir()] == ["run.aelab"]
    assert zipfile.is_zipfile(target)


def _expect_error(path, fragment):
    with pytest.raises(SessionFileError, match=fragment):
        load_session(path)


def test_truncated_file(trained, tmp_path):
    path = save_session(trained, tmp_path / "run.aelab")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _expect_error(path, "truncated|not an Autoencoder Lab")


def test_empty_and_missing_and_foreign_files(tmp_path):
    empty = tmp_path / "empty.aelab"
    empty.write_bytes(b"")
    _expect_error(empty, "not")
    _expect_error(tmp_path / "nope.aelab", "no file")
    png = tmp_path / "picture.aelab"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    _expect_error(png, "not")
    other = tmp_path / "other.npz"
    np.savez(other, weights=np.ones(3))
    _expect_error(other, "not an Autoencoder Lab session")


def _rewrite(path, change):
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    change(arrays)
    with open(path, "wb") as handle:  # a handle: np.savez would append ".npz" to a name
        np.savez(handle, **arrays)
    return path


def _header_change(fn):
    def change(arrays):
        header = json.loads(arrays["header"].tobytes().decode())
        fn(header)
        arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    return change


def test_newer_version_is_refused_with_a_clear_message(trained, tmp_path):
    path = _rewrite(save_session(trained, tmp_path / "r.aelab"), _header_change(lambda h: h.update(version=99)))
    _expect_error(path, "newer")


def test_tampered_files(trained, tmp_path):
    def bad_config(h):
        h["checkpoints"][0]["config"]["learning_rate"] = -1

    _expect_error(_rewrite(save_session(trained, tmp_path / "a.aelab"), _header_change(bad_config)), "damaged")

    def nan_weight(arrays):
        arrays["c0/model/decoder.weight"] = np.full_like(arrays["c0/model/decoder.weight"], np.nan)

    _expect_error(_rewrite(save_session(trained, tmp_path / "b.aelab"), nan_weight), "not finite")

    def wrong_shape(arrays):
        arrays["c0/model/decoder.weight"] = np.ones((7, 7), dtype=np.float32)

    _expect_error(_rewrite(save_session(trained, tmp_path / "c.aelab"), wrong_shape), "damaged")

    def short_history(arrays):
        arrays["history"] = arrays["history"][:3]

    _expect_error(_rewrite(save_session(trained, tmp_path / "d.aelab"), short_history), "damaged")


def test_pickled_object_array_is_never_loaded(trained, tmp_path):
    def add_object(arrays):
        arrays["header"] = np.array([{"format": "autoencoder-lab-session"}], dtype=object)

    path = save_session(trained, tmp_path / "p.aelab")
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    add_object(arrays)
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)  # an object array is stored pickled
    _expect_error(path, "not an Autoencoder Lab")
