"""Training settings, validated in one place with messages a learner understands."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from enum import Enum

from engine.lecture.noise import NOISE_KINDS, check_noise

MODEL_KINDS = ("ae", "dae", "vae")
MODEL_TITLES = {"ae": "Autoencoder", "dae": "Denoising autoencoder", "vae": "Variational autoencoder"}
DATASETS = ("diagonals", "random", "custom", "mnist")
LOSS_KINDS = ("mse", "logloss")
OPTIMIZERS = ("adam", "sgd")
MAX_LEARNING_RATE = 10.0
MAX_BETA = 100.0
MAX_EPOCHS = 10_000_000
#: The settings a running session takes at its next epoch; any other needs a new session.
LIVE_CHANGES = ("learning_rate", "beta", "noise_type", "noise_level", "loss")


class World(Enum):
    """Which of the app's two worlds a run belongs to: what its images are, and so
    what a view can show of it (a diagram of every weight, or a map of digits)."""

    LECTURE = "the lecture's 2x2 images"
    DIGITS = "handwritten digits (28x28)"


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that decides a run's numbers: same config, same numbers."""

    model: str = "ae"
    dataset: str = "diagonals"
    loss: str = "mse"
    optimizer: str = "adam"
    learning_rate: float = 0.05
    seed: int = 0
    noise_type: str = "gaussian"
    noise_level: float = 0.1
    # The 2x2 VAE at β = 1 collapses (every code at 0, every image decoded to the mean:
    # the KL pull wins over four pixels' worth of reconstruction). 0.05 keeps a working
    # map to explore; the digit VAE uses β = 1 (engine.digits.training.RECOMMENDED).
    beta: float = 0.05
    latent_dim: int = 2
    batch_size: int = 128
    dataset_size: int = 24

    def __post_init__(self) -> None:
        validate_config(self)

    def replace(self, **changes: object) -> TrainingConfig:
        """A validated copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    @property
    def is_digits(self) -> bool:
        return self.dataset == "mnist"

    @property
    def world(self) -> World:
        return World.DIGITS if self.is_digits else World.LECTURE


def validate_config(c: TrainingConfig) -> None:
    _choice("model", c.model, MODEL_KINDS)
    _choice("dataset", c.dataset, DATASETS)
    _choice("loss", c.loss, LOSS_KINDS)
    _choice("optimiser", c.optimizer, OPTIMIZERS)
    check_learning_rate(c.learning_rate)
    _whole("seed", c.seed, 0, 2**31 - 1)
    _choice("noise type", c.noise_type, NOISE_KINDS)
    check_noise(c.noise_type, c.noise_level)
    check_beta(c.beta)
    _whole("latent size", c.latent_dim, 1, 64)
    if c.dataset != "mnist" and c.latent_dim != 2:
        raise ValueError("The 2x2 network has exactly 2 latent units.")
    _whole("batch size", c.batch_size, 1, 100_000)
    _whole("dataset size", c.dataset_size, 1, 10_000)


def check_learning_rate(value: object) -> float:
    if not _is_number(value) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"The learning rate must be a number greater than 0, not {value}.")
    if value > MAX_LEARNING_RATE:
        raise ValueError(f"A learning rate above {MAX_LEARNING_RATE:g} only makes training blow up.")
    return float(value)


def check_beta(value: object) -> float:
    if not _is_number(value) or not math.isfinite(value) or not 0 <= value <= MAX_BETA:
        raise ValueError(f"β must be a number from 0 to {MAX_BETA:g}, not {value}.")
    return float(value)


def check_epochs(value: object) -> int:
    return _whole("number of epochs", value, 1, MAX_EPOCHS)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"Unknown {name} {value!r}: choose one of {', '.join(allowed)}.")


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"The {name} must be a whole number from {low} to {high:,}, not {value}.")
    return value
