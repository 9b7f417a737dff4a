"""What the training host sends is read back exactly as it was (``engine.service.wire``),
and a stored epoch crosses as bytes, not as numpy's per-array pickling."""

from __future__ import annotations

import pickle
import pickletools

import numpy as np
import pytest
import torch

from engine.core.config import TrainingConfig
from engine.core.frozen import frozen, is_frozen
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


@pytest.mark.parametrize("name", list(_arrays()))
def test_an_array_reads_back_with_its_values_dtype_shape_and_writeability(name):
    sent = _arrays()[name]
    got = pickle.loads(wire.dumps(sent))
    assert got.dtype == sent.dtype and got.shape == sent.shape
    assert got.flags.writeable == sent.flags.writeable
    if sent.dtype.hasobject:
        assert list(got) == list(sent)
    else:
        np.testing.assert_array_equal(got, sent)
        assert got.base is None  # its own data: frozen stays frozen, nothing else keeps the message alive
    assert is_frozen(got) == is_frozen(sent)


def test_a_writeable_array_is_a_copy_the_reader_may_change():
    got = pickle.loads(wire.dumps(np.zeros(3)))
    got[0] = 1.0
    assert got[0] == 1.0


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


class _Pipe:
    """A connection the host writes to: what crossed, as the window would read it."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send_bytes(self, data: bytes) -> None:
        self.sent.append(bytes(data))

    def send(self, message: object) -> None:  # numpy's own pickling: not the host's way
        raise AssertionError("the host sent a message without the wire's pickling")


def test_the_host_sends_every_message_through_the_wire():
    pipe = _Pipe()
    host = Host(pipe)
    _, update = _update_after("ae", 2)
    host.send(update)
    assert len(pipe.sent) == 1
    assert b"engine.service.wire" in pipe.sent[0]
    assert [c.snapshot.epoch for c in pickle.loads(pipe.sent[0]).added] == [1, 2]
