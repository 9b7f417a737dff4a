"""A snapshot's frozen model runs new images through the network. No Qt needed."""

import numpy as np

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession


def test_reconstruct_gives_the_snapshot_reconstructions_of_its_own_inputs():
    for model in ("ae", "dae", "vae"):
        session = TrainingSession(TrainingConfig(model=model, noise_level=0.3))
        for _ in range(3):
            snapshot = session.step()
        np.testing.assert_allclose(snapshot.reconstruct(snapshot.inputs), snapshot.reconstructions, atol=1e-6)


def test_reconstruct_uses_the_frozen_weights_not_the_training_model():
    session = TrainingSession(TrainingConfig())
    snapshot = session.step()
    before = snapshot.reconstruct(snapshot.images)
    for _ in range(20):
        session.step()
    np.testing.assert_array_equal(snapshot.reconstruct(snapshot.images), before)
