"""How many CPU threads torch should use for a model.

The 2x2 network's tensors are tiny: extra threads only add hand-over costs (measured
here: ~10x slower per epoch with 2 threads on a busy 2-core machine). The digit
models are big enough to use several cores, but inside the app one core belongs to
the window: torch threads that compete with the GUI thread spin and stall (a digit
VAE epoch measured 2.8 s on 1 thread and 37 s on 2 while the window was busy).
"""

from __future__ import annotations

import os

from engine.core.config import TrainingConfig


def threads_for(config: TrainingConfig, headless: bool = True) -> int:
    if not config.is_digits:
        return 1
    cores = min(4, os.cpu_count() or 1)
    return cores if headless else max(1, cores - 1)


def use_threads_for(config: TrainingConfig, headless: bool = True) -> None:
    """Set torch's threads for training ``config``: called in the process that trains,
    which has torch loaded already; this module itself imports none (the window reads
    ``threads_for``)."""
    import torch

    torch.set_num_threads(threads_for(config, headless))
