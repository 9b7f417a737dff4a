"""The settings each digit model starts from, in the case studies, on the command
line and in the quality benchmark: plain values, no torch, so the window can name them.
Training and held-out scoring are ``engine.digits.training``."""

from __future__ import annotations

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
