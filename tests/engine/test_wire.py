"""What the training host sends is read back exactly as it was (``engine.service.wire``),
a stored epoch crosses as bytes, not as numpy's per-array pickling, and a large array
crosses as a frame of its own, never copied into the pickle."""

from __future__ import annotations

import multiprocessing
import pickle
import pickletools

import numpy as np
import pytest
import torch

from engine.core.config import TrainingConfig
from engine.core.frozen import frozen, is_frozen
from engine.core.optimizer_state import OptimizerState
from engine.core.session import TrainingSession
from engine.service import wire
from engine.service.host import Host
from engine.service.protocol import SessionUpdate
from engine.service.shown_once import restore_shown
from engine.service.table import MirrorSync


def _arrays() -> dict[str, np.ndarray]:
    grid = np.arange(24, dtype=np.float64).reshape(4, 6)
    return {
        "float32": np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4),
        "scalar": np.array(3.5, dtype=np.float32),
        "empty": np.zeros((0, 4), dtype=np.float32),
        "bytes": np.arange(256, dtype=np.uint8),
        "int64": np.array([-(2**62), 0, 2**62]),
        "big-endian": np.arange(5, dtype=">i4"),
        "nan-inf": np.array([np.nan, np.inf, -np.inf, -0.0]),
        "bools": np.array([True, False, True]),
        "columns": grid[:, ::2],  # not contiguous
        "fortran": np.asfortranarray(grid),
        "frozen": frozen(np.eye(3)),
        "records": np.array([(1, 2.0)], dtype=[("a", "<i4"), ("b", "<f8")]),
        "objects": np.array([{"x": 1}, None], dtype=object),
    }


def _large_arrays() -> dict[str, np.ndarray]:
    weights = np.random.default_rng(0).standard_normal((512, 784)).astype(np.float32)  # a digit layer
    return {"large frozen": frozen(weights), "large writeable": weights.copy(),
            "large columns": weights[:, ::2],  # not contiguous: inside the pickle
            "large big-endian": frozen(weights.astype(">f4"))}


class _Frames:
    """Both ends of a connection in one object: the frames written, read back in order."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def send_bytes(self, data) -> None:
        self.frames.append(bytes(data))

    def recv_bytes(self) -> bytes:
        return self.frames.pop(0)


def _through_frames(message):
    conn = _Frames()
    wire.send(conn, message)
    sent = len(conn.frames)
    got = wire.recv(conn)
    assert conn.frames == []  # the whole message was read, nothing of the next
    return got, sent


@pytest.mark.parametrize("way", ["pickle", "frames"])
@pytest.mark.parametrize("name", list(_arrays()) + list(_large_arrays()))
def test_an_array_reads_back_with_its_values_dtype_shape_and_writeability(name, way):
    sent = {**_arrays(), **_large_arrays()}[name]
    got = pickle.loads(wire.dumps(sent)) if way == "pickle" else _through_frames(sent)[0]
    assert got.dtype == sent.dtype and got.shape == sent.shape
    assert got.flags.writeable == sent.flags.writeable
    if sent.dtype.hasobject:
        assert list(got) == list(sent)
    else:
        np.testing.assert_array_equal(got, sent)
        # Its own data, or immutable bytes of its own: frozen stays frozen, and nothing
        # else keeps the message alive.
        assert got.base is None or (isinstance(got.base, bytes) and len(got.base) == got.nbytes)
    assert is_frozen(got) == is_frozen(sent)


def test_a_writeable_array_is_a_copy_the_reader_may_change():
    for got in (pickle.loads(wire.dumps(np.zeros(3))), _through_frames(np.zeros(70_000))[0]):
        got[0] = 1.0
        assert got[0] == 1.0


def test_a_frozen_array_read_back_cannot_be_made_writeable():
    got, _ = _through_frames(frozen(np.zeros(70_000)))
    with pytest.raises(ValueError, match="WRITEABLE"):
        got.flags.writeable = True


def test_large_contiguous_arrays_cross_as_frames_of_their_own_not_inside_the_pickle():
    large = _large_arrays()
    got, frames = _through_frames({"small": np.zeros(3), **large, "again": large["large frozen"]})
    assert frames == 1 + 3  # the pickle, then the three contiguous large arrays (one met twice: sent once)
    assert got["again"] is got["large frozen"]
    contiguous = [large[k] for k in ("large frozen", "large writeable", "large big-endian")]
    conn = _Frames()
    wire.send(conn, contiguous)
    assert len(conn.frames[0]) < 1_000  # the pickle holds no array's data
    assert [len(f) for f in conn.frames[1:]] == [a.nbytes for a in contiguous]


def _echo(conn) -> None:
    conn.send_bytes(b"ready")
    wire.send(conn, wire.recv(conn))


def test_a_message_crosses_a_real_pipe_between_processes_and_back():
    context = multiprocessing.get_context("spawn")
    here, there = context.Pipe()
    child = context.Process(target=_echo, args=(there,))
    child.start()
    try:
        assert here.recv_bytes() == b"ready"
        message = {"text": "x" * 100, **_large_arrays(), "small": np.arange(5)}
        wire.send(here, message)
        got = wire.recv(here)
    finally:
        child.join(30)
    assert set(got) == set(message) and got["text"] == message["text"]
    for name, value in message.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(got[name], value)


def test_a_message_that_cannot_be_pickled_writes_nothing():
    conn = _Frames()
    with pytest.raises((pickle.PicklingError, TypeError, AttributeError)):
        wire.send(conn, {"weights": np.zeros(70_000), "lock": __import__("threading").Lock()})
    assert conn.frames == []


def _update_after(model: str, epochs: int) -> tuple[TrainingSession, SessionUpdate]:
    session = TrainingSession(TrainingConfig(model=model))
    sync = MirrorSync()
    sync.mark_all(session)
    for _ in session.run(epochs):
        pass
    return session, sync.update(1, session, 0.0)


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, OptimizerState):  # its numbers and layout, as a state dict
        yield from _leaves(value.state_dict())
    else:
        yield value


class _Mirror:
    """Stands for the window's mirror of one session."""


@pytest.mark.parametrize("model", ["ae", "vae"])
def test_a_sessions_update_reads_back_equal_to_the_stored_epochs(model):
    session, update = _update_after(model, 6)
    got = pickle.loads(wire.dumps(update))
    assert [c.snapshot.epoch for c in got.added] == [1, 2, 3, 4, 5, 6]
    # compared as the window stores them: the shown images crossed once (``shown_once``)
    stored = {c.snapshot.epoch: c for c in session.checkpoints}
    window_side = restore_shown(_Mirror(), got.added)
    for back in window_side:
        sent = stored[back.snapshot.epoch]
        for field in ("images", "codes", "reconstructions", "image_losses"):
            np.testing.assert_array_equal(getattr(back.snapshot, field), getattr(sent.snapshot, field))
            assert is_frozen(getattr(back.snapshot, field))
        assert back.snapshot.loss == sent.snapshot.loss
        for name, weight in sent.snapshot.params.items():
            np.testing.assert_array_equal(back.snapshot.params[name], weight)
        sent_leaves, back_leaves = list(_leaves(sent.train_state)), list(_leaves(back.train_state))
        assert len(back_leaves) == len(sent_leaves)
        for a, b in zip(sent_leaves, back_leaves, strict=True):
            if isinstance(a, np.ndarray):
                np.testing.assert_array_equal(b, a)
                assert b.dtype == a.dtype and b.flags.writeable == a.flags.writeable
            else:
                assert b == a
    # The newest epoch decodes as the host's model does.
    latest = window_side[-1].snapshot
    z = np.array([[0.3, -0.7]], dtype=np.float32)
    with torch.no_grad():
        expected = session.model.decode(torch.from_numpy(z)).numpy()
    np.testing.assert_allclose(latest.decode(z), expected, atol=1e-6)


def test_a_stored_epoch_crosses_as_bytes_not_as_numpys_per_array_pickling():
    """Numpy's own pickling costs 3 to 5 µs an array (about thirty a 2x2 epoch); the
    host's sender does it under the lock its training thread needs."""
    _, update = _update_after("vae", 3)
    globals_used = {arg for op, arg, _ in pickletools.genops(wire.dumps(update))
                    if op.name in ("GLOBAL", "STACK_GLOBAL") or isinstance(arg, str)}
    assert "array" in globals_used and "engine.service.wire" in globals_used
    assert not {"_reconstruct", "_frombuffer"} & globals_used


class _Pipe(_Frames):
    """A connection the host writes to: what crossed, as the window would read it."""

    def send(self, message: object) -> None:  # numpy's own pickling: not the host's way
        raise AssertionError("the host sent a message without the wire's pickling")


def test_the_host_sends_every_message_through_the_wire():
    pipe = _Pipe()
    host = Host(pipe)
    _, update = _update_after("ae", 2)
    host.send(update)
    assert len(pipe.frames) == 1  # a 2x2 model's arrays are all small: inside the pickle
    assert b"engine.service.wire" in pipe.frames[0]
    assert [c.snapshot.epoch for c in wire.recv(pipe).added] == [1, 2]
