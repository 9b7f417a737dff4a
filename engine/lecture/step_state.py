"""What the next training step of a session will read, taken from a stored checkpoint
(never from the model being trained), as plain numpy for ``engine.lecture.backprop``.

The step's random draws (a denoiser's noise, a VAE's ε) come from the session's seeded
generator. A copy of the generator as it was stored draws them here exactly as the
step will, and the session's own generator is not touched.
"""

from __future__ import annotations

import numpy as np
import torch

from engine.core.session import TrainingSession
from engine.core.train_state_torch import to_torch
from engine.lecture.backprop import AdamState, StepState, tensor_shapes
from engine.lecture.corruption import corrupt


def next_step_state(session: TrainingSession, epoch: int | None = None) -> StepState:
    """The state the step after ``epoch`` (default: the newest) starts from.

    For the newest epoch, settings and images the learner changed since (applied at the
    next step) are included, so the numbers are those the next step will use.
    """
    newest = session.epoch if epoch is None else epoch
    checkpoint = session.checkpoints.at_or_before(newest)
    if checkpoint.snapshot.epoch != newest:
        raise ValueError(f"Epoch {newest} is no longer stored (long runs keep every other epoch); "
                         "step from a stored one to see its gradients.")
    state = to_torch(checkpoint.train_state)  # a mirror's or a file's checkpoint holds numpy arrays
    latest = checkpoint.snapshot is session.latest
    config = session.config if latest else state["config"]
    targets = session.train_images if latest else state["train"].numpy().copy()
    if config.is_digits:
        raise ValueError("The step is worked out for the lecture's 2x2 network, not the digit models.")
    generator = torch.Generator()
    generator.set_state(state["generator"].clone())
    clean = torch.from_numpy(np.asarray(targets, dtype=np.float32))
    inputs, eps = clean, None
    if len(clean) <= config.batch_size:  # full batch: no shuffle is drawn (session._train_one_epoch)
        if config.model == "dae":
            inputs = corrupt(clean, config.noise_type, config.noise_level, generator)
        elif config.model == "vae":
            eps = torch.randn((len(clean), config.latent_dim), generator=generator, dtype=clean.dtype).numpy()
    # the weights by what they are (the snapshot's named layers), not by torch's keys
    params = {name: np.array(array) for name, array in checkpoint.snapshot.weights.parameters().items()}
    return StepState(newest, config, params, clean.numpy().copy(), inputs.numpy().copy(), eps,
                     _adam_state(state["optimizer"], config) if config.optimizer == "adam" else None)


def _adam_state(saved: dict | None, config) -> AdamState | None:
    """Adam's running averages from a saved optimiser state (numbered in the model's
    parameter order); None before its first step."""
    if saved is None or not saved["state"]:
        return None
    names = list(tensor_shapes(config.model))
    # An opened file's state carries no groups: the session's optimiser takes them from a
    # fresh Adam (TrainingSession._load_optimizer_state), and so does this copy.
    group = saved["param_groups"][0] if saved.get("param_groups") else _fresh_adam_group()
    slots = saved["state"]
    step = int(float(slots[0]["step"]))
    return AdamState(step,
                     {name: slots[i]["exp_avg"].numpy().copy() for i, name in enumerate(names)},
                     {name: slots[i]["exp_avg_sq"].numpy().copy() for i, name in enumerate(names)},
                     tuple(float(b) for b in group["betas"]), float(group["eps"]))


def _fresh_adam_group() -> dict:
    """The settings a new ``torch.optim.Adam`` uses (betas, eps), as the session makes it."""
    return torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))]).defaults
