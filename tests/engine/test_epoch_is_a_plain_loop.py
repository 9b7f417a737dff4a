"""An epoch of the session is a plain PyTorch pass, to the last bit: the order drawn
from the session's generator, each batch's forward pass, loss, backward and (fused) Adam step,
and the epoch's figures the mean over images of each batch's losses (summed in
order). Written here with torch's own functions, so a change to the loop that trains
differently, skips or repeats a batch, or weighs the figures wrongly shows as other
weights or other losses."""

import copy

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.digits.training import case_study_config
from engine.lecture.corruption import corrupt


def _plain_epoch(model, optimizer, images, config, generator):
    """One pass as pytorch/examples writes it; the epoch's (loss, reconstruction, KL)."""
    n = images.shape[0]
    order = torch.randperm(n, generator=generator) if config.batch_size < n else torch.arange(n)
    sums = [0.0, 0.0, 0.0]
    for start in range(0, n, config.batch_size):
        x = images[order[start:start + config.batch_size]]
        inputs = corrupt(x, config.noise_type, config.noise_level, generator) if config.model == "dae" else x
        optimizer.zero_grad()
        out = model(inputs)
        per_pixel = (F.binary_cross_entropy(out.reconstruction, x, reduction="none") if config.loss == "logloss"
                     else F.mse_loss(out.reconstruction, x, reduction="none"))
        recon = per_pixel.sum(dim=1).mean()
        if out.mu is not None:
            kl = (0.5 * (out.mu**2 + out.log_var.expm1() - out.log_var)).sum(dim=1).mean()
            total = recon + config.beta * kl
        else:
            kl, total = torch.zeros(()), recon
        total.backward()
        optimizer.step()
        sums = [s + v.item() * x.shape[0] for s, v in zip(sums, (total, recon, kl), strict=True)]
    return [s / n for s in sums]


def _twin(session):
    """The session's untrained model and a generator in the state it trains from."""
    model = copy.deepcopy(session.model)
    generator = torch.Generator().manual_seed(session.config.seed)
    if session.config.model == "vae":
        model.generator = generator
    return model, torch.optim.Adam(model.parameters(), lr=session.config.learning_rate, fused=True), generator


@pytest.mark.parametrize("config", [
    TrainingConfig(model="ae", loss="mse"),
    TrainingConfig(model="vae", beta=0.5),
    TrainingConfig(model="dae", noise_level=0.3),
    TrainingConfig(model="vae", dataset_size=40, batch_size=16),  # several batches, the last one short
    case_study_config("vae"),  # the digit VAE: 71 batches of 64
], ids=["ae-mse", "vae-beta", "dae", "vae-batches", "digit-vae"])
def test_an_epoch_trains_exactly_as_a_plain_pytorch_loop(config):
    session = TrainingSession(config)
    model, optimizer, generator = _twin(session)
    images = torch.from_numpy(session.train_images)
    epochs = 1 if config.is_digits else 3
    for _ in range(epochs):
        expected = _plain_epoch(model, optimizer, images, config, generator)
        snapshot = session.step()
        assert [snapshot.loss, snapshot.reconstruction_loss, snapshot.kl] == expected
    assert np.array_equal(session.history.as_array()[-1], expected)
    for name, value in model.state_dict().items():
        assert torch.equal(session.model.state_dict()[name], value), name
