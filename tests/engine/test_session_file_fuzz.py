"""Hundreds of damaged session files through the loader: each either opens as a valid
session or raises ``SessionFileError`` with a sentence; nothing else escapes, no
pickle ever runs, and memory stays bounded.

A seeded generator (not hypothesis) so every run tries the same 320 files and a
failure names the case to replay: ``CASES[i]`` with seed i.
"""

import functools
import io
import json
import math
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.files.persistence import SessionFileError, load_bundle, save_bundle
from engine.files.session_file_checks import shown_numbers_finite

DATA = Path(__file__).parent / "data"
VARIANTS_PER_KIND = 32
PEAK_LIMIT = 64 * 2**20  # bytes traced by tracemalloc while one file loads


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    """Valid files to damage: a VAE bundle with app state, an SGD autoencoder whose
    dataset was edited mid-run, and a format-1 file."""
    folder = tmp_path_factory.mktemp("originals")
    vae = TrainingSession(TrainingConfig(model="vae", seed=2))
    for _ in vae.run(4):
        pass
    ae = TrainingSession(TrainingConfig(optimizer="sgd", learning_rate=0.5, dataset_size=5))
    ae.step()
    ae.set_images([[0.2, 0.8, 0.8, 0.2]] * 3)
    ae.step()
    bundle = save_bundle(folder / "bundle.aelab", {"workbench": vae, "other": ae},
                         {"lesson": {"step": 2}, "layout": "AAAA", "probe": [0.5, 1.5]})
    return [bundle.read_bytes(), (DATA / "format1_vae_13_epochs.aelab").read_bytes()]


class _Marker:
    """Pickled, it would create a file when loaded: proof that no pickle ever ran."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def _members(raw: bytes) -> dict[str, np.ndarray]:
    """The original's arrays (read once; each variant gets its own dict to change)."""
    return dict(_read_members(raw))


@functools.lru_cache(maxsize=4)
def _read_members(raw: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(raw), allow_pickle=False) as archive:
        return {k: archive[k] for k in archive.files}


def _npz(members: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **members)
    return buffer.getvalue()


def _npy_header(shape, dtype="<f8") -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def _random_json(rng, depth=0):
    kind = rng.integers(0, 7 if depth < 4 else 4)
    if kind == 0:
        return int(rng.integers(-5, 10**6))
    if kind == 1:
        return float(rng.choice([0.0, -1.0, 1e308, 1e-300, 0.5]))
    if kind == 2:
        return ["", "x", "vae", "mnist", "adam", "s/../../etc"][rng.integers(0, 6)]
    if kind == 3:
        return [None, True, False][rng.integers(0, 3)]
    if kind in (4, 5):
        return [_random_json(rng, depth + 1) for _ in range(rng.integers(0, 4))]
    return {str(rng.choice(["epoch", "config", "losses", "opt", "train", "x"])): _random_json(rng, depth + 1)
            for _ in range(rng.integers(0, 4))}


def _header_paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _header_paths(child, (*path, key))
    elif isinstance(node, list):
        for i, child in enumerate(node[:6]):
            yield from _header_paths(child, (*path, i))


# ----- the kinds of damage -------------------------------------------------------------
def truncate(rng, raw, tmp):
    return raw[: int(rng.integers(0, len(raw)))]


def flip_bytes(rng, raw, tmp):
    data = bytearray(raw)
    for _ in range(rng.integers(1, 12)):
        data[rng.integers(0, len(data))] ^= 1 << int(rng.integers(0, 8))
    return bytes(data)


def random_bytes(rng, raw, tmp):
    prefix = rng.choice([b"", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\x93NUMPY"])
    return prefix + rng.bytes(int(rng.integers(0, 5000)))


def drop_or_add_member(rng, raw, tmp):
    members = _members(raw)
    names = sorted(members)
    if rng.random() < 0.5:
        members.pop(names[rng.integers(0, len(names))])
    else:
        target = names[rng.integers(0, len(names))].rsplit("/", 1)[0] + "/" + rng.choice(["extra", "0", "model"])
        members[target] = rng.standard_normal(rng.integers(1, 5, size=rng.integers(1, 3))).astype(np.float32)
    return _npz(members)


def wrong_shape_or_dtype(rng, raw, tmp):
    members = _members(raw)
    names = sorted(n for n in members if n != "header")
    name = names[rng.integers(0, len(names))]
    value = members[name]
    choice = rng.integers(0, 4)
    if choice == 0:
        members[name] = value.astype(rng.choice(["<f8", "<f2", "<i4", "|u1", "|b1", "<c8"]))
    elif choice == 1:
        members[name] = value.reshape(-1)[: max(1, value.size - 1)]
    elif choice == 2:
        members[name] = np.repeat(value, 2, axis=-1) if value.ndim else value.reshape(1)
    else:
        members[name] = value.reshape(-1)
    return _npz(members)


def non_finite_or_out_of_range(rng, raw, tmp):
    members = _members(raw)
    names = sorted(n for n, v in members.items() if v.dtype.kind == "f")
    name = names[rng.integers(0, len(names))]
    value = members[name].copy()  # the cached original stays intact
    flat = value.reshape(-1)
    flat[rng.integers(0, flat.size)] = rng.choice([np.nan, np.inf, -np.inf, 1e30, -5.0, 2.0, 3e38])
    members[name] = value
    return _npz(members)


def header_field(rng, raw, tmp):
    members = _members(raw)
    header = json.loads(members["header"].tobytes())
    paths = list(_header_paths(header))[1:]
    path = paths[rng.integers(0, len(paths))]
    node = header
    for key in path[:-1]:
        node = node[key]
    if rng.random() < 0.2 and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = _random_json(rng)
    members["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    return _npz(members)


def nested_header(rng, raw, tmp):
    members = _members(raw)
    depth = int(rng.choice([40, 1000, 100_000]))
    opening, closing = ("[", "]") if rng.random() < 0.5 else ('{"a":', "}")
    text = opening * depth + "1" + closing * depth
    if rng.random() < 0.5:  # inside a valid header
        header = json.loads(members["header"].tobytes()).__repr__() and members["header"].tobytes().decode()
        text = header[:-1] + ', "app_state2": ' + text + "}"
    members["header"] = np.frombuffer(text.encode(), np.uint8)
    return _npz(members)


def oversized_declaration(rng, raw, tmp):
    members = _members(raw)
    names = sorted(members)
    name = names[rng.integers(0, len(names))]
    shape = tuple(int(v) for v in rng.choice([10**5, 10**9, 3 * 10**8, 2**40], size=rng.integers(1, 3)))
    data = _npy_header(shape, rng.choice(["<f8", "<f4", "|u1"])) + rng.bytes(int(rng.integers(0, 2000)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for other, value in members.items():
            payload = io.BytesIO()
            np.lib.format.write_array(payload, value, allow_pickle=False)
            archive.writestr(other + ".npy", data if other == name else payload.getvalue())
    return buffer.getvalue()


def pickle_member(rng, raw, tmp):
    members = _members(raw)
    names = sorted(members)
    name = names[rng.integers(0, len(names))] if rng.random() < 0.7 else "extra"
    members[name] = np.array([_Marker(tmp / "PICKLE-RAN"), {"a": 1}], dtype=object)
    return _npz(members)


KINDS = [truncate, flip_bytes, random_bytes, drop_or_add_member, wrong_shape_or_dtype,
         non_finite_or_out_of_range, header_field, nested_header, oversized_declaration, pickle_member]
CASES = [(kind, seed) for kind in KINDS for seed in range(VARIANTS_PER_KIND)]
assert len(CASES) >= 300


def _check_valid(sessions, app_state):
    assert isinstance(app_state, dict) and sessions
    for session in sessions.values():
        assert len(session.history) == session.epoch
        assert np.isfinite(session.history.as_array()).all()
        for checkpoint in session.checkpoints:
            assert shown_numbers_finite(checkpoint.snapshot)
        assert ((session.train_images >= 0) & (session.train_images <= 1)).all()


MEMORY_KINDS = (truncate, flip_bytes, random_bytes, nested_header, oversized_declaration, pickle_member)


def _load(path, traced: bool, peaks: list[int]):
    """``load_bundle(path)``, recording the peak of memory traced while it ran, refused
    or not (tracemalloc doubles the time, so member-level kinds are traced 1 in 4)."""
    if not traced:
        return load_bundle(path)
    tracemalloc.start()
    try:
        return load_bundle(path)
    finally:
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


def test_every_damaged_file_opens_validly_or_gets_a_sentence(originals, tmp_path):
    outcomes = {"opened": 0, "refused": 0}
    peaks = []
    for i, (kind, seed) in enumerate(CASES):
        rng = np.random.default_rng(1000 * KINDS.index(kind) + seed)
        raw = originals[1 if seed % 4 == 3 else 0]  # the format-1 file is slow to rewrite: 1 in 4
        path = tmp_path / f"case{i}.aelab"
        path.write_bytes(kind(rng, raw, tmp_path))
        traced = kind in MEMORY_KINDS or seed % 4 == 0
        try:
            result = _load(path, traced, peaks)
        except SessionFileError as exc:
            message = str(exc)
            assert message.endswith(".") and (path.name in message or "session" in message), (
                kind.__name__, seed, message)
            assert "Traceback" not in message and 20 < len(message) < 600
            outcomes["refused"] += 1
        else:
            _check_valid(*result)
            outcomes["opened"] += 1
        assert not (tmp_path / "PICKLE-RAN").exists(), (kind.__name__, seed)
        path.unlink()
    assert outcomes["refused"] > 0.7 * len(CASES) and outcomes["opened"] > 0
    assert math.fsum(outcomes.values()) == len(CASES)
    assert len(peaks) > 200 and max(peaks) < PEAK_LIMIT

