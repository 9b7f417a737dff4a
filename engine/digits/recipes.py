"""The digit models' settings, torch-free: what the case studies start with and what
each shipped pre-trained file was trained with.

The window builds configs and names pre-trained files without importing torch (the
sessions themselves live in the training host), so these few constants live apart
from the training code that uses them (``engine.digits.training``,
``engine.digits.pretrained``, which re-export them).
"""

from __future__ import annotations

from pathlib import Path

from engine.core.config import TrainingConfig

#: Settings that train each digit model well on a 2-core laptop (see digit_benchmark).
RECOMMENDED = {
    "vae": {"learning_rate": 1e-3, "loss": "logloss", "batch_size": 64, "beta": 1.0},
    "ae": {"learning_rate": 1e-3, "loss": "logloss", "batch_size": 64},
    "dae": {"learning_rate": 2e-3, "loss": "mse", "batch_size": 64, "noise_level": 0.5},
}
#: The bottleneck each case study is built around: a 2-D map for the VAE and the plain
#: autoencoder beside it; 64 units for the denoiser (the config's largest).
RECOMMENDED_LATENT_DIM = {"vae": 2, "ae": 2, "dae": 64}
PRETRAINED_DIR = Path(__file__).resolve().parents[2] / "assets" / "pretrained"


def recommended_settings(model: str) -> dict[str, object]:
    """TrainingConfig fields (learning rate, loss, batch size, noise) for a digit model."""
    if model not in RECOMMENDED:
        raise ValueError(f"Unknown digit model {model!r}: choose one of {', '.join(RECOMMENDED)}.")
    return dict(RECOMMENDED[model])


def case_study_config(model: str) -> TrainingConfig:
    """The settings a digit run starts with in the app's case studies (denoising:
    "dae", generation: "vae", the autoencoder beside it: "ae"), on the command line
    (``--dataset mnist``) and in the quality benchmark."""
    settings = recommended_settings(model)  # refuses an unknown model
    return TrainingConfig(dataset="mnist", model=model, latent_dim=RECOMMENDED_LATENT_DIM[model], **settings)


#: What each shipped file holds: the case study's config and how many epochs it trained.
RECIPES: dict[str, tuple[TrainingConfig, int]] = {
    "dae": (case_study_config("dae"), 12),
    "vae": (case_study_config("vae"), 15),
}


def pretrained_path(model: str, folder: Path = PRETRAINED_DIR) -> Path:
    return folder / f"digits_{model}.npz"
