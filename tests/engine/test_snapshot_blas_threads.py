"""A snapshot's numbers are computed with numpy's BLAS on one thread
(``engine.core.blas_threads``): the same bits whatever thread count the process runs
numpy's BLAS with (the training process and a window opening a file agree to the last
bit), and the process's own setting is left as it was."""

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController

from engine.core.session import TrainingSession
from engine.core.shown_numbers import make_snapshot
from engine.digits.training import case_study_config

SHOWN = ("codes", "log_vars", "reconstructions", "image_losses", "samples")


@pytest.fixture(scope="module")
def digit_vae():
    session = TrainingSession(case_study_config("vae"))
    session.step()
    return session


def _snapshot(session):
    latest = session.latest
    return make_snapshot(latest.epoch, latest.config, (latest.loss, latest.reconstruction_loss, latest.kl),
                         latest.params, latest.layout, latest.images, labels=latest.labels)


def _blas_threads(controller) -> list[int]:
    return [lib["num_threads"] for lib in controller.info()]


def test_a_snapshot_is_the_same_to_the_last_bit_whatever_the_process_blas_threads(digit_vae):
    blas = ThreadpoolController().select(user_api="blas")
    made = {}
    for threads in (1, 2):
        with blas.limit(limits=threads, user_api="blas"):
            made[threads] = _snapshot(digit_vae)
    for field in SHOWN:
        np.testing.assert_array_equal(getattr(made[2], field), getattr(made[1], field), err_msg=field)
    # and they are the numbers the training session showed for this epoch
    for field in SHOWN:
        np.testing.assert_array_equal(getattr(made[1], field), getattr(digit_vae.latest, field), err_msg=field)


def test_making_a_snapshot_leaves_the_process_blas_threads_as_they_were(digit_vae):
    blas = ThreadpoolController().select(user_api="blas")
    with blas.limit(limits=2, user_api="blas"):
        before = _blas_threads(blas)
        _snapshot(digit_vae)
        assert _blas_threads(blas) == before
