"""Shared by the tests that rename a torch layer (no tests here): a trained 2x2 session,
and a model's tensors keyed as torch would key them had some layers other names."""

from __future__ import annotations

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession

RENAMED = {"encoder.weight": "enc.weight", "encoder_mu.weight": "mu_head.weight",
           "encoder_log_var.bias": "lv_head.bias", "decoder.bias": "dec.bias"}


def renamed(params: dict) -> dict:
    """The same tensors, as torch would key them had those layers other names."""
    return {RENAMED.get(key, key): value for key, value in params.items()}


def trained(model: str) -> TrainingSession:
    session = TrainingSession(TrainingConfig(model=model, seed=3))
    for _ in range(4):
        session.step()
    return session
