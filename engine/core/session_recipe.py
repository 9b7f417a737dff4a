"""How to make a session the same way every time, as a plain value (torch-free).

A lesson step that shows a model trained to epoch N names its session by a recipe: a
fresh session of ``config`` trained ``epochs`` epochs (same seed, same epochs: the same
numbers every time), or a shipped pre-trained digit model. The window sends recipes to
the training host, which makes each session once (``engine.service.step_maker``); equal
recipes are the same session.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.config import TrainingConfig
from engine.core.device import CPU, check_device_choice
from engine.digits.pretrained import RECIPES


@dataclass(frozen=True)
class SessionRecipe:
    """``pretrained``: the name of a shipped model (``engine.digits.pretrained.RECIPES``),
    whose file gives the session instead of training. ``device``: the learner's device
    choice (``engine.core.device``); a 2x2 model always trains on the CPU, so its
    recipe keeps "cpu" whatever was chosen and stays equal to the same recipe made
    under another choice."""

    config: TrainingConfig
    epochs: int = 0
    pretrained: str | None = None
    device: str = CPU

    def __post_init__(self) -> None:
        check_device_choice(self.device)
        if not self.config.is_digits:
            object.__setattr__(self, "device", CPU)

    @classmethod
    def shipped(cls, model: str, device: str = CPU) -> SessionRecipe:
        """The shipped pre-trained ``model`` at the epoch it was trained to."""
        if model not in RECIPES:
            raise ValueError(f"There is no shipped pre-trained {model!r} model.")
        config, epochs = RECIPES[model]
        return cls(config, epochs, model, device)

    @property
    def kept(self) -> bool:
        """Worth making once and keeping: trained or loaded (a fresh session is made anew)."""
        return self.epochs > 0 or self.pretrained is not None
