"""Small pre-trained digit models, so a lesson step never makes the room wait.

The case studies train a convolutional denoiser and a digit VAE; a lesson step that
shows them trained cannot wait minutes for it. ``assets/pretrained/make_pretrained.py``
trains each with the case study's own settings (``RECIPES``: the same config the study
starts with, seed 0, the same ``TrainingSession`` epochs the app runs) and stores the
weights here as float16 in an ``.npz`` (a few MB), with the loss history and the
random generator's state. ``load_pretrained_record`` opens one as the window's mirror
(no torch), ``load_pretrained`` as a live session at that epoch; both read with
``allow_pickle=False``. The weights on screen are the float16 ones widened back
to float32, so every load gives the same numbers; training on from them starts a fresh
optimiser (its moments are not shipped).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engine.core.config import TrainingConfig
from engine.core.device import CPU, resolve_device
from engine.core.history import LossHistory
from engine.core.record import SessionRecord
from engine.digits.settings import case_study_config
from engine.files.saved_record import record_from_states

if TYPE_CHECKING:
    from engine.core.session import TrainingSession

FORMAT_NAME = "autoencoder-lab-pretrained"
FORMAT_VERSION = 1
PRETRAINED_DIR = Path(__file__).resolve().parents[2] / "assets" / "pretrained"


#: What each shipped file holds: the case study's config and how many epochs it trained.
RECIPES: dict[str, tuple[TrainingConfig, int]] = {
    "dae": (case_study_config("dae"), 12),
    "vae": (case_study_config("vae"), 15),
}


def pretrained_path(model: str, folder: Path = PRETRAINED_DIR) -> Path:
    return folder / f"digits_{model}.npz"


def save_pretrained(session: TrainingSession, path: str | Path) -> Path:
    """Write the session's newest weights as float16, its history and generator state."""
    path = Path(path)
    arrays: dict[str, np.ndarray] = {}
    for name, tensor in session.model.state_dict().items():
        value = tensor.detach().cpu().numpy()
        arrays[f"model/{name}"] = value.astype(np.float16) if value.dtype.kind == "f" else value
    arrays["history"] = session.history.as_array()
    arrays["generator"] = session._generator.get_state().numpy()
    header = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "epoch": session.epoch,
              "losses": [session.latest.loss, session.latest.reconstruction_loss, session.latest.kl],
              "config": dataclasses.asdict(session.config)}
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    return path


def load_pretrained(path: str | Path, device: str = CPU) -> TrainingSession:
    """A live session at the shipped epoch (torch, for the training process), on the
    device the learner chose ("auto", "cuda", "mps", "cpu": ``resolve_device``);
    ValueError saying what is wrong with a bad file."""
    from engine.core.session import TrainingSession

    record = load_pretrained_record(path)
    return TrainingSession.from_record(record, device=resolve_device(device, record.config))


def load_pretrained_record(path: str | Path) -> SessionRecord:
    """The shipped epoch as a session's mirror (numpy, no torch); ValueError saying
    what is wrong with a bad file."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"There is no pre-trained model at {path}.")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        header = json.loads(arrays["header"].astype(np.uint8).tobytes().decode())
        if header.get("format") != FORMAT_NAME or header.get("version") != FORMAT_VERSION:
            raise ValueError("not a pre-trained model file of this version")
        config = TrainingConfig(**header["config"])
        model = {key[6:]: _widened(value) for key, value in arrays.items() if key.startswith("model/")}
        state = {"epoch": int(header["epoch"]), "losses": [float(v) for v in header["losses"]],
                 "config": config, "model": model, "optimizer": None,
                 "generator": np.array(arrays["generator"], dtype=np.uint8), "train": None}
        return record_from_states([state], LossHistory.from_array(arrays["history"]))
    except (KeyError, ValueError, TypeError, RuntimeError, OSError) as exc:
        raise ValueError(f"{path.name} is not a usable pre-trained model ({exc}).") from exc


def _widened(value: np.ndarray) -> np.ndarray:
    array = np.array(value)
    if array.dtype == np.float16:
        array = array.astype(np.float32)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError("a weight is not finite")
    return array


def make_pretrained(model: str, folder: Path = PRETRAINED_DIR, log=print) -> Path:
    """Train ``model`` with its recipe from seed 0 and write its file (reproducible)."""
    from engine.core.session import TrainingSession

    config, epochs = RECIPES[model]
    session = TrainingSession(config)
    for snapshot in session.run(epochs=epochs):
        log(f"{model}: epoch {snapshot.epoch}/{epochs}, loss {snapshot.loss:.4f}")
    return save_pretrained(session, pretrained_path(model, folder))
