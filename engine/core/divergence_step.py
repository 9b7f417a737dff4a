"""Whether training can go on from a stored epoch at all: the one divergence check that
runs the network's step (torch), so it lives in the training process. The rest of the
divergence logic (what diverged, where to go back to, what to say) is
``engine.core.divergence``, without torch."""

from __future__ import annotations

import torch

from engine.core.divergence import all_finite
from engine.core.model_factory import make_model
from engine.core.train_state_torch import to_torch
from engine.core.training_step import batch_loss


def next_step_problem(train_state: dict) -> str | None:
    """Why the next training step from this checkpoint blows up at any learning rate,
    in words ("its loss is already too large to compute"), or None if a small enough
    step can go on. Runs the step's own loss (``batch_loss``) on a copy of the model and
    of the random generator: the session is not touched."""
    train_state = to_torch(train_state)  # a mirror's or a file's checkpoint holds numpy arrays
    config = train_state["config"]
    if not all_finite(train_state["model"]):
        return "its weights are not finite"
    optimizer = train_state.get("optimizer")
    if optimizer is not None and not all(all_finite(slots) for slots in optimizer["state"].values()):
        return "the optimiser's running averages there are not finite"
    model = make_model(config)
    model.load_state_dict(train_state["model"])
    model.train()
    generator = torch.Generator()
    generator.set_state(train_state["generator"].clone())
    if config.model == "vae":
        model.generator = generator
    batch = _training_images(train_state)[: config.batch_size].cpu()  # the copy of the model is made on the CPU
    total, _recon, _kl = batch_loss(model, batch, config, generator)
    if not torch.isfinite(total):
        already = "not a number" if torch.isnan(total) else "too large to compute"
        return f"its loss is already {already}"
    total.backward()
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    if not all(bool(torch.isfinite(g).all()) for g in grads):
        return "its gradients are too large to compute"
    if total.item() > 0 and all(not bool(g.any()) for g in grads):
        return "every gradient there is exactly zero (its units are saturated), so no step can move it"
    return None


def _training_images(train_state: dict) -> torch.Tensor:
    """The checkpoint's training set; a digit session's stored state names none (None:
    the shipped digits, which every process loads from disk)."""
    if train_state["train"] is not None:
        return train_state["train"]
    from engine.digits.data import load_digits, split_digits

    return torch.from_numpy(split_digits(load_digits())[0].images)
