"""How many CPU threads torch should use for a model.

The 2x2 network's tensors are tiny: extra threads only add hand-over costs (measured
here: ~10x slower per epoch with 2 threads on a busy 2-core machine). The digit
models are big enough to use every core.
"""

from __future__ import annotations

import os

import torch

from engine.config import TrainingConfig


def threads_for(config: TrainingConfig) -> int:
    return max(1, min(4, os.cpu_count() or 1)) if config.is_digits else 1


def use_threads_for(config: TrainingConfig) -> None:
    torch.set_num_threads(threads_for(config))
