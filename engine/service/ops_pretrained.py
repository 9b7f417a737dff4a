"""Shipped pre-trained digit models, loaded in the training host
(``engine.digits.pretrained``): the window names the model, the host adds its session
to the table and answers its id."""

from __future__ import annotations

from engine.core.device import CPU
from engine.digits.pretrained import load_pretrained, pretrained_path
from engine.service.registry import op


@op("load_pretrained")
def load_pretrained_session(table, model: str, device: str = CPU) -> int:
    """A session at the shipped epoch, on the device the learner chose ("auto", "cuda",
    "mps", "cpu"); ValueError saying what is wrong with a bad file."""
    return table.add(load_pretrained(pretrained_path(model), device))
