"""A session's shown images and inputs cross from the training host to the window once,
not with every epoch's update (issue 15: the digit VAE's 500 held-out digits were 1.6 MB
of its 16 MB a epoch, the denoiser's digits and noisy inputs 3.1 MB of 7.5 MB, pickled
under the interpreter lock the host's training thread needs), and the window's mirror
still holds every epoch's images and inputs, equal to the host's."""

from __future__ import annotations

import pickle

import numpy as np

from engine.core.session import TrainingSession
from engine.digits.settings import case_study_config
from engine.service import wire
from engine.service.shown_once import SAME, restore_shown
from engine.service.table import MirrorSync


def _small_denoiser() -> TrainingSession:
    session = TrainingSession(case_study_config("dae"))
    session._train = session._train[:64]  # one batch an epoch: the test is about what crosses
    return session


def _crossed(sync: MirrorSync, session: TrainingSession):
    update = sync.update(1, session, 0.0)
    data = wire.dumps(update)
    return update, pickle.loads(data), len(data)


def test_held_out_digits_and_inputs_cross_once_and_the_mirror_still_holds_them():
    session = _small_denoiser()
    mirror = session.record()  # the window's, given whole
    sync = MirrorSync()
    sync.mark_all(session)
    shown = session.latest.images.nbytes + session.latest.inputs.nbytes
    sizes, received = [], []
    for _ in range(3):
        session.step()
        update, got, size = _crossed(sync, session)
        sizes.append(size)
        received += restore_shown(mirror, got.added)
    assert sizes[1] <= sizes[0] - shown + 4096 and sizes[2] <= sizes[0] - shown + 4096  # sent once only
    later = [got_field for c in update.added for got_field in (c.snapshot.images, c.snapshot.inputs)]
    assert all(value is SAME for value in later)
    for back in received:  # the window's epochs: the host's arrays, the same objects epoch after epoch
        host = session.snapshot_at(back.snapshot.epoch)
        np.testing.assert_array_equal(back.snapshot.images, host.images)
        np.testing.assert_array_equal(back.snapshot.inputs, host.inputs)
        assert back.snapshot.images is received[0].snapshot.images
        assert back.snapshot.inputs is received[0].snapshot.inputs
    assert not np.array_equal(received[0].snapshot.inputs, received[0].snapshot.images)  # noisy inputs
    assert session.latest.images is not SAME  # the host's own epochs keep their arrays


def test_new_noise_sends_the_new_inputs_and_the_window_shows_them():
    session = _small_denoiser()
    mirror = session.record()
    sync = MirrorSync()
    sync.mark_all(session)
    session.step()
    first = restore_shown(mirror, _crossed(sync, session)[1].added)[-1].snapshot
    session.change(noise_level=0.2)
    session.step()
    update, got, _ = _crossed(sync, session)
    assert update.added[-1].snapshot.inputs is not SAME  # (the session froze its images afresh too: sent again)
    after = restore_shown(mirror, got.added)[-1].snapshot
    np.testing.assert_array_equal(after.inputs, session.latest.inputs)
    assert not np.array_equal(after.inputs, first.inputs)
    np.testing.assert_array_equal(after.images, first.images)


def test_a_window_given_the_whole_session_again_gets_the_arrays_again():
    session = _small_denoiser()
    sync = MirrorSync()
    sync.mark_all(session)
    session.step()
    sync.update(1, session, 0.0)
    session.step()
    assert sync.update(1, session, 0.0).added[-1].snapshot.images is SAME
    sync.mark_all(session)  # e.g. a controller that adopts the session asks for its record
    session.step()
    fresh = sync.update(1, session, 0.0).added[-1].snapshot
    assert fresh.images is session.latest.images and fresh.inputs is session.latest.inputs


def test_a_2x2_sessions_epochs_cross_whole():
    """A 2x2 session's shown images are 384 bytes that pickle writes once a message
    anyway: its checkpoints cross as stored, with no copies made on the sender."""
    from engine.core.config import TrainingConfig

    session = TrainingSession(TrainingConfig(model="vae"))
    sync = MirrorSync()
    sync.mark_all(session)
    for _ in range(3):
        session.step()
    update = sync.update(1, session, 0.0)
    stored = list(session.checkpoints)[-3:]
    assert all(sent is kept for sent, kept in zip(update.added, stored, strict=True))
