"""Saving and opening sessions: round trips (one session and bundles), format 1 files,
and every kind of bad file getting a sentence about the file."""

import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.files.persistence import (
    FORMAT_VERSION,
    SessionFileError,
    load_bundle,
    load_session,
    save_bundle,
    save_session,
)

DATA = Path(__file__).parent / "data"
FORMAT1 = DATA / "format1_vae_13_epochs.aelab"  # written by the format-1 code (commit d91d269)


@pytest.fixture(scope="module")
def trained():
    session = TrainingSession(TrainingConfig(model="vae", seed=4, learning_rate=0.02))
    for _ in session.run(25):
        pass
    session.change(learning_rate=0.01)
    session.step()
    return session


@pytest.fixture
def saved(trained, tmp_path):
    return save_session(trained, tmp_path / "run.aelab")


def test_round_trip_keeps_everything_and_continues_identically(tmp_path):
    session = TrainingSession(TrainingConfig(model="vae", seed=4, learning_rate=0.02))
    for _ in session.run(25):
        pass
    session.change(learning_rate=0.01)
    session.step()
    loaded = TrainingSession.from_record(load_session(save_session(session, tmp_path / "run.aelab")))
    assert loaded.config == session.config and loaded.epoch == session.epoch == 26
    assert np.array_equal(loaded.history.as_array(), session.history.as_array())
    assert np.array_equal(loaded.train_images, session.train_images)
    assert loaded.checkpoints.epochs == session.checkpoints.epochs
    for key, value in session.latest.params.items():
        assert np.array_equal(loaded.latest.params[key], value)
    assert [s.loss for s in loaded.run(5)] == [s.loss for s in session.run(5)]


def test_loaded_session_can_go_back_to_a_saved_epoch(trained, saved):
    loaded = TrainingSession.from_record(load_session(saved))
    expected = trained.history.column("loss")[12:17]
    loaded.go_to_epoch(12)
    assert [s.loss for s in loaded.run(5)] == pytest.approx(list(expected), abs=0, rel=0)


def test_edited_dataset_survives_saving(tmp_path):
    session = TrainingSession(TrainingConfig())
    session.set_images([[0.3, 0.6, 0.6, 0.3], [0.9, 0.1, 0.1, 0.9]])
    session.step()
    loaded = TrainingSession.from_record(load_session(save_session(session, tmp_path / "mine.aelab")))
    assert np.allclose(loaded.train_images, [[0.3, 0.6, 0.6, 0.3], [0.9, 0.1, 0.1, 0.9]])
    loaded.go_to_epoch(0)  # before the edit: the preset images come back
    assert loaded.train_images.shape == (24, 4)


def test_sgd_session_round_trip(tmp_path):
    session = TrainingSession(TrainingConfig(optimizer="sgd", learning_rate=1.0))
    for _ in session.run(10):
        pass
    loaded = TrainingSession.from_record(load_session(save_session(session, tmp_path / "sgd.aelab")))
    assert [s.loss for s in loaded.run(3)] == [s.loss for s in session.run(3)]


def test_save_is_atomic_and_leaves_no_temporary_file(trained, tmp_path):
    target = tmp_path / "run.aelab"
    target.write_bytes(b"previous good file")
    save_session(trained, target)
    assert [p.name for p in tmp_path.iterdir()] == ["run.aelab"]
    assert zipfile.is_zipfile(target)


# ----- bundles ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def digit_sessions():
    from engine.digits.training import RECOMMENDED_LATENT_DIM

    vae = TrainingSession(TrainingConfig(dataset="mnist", model="vae", latent_dim=2, seed=1))
    dae = TrainingSession(TrainingConfig(dataset="mnist", model="dae", noise_level=0.5,
                                         latent_dim=RECOMMENDED_LATENT_DIM["dae"]))
    return {"generation": vae, "denoising": dae}


APP_STATE = {"lesson": {"step": 3, "done": [1, 2]}, "layout": "AAAA/w==", "probe": [0.25, -1.5],
             "walk": {"from": [0, 0], "to": [1.0, 2.0], "steps": 9}, "settings": {"theme": "dark", "fast": True,
                                                                                   "nothing": None}}


def test_bundle_round_trip_every_session_and_the_app_state(trained, digit_sessions, tmp_path):
    sessions = {"workbench": trained, **digit_sessions}
    path = save_bundle(tmp_path / "all.aelab", sessions, APP_STATE)
    loaded, app_state = load_bundle(path)
    assert app_state == APP_STATE and set(loaded) == set(sessions)
    for name, original in sessions.items():
        copy = loaded[name]
        assert copy.config == original.config and copy.epoch == original.epoch
        assert np.array_equal(copy.history.as_array(), original.history.as_array())
        for key, value in original.latest.params.items():
            assert np.array_equal(copy.latest.params[key], value), (name, key)
        assert np.array_equal(copy.latest.codes, original.latest.codes)
        assert np.array_equal(copy.latest.reconstructions, original.latest.reconstructions)
    assert load_session(path).epoch == trained.epoch  # a bundle opens as its workbench
    only, _ = load_bundle(path, only="denoising")
    assert set(only) == {"denoising"}


def test_bundle_without_a_workbench_does_not_open_as_one_session(digit_sessions, tmp_path):
    path = save_bundle(tmp_path / "studies.aelab", digit_sessions, {})
    with pytest.raises(SessionFileError, match="no workbench"):
        load_session(path)


def test_file_declares_format_2(trained, saved):
    with np.load(saved, allow_pickle=False) as archive:
        header = json.loads(archive["header"].tobytes())
        assert header["version"] == FORMAT_VERSION == 2 and list(header["sessions"]) == ["workbench"]
        # stacked: 6 weights + 18 Adam moments + history, generator, images, header;
        # format 1 had about 26 members for each of the 27 stored epochs
        assert len(archive.files) == 28 and len(trained.checkpoints) == 27


@pytest.mark.parametrize("state, fragment", [
    ([1, 2], "must be a dict"),
    ({"x": float("nan")}, "not finite"),
    ({"x": object()}, "not plain JSON"),
    ({1: "a"}, "not text"),
    ({"x": b"bytes"}, "not plain JSON"),
    ({"x": 10**30}, "too large"),
])
def test_bad_app_state_is_refused_before_writing(trained, tmp_path, state, fragment):
    with pytest.raises(ValueError, match=fragment):
        save_bundle(tmp_path / "x.aelab", {"workbench": trained}, state)
    assert list(tmp_path.iterdir()) == []


def test_deeply_nested_app_state_is_refused_without_recursion(trained, tmp_path):
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deeply"):
        save_bundle(tmp_path / "x.aelab", {"workbench": trained}, {"deep": deep})


def test_a_bundle_needs_a_session(tmp_path):
    with pytest.raises(ValueError, match="from 1 to 16 sessions"):
        save_bundle(tmp_path / "x.aelab", {}, {})


@pytest.mark.parametrize("name", ["", "Workbench", "../x", "a" * 41, "with space", 3])
def test_bad_session_names_are_refused(trained, tmp_path, name):
    with pytest.raises(ValueError, match="session name"):
        save_bundle(tmp_path / "x.aelab", {name: trained}, {})


# ----- format 1 -----------------------------------------------------------------------
def test_format_1_file_still_opens_and_continues():
    loaded = TrainingSession.from_record(load_session(FORMAT1))
    assert loaded.epoch == 13 and loaded.checkpoints.epochs == list(range(14))
    assert np.array_equal(loaded.history.as_array(), np.load(DATA / "format1_vae_13_epochs_history.npy"))
    assert loaded.config.learning_rate == 0.01
    fresh = TrainingSession(TrainingConfig(model="vae", seed=3, learning_rate=0.02))
    for _ in fresh.run(12):
        pass
    fresh.change(learning_rate=0.01)
    fresh.step()
    assert [s.loss for s in loaded.run(3)] == [s.loss for s in fresh.run(3)]


def test_format_1_file_opens_as_a_bundle_with_no_app_state():
    sessions, app_state = load_bundle(FORMAT1)
    assert list(sessions) == ["workbench"] and app_state == {}


# ----- bad files ----------------------------------------------------------------------
def _expect_error(path, fragment):
    with pytest.raises(SessionFileError, match=fragment):
        load_session(path)


def test_truncated_file(saved):
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    _expect_error(saved, "truncated|not an Autoencoder Lab")


def test_empty_missing_and_foreign_files(tmp_path):
    empty = tmp_path / "empty.aelab"
    empty.write_bytes(b"")
    _expect_error(empty, "empty")
    _expect_error(tmp_path / "nope.aelab", "no file")
    png = tmp_path / "picture.aelab"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    _expect_error(png, r"not an Autoencoder Lab session \(it looks like a PNG image\)")
    other = tmp_path / "other.npz"
    np.savez(other, weights=np.ones(3))
    _expect_error(other, "not an Autoencoder Lab session")


def test_folders_pipes_and_devices_are_not_regular_files(tmp_path):
    _expect_error(tmp_path, "not a regular file")
    fifo = tmp_path / "pipe.aelab"
    os.mkfifo(fifo)
    _expect_error(fifo, "not a regular file")  # and it does not hang waiting for a writer
    link = tmp_path / "null.aelab"
    link.symlink_to("/dev/null")
    _expect_error(link, "not a regular file")
    dangling = tmp_path / "dangling.aelab"
    dangling.symlink_to(tmp_path / "gone")
    _expect_error(dangling, "broken link")


def _members(path):
    with np.load(path, allow_pickle=False) as archive:
        return {k: archive[k] for k in archive.files}


def _write(path, arrays):
    with open(path, "wb") as handle:  # a handle: np.savez would append ".npz" to a name
        np.savez(handle, **arrays)
    return path


def _rewrite(path, change):
    arrays = _members(path)
    change(arrays)
    return _write(path, arrays)


def _header_change(fn):
    def change(arrays):
        header = json.loads(arrays["header"].tobytes().decode())
        fn(header)
        arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    return change


def _workbench(h):
    return h["sessions"]["workbench"]


def test_newer_version_is_refused_with_a_clear_message(saved):
    _expect_error(_rewrite(saved, _header_change(lambda h: h.update(version=99))), "newer")


def test_a_file_claiming_format_1_is_not_called_newer(saved):
    with pytest.raises(SessionFileError) as info:
        load_session(_rewrite(saved, _header_change(lambda h: h.update(version=1))))
    assert "newer" not in str(info.value) and "format 1" in str(info.value)


@pytest.mark.parametrize("version", [0, -1, "2", 2.0, None, True])
def test_nonsense_versions(saved, version):
    _expect_error(_rewrite(saved, _header_change(lambda h: h.update(version=version))), "version")


def _set(key, value):
    def change(arrays):
        arrays["s/workbench/" + key] = value(arrays["s/workbench/" + key]) if callable(value) else value
    return change


def _config(**changes):
    return _header_change(lambda h: _workbench(h)["configs"][0].update(changes))


W = "model/decoder.weight"
TAMPERED = {
    "negative learning rate": (_config(learning_rate=-1), "learning rate"),
    "learning rate as text": (_config(learning_rate="0.1"), "learning rate"),
    "unknown model": (_config(model="gan"), "model"),
    "unknown setting": (_config(colour="red"), "unknown setting"),
    "settings not a dict": (_header_change(lambda h: _workbench(h)["configs"].__setitem__(0, [1])), "named values"),
    "nan weight": (_set(W, lambda a: np.full_like(a, np.nan)), "not finite"),
    "inf weight": (_set(W, lambda a: np.full_like(a, np.inf)), "not finite"),
    "wrong shape": (_set(W, lambda a: np.ones((a.shape[0], 7, 7), np.float32)), "shape"),
    "float64 weights": (_set(W, lambda a: a.astype(np.float64)), "float64"),
    "integer weights": (_set(W, lambda a: a.astype(np.int64)), "int64"),
    "missing weight": (lambda arrays: arrays.pop("s/workbench/" + W), "missing"),
    "extra weight": (_set("model/extra.weight", np.ones((27, 2), np.float32)), "does not have"),
    "short history": (_set("history", lambda a: a[:3]), "shape"),
    "nan loss in history": (_set("history", lambda a: np.where(a > 0, np.nan, a)), "not finite"),
    "pixel above 1": (_set("train/0", lambda a: a * 3), "between 0 and 1"),
    "nan pixel": (_set("train/0", lambda a: np.full_like(a, np.nan)), "not a number"),
    "training set as integers": (_set("train/0", lambda a: a.astype(np.int64)), "pixels"),
    "negative adam second moment": (_set("opt0/0/exp_avg_sq", lambda a: -a - 1), "negative"),
    "nan adam moment": (_set("opt0/1/exp_avg", lambda a: a * np.nan), "not finite"),
    "moment of the wrong shape": (_set("opt0/1/exp_avg", lambda a: a[:, :1]), "shape"),
    "unknown optimiser slot": (_header_change(lambda h: _workbench(h)["opt_groups"][0].append([0, "evil"])), "slot"),
    "optimiser slot of a missing parameter": (
        _header_change(lambda h: _workbench(h)["opt_groups"][0].append([99, "exp_avg"])), "parameter"),
    "incomplete adam state": (_header_change(lambda h: _workbench(h)["opt_groups"][0].pop()), "incomplete"),
    "generator of the wrong size": (_set("generator", lambda a: a[:, :100]), "shape"),
    "epochs out of order": (_header_change(lambda h: _workbench(h)["checkpoints"].reverse()), "order"),
    "loss as text": (_header_change(lambda h: _workbench(h)["checkpoints"][0].update(losses=["a", 1, 2])), "losses"),
    "two losses": (_header_change(lambda h: _workbench(h)["checkpoints"][0].update(losses=[1, 2])), "losses"),
    "settings index out of range": (
        _header_change(lambda h: _workbench(h)["checkpoints"][0].update(config=7)), "settings index"),
    "epoch as float": (_header_change(lambda h: _workbench(h)["checkpoints"][0].update(epoch=0.5)), "epoch"),
    "checkpoints not a list": (_header_change(lambda h: _workbench(h).update(checkpoints={"a": 1})), "list"),
    "no sessions": (_header_change(lambda h: h.update(sessions={})), "no session"),
    "sessions as a list": (_header_change(lambda h: h.update(sessions=[1])), "no session"),
    "app state not a dict": (_header_change(lambda h: h.update(app_state=[1])), "dict"),
    "bad session name": (_header_change(lambda h: h["sessions"].update({"../x": {}})), "session name"),
    "header not JSON": (lambda a: a.update(header=np.frombuffer(b"{not json", np.uint8)), "damaged"),
    "header as floats": (lambda a: a.update(header=np.ones(4)), "not valid text"),
    "header not utf-8": (lambda a: a.update(header=np.frombuffer(b"\xff\xfe{}", np.uint8)), "not valid text"),
    "no header": (lambda a: a.pop("header"), "no header"),
}


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_tampered_files_give_a_sentence_about_the_file(saved, case):
    change, fragment = TAMPERED[case]
    _expect_error(_rewrite(saved, change), fragment)


def test_nan_and_huge_numbers_in_the_header_are_refused(saved):
    for literal in ("NaN", "Infinity", "1e999"):
        def change(arrays, literal=literal):
            text = arrays["header"].tobytes().decode().replace('"learning_rate": 0.02', f'"learning_rate": {literal}')
            arrays["header"] = np.frombuffer(text.encode(), np.uint8)
        _expect_error(_rewrite(saved, change), "damaged")


def test_finite_weights_that_make_infinite_numbers_on_screen_are_refused(saved):
    """A crafted but finite log-variance weight makes σ = exp(huge) = inf."""
    def huge(arrays):
        for key in ("model/encoder_log_var.bias",):
            arrays["s/workbench/" + key] = np.full_like(arrays["s/workbench/" + key], 3e4)
    _expect_error(_rewrite(saved, huge), "not finite")


def test_deeply_nested_header_is_refused_without_recursion_error(saved):
    deep = "[" * 200_000 + "]" * 200_000
    _expect_error(_rewrite(saved, lambda a: a.update(header=np.frombuffer(deep.encode(), np.uint8))), "nested")


def test_pickled_member_never_runs(saved, tmp_path):
    marker = tmp_path / "pickle-ran"
    arrays = _members(saved)
    arrays["header"] = np.array([_Marker(marker)], dtype=object)
    _write(saved, arrays)  # an object array is stored pickled
    _expect_error(saved, "Python object")
    assert not marker.exists()


class _Marker:
    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _npy_header(shape, dtype="<f8") -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return b"\x93NUMPY\x01\x00" + buffer.getvalue()[8:] if not buffer.getvalue().startswith(b"\x93") \
        else buffer.getvalue()


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_declared_gigabytes_are_refused_before_reading(tmp_path):
    """A small file whose array header declares 6 GB: refused at once, nothing allocated."""
    import time
    import tracemalloc

    path = _zip(tmp_path / "big.aelab", {"header.npy": _npy_header((80,), "|u1") + b"\0" * 80,
                                         "history.npy": _npy_header((250_000_000, 3)) + b"\0" * 1000})
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(SessionFileError, match="declares .* MB"):
        load_session(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.perf_counter() - start < 1.0 and peak < 10 * 2**20


def test_header_size_disagreeing_with_the_zip_is_refused(tmp_path):
    path = _zip(tmp_path / "lies.aelab", {"header.npy": _npy_header((1000,)) + b"\0" * 80})
    _expect_error(path, "does not hold the size it declares")


def test_zip_declaring_a_huge_member_is_refused(tmp_path, monkeypatch):
    import engine.files.session_archive as archive

    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)
    path = _zip(tmp_path / "zipbomb.aelab", {"history.npy": _npy_header((1000,)) + b"\0" * 8000})
    _expect_error(path, "more than any Autoencoder Lab session needs")


@pytest.mark.parametrize("name, data, fragment", [
    ("notes.txt", b"hello", "not an array"),
    ("header.npy", b"not an npy file at all", "truncated|damaged"),
    ("header.npy", _npy_header((4,), "<c16") + b"\0" * 64, "kind of number"),
    ("header.npy", _npy_header((4,), "<U3") + b"\0" * 48, "kind of number"),
])
def test_members_that_are_not_plain_arrays(tmp_path, name, data, fragment):
    _expect_error(_zip(tmp_path / "odd.aelab", {name: data}), fragment)
