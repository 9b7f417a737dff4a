"""Saving and opening whole sessions: one ``.aelab`` file, no pickle anywhere.

The file is a numpy ``.npz`` archive: a JSON header (format name, version, the
config of each stored epoch, optimiser settings) and plain arrays (loss history,
weights, optimiser moments, random-generator states, datasets). It is written to a
temporary file and renamed, so a crash never leaves half a file behind; it is read
with ``allow_pickle=False``. A file that fails any check raises ``SessionFileError``
and nothing else changes.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import torch

from engine.config import TrainingConfig
from engine.history import LossHistory
from engine.session import TrainingSession

FORMAT_NAME = "autoencoder-lab-session"
FORMAT_VERSION = 1
SUFFIX = ".aelab"


class SessionFileError(ValueError):
    """A session file that cannot be opened, with the reason in plain words."""


def save_session(session: TrainingSession, path: str | os.PathLike) -> Path:
    """Write ``session`` atomically to ``path``; returns the path written."""
    path = Path(path)
    arrays: dict[str, np.ndarray] = {"history": session.history.as_array()}
    checkpoints = list(session.checkpoints)
    if session.config.is_digits:
        checkpoints = checkpoints[-1:]  # digit models are large: keep the newest only
    header = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "epoch": session.epoch, "checkpoints": []}
    for k, checkpoint in enumerate(checkpoints):
        header["checkpoints"].append(_pack_checkpoint(k, checkpoint, arrays))
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    _write_atomically(path, arrays)
    return path


def load_session(path: str | os.PathLike) -> TrainingSession:
    """Open a saved session; raises ``SessionFileError`` saying what is wrong."""
    arrays = _read_archive(Path(path))
    header = _read_header(arrays)
    try:
        history = LossHistory.from_array(arrays["history"])
        states = [_unpack_checkpoint(k, meta, arrays) for k, meta in enumerate(header["checkpoints"])]
        return TrainingSession.from_saved(states, history)
    except SessionFileError:
        raise
    except (KeyError, ValueError, RuntimeError, TypeError, IndexError) as exc:
        raise SessionFileError(f"This session file is damaged or was changed by hand ({exc}).") from exc


# ----- writing ---------------------------------------------------------------------------
def _pack_checkpoint(k: int, checkpoint, arrays: dict[str, np.ndarray]) -> dict:
    state = checkpoint.train_state
    prefix = f"c{k}/"
    for name, tensor in state["model"].items():
        arrays[f"{prefix}model/{name}"] = tensor.numpy()
    optimizer = state["optimizer"] or {"state": {}, "param_groups": None}
    for param_id, slots in optimizer["state"].items():
        for slot, value in slots.items():
            arrays[f"{prefix}opt/{param_id}/{slot}"] = torch.as_tensor(value).numpy()
    arrays[f"{prefix}generator"] = state["generator"].numpy()
    arrays[f"{prefix}train"] = state["train"].numpy()
    snapshot = checkpoint.snapshot
    return {
        "epoch": snapshot.epoch,
        "losses": [snapshot.loss, snapshot.reconstruction_loss, snapshot.kl],
        "config": dataclasses.asdict(state["config"]),
        "param_groups": optimizer["param_groups"],
        "opt_slots": {str(pid): sorted(slots) for pid, slots in optimizer["state"].items()},
    }


def _write_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez_compressed(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ----- reading ---------------------------------------------------------------------------
def _read_archive(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise SessionFileError(f"There is no file at {path}.")
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, EOFError) as exc:
        raise SessionFileError(
            f"{path.name} is not a complete Autoencoder Lab session: it may be truncated "
            "or come from another program."
        ) from exc
    except (OSError, ValueError) as exc:
        raise SessionFileError(f"{path.name} is not an Autoencoder Lab session file ({exc}).") from exc


def _read_header(arrays: dict[str, np.ndarray]) -> dict:
    try:
        header = json.loads(arrays["header"].astype(np.uint8).tobytes().decode())
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        raise SessionFileError("This file is not an Autoencoder Lab session file.") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise SessionFileError("This file is not an Autoencoder Lab session file.")
    version = header.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise SessionFileError(
            f"This session was saved by a newer Autoencoder Lab (file format {version}); "
            f"this version reads format {FORMAT_VERSION}. Please update the app."
        )
    if not header.get("checkpoints"):
        raise SessionFileError("This session file holds no saved epoch.")
    return header


def _unpack_checkpoint(k: int, meta: dict, arrays: dict[str, np.ndarray]) -> dict:
    prefix = f"c{k}/"
    model = {
        key[len(prefix) + 6 :]: torch.from_numpy(np.array(value))
        for key, value in arrays.items()
        if key.startswith(f"{prefix}model/")
    }
    for name, tensor in model.items():
        if tensor.is_floating_point() and not torch.isfinite(tensor).all():
            raise SessionFileError(f"The saved weight {name} holds a value that is not finite.")
    opt_state = {
        int(pid): {slot: torch.from_numpy(np.array(arrays[f"{prefix}opt/{pid}/{slot}"])) for slot in slots}
        for pid, slots in meta["opt_slots"].items()
    }
    return {
        "epoch": int(meta["epoch"]),
        "losses": [float(v) for v in meta["losses"]],
        "config": TrainingConfig(**meta["config"]),
        "model": model,
        "optimizer": None if meta["param_groups"] is None
        else {"state": opt_state, "param_groups": meta["param_groups"]},
        "generator": torch.from_numpy(np.array(arrays[f"{prefix}generator"], dtype=np.uint8)),
        "train": torch.from_numpy(np.array(arrays[f"{prefix}train"], dtype=np.float32)),
    }
