"""Which device a session trains on: the learner's choice, resolved where torch lives.

The choice is a plain string ("auto", "cuda", "mps" or "cpu"), so the window can keep
it as a preference and pass it on without importing torch; ``resolve_device`` turns
it into a device in the process that trains. "auto" takes CUDA, then Apple's MPS,
then the CPU. Only the digit models train on an accelerator: the 2x2 network's
tensors are a few numbers, and copying them to a GPU would cost more than the maths.
A device chosen but not present (a settings file from another machine) falls back to
the CPU, which trains the same numbers' worth of model, only slower.

Torch is imported only inside ``available_device``: this module's import is torch-free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.core.config import TrainingConfig

AUTO, CPU = "auto", "cpu"
DEVICE_CHOICES = (AUTO, "cuda", "mps", CPU)
DEVICE_TITLES = {AUTO: "Automatic (CUDA, then MPS, then CPU)", "cuda": "CUDA GPU", "mps": "Apple GPU (MPS)",
                 CPU: "CPU"}


def check_device_choice(value: object) -> str:
    """The choice itself, or a ValueError that says what the choices are."""
    if value not in DEVICE_CHOICES:
        raise ValueError(f"Unknown training device {value!r}: choose one of {', '.join(DEVICE_CHOICES)}.")
    return value


def available_devices() -> list[str]:
    """The devices torch can train on here, best first (always ending with "cpu")."""
    import torch

    found = []
    if torch.cuda.is_available():
        found.append("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        found.append("mps")
    return [*found, CPU]


def resolve_device(choice: str, config: TrainingConfig) -> str:
    """The device a session of ``config`` trains on, given the learner's ``choice``."""
    check_device_choice(choice)
    if not config.is_digits or choice == CPU:
        return CPU
    available = available_devices()
    if choice == AUTO:
        return available[0]
    return choice if choice in available else CPU
